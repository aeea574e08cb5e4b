//! Reading a client config file: its format and server maps first, then its
//! entries one at a time, as the caller takes them ([`FileReader`]).
//!
//! Plain JSON files, which is what programs write and what large imports
//! are, are parsed down to their top level only; the server maps under the
//! top-level wrapper keys keep each entry as its text until its turn. A
//! file of 10,000 servers is then never held as a tree of values, which
//! takes about 15 times the file's size.

mod top;

use std::collections::{HashSet, VecDeque};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use self::top::{Entries, Top, detect, is_flat_map};
use super::jsonc::{self, Duplicate};
use super::{
    CONTEXT_SERVERS, Entry, FileError, Format, MCP, MCP_SERVERS, MCP_SERVERS_TOML, PROJECTS,
    SERVERS, clients, entry,
};
use crate::api::IgnoredField;

/// A file whose format is known and whose entries are read as they are
/// taken: each is mapped to its create request when [`Iterator::next`]
/// reaches it.
#[derive(Debug)]
pub struct FileReader<'a> {
    pub format: Format,
    /// Maps still to read, in order.
    maps: VecDeque<ServerMap<'a>>,
    /// Entries of the map being read.
    items: VecDeque<Item<'a>>,
    /// Where the map being read is, and whether it is an array.
    current: (Vec<String>, bool),
    /// The map's own repeated names, told after its entries.
    after: VecDeque<Entry>,
    /// Duplicate keys inside entries, found while the file was parsed whole.
    dups: Vec<Duplicate>,
    /// Names already read, in any map.
    seen: HashSet<String>,
    /// Entries told at the end: servers beside the wrapper key.
    tail: VecDeque<Entry>,
    ignored: Vec<IgnoredField>,
    /// Noted after every entry's own.
    file_ignored: Vec<IgnoredField>,
}

/// A server map found in the file: where, and its entries.
#[derive(Debug)]
struct ServerMap<'a> {
    path: Vec<String>,
    entries: Entries<'a>,
    /// Names given twice in the map itself.
    dups: Vec<Duplicate>,
}

/// One entry still to read: its name, the step to it from its map (the key,
/// or the index in an array), and its value or why it has none.
#[derive(Debug)]
struct Item<'a> {
    name: String,
    step: String,
    value: Result<Node<'a>, String>,
}

impl<'a> Item<'a> {
    /// An entry of a server map: its key is both its name and its step.
    fn keyed(key: String, node: Node<'a>) -> Self {
        Item {
            name: key.clone(),
            step: key,
            value: Ok(node),
        }
    }
}

#[derive(Debug)]
enum Node<'a> {
    Parsed(Value),
    Raw(&'a RawValue),
}

impl Node<'_> {
    fn is_object(&self) -> bool {
        match self {
            Node::Parsed(v) => v.is_object(),
            Node::Raw(r) => r.get().starts_with('{'),
        }
    }
}

fn label(path: &[String]) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        format!("'{}'", path.join("."))
    }
}

