//! JSON with comments and trailing commas, read into `serde_json` values
//! while remembering the object keys that occur more than once (which every
//! JSON parser otherwise resolves silently, each in its own way).

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::{Map, Value};

/// A key that occurred again in the same object; the first occurrence is the
/// one kept in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The keys (and array indexes) leading to the object.
    pub path: Vec<String>,
    pub key: String,
}

/// Parses JSONC text; `Ok(None)` when it holds no value at all.
pub fn parse(text: &str) -> Result<Option<(Value, Vec<Duplicate>)>, String> {
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &options).map_err(|e| e.to_string())?;
    Ok(parsed.value.map(|v| {
        let mut dups = Vec::new();
        let mut path = Vec::new();
        let value = convert(v, &mut path, &mut dups);
        (value, dups)
    }))
}

fn convert(v: ast::Value<'_>, path: &mut Vec<String>, dups: &mut Vec<Duplicate>) -> Value {
    match v {
        ast::Value::Object(obj) => {
            let mut map = Map::new();
            for prop in obj.properties {
                let key = prop.name.into_string();
                path.push(key.clone());
                let value = convert(prop.value, path, dups);
                path.pop();
                if map.contains_key(&key) {
                    dups.push(Duplicate {
                        path: path.clone(),
                        key,
                    });
                } else {
                    map.insert(key, value);
                }
            }
            Value::Object(map)
        }
        ast::Value::Array(arr) => Value::Array(
            arr.elements
                .into_iter()
                .enumerate()
                .map(|(i, e)| {
                    path.push(i.to_string());
                    let value = convert(e, path, dups);
                    path.pop();
                    value
                })
                .collect(),
        ),
        // Scalars convert as the parser's own serde conversion does.
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_comments_and_trailing_commas() {
        let (v, d) = parse("// head\n{\"a\": [1, 2,], /* x */ \"b\": {\"c\": true,},}\n")
            .expect("parses")
            .expect("value");
        assert_eq!(v, json!({"a": [1, 2], "b": {"c": true}}));
        assert!(d.is_empty());
    }

    #[test]
    fn keeps_first_duplicate_and_reports_it() {
        let (v, d) = parse(r#"{"m": {"x": 1, "y": 2, "x": 3}}"#)
            .expect("parses")
            .expect("value");
        assert_eq!(v, json!({"m": {"x": 1, "y": 2}}));
        assert_eq!(
            d,
            vec![Duplicate {
                path: vec!["m".into()],
                key: "x".into()
            }]
        );
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("{\"a\": }").expect_err("broken");
        assert!(e.contains("line 1"), "{e}");
        assert!(parse("{a: 1}").is_err(), "unquoted keys are not JSONC");
        assert_eq!(parse("  // only a comment\n").expect("parses"), None);
    }
}
