//! The config files of MCP clients (Claude Desktop, Claude Code, Cursor, VS
//! Code, Windsurf, Zed, Gemini CLI, Codex) and the MCP Registry's
//! `server.json`: reading them into create requests, writing our servers out
//! in each client's shape, and editing a client's file in place. Pure
//! functions over text, so the server and the CLI read and write files by the
//! same rules; what differs per client is in its descriptor (`clients/`).
//!
//! Reading is lenient about layout: every client's wrapper key is looked for
//! whatever the format, because real files mix them up (a `servers` key in a
//! Cursor file, `mcpServers` in a VS Code one). Writing is strict: one shape
//! per client, stable key order, so that exporting the same servers twice
//! gives the same bytes.

pub mod client;
mod clients;
pub mod edit;
mod entry;
mod jsonc;
mod render;
mod toml;

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::api::{CreateServer, IgnoredField};

pub use client::{Descriptor, Scope};
pub use entry::looks_like_server;
pub use render::{ExportServer, Rendered, render};

/// One entry of a server map as the reader takes it: the server it
/// describes, normalized, and the fields the reader has no place for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadEntry {
    pub server_type: crate::ServerType,
    pub config: crate::ServerConfig,
    pub enabled: bool,
    /// Sorted field names, e.g. `cwd`, `transport.x`.
    pub ignored: Vec<String>,
}

/// Reads the entry `value` named `name` of `format`'s server map, or `None`
/// when it is not a server the registry could store.
pub fn read_entry(format: Format, name: &str, value: &Value) -> Option<ReadEntry> {
    let section: Vec<String> = format
        .descriptor()
        .section
        .iter()
        .map(|s| s.to_string())
        .collect();
    let doc = edit::apply(
        format,
        None,
        &section,
        &[edit::Change::Put(name.into(), value.clone())],
    )
    .ok()?;
    let parsed = parse(&doc, Some(format)).ok()?;
    let mut ignored: Vec<String> = parsed.ignored.into_iter().map(|f| f.field).collect();
    ignored.sort();
    let request = parsed.entries.into_iter().next()?.request.ok()?;
    let server_type = match request.server_type {
        Some(t) => t,
        None => crate::config::infer_server_type(&request.config).ok()??,
    };
    let config = crate::config::normalize(server_type, &request.config).ok()?;
    Some(ReadEntry {
        server_type,
        config,
        enabled: request.is_enabled,
        ignored,
    })
}

/// Whether two entries of `format`'s server map are one server spelled two
/// ways (`args: []` or none, an explicit `type` or an implied one): what
/// sync compares, so that a client rewriting its own file in its own style
/// is not an edit. Fields the reader ignores (`cwd`, `timeout`, a client's
/// tool filters) must be equal too: a user's edit to one is an edit.
pub fn same_server(format: Format, name: &str, a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    let (Some(x), Some(y)) = (read_entry(format, name, a), read_entry(format, name, b)) else {
        return false;
    };
    x == y
        && x.ignored.iter().all(|field| {
            let top = field.split('.').next().unwrap_or(field);
            a.get(top) == b.get(top)
        })
}

/// A file format we read, and (all but `server.json`) write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(rename_all = "kebab-case"))]
pub enum Format {
    /// `claude_desktop_config.json`: `{"mcpServers": {...}}`, `type` only for remote servers.
    ClaudeDesktop,
    /// `~/.claude.json` or `.mcp.json`: `mcpServers` (and `projects.<dir>.mcpServers`), an explicit `type` on every entry.
    ClaudeCode,
    /// `.cursor/mcp.json`: the Claude Desktop shape.
    Cursor,
    /// `.vscode/mcp.json`: `{"servers": {...}, "inputs": [...]}`, JSONC.
    Vscode,
    /// `mcp_config.json`: `mcpServers`, remote servers by `serverUrl`.
    Windsurf,
    /// Zed `settings.json`: `context_servers`.
    Zed,
    /// Gemini CLI `settings.json`: `mcpServers`, remote servers by `url` and `type` (or `httpUrl`).
    Gemini,
    /// Codex `config.toml`: `[mcp_servers.NAME]` tables.
    Codex,
    /// The MCP Registry's `server.json` (read only).
    ServerJson,
}

impl Format {
    /// Every format, for parsing names and for messages listing the accepted ones.
    pub const ALL: [Format; 9] = [
        Format::ClaudeDesktop,
        Format::ClaudeCode,
        Format::Cursor,
        Format::Vscode,
        Format::Windsurf,
        Format::Zed,
        Format::Gemini,
        Format::Codex,
        Format::ServerJson,
    ];

