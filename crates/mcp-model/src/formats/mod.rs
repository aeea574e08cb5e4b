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
mod read;
mod render;
mod toml;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::api::{CreateServer, IgnoredField};

pub use client::{Descriptor, Scope};
pub use entry::looks_like_server;
pub use read::{FileReader, read};
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

/// Reads a client config file whole: its servers in file order, and what
/// had no place (see [`read`], which gives the entries one at a time).
pub fn parse(text: &str, format: Option<Format>) -> Result<ParsedFile, FileError> {
    let mut reader = read(text, format)?;
    let entries = reader.by_ref().collect();
    Ok(ParsedFile {
        format: reader.format,
        entries,
        ignored: reader.into_ignored(),
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

#[cfg(test)]
mod tests;
