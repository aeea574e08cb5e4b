//! The official MCP Registry's `server.json`: one server, published as
//! packages (npm, PyPI, OCI images: run here through `npx`, `uvx` or
//! `docker`) and remotes (streamable HTTP or SSE endpoints). Read only: each
//! package and remote becomes one server to import, the first under the
//! server's short name. Both the current camelCase spelling and the older
//! snake_case one are read.

use serde_json::{Map, Value, json};

use super::super::client::{
    Descriptor, Dirs, Location, Scope, Syntax, Vars, dollar_brace, placeholder,
};
use crate::formats::{ExportServer, Format};

/// Whether a top-level object is a `server.json` rather than a client file.
pub(in crate::formats) fn looks_like(top: &Map<String, Value>) -> bool {
    let schema = top.get("$schema").and_then(Value::as_str).unwrap_or("");
    schema.contains("server.schema.json")
        || (top.get("name").is_some_and(Value::is_string)
            && (top.get("packages").is_some_and(Value::is_array)
                || top.get("remotes").is_some_and(Value::is_array)))
}

/// A field under its camelCase name or its older snake_case one.
fn field<'a>(o: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a Value> {
    o.get(camel)
        .or_else(|| o.get(snake))
        .filter(|v| !v.is_null())
}

fn text<'a>(o: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a str> {
    field(o, camel, snake).and_then(Value::as_str)
}

fn flag(o: &Map<String, Value>, camel: &str, snake: &str) -> bool {
    field(o, camel, snake)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The value a variable or header is given: its fixed value, else its default
/// unless it is secret, else a `${NAME}` placeholder to fill in. `None` for
/// an optional one with nothing to give.
fn input_value(o: &Map<String, Value>, name: &str) -> Option<String> {
    if let Some(v) = text(o, "value", "value") {
        return Some(v.to_string());
    }
    let secret = flag(o, "isSecret", "is_secret");
    if let Some(d) = text(o, "default", "default").filter(|_| !secret) {
        return Some(d.to_string());
    }
    (flag(o, "isRequired", "is_required") || secret).then(|| placeholder(name))
}

/// Runtime or package arguments: positional values, and named flags with
/// their values.
fn arguments(list: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for a in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(a) = a.as_object() else { continue };
        let value = text(a, "value", "value")
            .or_else(|| text(a, "default", "default"))
            .map(str::to_string)
            .or_else(|| text(a, "valueHint", "value_hint").map(dollar_brace));
        match text(a, "type", "type") {
            Some("named") => {
                if let Some(n) = text(a, "name", "name") {
                    out.push(n.to_string());
                }
                out.extend(value);
            }
            _ => out.extend(value),
        }
    }
    out
}