    /// What differs about this format: paths, spelling, references.
    pub fn descriptor(self) -> &'static Descriptor {
        clients::descriptor(self)
    }

    /// The name of the `format` parameter and of `ImportResult::format`.
    pub fn as_str(self) -> &'static str {
        self.descriptor().name
    }

    /// The names accepted by `format=`, for messages.
    pub fn names() -> String {
        Format::ALL.map(Format::as_str).join(", ")
    }

    /// The formats that are MCP clients with config files of their own.
    pub fn clients() -> impl Iterator<Item = Format> {
        Format::ALL.into_iter().filter(|f| f.descriptor().writable)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase().replace('_', "-");
        Format::ALL
            .into_iter()
            .find(|f| {
                let d = f.descriptor();
                d.name == lower || d.aliases.contains(&lower.as_str())
            })
            .ok_or_else(|| {
                format!(
                    "unknown format '{}' (expected one of {})",
                    s.escape_debug(),
                    Format::names()
                )
            })
    }
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FileError(pub String);

/// One server of a file: the create request it maps to, or why it cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The server's key in the file.
    pub name: String,
    /// `Err` says why the entry cannot become a server; the import reports it and goes on.
    pub request: Result<CreateServer, String>,
}

/// A file read: its servers in file order, and what had no place.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub format: Format,
    pub entries: Vec<Entry>,
    pub ignored: Vec<IgnoredField>,
}

/// The wrapper keys that hold servers, by client.
const MCP_SERVERS: &str = "mcpServers";
const SERVERS: &str = "servers";
const CONTEXT_SERVERS: &str = "context_servers";
const MCP: &str = "mcp";
const MCP_SERVERS_TOML: &str = "mcp_servers";
const PROJECTS: &str = "projects";

/// A Codex file as JSON, its entries in the shared spelling.
fn codex_root(text: &str) -> Result<Value, FileError> {
    let doc =
        toml::parse_doc(text).map_err(|e| FileError(format!("the file is not valid TOML: {e}")))?;
    let mut root = toml::table_to_json(doc.as_table());
    if let Some(Value::Object(servers)) = root.get_mut(MCP_SERVERS_TOML) {
        for v in servers.values_mut() {
            *v = clients::codex::to_common(v);
        }
    }
    Ok(root)
}

/// The servers of an MCP Registry `server.json`.
fn server_json_file(top: &Map<String, Value>) -> ParsedFile {
    let mut entries = Vec::new();
    let mut ignored = Vec::new();
    for (name, value) in clients::read_server_json(top) {
        let request = value.and_then(|v| {
            let mapped = entry::map_entry(&name, v);
            ignored.extend(mapped.ignored.into_iter().map(|field| IgnoredField {
                name: name.clone(),
                field,
            }));
            mapped.request
        });
        entries.push(Entry { name, request });
    }
    ParsedFile {
        format: Format::ServerJson,
        entries,
        ignored,
    }
}

/// Where a file keeps (some of) its servers: the keys that lead to the map
/// (or array) from the top. The map is found while the file is borrowed,
/// then taken out of it, so that each entry moves into its request rather
/// than being copied (a file of thousands of servers would otherwise be
/// held twice at once).
struct ServerMap {
    path: Vec<String>,
}

impl ServerMap {
    fn at(path: &[&str]) -> Self {
        ServerMap {
            path: path.iter().map(|k| (*k).to_string()).collect(),
        }
    }

    fn label(&self) -> String {
        if self.path.is_empty() {
            "the top level".to_string()
        } else {
            format!("'{}'", self.path.join("."))
        }
    }

    /// Takes the map out of `root`, leaving null in its place.
    fn take(&self, root: &mut Value) -> Value {
        let mut at = root;
        for key in &self.path {
            match at.get_mut(key) {
                Some(v) => at = v,
                None => return Value::Null,
            }
        }
        std::mem::take(at)
    }
}