/// Reads a client config file's format and finds its server maps; the
/// entries are read as the reader is iterated. `format` names the client
/// when the caller knows it; otherwise it is told from the file's keys.
/// Only a file that is not JSON(C) or TOML, or that holds no server map at
/// all, is an error as a whole.
pub fn read(text: &str, format: Option<Format>) -> Result<FileReader<'_>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut doc = Top::load(text, format)?;
    if format == Some(Format::ServerJson)
        || (format.is_none() && clients::server_json::looks_like(&doc.top))
    {
        return Ok(server_json_file(&doc.top));
    }

    let mut paths: Vec<Vec<String>> = Vec::new();
    for key in [MCP_SERVERS, SERVERS, CONTEXT_SERVERS, MCP_SERVERS_TOML] {
        if doc.has_map(key)? {
            paths.push(vec![key.to_string()]);
        }
    }
    // `~/.claude.json` keeps each project's private servers under its path.
    if let Some(Value::Object(projects)) = doc.top.get(PROJECTS) {
        for (dir, project) in projects {
            if let Some(Value::Object(_)) = project.get(MCP_SERVERS) {
                paths.push(vec![PROJECTS.into(), dir.clone(), MCP_SERVERS.into()]);
            }
        }
    }
    // VS Code's settings.json nests `servers` under `mcp`; some files use
    // `mcp` itself as the server map. Gemini CLI's `mcp` holds settings
    // (`allowed`, `excluded`), which are not servers.
    if let Some(Value::Object(mcp)) = doc.top.get(MCP) {
        match mcp.get(SERVERS) {
            Some(Value::Object(_) | Value::Array(_)) => {
                paths.push(vec![MCP.into(), SERVERS.into()])
            }
            _ if is_flat_map(mcp) => paths.push(vec![MCP.into()]),
            _ => {}
        }
    }
    let wrapped = !paths.is_empty();
    if !wrapped && is_flat_map(&doc.top) {
        paths.push(Vec::new());
    }
    // Zed's, Gemini CLI's and Codex's files are general settings files: one
    // without servers holds none.
    if paths.is_empty() && !matches!(format, Some(Format::Zed | Format::Gemini | Format::Codex)) {
        return Err(FileError(
            "no MCP server map found: expected 'mcpServers' (Claude Desktop, Claude Code, Cursor, Windsurf, Gemini CLI), 'servers' (VS Code), 'context_servers' (Zed) or [mcp_servers] (Codex)".into(),
        ));
    }

    let format = format.unwrap_or_else(|| detect(&doc, wrapped));
    // What needs the whole file is read first; the maps are taken after.
    let mut tail = VecDeque::new();
    if wrapped {
        // Servers beside the wrapper are a common mistake; the client would
        // not load them, so neither do we, but we say so.
        let used: Vec<&str> = paths
            .iter()
            .filter_map(|p| p.first().map(String::as_str))
            .collect();
        for (k, v) in &doc.top {
            if !used.contains(&k.as_str()) && entry::looks_like_server(v) {
                tail.push_back(Entry {
                    name: k.clone(),
                    request: Err(format!(
                        "is at the top level, outside {}: the client would not load it (move it inside to import it)",
                        paths.first().map(|p| label(p)).unwrap_or_default()
                    )),
                });
            }
        }
    }
    let file_ignored = [
        doc.top.get("inputs"),
        doc.top.get(MCP).and_then(|m| m.get("inputs")),
    ]
    .into_iter()
    .flatten()
    .filter(|inputs| inputs.as_array().is_some_and(|a| !a.is_empty()))
    .map(|_| IgnoredField {
        name: "*".into(),
        field: "inputs".into(),
    })
    .collect();

    let maps = paths
        .into_iter()
        .map(|path| {
            let entries = doc.take(&path);
            let (dups, rest): (Vec<Duplicate>, Vec<Duplicate>) = std::mem::take(&mut doc.dups)
                .into_iter()
                .partition(|d| d.path == path);
            doc.dups = rest;
            ServerMap {
                path,
                entries,
                dups,
            }
        })
        .collect();
    Ok(FileReader {
        format,
        maps,
        items: VecDeque::new(),
        current: (Vec::new(), false),
        after: VecDeque::new(),
        dups: doc.dups,
        seen: HashSet::new(),
        tail,
        ignored: Vec::new(),
        file_ignored,
    })
}

/// The servers of an MCP Registry `server.json`.
fn server_json_file(top: &Map<String, Value>) -> FileReader<'static> {
    let mut tail = VecDeque::new();
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
        tail.push_back(Entry { name, request });
    }
    FileReader {
        format: Format::ServerJson,
        maps: VecDeque::new(),
        items: VecDeque::new(),
        current: (Vec::new(), false),
        after: VecDeque::new(),
        dups: Vec::new(),
        seen: HashSet::new(),
        tail,
        ignored,
        file_ignored: Vec::new(),
    }
}

