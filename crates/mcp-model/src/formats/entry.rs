//! One server entry of a client's file, mapped onto a create request.
//!
//! Every client spells a server a little differently; this reads the union of
//! their spellings, so that a file with one client's quirks still imports
//! under another's name. What has a place in our model is mapped; every other
//! field is returned by name so that the caller can report it as ignored.

use serde_json::{Map, Value};

use crate::ServerType;
use crate::api::CreateServer;

/// The fields naming a remote server's address, in order of preference:
/// `url` (most clients), `serverUrl` (Windsurf), `httpUrl` (Gemini CLI).
const URL_FIELDS: [&str; 3] = ["url", "serverUrl", "httpUrl"];

/// A mapped entry: the request to validate (or why there can be none), and the
/// fields that were not used.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub request: Result<CreateServer, String>,
    pub ignored: Vec<String>,
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// Maps the entry `raw` named `name`, taking it: its values move into the
/// request rather than being copied (a file of thousands of servers would
/// otherwise be held twice).
pub fn map_entry(name: &str, raw: Value) -> Mapped {
    let mut fields: Map<String, Value> = match raw {
        Value::Object(obj) => obj,
        other => {
            return Mapped {
                request: Err(format!(
                    "expected a server object (with 'command' or 'url'), found {}",
                    super::kind(&other)
                )),
                ignored: Vec::new(),
            };
        }
    };
    let mut ignored = Vec::new();

    // `transport` (seen as a string or as an object holding the real fields)
    // stands in for `type` and for fields missing at the top.
    let mut type_value = fields.remove("type").filter(|v| !v.is_null());
    match fields.remove("transport") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if type_value.is_none() => type_value = Some(Value::String(s)),
        Some(Value::Object(t)) => {
            for (k, v) in t {
                if k == "type" && type_value.is_none() {
                    type_value = Some(v);
                } else if !fields.contains_key(&k) && is_known_field(&k) {
                    fields.insert(k, v);
                } else {
                    ignored.push(format!("transport.{k}"));
                }
            }
        }
        Some(_) => ignored.push("transport".into()),
    }

    // Zed: `command` may be `{path, args, env}`; `source` tells custom
    // servers from extension-provided ones.
    if let Some(Value::Object(cmd)) = fields.get("command").cloned() {
        fields.remove("command");
        for (k, v) in cmd {
            let target = if k == "path" {
                "command".to_string()
            } else {
                k
            };
            if !fields.contains_key(&target)
                && matches!(target.as_str(), "command" | "args" | "env")
            {
                fields.insert(target, v);
            } else {
                ignored.push(format!("command.{target}"));
            }
        }
    }
    let source = fields.remove("source");
    match &source {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "custom" || s == "extension" => {}
        Some(_) => ignored.push("source".into()),
    }

    let mut is_enabled = true;
    for (field, enabled_when) in [("disabled", false), ("enabled", true)] {
        match fields.remove(field) {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => is_enabled &= b == enabled_when,
            Some(_) => ignored.push(field.into()),
        }
    }
    let description = match fields.remove("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            ignored.push("description".into());
            None
        }
    };

    let url_field = URL_FIELDS
        .into_iter()
        .find(|f| present(fields.get(*f)).is_some());
    let server_type = match &type_value {
        Some(Value::String(s)) => match s.parse::<ServerType>() {
            Ok(t) => t,
            Err(_) => {
                return Mapped {
                    request: Err(format!(
                        "type: '{s}' is not one of stdio, sse, http (or streamable-http)"
                    )),
                    ignored,
                };
            }
        },
        Some(_) => {
            return Mapped {
                request: Err("type: must be a string".into()),
                ignored,
            };
        }
        None if present(fields.get("command")).is_some() => ServerType::Stdio,
        None if url_field.is_some() => ServerType::Http,
        // Zed entries of extension-provided servers carry only `settings`
        // (and `source: "extension"` in newer versions).
        None if matches!(&source, Some(Value::String(s)) if s == "extension")
            || present(fields.get("settings")).is_some() =>
        {
            return Mapped {
                request: Err(
                    "is provided by a Zed extension: the file has no command to import".into(),
                ),
                ignored,
            };
        }
        None => {
            return Mapped {
                request: Err(
                    "has neither 'command' nor 'url', so its transport cannot be told".into(),
                ),
                ignored,
            };
        }
    };

    let mut config = Map::new();
    let wanted: &[&str] = if server_type.is_remote() {
        &["headers"]
    } else {
        &["command", "args", "env"]
    };
    if server_type.is_remote()
        && let Some(v) = url_field.and_then(|f| fields.remove(f))
    {
        config.insert("url".into(), v);
    }
    for (k, v) in fields {
        if wanted.contains(&k.as_str()) {
            if !v.is_null() {
                config.insert(k, v);
            }
        } else if !v.is_null() {
            ignored.push(k);
        }
    }
    Mapped {
        request: Ok(CreateServer {
            name: name.to_string(),
            description,
            server_type: Some(server_type),
            config: Value::Object(config),
            is_global: false,
            is_enabled,
            check: None,
        }),
        ignored,
    }
}

