//! VS Code: the profile's `User/mcp.json` and a workspace's `.vscode/mcp.json`
//! (JSONC), servers under `servers` with a `type` on each; `${env:VAR}` is
//! expanded everywhere.

use super::super::client::{Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, env_colon};
use super::{TypeField, entry};
use crate::formats::Format;

const REFS: EnvRefs = EnvRefs {
    reference: env_colon,
    in_url: true,
};

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let path = match scope {
        // `d.config` is ~/.config, ~/Library/Application Support or %APPDATA%.
        Scope::User => d.config.join("Code").join("User").join("mcp.json"),
        _ => d.project.join(".vscode").join("mcp.json"),
    };
    Some(Location::new(path, &["servers"]))
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Vscode,
    name: "vscode",
    aliases: &["vs-code", "code"],
    display: "VS Code",
    syntax: Syntax::Jsonc,
    scopes: &[Scope::User, Scope::Project],
    locate,
    section: &["servers"],
    entry: |s, vars| entry(s, vars, Some(REFS), TypeField::Always, "url"),
    env_refs: Some(REFS),
    writable: true,
};
