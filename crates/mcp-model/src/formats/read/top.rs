//! A file's top level as reading it needs: what is parsed, the server maps
//! a plain JSON file keeps as text, and which client wrote it.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::super::jsonc::{self, Duplicate};
use super::super::{
    CONTEXT_SERVERS, FileError, Format, MCP, MCP_SERVERS, MCP_SERVERS_TOML, PROJECTS, SERVERS,
    clients, entry, kind, toml,
};

/// The wrapper keys whose maps a plain JSON file keeps as text.
const LAZY: [&str; 4] = [MCP_SERVERS, SERVERS, CONTEXT_SERVERS, MCP_SERVERS_TOML];

#[derive(Debug)]
pub(super) enum Entries<'a> {
    Parsed(Value),
    /// A plain JSON object: each entry's text. (An array of servers, which
    /// only VS Code's small files have, is parsed whole.)
    RawObject(Vec<(String, &'a RawValue)>),
}

/// The document's top level: parsed values, and the server maps a plain
/// JSON file keeps as text.
pub(super) struct Top<'a> {
    pub(super) top: Map<String, Value>,
    lazy: Vec<(String, Entries<'a>)>,
    pub(super) dups: Vec<Duplicate>,
}

impl<'a> Top<'a> {
    pub(super) fn load(text: &'a str, format: Option<Format>) -> Result<Self, FileError> {
        // Without a hint, text that is not JSON but is TOML is a Codex file.
        let read = if format
            .is_some_and(|f| f.descriptor().syntax == super::super::client::Syntax::Toml)
        {
            None
        } else {
            match jsonc::read(text) {
                Err(_) if format.is_none() && toml::parse_doc(text).is_ok() => None,
                other => Some(other),
            }
        };
        let read = match read {
            None => jsonc::Read::Whole(codex_root(text)?, Vec::new()),
            Some(parsed) => parsed
                .map_err(|e| FileError(format!("the file is not valid JSON or JSONC: {e}")))?
                .ok_or_else(|| FileError("the file is empty".into()))?,
        };
        match read {
            jsonc::Read::Whole(Value::Object(top), dups) => Ok(Top {
                top,
                lazy: Vec::new(),
                dups,
            }),
            jsonc::Read::Whole(other, _) => Err(FileError(format!(
                "expected a JSON object at the top level, found {}",
                kind(&other)
            ))),
            jsonc::Read::Lazy(items, mut dups) => {
                let mut top = Map::new();
                let mut lazy = Vec::new();
                for (key, raw) in items {
                    let map = LAZY
                        .contains(&key.as_str())
                        .then(|| raw_entries(&key, raw, &mut dups))
                        .flatten();
                    match map {
                        Some(entries) => lazy.push((key, entries)),
                        None => {
                            let mut path = vec![key.clone()];
                            let value = jsonc::value_at(raw.get(), &mut path, &mut dups)
                                .ok_or_else(|| FileError(format!("cannot read '{key}'")))?;
                            top.insert(key, value);
                        }
                    }
                }
                Ok(Top { top, lazy, dups })
            }
        }
    }

    fn lazy(&self, key: &str) -> Option<&Entries<'a>> {
        self.lazy.iter().find(|(k, _)| k == key).map(|(_, e)| e)
    }

    /// Whether the wrapper `key` holds servers: an object (or for
    /// `servers`, an array), which is an error otherwise.
    pub(super) fn has_map(&self, key: &str) -> Result<bool, FileError> {
        match (self.lazy(key), self.top.get(key)) {
            (Some(_), _) | (None, Some(Value::Object(_))) => Ok(true),
            (None, Some(Value::Array(_))) if key == SERVERS => Ok(true),
            (None, None) => Ok(false),
            (None, Some(other)) => Err(FileError(format!(
                "'{key}' must be an object mapping server names to their configs, found {}",
                kind(other)
            ))),
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.top.contains_key(key) || self.lazy(key).is_some()
    }

    /// What the entries of the `mcpServers` object tell of their client, in
    /// one pass over them.
    fn marks(&self) -> Marks {
        let mut marks = Marks::default();
        let mut note = |v: &Value| {
            marks.http_url |= v.get("httpUrl").is_some();
            marks.server_url |= v.get("serverUrl").is_some();
            marks.stdio_type |= v.get("type") == Some(&Value::from("stdio"));
        };
        match (self.lazy(MCP_SERVERS), self.top.get(MCP_SERVERS)) {
            // Read as the entry itself will be: the first of repeated keys.
            (Some(Entries::RawObject(items)), _) => {
                for (_, raw) in items {
                    if let Some(v) = jsonc::value_at(raw.get(), &mut Vec::new(), &mut Vec::new()) {
                        note(&v);
                    }
                }
            }
            (None, Some(Value::Object(m))) => m.values().for_each(note),
            _ => {}
        }
        marks
    }

    /// Takes the server map at `path` out of the document.
    pub(super) fn take(&mut self, path: &[String]) -> Entries<'a> {
        if let [key] = path
            && let Some(i) = self.lazy.iter().position(|(k, _)| k == key)
        {
            return self.lazy.swap_remove(i).1;
        }
        let mut at = match path.split_first() {
            None => return Entries::Parsed(Value::Object(std::mem::take(&mut self.top))),
            Some((first, _)) => match self.top.get_mut(first) {
                Some(v) => v,
                None => return Entries::Parsed(Value::Null),
            },
        };
        for key in &path[1..] {
            match at.get_mut(key) {
                Some(v) => at = v,
                None => return Entries::Parsed(Value::Null),
            }
        }
        Entries::Parsed(std::mem::take(at))
    }
}

