//! Cursor: `~/.cursor/mcp.json` and a project's `.cursor/mcp.json`, in Claude
//! Desktop's shape; `${env:VAR}` is expanded everywhere.

use super::super::client::{Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, env_colon};
use super::{TypeField, entry};
use crate::formats::Format;

const REFS: EnvRefs = EnvRefs {
    reference: env_colon,
    in_url: true,
};

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let dir = if scope == Scope::User {
        &d.home
    } else {
        &d.project
    };
    Some(Location::new(
        dir.join(".cursor").join("mcp.json"),
        &["mcpServers"],
    ))
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Cursor,
    name: "cursor",
    aliases: &[],
    display: "Cursor",
    syntax: Syntax::Json,
    scopes: &[Scope::User, Scope::Project],
    locate,
    section: &["mcpServers"],
    entry: |s, vars| entry(s, vars, Some(REFS), TypeField::Remote, "url"),
    env_refs: Some(REFS),
    writable: true,
};