impl FileReader<'_> {
    /// The fields the file has that no server keeps: those of the entries
    /// read so far, then the file's own.
    pub fn into_ignored(self) -> Vec<IgnoredField> {
        let mut ignored = self.ignored;
        ignored.extend(self.file_ignored);
        ignored
    }

    /// Starts on the next map; `false` when none is left.
    fn next_map(&mut self) -> bool {
        let Some(map) = self.maps.pop_front() else {
            return false;
        };
        let array = matches!(map.entries, Entries::Parsed(Value::Array(_)));
        let items: VecDeque<Item<'_>> = match map.entries {
            Entries::Parsed(Value::Object(o)) => o
                .into_iter()
                .map(|(k, v)| Item::keyed(k, Node::Parsed(v)))
                .collect(),
            Entries::Parsed(Value::Array(a)) => array_items(
                &map.path,
                a.into_iter().map(|v| {
                    let name = v.get("name").and_then(Value::as_str).map(str::to_string);
                    (name, Node::Parsed(v))
                }),
            ),
            Entries::Parsed(_) => VecDeque::new(),
            Entries::RawObject(items) => items
                .into_iter()
                .map(|(k, raw)| Item::keyed(k, Node::Raw(raw)))
                .collect(),
        };
        let label = label(&map.path);
        self.after = map
            .dups
            .into_iter()
            .map(|d| Entry {
                request: Err(format!(
                    "appears more than once in {label}; only the first '{}' is imported",
                    d.key
                )),
                name: d.key,
            })
            .collect();
        self.items = items;
        self.current = (map.path, array);
        true
    }

    /// Reads one entry of the current map; `None` for one that is only an
    /// annotation.
    fn entry(&mut self, item: Item<'_>, path: &[String], array: bool) -> Option<Entry> {
        let Item { name, step, value } = item;
        // `"_comment": "..."`-style annotations among the servers.
        if (name.starts_with('$') || name.starts_with('_'))
            && value.as_ref().is_ok_and(|v| !v.is_object())
        {
            let mut field = path.to_vec();
            field.push(name);
            self.ignored.push(IgnoredField {
                name: "*".into(),
                field: field.join("."),
            });
            return None;
        }
        if !self.seen.insert(name.clone()) {
            return Some(Entry {
                request: Err(format!(
                    "appears more than once in the file; only the first '{name}' is imported"
                )),
                name,
            });
        }
        let fail = |name: String, e: String| {
            Some(Entry {
                name,
                request: Err(e),
            })
        };
        let node = match value {
            Ok(n) => n,
            Err(e) => return fail(name, e),
        };
        let mut prefix = path.to_vec();
        prefix.push(step);
        let mut dups = Vec::new();
        let value = match node {
            Node::Parsed(v) => {
                dups.extend(
                    self.dups
                        .iter()
                        .filter(|d| d.path.starts_with(&prefix))
                        .cloned(),
                );
                v
            }
            Node::Raw(raw) => {
                let mut at = prefix.clone();
                match jsonc::value_at(raw.get(), &mut at, &mut dups) {
                    Some(v) => v,
                    None => return fail(name, "cannot be read as JSON".into()),
                }
            }
        };
        if let Some(d) = dups.first() {
            let inner: Vec<&str> = d.path[prefix.len()..]
                .iter()
                .map(String::as_str)
                .chain([d.key.as_str()])
                .collect();
            return fail(
                name,
                format!(
                    "has the key '{}' more than once; it is ambiguous which one is meant",
                    inner.join(".")
                ),
            );
        }
        let value = match value {
            Value::Object(mut o) if array => {
                o.remove("name");
                Value::Object(o)
            }
            v => v,
        };
        let mapped = entry::map_entry(&name, value);
        self.ignored
            .extend(mapped.ignored.into_iter().map(|field| IgnoredField {
                name: name.clone(),
                field,
            }));
        Some(Entry {
            name,
            request: mapped.request,
        })
    }
}

/// An array's elements as entries, named by their `name` field.
fn array_items<'a>(
    path: &[String],
    elements: impl Iterator<Item = (Option<String>, Node<'a>)>,
) -> VecDeque<Item<'a>> {
    elements
        .enumerate()
        .map(|(i, (named, node))| match named {
            Some(n) => Item {
                name: n,
                step: i.to_string(),
                value: Ok(node),
            },
            None => Item {
                name: format!("{}[{i}]", path.join(".")),
                step: i.to_string(),
                value: Err("is an array element without a 'name'".to_string()),
            },
        })
        .collect()
}

impl Iterator for FileReader<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some(item) = self.items.pop_front() {
                let (path, array) = std::mem::take(&mut self.current);
                let entry = self.entry(item, &path, array);
                self.current = (path, array);
                match entry {
                    Some(e) => return Some(e),
                    None => continue,
                }
            }
            if let Some(e) = self.after.pop_front() {
                return Some(e);
            }
            if !self.next_map() {
                return self.tail.pop_front();
            }
        }
    }
}
