//! What one MCP client's config file is: where it lives, where its servers
//! sit inside it, how it spells a server and how it refers to an environment
//! variable. One [`Descriptor`] per client, in `clients/`; everything else
//! (reading, writing a whole file, editing one in place) is written once over
//! descriptors, so that a new client is one module and its tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{ExportServer, Format};
use crate::ServerConfig;
use crate::secrets::SecretSlot;

/// How the file is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    /// JSON with comments and trailing commas (VS Code, Zed, Gemini CLI).
    Jsonc,
    Toml,
}

/// Which of a client's files: the user's own, one shared with a project (and
/// usually committed), or the user's private settings for one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    User,
    Project,
    Local,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
            Scope::Local => "local",
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "user" => Ok(Scope::User),
            "project" => Ok(Scope::Project),
            "local" => Ok(Scope::Local),
            _ => Err(format!(
                "unknown scope '{}' (expected user, project or local)",
                s.escape_debug()
            )),
        }
    }
}

/// The operating systems whose default paths differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The system this code was built for.
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// The directories default paths are made of. The caller finds them (this
/// crate does no I/O): the home directory, the system's per-user config
/// directory (`~/.config`, `~/Library/Application Support`, `%APPDATA%`), and
/// the project directory, absolute.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub os: Os,
    pub home: PathBuf,
    pub config: PathBuf,
    pub project: PathBuf,
    /// `CODEX_HOME`, when set.
    pub codex_home: Option<PathBuf>,
}

/// A file and the place of the server map inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// The keys leading to the server map, e.g. `["mcpServers"]` or
    /// `["projects", "/abs/dir", "mcpServers"]`.
    pub section: Vec<String>,
}

impl Location {
    pub fn new(path: PathBuf, section: &[&str]) -> Location {
        Location {
            path,
            section: section.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// How a client refers to an environment variable, where it can.
#[derive(Debug, Clone, Copy)]
pub struct EnvRefs {
    /// The reference to variable `VAR` as the client expands it.
    pub reference: fn(&str) -> String,
    /// Whether the client expands references inside a server's URL.
    pub in_url: bool,
}

/// `${VAR}`: Claude Code, Gemini CLI.
pub fn dollar_brace(var: &str) -> String {
    format!("${{{var}}}")
}

/// `${env:VAR}`: VS Code, Cursor, Windsurf.
pub fn env_colon(var: &str) -> String {
    format!("${{env:{var}}}")
}

/// The placeholder of a value someone must fill in: `${KEY}`, with a header
/// or parameter name turned into a variable name (`X-Api-Key` →
/// `${X_API_KEY}`) so that clients that expand variables can fill it in.
pub fn placeholder(key: &str) -> String {
    let var: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    dollar_brace(&var)
}

/// The variables chosen for a server's secret values when they are written
/// as references rather than inline, keyed by [`slot_key`].
pub type Vars = BTreeMap<String, String>;

/// The key of a secret slot in [`Vars`]: `env:K`, `header:H` or `query:N`
/// (the N-th query value).
pub fn slot_key(slot: SecretSlot<'_>, query_index: usize) -> String {
    match slot {
        SecretSlot::Env(k) => format!("env:{k}"),
        SecretSlot::Header(h) => format!("header:{h}"),
        SecretSlot::Query(_) => format!("query:{query_index}"),
    }
}

/// Everything that differs from one client to the next.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    pub format: Format,
    /// The name of the `format` parameter and of `--client`.
    pub name: &'static str,
    /// Other spellings accepted for the name (lower case, `-` for `_`).
    pub aliases: &'static [&'static str],
    /// The client's own name, for people.
    pub display: &'static str,
    pub syntax: Syntax,
    /// The scopes the client has, the first being the default.
    pub scopes: &'static [Scope],
    /// Where the file of a scope lives by default.
    pub locate: fn(Scope, &Dirs) -> Option<Location>,
    /// The server map of a whole file written by `render`.
    pub section: &'static [&'static str],
    /// How the client spells one server. `vars` names the variables its
    /// secret values are to be read from (empty: write them inline). An `Err`
    /// says why the client cannot take the server.
    pub entry: fn(&ExportServer, &Vars) -> Result<Value, String>,
    /// `None` when the client does not expand variables at all.
    pub env_refs: Option<EnvRefs>,
    /// Whether servers can be written in this format (the MCP Registry's
    /// `server.json` is read only).
    pub writable: bool,
}

impl Descriptor {
    /// The default file of `scope`, or why the client has none.
    pub fn location(&self, scope: Scope, dirs: &Dirs) -> Result<Location, String> {
        if !self.scopes.contains(&scope) {
            return Err(format!(
                "{} has no {} scope (it has: {})",
                self.display,
                scope.as_str(),
                self.scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        (self.locate)(scope, dirs).ok_or_else(|| {
            format!(
                "{} keeps no {} file on this system",
                self.display,
                scope.as_str()
            )
        })
    }
}

/// Replaces each secret value named in `vars` by the client's reference to
/// its variable (`Bearer ` kept in front of a bearer token), for clients
/// whose references are plain text. Fails for a URL query value when the
/// client does not expand references in URLs.
pub fn substitute(
    server: &ExportServer,
    vars: &Vars,
    refs: Option<EnvRefs>,
) -> Result<ServerConfig, String> {
    let mut config = server.config.clone();
    if vars.is_empty() {
        return Ok(config);
    }
    let Some(refs) = refs else {
        return Err(
            "the client does not read environment variables: write the secrets inline".into(),
        );
    };
    let mut failure = None;
    let mut query_index = 0;
    config.for_each_secret_mut(|slot, value| {
        let key = slot_key(slot, query_index);
        if matches!(slot, SecretSlot::Query(_)) {
            query_index += 1;
            if !refs.in_url && vars.contains_key(&key) {
                failure = Some(format!(
                    "the client does not expand variables in a URL, so the query value '{}' can only be written inline",
                    slot.name()
                ));
                return;
            }
        }
        if let Some(var) = vars.get(&key) {
            *value = match value.strip_prefix("Bearer ") {
                Some(_) if matches!(slot, SecretSlot::Header(_)) => {
                    format!("Bearer {}", (refs.reference)(var))
                }
                _ => (refs.reference)(var),
            };
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(config),
    }
}

/// `dir` joined with the relative path `rel` (`/`-separated).
pub fn under(dir: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(dir.to_path_buf(), |p, part| p.join(part))
}
