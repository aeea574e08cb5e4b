//! Writing servers in each client's shape: pretty JSON, servers sorted by
//! name, keys in a fixed order, a trailing newline — the same servers always
//! give the same bytes.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Format;
use crate::{ServerConfig, ServerType};

/// A server to write: its name, type and config (with whatever secret
/// values, real or placeholders, the caller decided to show).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportServer {
    pub name: String,
    pub server_type: ServerType,
    pub config: ServerConfig,
}

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Object(
        m.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// How each client spells the entry of one server.
fn entry(format: Format, s: &ExportServer) -> Value {
    let mut o = Map::new();
    match &s.config {
        ServerConfig::Stdio(c) => {
            match format {
                Format::ClaudeCode | Format::Vscode => {
                    o.insert("type".into(), json!("stdio"));
                }
                Format::Zed => {
                    o.insert("source".into(), json!("custom"));
                }
                Format::ClaudeDesktop | Format::Cursor | Format::Windsurf => {}
            }
            o.insert("command".into(), json!(c.command));
            o.insert("args".into(), json!(c.args));
            o.insert("env".into(), string_map(&c.env));
        }
        ServerConfig::Remote(c) => {
            match format {
                // Windsurf and Zed tell the transport themselves.
                Format::Windsurf => {
                    o.insert("serverUrl".into(), json!(c.url));
                }
                Format::Zed => {
                    o.insert("url".into(), json!(c.url));
                }
                _ => {
                    o.insert("type".into(), json!(s.server_type.as_str()));
                    o.insert("url".into(), json!(c.url));
                }
            }
            o.insert("headers".into(), string_map(&c.headers));
        }
    }
    Value::Object(o)
}

/// The `${input:ID}` references in a string.
fn input_refs(s: &str, out: &mut Vec<String>) {
    let mut rest = s;
    while let Some(start) = rest.find("${input:") {
        let after = &rest[start + "${input:".len()..];
        match after.find('}') {
            Some(end) => {
                out.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
}

/// VS Code prompts for every `${input:ID}` it finds declared in `inputs`;
/// undeclared ones are an error there, so each referenced id is declared.
/// Ids referenced from env or header values are prompted as passwords.
fn vscode_inputs(servers: &[&ExportServer]) -> Value {
    let mut ids: BTreeMap<String, bool> = BTreeMap::new();
    for s in servers {
        let mut plain = Vec::new();
        let mut secret = Vec::new();
        match &s.config {
            ServerConfig::Stdio(c) => {
                input_refs(&c.command, &mut plain);
                c.args.iter().for_each(|a| input_refs(a, &mut plain));
            }
            ServerConfig::Remote(c) => input_refs(&c.url, &mut plain),
        }
        s.config
            .secret_values()
            .values()
            .for_each(|v| input_refs(v, &mut secret));
        for id in plain {
            ids.entry(id).or_insert(false);
        }
        for id in secret {
            ids.insert(id, true);
        }
    }
    Value::Array(
        ids.into_iter()
            .map(|(id, password)| {
                json!({"type": "promptString", "id": id, "description": id, "password": password})
            })
            .collect(),
    )
}

/// Writes `servers` as `format`'s config file.
pub fn render(format: Format, servers: &[ExportServer]) -> String {
    let mut sorted: Vec<&ExportServer> = servers.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let map: Map<String, Value> = sorted
        .iter()
        .map(|s| (s.name.clone(), entry(format, s)))
        .collect();
    let mut root = Map::new();
    match format {
        Format::ClaudeDesktop | Format::ClaudeCode | Format::Cursor | Format::Windsurf => {
            root.insert("mcpServers".into(), Value::Object(map));
        }
        Format::Vscode => {
            root.insert("servers".into(), Value::Object(map));
            root.insert("inputs".into(), vscode_inputs(&sorted));
        }
        Format::Zed => {
            root.insert("context_servers".into(), Value::Object(map));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}
