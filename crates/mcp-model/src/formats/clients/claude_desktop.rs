//! Claude Desktop: one `claude_desktop_config.json` in the system's config
//! directory. `type` only on remote entries; no variable expansion.

use super::super::client::{Descriptor, Dirs, Location, Scope, Syntax};
use super::{TypeField, entry};
use crate::formats::Format;

fn locate(_: Scope, d: &Dirs) -> Option<Location> {
    // `d.config` is ~/.config, ~/Library/Application Support or %APPDATA%.
    Some(Location::new(
        d.config.join("Claude").join("claude_desktop_config.json"),
        &["mcpServers"],
    ))
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::ClaudeDesktop,
    name: "claude-desktop",
    aliases: &["claude", "claudedesktop"],
    display: "Claude Desktop",
    syntax: Syntax::Json,
    scopes: &[Scope::User],
    locate,
    section: &["mcpServers"],
    entry: |s, vars| entry(s, vars, None, TypeField::Remote, "url"),
    env_refs: None,
    writable: true,
};