/// The stdio server that runs a package, or why it cannot be run.
fn package(p: &Map<String, Value>) -> Result<(String, Value), String> {
    let kind = text(p, "registryType", "registry_type")
        .or_else(|| text(p, "registryName", "registry_name"))
        .unwrap_or("");
    let id = text(p, "identifier", "name").ok_or("the package has no identifier")?;
    let version = text(p, "version", "version").filter(|v| !v.is_empty() && *v != "latest");
    if let Some(t) = field(p, "transport", "transport")
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        && t != "stdio"
    {
        return Err(format!(
            "the {kind} package '{id}' serves {t} itself: start it and register its URL instead"
        ));
    }
    let mut env = Map::new();
    let mut env_names = Vec::new();
    for v in field(p, "environmentVariables", "environment_variables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
    {
        let Some(name) = text(v, "name", "name") else {
            continue;
        };
        if let Some(value) = input_value(v, name) {
            env.insert(name.to_string(), json!(value));
            env_names.push(name.to_string());
        }
    }
    let runtime = arguments(field(p, "runtimeArguments", "runtime_arguments"));
    let package_args = arguments(field(p, "packageArguments", "package_arguments"));
    let (command, mut args) = match kind {
        "npm" => (
            "npx",
            vec![
                "-y".to_string(),
                version.map_or(id.to_string(), |v| format!("{id}@{v}")),
            ],
        ),
        "pypi" => (
            "uvx",
            vec![version.map_or(id.to_string(), |v| format!("{id}=={v}"))],
        ),
        "oci" | "docker" => {
            let mut a = vec!["run".to_string(), "-i".to_string(), "--rm".to_string()];
            for n in &env_names {
                a.push("-e".into());
                a.push(n.clone());
            }
            a.push(match version {
                Some(v) if !id.contains(':') && !id.contains('@') => format!("{id}:{v}"),
                _ => id.to_string(),
            });
            ("docker", a)
        }
        other => {
            return Err(format!(
                "packages from '{other}' are not supported (npm, pypi and oci are)"
            ));
        }
    };
    // Runtime arguments go to the runner, before the package (always last so far).
    let at = args.len() - 1;
    args.splice(at..at, runtime);
    args.extend(package_args);
    let suffix = if kind == "docker" { "oci" } else { kind };
    Ok((
        suffix.to_string(),
        json!({"command": command, "args": args, "env": env}),
    ))
}

fn remote(r: &Map<String, Value>) -> Result<(String, Value), String> {
    let t = match text(r, "type", "transport_type").unwrap_or("streamable-http") {
        "sse" => "sse",
        "streamable-http" | "http" | "streamable" => "http",
        other => return Err(format!("the remote transport '{other}' is not supported")),
    };
    let url = text(r, "url", "url").ok_or("the remote has no url")?;
    let mut headers = Map::new();
    for h in r
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
    {
        let Some(name) = text(h, "name", "name") else {
            continue;
        };
        if let Some(value) = input_value(h, name) {
            headers.insert(name.to_string(), json!(value));
        }
    }
    Ok((
        "remote".to_string(),
        json!({"type": t, "url": url, "headers": headers}),
    ))
}

/// The servers of a `server.json`, each named, in the shared entry spelling
/// (or why it cannot be imported).
pub(in crate::formats) fn read(top: &Map<String, Value>) -> Vec<(String, Result<Value, String>)> {
    let full = top.get("name").and_then(Value::as_str).unwrap_or("server");
    let base = full.rsplit('/').next().unwrap_or(full).to_string();
    let description = top.get("description").and_then(Value::as_str);
    let candidates = top
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            p.as_object()
                .ok_or_else(|| "a package is not an object".to_string())
                .and_then(package)
        })
        .chain(
            top.get("remotes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|r| {
                    r.as_object()
                        .ok_or_else(|| "a remote is not an object".to_string())
                        .and_then(remote)
                }),
        );
    let mut out: Vec<(String, Result<Value, String>)> = Vec::new();
    for (i, c) in candidates.enumerate() {
        let name = match &c {
            _ if i == 0 => base.clone(),
            Ok((suffix, _)) => format!("{base}-{suffix}"),
            Err(_) => format!("{base}-{i}"),
        };
        let name = if out.iter().any(|(n, _)| *n == name) {
            format!("{name}-{}", i + 1)
        } else {
            name
        };
        out.push((
            name,
            c.map(|(_, mut v)| {
                if let (Some(d), Value::Object(o)) = (description, &mut v) {
                    o.insert("description".into(), json!(d));
                }
                v
            }),
        ));
    }
    out
}

fn locate(_: Scope, _: &Dirs) -> Option<Location> {
    None
}

fn no_entry(_: &ExportServer, _: &Vars) -> Result<Value, String> {
    Err("server.json is read only".into())
}

pub(super) const DESCRIPTOR: Descriptor = Descriptor {
    format: Format::ServerJson,
    name: "server-json",
    aliases: &["server.json", "mcp-registry", "registry"],
    display: "MCP Registry server.json",
    syntax: Syntax::Json,
    scopes: &[],
    locate,
    section: &[],
    entry: no_entry,
    env_refs: None,
    writable: false,
};
