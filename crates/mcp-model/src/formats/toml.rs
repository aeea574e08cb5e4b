//! TOML files (Codex's `config.toml`) read into JSON values, so that the
//! shared reader and the comparison of entries work on one kind of value.

use serde_json::{Map, Value, json};
use toml_edit::{DocumentMut, Item, Table};

/// Parses `text`, naming the place of a syntax error by line and column
/// only: `toml_edit`'s own message quotes the line, which may hold a secret.
pub fn parse_doc(text: &str) -> Result<DocumentMut, String> {
    text.parse::<DocumentMut>().map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        match e.span() {
            Some(span) => {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: {message}")
            }
            None => message,
        }
    })
}

pub fn table_to_json(t: &Table) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, v)| (k.to_string(), item_to_json(v)))
            .collect::<Map<_, _>>(),
    )
}

pub fn item_to_json(item: &Item) -> Value {
    match item {
        Item::None => Value::Null,
        Item::Value(v) => value_to_json(v),
        Item::Table(t) => table_to_json(t),
        Item::ArrayOfTables(a) => Value::Array(a.iter().map(table_to_json).collect()),
    }
}

fn value_to_json(v: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match v {
        T::String(s) => json!(s.value()),
        T::Integer(i) => json!(i.value()),
        T::Float(f) => json!(f.value()),
        T::Boolean(b) => json!(b.value()),
        T::Datetime(d) => json!(d.value().to_string()),
        T::Array(a) => Value::Array(a.iter().map(value_to_json).collect()),
        T::InlineTable(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), value_to_json(v)))
                .collect(),
        ),
    }
}

/// A JSON value as a TOML value; `None` for null, which TOML cannot hold.
fn json_to_value(v: &Value) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or_default().into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(a) => toml_edit::Value::Array(a.iter().filter_map(json_to_value).collect()),
        Value::Object(o) => toml_edit::Value::InlineTable(
            o.iter()
                .filter_map(|(k, v)| json_to_value(v).map(|v| (k.as_str(), v)))
                .collect(),
        ),
    })
}

/// An entry as a `[section.NAME]` table: scalars and arrays as keys, maps
/// (`env`, `http_headers`) as their own sub-tables, as Codex writes them.
pub fn entry_table(entry: &Value) -> Table {
    let mut t = Table::new();
    for (k, v) in entry.as_object().into_iter().flatten() {
        match v {
            Value::Object(o) => {
                let mut sub = Table::new();
                for (sk, sv) in o {
                    if let Some(sv) = json_to_value(sv) {
                        sub.insert(sk, Item::Value(sv));
                    }
                }
                t.insert(k, Item::Table(sub));
            }
            other => {
                if let Some(v) = json_to_value(other) {
                    t.insert(k, Item::Value(v));
                }
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_its_place_but_not_the_line() {
        let e = parse_doc("model = \"o3\"\n[mcp_servers.x]\nenv = { TOKEN = \"ghp_secret_1\n")
            .expect_err("broken");
        assert!(!e.contains("ghp_secret_1"), "{e}");
        assert!(e.starts_with("line 3, column "), "{e}");
    }
}
