//! Editing a client's file in place: only the named entries of one server
//! map change; every other key, comment, key order, indentation and line
//! ending stays as it was (a concrete syntax tree for JSON and JSONC,
//! `toml_edit` for TOML). An entry that is already as wanted is not touched.

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstObject, CstRootNode};
use serde_json::{Map, Value};

use super::client::Syntax;
use super::{FileError, Format, jsonc, kind, toml};

/// One change to a server map.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add the entry, or replace the one of that name.
    Put(String, Value),
    Remove(String),
}

/// Whether a duplicate key leads to the server map at `section` or lies inside it.
fn on_path(d: &jsonc::Duplicate, section: &[String]) -> bool {
    let leads = d.path.len() < section.len()
        && section.starts_with(&d.path)
        && section[d.path.len()] == d.key;
    leads || d.path.starts_with(section)
}

/// The whole file as a JSON value (an absent or empty file is `{}`), failing
/// on a key given twice on the way to or inside the map at `section`.
fn root_value(format: Format, text: &str, section: &[String]) -> Result<Value, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format.descriptor().syntax {
        Syntax::Toml => toml::parse_doc(text)
            .map(|d| toml::table_to_json(d.as_table()))
            .map_err(|e| FileError(format!("the file is not valid TOML: {e}"))),
        Syntax::Json | Syntax::Jsonc => match jsonc::parse(text) {
            Ok(Some((v, dups))) => {
                // Of a key given twice, the parser keeps one copy and the
                // client may read the other: which one sync edits is a guess.
                if let Some(d) = dups.iter().find(|d| on_path(d, section)) {
                    let mut at = d.path.clone();
                    at.push(d.key.clone());
                    return Err(FileError(format!(
                        "the key '{}' is in the file twice; fix it by hand first",
                        at.join(".")
                    )));
                }
                Ok(v)
            }
            Ok(None) => Ok(Value::Object(Map::new())),
            Err(e) => Err(FileError(format!(
                "the file is not valid JSON or JSONC: {e}"
            ))),
        },
    }
}

/// The entries of the server map at `section`, as the file spells them; none
/// when the map is absent. Fails when something other than an object stands
/// where the map (or a key leading to it) should be: that is not ours to fix.
pub fn entries(
    format: Format,
    text: &str,
    section: &[String],
) -> Result<Vec<(String, Value)>, FileError> {
    let root = root_value(format, text, section)?;
    let mut cur = &root;
    let mut path = Vec::new();
    if !cur.is_object() {
        return Err(FileError(format!(
            "expected an object at the top level, found {}",
            kind(cur)
        )));
    }
    for key in section {
        path.push(key.as_str());
        match cur.get(key) {
            None => return Ok(Vec::new()),
            Some(v @ Value::Object(_)) => cur = v,
            Some(other) => {
                return Err(FileError(format!(
                    "'{}' is {}, not an object of servers; fix it by hand first",
                    path.join("."),
                    kind(other)
                )));
            }
        }
    }
    Ok(cur
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default())
}

/// The file after `changes` to the map at `section`. `text` is `None` for a
/// file that does not exist yet.
pub fn apply(
    format: Format,
    text: Option<&str>,
    section: &[String],
    changes: &[Change],
) -> Result<String, FileError> {
    // Validates the file and the path to the map.
    entries(format, text.unwrap_or(""), section)?;
    match format.descriptor().syntax {
        Syntax::Toml => apply_toml(text.unwrap_or(""), section, changes),
        Syntax::Json | Syntax::Jsonc => apply_json(text, section, changes),
    }
}

fn to_cst(v: &Value) -> CstInputValue {
    match v {
        Value::Null => CstInputValue::Null,
        Value::Bool(b) => CstInputValue::Bool(*b),
        Value::Number(n) => CstInputValue::Number(n.to_string()),
        Value::String(s) => CstInputValue::String(s.clone()),
        Value::Array(a) => CstInputValue::Array(a.iter().map(to_cst).collect()),
        Value::Object(o) => {
            CstInputValue::Object(o.iter().map(|(k, v)| (k.clone(), to_cst(v))).collect())
        }
    }
}

fn apply_json(
    text: Option<&str>,
    section: &[String],
    changes: &[Change],
) -> Result<String, FileError> {
    let (bom, body) = match text {
        Some(t) if t.trim().is_empty() => ("", "{}\n".to_string()),
        Some(t) => t
            .strip_prefix('\u{feff}')
            .map_or(("", t.to_string()), |rest| ("\u{feff}", rest.to_string())),
        None => ("", "{}\n".to_string()),
    };
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let root = CstRootNode::parse(&body, &options)
        .map_err(|e| FileError(format!("the file is not valid JSON or JSONC: {e}")))?;
    let mut map: CstObject = root.object_value_or_set();
    for key in section {
        map = map.object_value_or_set(key);
    }
    for change in changes {
        match change {
            Change::Put(name, value) => match map.get(name) {
                Some(prop) => prop.set_value(to_cst(value)),
                None => {
                    map.append(name, to_cst(value));
                }
            },
            Change::Remove(name) => {
                if let Some(prop) = map.get(name) {
                    prop.remove();
                }
            }
        }
    }
    Ok(format!("{bom}{root}"))
}

fn apply_toml(text: &str, section: &[String], changes: &[Change]) -> Result<String, FileError> {
    let mut doc =
        toml::parse_doc(text).map_err(|e| FileError(format!("the file is not valid TOML: {e}")))?;
    let mut table = doc.as_table_mut();
    for key in section {
        let item = table.entry(key).or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            // `[mcp_servers.x]` headers only, no empty `[mcp_servers]`.
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        });
        table = item.as_table_mut().ok_or_else(|| {
            FileError(format!(
                "'{key}' is not a table of servers; fix it by hand first"
            ))
        })?;
    }
    for change in changes {
        match change {
            Change::Put(name, value) => {
                let mut t = toml::entry_table(value);
                if let Some(old) = table.get(name).and_then(toml_edit::Item::as_table) {
                    // Keep the entry where it was in the file.
                    if let Some(pos) = old.position() {
                        t.set_position(Some(pos));
                    }
                }
                table.insert(name, toml_edit::Item::Table(t));
            }
            Change::Remove(name) => {
                table.remove(name);
            }
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests;