/// Fields a `transport` object may carry up to the entry.
fn is_known_field(k: &str) -> bool {
    matches!(k, "command" | "args" | "env" | "headers") || URL_FIELDS.contains(&k)
}

/// Whether a value looks like a server entry: an object with something to
/// start or reach.
pub fn looks_like_server(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        ["command", "transport"]
            .iter()
            .chain(URL_FIELDS.iter())
            .any(|k| present(o.get(*k)).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(v: Value) -> (CreateServer, Vec<String>) {
        let m = map_entry("s", v);
        (m.request.expect("maps"), m.ignored)
    }

    #[test]
    fn stdio_and_remote() {
        let (r, ig) = ok(json!({"command": "npx", "args": ["-y"], "env": {"A": "${A}"}}));
        assert_eq!(r.server_type, Some(ServerType::Stdio));
        assert_eq!(
            r.config,
            json!({"command": "npx", "args": ["-y"], "env": {"A": "${A}"}})
        );
        assert!(ig.is_empty());
        let (r, _) = ok(json!({"type": "streamable-http", "url": "https://x"}));
        assert_eq!(r.server_type, Some(ServerType::Http));
        assert_eq!(r.config, json!({"url": "https://x"}));
        let (r, _) = ok(json!({"url": "https://x", "headers": {"H": "v"}}));
        assert_eq!(r.server_type, Some(ServerType::Http));
        let (r, _) = ok(json!({"type": "sse", "url": "https://x"}));
        assert_eq!(r.server_type, Some(ServerType::Sse));
    }

    #[test]
    fn windsurf_and_gemini_urls() {
        let (r, _) = ok(json!({"serverUrl": "https://w/mcp", "disabled": true}));
        assert_eq!(r.config, json!({"url": "https://w/mcp"}));
        assert!(!r.is_enabled);
        let (r, _) = ok(json!({"httpUrl": "https://g/mcp"}));
        assert_eq!(r.server_type, Some(ServerType::Http));
    }

    #[test]
    fn zed_command_object_and_source() {
        let (r, ig) = ok(
            json!({"command": {"path": "node", "args": ["a.js"], "env": {"K": "v"}}, "settings": {}, "source": "custom"}),
        );
        assert_eq!(
            r.config,
            json!({"command": "node", "args": ["a.js"], "env": {"K": "v"}})
        );
        assert_eq!(ig, vec!["settings".to_string()]);
        let m = map_entry("e", json!({"source": "extension", "settings": {"key": ""}}));
        assert!(m.request.expect_err("no command").contains("Zed extension"));
    }

    #[test]
    fn transport_forms() {
        let (r, _) = ok(json!({"transport": "http", "url": "http://127.0.0.1:1/mcp"}));
        assert_eq!(r.server_type, Some(ServerType::Http));
        let (r, ig) = ok(
            json!({"disabled": true, "transport": {"type": "stdio", "command": "c", "args": [], "x": 1}}),
        );
        assert_eq!(r.server_type, Some(ServerType::Stdio));
        assert_eq!(r.config, json!({"command": "c", "args": []}));
        assert!(!r.is_enabled);
        assert_eq!(ig, vec!["transport.x".to_string()]);
    }

    #[test]
    fn extra_fields_are_listed_not_dropped() {
        let (r, ig) = ok(json!({
            "command": "x", "cwd": "/tmp", "timeout": 5, "autoApprove": [], "envFile": ".env",
            "description": "d", "enabled": false, "headers": {"H": "v"}
        }));
        assert_eq!(r.description.as_deref(), Some("d"));
        assert!(!r.is_enabled);
        let mut ig = ig;
        ig.sort();
        assert_eq!(ig, ["autoApprove", "cwd", "envFile", "headers", "timeout"]);
        let (r, ig) = ok(json!({"url": "https://x", "command": null, "args": []}));
        assert_eq!(r.server_type, Some(ServerType::Http));
        assert_eq!(ig, ["args"]);
    }

    #[test]
    fn impossible_entries_say_why() {
        for (v, needle) in [
            (json!("http://x"), "found a string"),
            (json!({"link": "x"}), "neither 'command' nor 'url'"),
            (json!({"type": "ws", "url": "x"}), "'ws' is not one of"),
            (json!({"type": 3, "url": "x"}), "must be a string"),
        ] {
            let e = map_entry("s", v).request.expect_err("fails");
            assert!(e.contains(needle), "{e}");
        }
    }
}
