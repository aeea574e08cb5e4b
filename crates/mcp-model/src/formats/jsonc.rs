//! JSON with comments and trailing commas, read into `serde_json` values
//! while remembering the object keys that occur more than once (which every
//! JSON parser otherwise resolves silently, each in its own way).

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A key that occurred again in the same object; the first occurrence is the
/// one kept in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The keys (and array indexes) leading to the object.
    pub path: Vec<String>,
    pub key: String,
}

/// The deepest nesting of arrays and objects a config file may have. Real
/// files need fewer than ten; the parser recurses, so an unbounded depth would
/// let a small hostile file overflow the stack.
pub const MAX_DEPTH: usize = 64;

/// Checks the nesting depth of JSONC text without parsing it (brackets in
/// strings and comments do not count). It must tell strings and comments
/// exactly as the parser does, single-quoted strings included: a bracket it
/// skips that the parser reads is a level it does not count.
fn check_depth(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "arrays and objects are nested more than {MAX_DEPTH} levels deep"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// A file as [`read`] gives it.
#[derive(Debug)]
pub enum Read<'a> {
    /// Plain JSON with an object at the top: each top-level value still as
    /// its text, to be parsed by the one who needs it.
    Lazy(Vec<(String, &'a RawValue)>, Vec<Duplicate>),
    /// Anything else (comments, trailing commas, another top level), parsed.
    Whole(Value, Vec<Duplicate>),
}

/// Reads JSONC text; `Ok(None)` when it holds no value at all. Plain JSON
/// with an object at the top is not parsed beyond its top level: a file of
/// thousands of servers is then read one server at a time, and never held
/// as a tree (15 times the file's size).
pub fn read(text: &str) -> Result<Option<Read<'_>>, String> {
    check_depth(text)?;
    let mut dups = Vec::new();
    if !may_escape_surrogates(text)
        && let Some(top) = raw_object(text, &[], &mut dups)
    {
        return Ok(Some(Read::Lazy(top, dups)));
    }
    Ok(parse_checked(text)?.map(|(v, d)| Read::Whole(v, d)))
}

/// Whether the text may hold a `\\uD800`-style escape: serde_json checks
/// such escapes only where it reads the string, not where it skips over a
/// value's text, so a lone surrogate in a server read lazily would fail
/// that server alone rather than the file. Such files (rare) are read
/// whole, where it fails the file, as before.
fn may_escape_surrogates(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && matches!(w[2], b'd' | b'D')
            && matches!(w[3], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
    })
}

/// Parses JSONC text; `Ok(None)` when it holds no value at all.
pub fn parse(text: &str) -> Result<Option<(Value, Vec<Duplicate>)>, String> {
    check_depth(text)?;
    parse_checked(text)
}

