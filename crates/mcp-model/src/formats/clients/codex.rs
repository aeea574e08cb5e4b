//! Codex: `config.toml` in `CODEX_HOME` (default `~/.codex`) or a project's
//! `.codex/`, one `[mcp_servers.NAME]` table per server. Codex runs stdio and
//! streamable HTTP servers, not SSE, and expands no `${VAR}`: it names
//! variables in fields of its own (`env_vars` passes a variable through,
//! `bearer_token_env_var` and `env_http_headers` read header values).

use serde_json::{Map, Value, json};

use super::super::client::{
    Descriptor, Dirs, EnvRefs, Location, Scope, Syntax, Vars, dollar_brace,
};
use crate::formats::{ExportServer, Format};
use crate::{ServerConfig, ServerType};

/// Codex's references are the bare variable names, in its own fields.
const REFS: EnvRefs = EnvRefs {
    reference: bare,
    in_url: false,
};

fn bare(var: &str) -> String {
    var.to_string()
}

fn locate(scope: Scope, d: &Dirs) -> Option<Location> {
    let dir = match scope {
        Scope::User => d
            .codex_home
            .clone()
            .unwrap_or_else(|| d.home.join(".codex")),
        _ => d.project.join(".codex"),
    };
    Some(Location::new(dir.join("config.toml"), &["mcp_servers"]))
}

fn codex_entry(s: &ExportServer, vars: &Vars) -> Result<Value, String> {
    let mut o = Map::new();
    match &s.config {
        ServerConfig::Stdio(c) => {
            o.insert("command".into(), json!(c.command));
            o.insert("args".into(), json!(c.args));
            let mut env = Map::new();
            let mut passed = Vec::new();
            for (k, v) in &c.env {
                match vars.get(&format!("env:{k}")) {
                    Some(var) if var == k => passed.push(json!(k)),
                    Some(var) => {
                        return Err(format!(
                            "Codex passes a variable through under its own name only, so env '{k}' cannot be read from '{var}'"
                        ));
                    }
                    None => {
                        env.insert(k.clone(), json!(v));
                    }
                }
            }
            if !env.is_empty() {
                o.insert("env".into(), Value::Object(env));
            }
            if !passed.is_empty() {
                o.insert("env_vars".into(), Value::Array(passed));
            }
        }
        ServerConfig::Remote(_) if s.server_type == ServerType::Sse => {
            return Err(
                "Codex has no SSE transport (it connects to stdio and streamable HTTP servers)"
                    .into(),
            );
        }
        ServerConfig::Remote(c) => {
            if vars.keys().any(|k| k.starts_with("query:")) {
                return Err(
                    "Codex reads no variable inside a URL, so its query values can only be written inline".into(),
                );
            }
            o.insert("url".into(), json!(c.url));
            let mut plain = Map::new();
            let mut from_env = Map::new();
            for (h, v) in &c.headers {
                match vars.get(&format!("header:{h}")) {
                    Some(var)
                        if h.eq_ignore_ascii_case("authorization") && v.starts_with("Bearer ") =>
                    {
                        o.insert("bearer_token_env_var".into(), json!(var));
                    }
                    Some(var) => {
                        from_env.insert(h.clone(), json!(var));
                    }
                    None => {
                        plain.insert(h.clone(), json!(v));
                    }
                }
            }
            if !plain.is_empty() {
                o.insert("http_headers".into(), Value::Object(plain));
            }
            if !from_env.is_empty() {
                o.insert("env_http_headers".into(), Value::Object(from_env));
            }
        }
    }
    Ok(Value::Object(o))
}

/// A Codex entry in the spelling the shared reader knows (`type`, `headers`,
/// `${VAR}` references, `disabled`); Codex-only fields stay as they are and
/// are reported as ignored.
pub(in crate::formats) fn to_common(raw: &Value) -> Value {
    let Some(o) = raw.as_object() else {
        return raw.clone();
    };
    let mut out = Map::new();
    let mut headers = Map::new();
    let mut env = o
        .get("env")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (k, v) in o {
        match (k.as_str(), v) {
            ("url", _) => {
                out.insert("type".into(), json!("http"));
                out.insert("url".into(), v.clone());
            }
            ("http_headers", Value::Object(h)) => headers.extend(h.clone()),
            ("env_http_headers", Value::Object(h)) => {
                for (name, var) in h {
                    if let Some(var) = var.as_str() {
                        headers.insert(name.clone(), json!(dollar_brace(var)));
                    }
                }
            }
            ("bearer_token_env_var", Value::String(var)) => {
                headers.insert(
                    "Authorization".into(),
                    json!(format!("Bearer {}", dollar_brace(var))),
                );
            }
            ("env_vars", Value::Array(vars)) => {
                for var in vars.iter().filter_map(Value::as_str) {
                    env.insert(var.to_string(), json!(dollar_brace(var)));
                }
            }
            ("env", _) => {}
            ("enabled", Value::Bool(enabled)) => {
                out.insert("disabled".into(), json!(!enabled));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if !env.is_empty() {
        out.insert("env".into(), Value::Object(env));
    }
    if !headers.is_empty() {
        out.insert("headers".into(), Value::Object(headers));
    }
    Value::Object(out)
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::Codex,
    name: "codex",
    aliases: &["codex-cli", "openai-codex"],
    display: "Codex",
    syntax: Syntax::Toml,
    scopes: &[Scope::User, Scope::Project],
    locate,
    section: &["mcp_servers"],
    entry: codex_entry,
    env_refs: Some(REFS),
    writable: true,
};
