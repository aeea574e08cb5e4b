//! Normalization is applied on every write and its output is stored, shown
//! and sent back by clients; if it moved anything on a second pass, a config
//! fetched and saved unchanged would change.

use proptest::prelude::*;
use serde_json::Value;

use super::{any_json, typed_raw};
use crate::ServerType;
use crate::config::{infer_server_type, normalize};

/// The field an error names must lead back to the config: to a key the user
/// wrote, or to the one a type requires, so the message can point at it.
fn check_field(t: ServerType, raw: &Value, field: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        field == "config" || field.starts_with("config.") || field.starts_with("config["),
        "field {field:?} does not start with 'config'"
    );
    if let (Some(rest), Some(obj)) = (field.strip_prefix("config."), raw.as_object()) {
        // Keys may hold '.' themselves, so match whole keys rather than split.
        let names = |k: &str| {
            rest.strip_prefix(k)
                .is_some_and(|after| after.is_empty() || after.starts_with(['.', '[']))
        };
        let required = if t.is_remote() { "url" } else { "command" };
        prop_assert!(
            obj.keys().any(|k| names(k)) || rest == required,
            "field {field:?} names neither a key of {raw} nor '{required}'"
        );
    }
    Ok(())
}

fn check(t: ServerType, raw: &Value) -> Result<(), TestCaseError> {
    match normalize(t, raw) {
        Ok(c) => {
            let again = serde_json::to_value(&c).expect("serializes");
            prop_assert!(
                c.fits(t),
                "{t} config normalized to the other shape: {again}"
            );
            prop_assert_eq!(normalize(t, &again), Ok(c), "not idempotent for {}", raw);
        }
        Err(e) => check_field(t, raw, &e.field)?,
    }
    Ok(())
}

proptest! {
    #[test]
    fn generated_valid_configs_are_accepted((t, raw) in typed_raw(false)) {
        let c = normalize(t, &raw);
        prop_assert!(c.is_ok(), "{raw} rejected: {c:?}");
        // What the user wrote as the secret map keeps all its keys (query
        // values, also secret, are keyed `?N` beside them).
        let field = if t.is_remote() { "headers" } else { "env" };
        let written = raw.get(field).and_then(Value::as_object).map_or(0, |m| m.len());
        let kept = c.map(|c| c.secret_values().keys().filter(|k| !k.starts_with('?')).count());
        prop_assert_eq!(kept.unwrap_or_default(), written);
    }

    #[test]
    fn normalize_is_idempotent_and_errors_name_a_config_field((t, raw) in typed_raw(true)) {
        check(t, &raw)?;
    }

    #[test]
    fn arbitrary_json_never_panics(raw in any_json()) {
        for t in ServerType::ALL {
            check(t, &raw)?;
        }
        match infer_server_type(&raw) {
            Ok(Some(t)) => check(t, &raw)?,
            Ok(None) => {}
            Err(e) => prop_assert_eq!(e.field, "config.type"),
        }
    }
}

proptest! {
    /// A number given as a secret value is stored as its string form; parsed
    /// from a request body it must be the number the sender wrote, not one a
    /// last digit away.
    #[test]
    fn numbers_in_request_bodies_keep_their_digits(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
        let written = serde_json::to_string(&f).expect("serializes");
        let body = format!(r#"{{"command": "x", "env": {{"N": {written}}}}}"#);
        let raw: Value = serde_json::from_str(&body).expect("parses");
        let c = normalize(ServerType::Stdio, &raw).expect("valid");
        prop_assert_eq!(c.secret_values().get("N").cloned(), Some(written));
    }
}

#[test]
fn a_float_env_value_parsed_from_text_keeps_its_digits() {
    // Found by the server's round-trip property: without serde_json's
    // float_roundtrip this came back as -947133.643774046.
    let raw: Value = serde_json::from_str(r#"{"command": "a", "env": {"a": -947133.6437740459}}"#)
        .expect("json");
    let c = normalize(ServerType::Stdio, &raw).expect("valid");
    assert_eq!(c.secret_values()["a"], "-947133.6437740459");
}