/// [`parse`] of text whose depth is checked.
fn parse_checked(text: &str) -> Result<Option<(Value, Vec<Duplicate>)>, String> {
    if let Some(plain) = parse_plain(text) {
        return Ok(Some(plain));
    }
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

/// Plain JSON, which most files are, read by serde_json straight into a
/// value: a 10,000-server import spent half its parsing time building
/// jsonc-parser's syntax tree (docs/benchmarks.md). `None` for anything
/// serde_json refuses (comments, trailing commas, no value at all), which
/// the syntax tree then reads or explains.
fn parse_plain(text: &str) -> Option<(Value, Vec<Duplicate>)> {
    use serde::de::DeserializeSeed;
    let (mut path, mut dups) = (Vec::new(), Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Collect {
        path: &mut path,
        dups: &mut dups,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some((value, dups))
}

/// Plain JSON `text` holding an object, each value left as its text; the
/// first of duplicate keys kept, the others recorded at `path`. `None` when
/// the text is not plain JSON or not an object.
pub fn raw_object<'a>(
    text: &'a str,
    path: &[String],
    dups: &mut Vec<Duplicate>,
) -> Option<Vec<(String, &'a RawValue)>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let items = serde::de::Deserializer::deserialize_map(&mut de, RawObject).ok()?;
    de.end().ok()?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (key, value) in items {
        if seen.contains(&key) {
            dups.push(Duplicate {
                path: path.to_vec(),
                key,
            });
        } else {
            seen.insert(key.clone());
            out.push((key, value));
        }
    }
    Some(out)
}

/// Plain JSON `text` read as [`parse`] reads it, duplicate keys recorded
/// with their paths under `path`.
pub fn value_at(text: &str, path: &mut Vec<String>, dups: &mut Vec<Duplicate>) -> Option<Value> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Collect { path, dups }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

struct RawObject;

impl<'de> serde::de::Visitor<'de> for RawObject {
    type Value = Vec<(String, &'de RawValue)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut access: A,
    ) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = access.next_key::<String>()? {
            out.push((key, access.next_value::<&'de RawValue>()?));
        }
        Ok(out)
    }
}

/// Builds a value as `convert` does: the first of duplicate keys kept, the
/// others recorded with the path to their object.
struct Collect<'a> {
    path: &'a mut Vec<String>,
    dups: &'a mut Vec<Duplicate>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Collect<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Collect<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Collect { path, dups } = self;
        let mut out = Vec::new();
        loop {
            path.push(out.len().to_string());
            let next = seq.next_element_seed(Collect {
                path: &mut *path,
                dups: &mut *dups,
            });
            path.pop();
            match next? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let Collect { path, dups } = self;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            path.push(key.clone());
            // What a dropped duplicate holds is not read: its own repeated
            // keys say nothing of the value kept.
            let mut dropped = Vec::new();
            let value = access.next_value_seed(Collect {
                path: &mut *path,
                dups: if map.contains_key(&key) {
                    &mut dropped
                } else {
                    &mut *dups
                },
            })?;
            path.pop();
            keep_first(&mut map, path, dups, key, value);
        }
        Ok(Value::Object(map))
    }
}

/// The first of duplicate keys is the one kept; a later one is recorded.
fn keep_first(
    map: &mut Map<String, Value>,
    path: &[String],
    dups: &mut Vec<Duplicate>,
    key: String,
    value: Value,
) {
    if map.contains_key(&key) {
        dups.push(Duplicate {
            path: path.to_vec(),
            key,
        });
    } else {
        map.insert(key, value);
    }
}

fn convert(v: ast::Value<'_>, path: &mut Vec<String>, dups: &mut Vec<Duplicate>) -> Value {
    match v {
        ast::Value::Object(obj) => {
            let mut map = Map::new();
            for prop in obj.properties {
                let key = prop.name.into_string();
                path.push(key.clone());
                // As in `Collect`: a dropped duplicate's own keys are not read.
                let mut dropped = Vec::new();
                let inner = if map.contains_key(&key) {
                    &mut dropped
                } else {
                    &mut *dups
                };
                let value = convert(prop.value, path, inner);
                path.pop();
                keep_first(&mut map, path, dups, key, value);
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
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&deep).expect_err("too deep");
        assert!(err.contains("nested more than 64"), "{err}");
        let ok = format!("{{\"a\": {}{}}}", "[".repeat(60), "]".repeat(60));
        assert!(parse(&ok).is_ok());
        // Brackets inside strings and comments do not count.
        let text = format!(
            "{{\"a\": \"{}\\\"\", /* {} */ // {}\n \"b\": 1}}",
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(100)
        );
        assert!(parse(&text).is_ok(), "{text}");
    }

    #[test]
    fn single_quoted_strings_do_not_hide_nesting() {
        // Found by the property tests: a `"` or `//` inside a single-quoted
        // string made the guard skip what followed, and 100,000 brackets then
        // overflowed the parser's stack, aborting the process.
        for value in [r#"'"'"#, "'//'", "'/*'"] {
            let deep = format!(
                "{{\"mcpServers\": {{}}, \"a\": {value}, \"b\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            );
            let err = parse(&deep).expect_err("too deep");
            assert!(err.contains("nested more than 64"), "{value}: {err}");
        }
        let (v, _) = parse(r#"{"a": '"[{', "b": '\'//'}"#)
            .expect("parses")
            .expect("value");
        assert_eq!(v, json!({"a": "\"[{", "b": "'//"}));
    }

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

    /// The syntax tree's reading, for comparing the plain-JSON path with it.
    fn via_tree(text: &str) -> (Value, Vec<Duplicate>) {
        let parsed =
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
                .expect("parses");
        let (mut path, mut dups) = (Vec::new(), Vec::new());
        let value = convert(parsed.value.expect("value"), &mut path, &mut dups);
        (value, dups)
    }

    #[test]
    fn plain_json_reads_as_the_syntax_tree_does() {
        for text in [
            r#"{"a": 1, "b": -2, "c": 1.5, "d": 1e3, "e": 1.0, "f": 18446744073709551615}"#,
            r#"{"g": 18446744073709551616, "h": -9223372036854775808, "i": 0.1}"#,
            r#"{"s": "t\u00e9\n\"x\"", "n": null, "t": true, "u": [false, {}, []]}"#,
            r#"{"m": {"x": 1, "y": [{"z": 1, "z": 2}], "x": 3}, "m": 4}"#,
            r#"[1, {"k": [2, {"k": 3, "k": 4}]}]"#,
        ] {
            let plain = parse_plain(text).expect("plain JSON");
            assert_eq!(plain, via_tree(text), "{text}");
        }
        // Not plain JSON: the syntax tree reads it.
        assert_eq!(parse_plain("{\"a\": 1,}"), None);
        assert_eq!(parse_plain("// c\n{}"), None);
        assert_eq!(parse_plain(""), None);
    }

    #[test]
    fn plain_objects_are_read_lazily_and_the_rest_whole() {
        assert!(matches!(
            read(r#"{"a": {"b": 1}}"#),
            Ok(Some(Read::Lazy(..)))
        ));
        assert!(matches!(read("{\"a\": 1} // c"), Ok(Some(Read::Whole(..)))));
        assert!(matches!(read("[1]"), Ok(Some(Read::Whole(..)))));
        let Ok(Some(Read::Lazy(top, dups))) = read(r#"{"a": [1], "b": 2, "a": 3}"#) else {
            panic!("lazy");
        };
        let texts: Vec<(&str, &str)> = top.iter().map(|(k, v)| (k.as_str(), v.get())).collect();
        assert_eq!(texts, [("a", "[1]"), ("b", "2")]);
        assert_eq!(
            dups,
            [Duplicate {
                path: vec![],
                key: "a".into()
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
