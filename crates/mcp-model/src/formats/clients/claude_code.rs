//! Claude Code: `~/.claude.json` (user servers under `mcpServers`, a
//! project's private ones under `projects.<abs dir>.mcpServers`) and a
//! project's shared `.mcp.json`. Every entry says its `type`; `${VAR}` is
//! expanded in the command, arguments, env, URL and headers.

use super::super::client::{Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, dollar_brace};
use super::{TypeField, entry};
use crate::formats::Format;

const REFS: EnvRefs = EnvRefs {
    reference: dollar_brace,
    in_url: true,
};

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let user = d.home.join(".claude.json");
    Some(match scope {
        Scope::User => Location::new(user, &["mcpServers"]),
        Scope::Local => Location::new(
            user,
            &["projects", &d.project.to_string_lossy(), "mcpServers"],
        ),
        Scope::Project => Location::new(d.project.join(".mcp.json"), &["mcpServers"]),
    })
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::ClaudeCode,
    name: "claude-code",
    aliases: &["claudecode"],
    display: "Claude Code",
    syntax: Syntax::Json,
    scopes: &[Scope::User, Scope::Project, Scope::Local],
    locate,
    section: &["mcpServers"],
    entry: |s, vars| entry(s, vars, Some(REFS), TypeField::Always, "url"),
    env_refs: Some(REFS),
    writable: true,
};
