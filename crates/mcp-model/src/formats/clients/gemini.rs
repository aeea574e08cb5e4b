//! Gemini CLI: `~/.gemini/settings.json` and a project's
//! `.gemini/settings.json` (JSONC), servers under `mcpServers`. A remote
//! server is `url` with `type: http|sse`, as `gemini mcp add` writes it (the
//! older `httpUrl` still reads as streamable HTTP). `${VAR}` is expanded in
//! env and header values, not in URLs.

use super::super::client::{Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, dollar_brace};
use super::{TypeField, entry};
use crate::formats::Format;

const REFS: EnvRefs = EnvRefs {
    reference: dollar_brace,
    in_url: false,
};

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let dir = if scope == Scope::User {
        &d.home
    } else {
        &d.project
    };
    Some(Location::new(
        dir.join(".gemini").join("settings.json"),
        &["mcpServers"],
    ))
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Gemini,
    name: "gemini",
    aliases: &["gemini-cli", "geminicli"],
    display: "Gemini CLI",
    syntax: Syntax::Jsonc,
    scopes: &[Scope::User, Scope::Project],
    locate,
    section: &["mcpServers"],
    entry: |s, vars| entry(s, vars, Some(REFS), TypeField::Remote, "url"),
    env_refs: Some(REFS),
    writable: true,
};
