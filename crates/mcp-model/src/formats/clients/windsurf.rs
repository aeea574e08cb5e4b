//! Windsurf: `~/.codeium/windsurf/mcp_config.json`; remote servers by
//! `serverUrl`, the transport told by the server; `${env:VAR}` is expanded.

use super::super::client::{Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, env_colon};
use super::{TypeField, entry};
use crate::formats::Format;

const REFS: EnvRefs = EnvRefs {
    reference: env_colon,
    in_url: true,
};

fn locate(_: Scope, d: &Dirs) -> Option<Location> {
    Some(Location::new(
        d.home
            .join(".codeium")
            .join("windsurf")
            .join("mcp_config.json"),
        &["mcpServers"],
    ))
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Windsurf,
    name: "windsurf",
    aliases: &[],
    display: "Windsurf",
    syntax: Syntax::Json,
    scopes: &[Scope::User],
    locate,
    section: &["mcpServers"],
    entry: |s, vars| entry(s, vars, Some(REFS), TypeField::Never, "serverUrl"),
    env_refs: Some(REFS),
    writable: true,
};