/// A lazy wrapper's entries as text, with its duplicate names recorded;
/// `None` when it is not an object.
fn raw_entries<'a>(key: &str, raw: &'a RawValue, dups: &mut Vec<Duplicate>) -> Option<Entries<'a>> {
    jsonc::raw_object(raw.get(), &[key.to_string()], dups).map(Entries::RawObject)
}

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

/// A file that is itself the server map (`{"name": {"command": ...}}`), as
/// Claude Code plugins write it: every object value looks like a server, and
/// the other values are only `$schema`/`_comment`-style annotations.
pub(super) fn is_flat_map(top: &Map<String, Value>) -> bool {
    let mut servers = 0;
    for (k, v) in top {
        if entry::looks_like_server(v) {
            servers += 1;
        } else if !(k.starts_with('$') || k.starts_with('_')) {
            return false;
        }
    }
    servers > 0
}

/// Fields some entry of `mcpServers` has that only one client writes.
#[derive(Debug, Default)]
struct Marks {
    /// Gemini CLI's `httpUrl`.
    http_url: bool,
    /// Windsurf's `serverUrl`.
    server_url: bool,
    /// Claude Code writes `"type": "stdio"`; Claude Desktop leaves it out.
    stdio_type: bool,
}

pub(super) fn detect(doc: &Top<'_>, wrapped: bool) -> Format {
    let top = &doc.top;
    let marks = std::cell::OnceCell::new();
    let marks = || marks.get_or_init(|| doc.marks());
    let gemini_settings = top
        .get(MCP)
        .is_some_and(|m| m.get("allowed").is_some() || m.get("excluded").is_some());
    if doc.contains(CONTEXT_SERVERS) {
        Format::Zed
    } else if doc.contains(MCP_SERVERS_TOML) {
        Format::Codex
    } else if top.contains_key(PROJECTS) {
        Format::ClaudeCode
    } else if gemini_settings || marks().http_url {
        Format::Gemini
    } else if doc.contains(SERVERS) || top.get(MCP).is_some_and(|m| m.get(SERVERS).is_some()) {
        Format::Vscode
    } else if doc.has_map(MCP_SERVERS).unwrap_or(false) {
        if marks().server_url {
            Format::Windsurf
        } else if marks().stdio_type {
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
