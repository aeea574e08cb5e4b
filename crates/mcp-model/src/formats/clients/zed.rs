//! Zed: `settings.json` (JSONC) of the user and of a project (`.zed/`),
//! servers under `context_servers`; stdio entries marked `source: custom`;
//! no variable expansion.

use serde_json::{Value, json};

use super::super::client::{Descriptor, Dirs, Location, Os, Scope, Syntax};
use super::{TypeField, entry};
use crate::formats::client::Vars;
use crate::formats::{ExportServer, Format};

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let path = match (scope, d.os) {
        (Scope::User, Os::Windows) => d.config.join("Zed").join("settings.json"),
        // Zed keeps ~/.config/zed on macOS too.
        (Scope::User, _) => d.home.join(".config").join("zed").join("settings.json"),
        _ => d.project.join(".zed").join("settings.json"),
    };
    Some(Location::new(path, &["context_servers"]))
}

fn zed_entry(s: &ExportServer, vars: &Vars) -> Result<Value, String> {
    let mut v = entry(s, vars, None, TypeField::Never, "url")?;
    if let Value::Object(o) = &mut v
        && o.contains_key("command")
    {
        let mut with_source = serde_json::Map::new();
        with_source.insert("source".into(), json!("custom"));
        with_source.extend(std::mem::take(o));
        *o = with_source;
    }
    Ok(v)
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Zed,
    name: "zed",
    aliases: &[],
    display: "Zed",
    syntax: Syntax::Jsonc,
    scopes: &[Scope::User, Scope::Project],
    locate,
    section: &["context_servers"],
    entry: zed_entry,
    env_refs: None,
    writable: true,
};
