//! Writing servers as a whole client file: servers sorted by
//! name, keys in a fixed order, a trailing newline — the same servers always
//! give the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Format;
use super::client::{Syntax, Vars};
use super::edit::{self, Change};
use crate::{ServerConfig, ServerType};

/// A server to write: its name, type and config (with whatever secret
/// values, real or placeholders, the caller decided to show).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportServer {
    pub name: String,
    pub server_type: ServerType,
    pub config: ServerConfig,
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

/// A whole file written: its text, and the servers the client cannot take,
/// with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub skipped: Vec<(String, String)>,
}

/// Writes `servers` as `format`'s config file (an error for a format that is
/// read only).
pub fn render(format: Format, servers: &[ExportServer]) -> Result<Rendered, String> {
    let d = format.descriptor();
    if !d.writable {
        return Err(format!("{} is read only: it cannot be exported", d.display));
    }
    let mut sorted: Vec<&ExportServer> = servers.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut map = Map::new();
    let mut skipped = Vec::new();
    let mut kept = Vec::new();
    for s in sorted {
        match (d.entry)(s, &Vars::new()) {
            Ok(v) => {
                map.insert(s.name.clone(), v);
                kept.push(s);
            }
            Err(why) => skipped.push((s.name.clone(), why)),
        }
    }
    let section: Vec<String> = d.section.iter().map(|k| k.to_string()).collect();
    let text = if d.syntax == Syntax::Toml && map.is_empty() {
        // An empty table rather than an empty file, which says nothing of its format.
        format!("[{}]\n", d.section.join("."))
    } else if d.syntax == Syntax::Toml {
        let changes: Vec<Change> = map.into_iter().map(|(k, v)| Change::Put(k, v)).collect();
        edit::apply(format, None, &section, &changes).map_err(|e| e.0)?
    } else {
        let mut root = Map::new();
        root.insert(d.section[0].into(), Value::Object(map));
        if format == Format::Vscode {
            root.insert("inputs".into(), vscode_inputs(&kept));
        }
        let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
        text.push('\n');
        text
    };
    Ok(Rendered { text, skipped })
}