/// Reads a client config file. `format` names the client when the caller
/// knows it; otherwise it is told from the file's keys. Servers that cannot
/// be mapped become per-entry errors; only a file that is not JSON(C) or that
/// holds no server map at all is an error as a whole.
pub fn parse(text: &str, format: Option<Format>) -> Result<ParsedFile, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Without a hint, text that is not JSON but is TOML is a Codex file.
    let json = if format.is_some_and(|f| f.descriptor().syntax == client::Syntax::Toml) {
        None
    } else {
        match jsonc::parse(text) {
            Err(_) if format.is_none() && toml::parse_doc(text).is_ok() => None,
            other => Some(other),
        }
    };
    let (mut root, dups) = match json {
        None => (codex_root(text)?, Vec::new()),
        Some(parsed) => parsed
            .map_err(|e| FileError(format!("the file is not valid JSON or JSONC: {e}")))?
            .ok_or_else(|| FileError("the file is empty".into()))?,
    };
    let Value::Object(top) = &root else {
        return Err(FileError(format!(
            "expected a JSON object at the top level, found {}",
            kind(&root)
        )));
    };
    if format == Some(Format::ServerJson)
        || (format.is_none() && clients::server_json::looks_like(top))
    {
        return Ok(server_json_file(top));
    }

    let mut maps = Vec::new();
    for key in [MCP_SERVERS, SERVERS, CONTEXT_SERVERS, MCP_SERVERS_TOML] {
        match top.get(key) {
            None => {}
            Some(Value::Object(_)) => maps.push(ServerMap::at(&[key])),
            Some(Value::Array(_)) if key == SERVERS => maps.push(ServerMap::at(&[key])),
            Some(other) => {
                return Err(FileError(format!(
                    "'{key}' must be an object mapping server names to their configs, found {}",
                    kind(other)
                )));
            }
        }
    }
    // `~/.claude.json` keeps each project's private servers under its path.
    if let Some(Value::Object(projects)) = top.get(PROJECTS) {
        for (dir, project) in projects {
            if let Some(Value::Object(_)) = project.get(MCP_SERVERS) {
                maps.push(ServerMap::at(&[PROJECTS, dir, MCP_SERVERS]));
            }
        }
    }
    // VS Code's settings.json nests `servers` under `mcp`; some files use
    // `mcp` itself as the server map. Gemini CLI's `mcp` holds settings
    // (`allowed`, `excluded`), which are not servers.
    if let Some(Value::Object(mcp)) = top.get(MCP) {
        match mcp.get(SERVERS) {
            Some(Value::Object(_) | Value::Array(_)) => maps.push(ServerMap::at(&[MCP, SERVERS])),
            _ if is_flat_map(mcp) => maps.push(ServerMap::at(&[MCP])),
            _ => {}
        }
    }
    let wrapped = !maps.is_empty();
    if !wrapped && is_flat_map(top) {
        maps.push(ServerMap::at(&[]));
    }
    // Zed's, Gemini CLI's and Codex's files are general settings files: one
    // without servers holds none.
    if maps.is_empty() && !matches!(format, Some(Format::Zed | Format::Gemini | Format::Codex)) {
        return Err(FileError(
            "no MCP server map found: expected 'mcpServers' (Claude Desktop, Claude Code, Cursor, Windsurf, Gemini CLI), 'servers' (VS Code), 'context_servers' (Zed) or [mcp_servers] (Codex)".into(),
        ));
    }

    let format = format.unwrap_or_else(|| detect(top, wrapped));
    // What needs the whole file is read first; the maps are taken after.
    let mut misplaced = Vec::new();
    if wrapped {
        // Servers beside the wrapper are a common mistake; the client would
        // not load them, so neither do we, but we say so.
        let used: Vec<&str> = maps
            .iter()
            .filter_map(|m| m.path.first().map(String::as_str))
            .collect();
        for (k, v) in top {
            if !used.contains(&k.as_str()) && looks_like_server(v) {
                misplaced.push(Entry {
                    name: k.clone(),
                    request: Err(format!(
                        "is at the top level, outside {}: the client would not load it (move it inside to import it)",
                        maps.first().map(ServerMap::label).unwrap_or_default()
                    )),
                });
            }
        }
    }
    let inputs = [
        top.get("inputs"),
        top.get(MCP).and_then(|m| m.get("inputs")),
    ]
    .into_iter()
    .flatten()
    .filter(|inputs| inputs.as_array().is_some_and(|a| !a.is_empty()))
    .map(|_| IgnoredField {
        name: "*".into(),
        field: "inputs".into(),
    })
    .collect::<Vec<_>>();

    let mut entries = Vec::new();
    let mut ignored = Vec::new();
    let mut seen = HashSet::new();
    for map in &maps {
        let items = map.take(&mut root);
        read_map(map, items, &dups, &mut seen, &mut entries, &mut ignored);
    }
    entries.extend(misplaced);
    ignored.extend(inputs);
    Ok(ParsedFile {
        format,
        entries,
        ignored,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A file that is itself the server map (`{"name": {"command": ...}}`), as
/// Claude Code plugins write it: every object value looks like a server, and
/// the other values are only `$schema`/`_comment`-style annotations.
fn is_flat_map(top: &Map<String, Value>) -> bool {
    let mut servers = 0;
    for (k, v) in top {
        if looks_like_server(v) {
            servers += 1;
        } else if !(k.starts_with('$') || k.starts_with('_')) {
            return false;
        }
    }
    servers > 0
}

fn detect(top: &Map<String, Value>, wrapped: bool) -> Format {
    let gemini_settings = top
        .get(MCP)
        .is_some_and(|m| m.get("allowed").is_some() || m.get("excluded").is_some());
    if top.contains_key(CONTEXT_SERVERS) {
        Format::Zed
    } else if top.contains_key(MCP_SERVERS_TOML) {
        Format::Codex
    } else if top.contains_key(PROJECTS) {
        Format::ClaudeCode
    } else if gemini_settings
        || top
            .get(MCP_SERVERS)
            .and_then(Value::as_object)
            .is_some_and(|m| m.values().any(|v| v.get("httpUrl").is_some()))
    {
        Format::Gemini
    } else if top.contains_key(SERVERS) || top.get(MCP).is_some_and(|m| m.get(SERVERS).is_some()) {
        Format::Vscode
    } else if let Some(Value::Object(m)) = top.get(MCP_SERVERS) {
        if m.values().any(|v| v.get("serverUrl").is_some()) {
            Format::Windsurf
        } else if m
            .values()
            .any(|v| v.get("type") == Some(&Value::from("stdio")))
        {
            // Claude Code writes `"type": "stdio"`; Claude Desktop leaves it out.
            Format::ClaudeCode
        } else {
            Format::ClaudeDesktop
        }
    } else if !wrapped {
        Format::ClaudeCode
    } else {
        Format::ClaudeDesktop
    }
}

fn read_map(
    map: &ServerMap,
    items: Value,
    dups: &[jsonc::Duplicate],
    seen: &mut HashSet<String>,
    entries: &mut Vec<Entry>,
    ignored: &mut Vec<IgnoredField>,
) {
    let array = items.is_array();
    let items: Vec<(String, String, Result<Value, String>)> = match items {
        Value::Object(o) => o.into_iter().map(|(k, v)| (k.clone(), k, Ok(v))).collect(),
        Value::Array(a) => a
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let named = v.get("name").and_then(Value::as_str).map(str::to_string);
                match named {
                    Some(n) => (n, i.to_string(), Ok(v)),
                    None => (
                        format!("{}[{i}]", map.path.join(".")),
                        i.to_string(),
                        Err("is an array element without a 'name'".to_string()),
                    ),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    entries.reserve(items.len());
    for (name, step, value) in items {
        // `"_comment": "..."`-style annotations among the servers.
        if (name.starts_with('$') || name.starts_with('_'))
            && value.as_ref().is_ok_and(|v| !v.is_object())
        {
            let mut path = map.path.clone();
            path.push(name);
            ignored.push(IgnoredField {
                name: "*".into(),
                field: path.join("."),
            });
            continue;
        }
        if !seen.insert(name.clone()) {
            entries.push(Entry {
                name: name.clone(),
                request: Err(format!(
                    "appears more than once in the file; only the first '{name}' is imported"
                )),
            });
            continue;
        }
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                entries.push(Entry {
                    name,
                    request: Err(e),
                });
                continue;
            }
        };
        let mut prefix = map.path.clone();
        prefix.push(step);
        if let Some(d) = dups.iter().find(|d| d.path.starts_with(&prefix)) {
            let inner: Vec<&str> = d.path[prefix.len()..]
                .iter()
                .map(String::as_str)
                .chain([d.key.as_str()])
                .collect();
            entries.push(Entry {
                name,
                request: Err(format!(
                    "has the key '{}' more than once; it is ambiguous which one is meant",
                    inner.join(".")
                )),
            });
            continue;
        }
        let value = match value {
            Value::Object(mut o) if array => {
                o.remove("name");
                Value::Object(o)
            }
            v => v,
        };
        let mapped = entry::map_entry(&name, value);
        ignored.extend(mapped.ignored.into_iter().map(|field| IgnoredField {
            name: name.clone(),
            field,
        }));
        entries.push(Entry {
            name,
            request: mapped.request,
        });
    }
    for d in dups.iter().filter(|d| d.path == map.path) {
        entries.push(Entry {
            name: d.key.clone(),
            request: Err(format!(
                "appears more than once in {}; only the first '{}' is imported",
                map.label(),
                d.key
            )),
        });
    }
}

#[cfg(test)]
mod tests;
