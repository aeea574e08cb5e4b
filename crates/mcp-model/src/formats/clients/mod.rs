//! One module per client: its [`Descriptor`]. Shared here: the pieces of an
//! entry most clients spell alike.

mod claude_code;
mod claude_desktop;
pub(super) mod codex;
mod cursor;
mod gemini;
pub(super) mod server_json;
mod vscode;
mod windsurf;
mod zed;

use serde_json::{Map, Value, json};

use super::client::{Descriptor, EnvRefs, Vars, substitute};
use super::{ExportServer, Format};
use crate::ServerConfig;

pub(super) use server_json::read as read_server_json;

/// The descriptor of each format, in [`Format::ALL`]'s order.
pub(super) fn descriptor(format: Format) -> &'static Descriptor {
    match format {
        Format::ClaudeDesktop => &claude_desktop::DESCRIPTOR,
        Format::ClaudeCode => &claude_code::DESCRIPTOR,
        Format::Cursor => &cursor::DESCRIPTOR,
        Format::Vscode => &vscode::DESCRIPTOR,
        Format::Windsurf => &windsurf::DESCRIPTOR,
        Format::Zed => &zed::DESCRIPTOR,
        Format::Gemini => &gemini::DESCRIPTOR,
        Format::Codex => &codex::DESCRIPTOR,
        Format::ServerJson => &server_json::DESCRIPTOR,
    }
}

/// How a remote server's transport is told, for clients that say it.
enum TypeField {
    /// No `type` on any entry (the client tells from the fields).
    Never,
    /// `type` on remote entries only.
    Remote,
    /// `type` on every entry, `stdio` included.
    Always,
}

/// The common JSON entry: `command`/`args`/`env`, or `url_key`/`headers`,
/// with the `type` field as `types` says, after writing secrets as `refs`
/// references when `vars` names them.
fn entry(
    server: &ExportServer,
    vars: &Vars,
    refs: Option<EnvRefs>,
    types: TypeField,
    url_key: &str,
) -> Result<Value, String> {
    let config = substitute(server, vars, refs)?;
    let mut o = Map::new();
    match &config {
        ServerConfig::Stdio(c) => {
            if matches!(types, TypeField::Always) {
                o.insert("type".into(), json!("stdio"));
            }
            o.insert("command".into(), json!(c.command));
            o.insert("args".into(), json!(c.args));
            o.insert("env".into(), json!(c.env));
        }
        ServerConfig::Remote(c) => {
            if !matches!(types, TypeField::Never) {
                o.insert("type".into(), json!(server.server_type.as_str()));
            }
            o.insert(url_key.into(), json!(c.url));
            o.insert("headers".into(), json!(c.headers));
        }
    }
    Ok(Value::Object(o))
}

#[cfg(test)]
mod tests;
