//! Arbitrary bytes, as a request body would carry them, through the config
//! rules: none may panic, and what they accept must be a fixed point, since
//! it is stored and sent back as is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_model::ServerType;
use mcp_model::config::{infer_server_type, normalize};
use serde_json::Value;

fn check(t: ServerType, raw: &Value) {
    match normalize(t, raw) {
        Ok(c) => {
            let again = serde_json::to_value(&c).expect("a normalized config serializes");
            assert_eq!(
                normalize(t, &again).as_ref(),
                Ok(&c),
                "not idempotent: {raw}"
            );
        }
        Err(e) => assert!(
            e.field.starts_with("config"),
            "error names {:?}, not a config field",
            e.field
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match infer_server_type(&raw) {
        Ok(Some(t)) => check(t, &raw),
        Ok(None) => {}
        Err(e) => assert_eq!(e.field, "config.type"),
    }
    for t in ServerType::ALL {
        check(t, &raw);
    }
});
