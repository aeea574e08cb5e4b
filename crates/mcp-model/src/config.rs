//! MCP server configurations: what a user may submit, and the one normalized
//! shape in which it is stored, shown and exported.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::validation::{ValidationError, check_text};

const MAX_COMMAND_LEN: usize = 4096;
const MAX_ARG_LEN: usize = 32 * 1024;
const MAX_ARGS: usize = 1024;
const MAX_MAP_ENTRIES: usize = 256;
const MAX_VALUE_LEN: usize = 32 * 1024;
const MAX_URL_LEN: usize = 8192;

/// How a client reaches an MCP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ServerType {
    /// A local process spoken to over stdin/stdout.
    Stdio,
    /// A remote server over the legacy HTTP+SSE transport.
    Sse,
    /// A remote server over streamable HTTP.
    Http,
}

impl ServerType {
    /// In a stable order, for the CLI's interactive choice of a type.
    pub const ALL: [ServerType; 3] = [ServerType::Stdio, ServerType::Sse, ServerType::Http];

    /// The spelling of the API, the database and the CLI; `FromStr` also accepts clients' spellings.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerType::Stdio => "stdio",
            ServerType::Sse => "sse",
            ServerType::Http => "http",
        }
    }

    /// sse and http share `RemoteConfig`; only stdio spawns a process.
    pub fn is_remote(self) -> bool {
        !matches!(self, ServerType::Stdio)
    }
}

impl fmt::Display for ServerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ServerType {
    type Err = ValidationError;

    /// Accepts the spellings MCP clients write in their config files
    /// (`streamable-http`, `streamableHttp`) as well as ours.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "stdio" => Ok(ServerType::Stdio),
            "sse" => Ok(ServerType::Sse),
            "http" | "streamable-http" | "streamablehttp" | "streamable_http" => {
                Ok(ServerType::Http)
            }
            _ => Err(ValidationError::new(
                "server_type",
                format!("'{s}' is not one of stdio, sse, http"),
            )),
        }
    }
}

/// A local server: the process to spawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StdioConfig {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 4096,
            pattern = r"^[^\s\u0000-\u001F\u007F-\u009F]([^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F])?$"
        )
    )]
    pub command: String,
    #[serde(default)]
    pub args: Vec<String>,
    /// Secret: values are encrypted at rest and masked in output.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// A remote server: where it is and what to send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoteConfig {
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8192,
            pattern = r"^([Hh][Tt][Tt][Pp][Ss]?://[^\s\u0000-\u001F\u007F-\u009F]+|\$\{[^}\u0000-\u001F\u007F-\u009F]*\}[^\s\u0000-\u001F\u007F-\u009F]*)$"
        )
    )]
    pub url: String,
    /// Secret: values are encrypted at rest and masked in output.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// A normalized server configuration, in the spec's JSON shape: stdio as
/// `{command, args, env}`, sse/http as `{url, headers}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ServerConfig {
    Stdio(StdioConfig),
    Remote(RemoteConfig),
}

impl ServerConfig {
    /// Whether `server_type` is a type this config can have.
    pub fn fits(&self, server_type: ServerType) -> bool {
        matches!(
            (self, server_type),
            (ServerConfig::Stdio(_), ServerType::Stdio)
                | (ServerConfig::Remote(_), ServerType::Sse | ServerType::Http)
        )
    }
}

/// Guesses the type of a raw config the way MCP clients do: an explicit
/// `type`, else stdio when it has a `command`, else streamable HTTP when it has
/// a `url`. `None` when nothing tells.
pub fn infer_server_type(raw: &Value) -> Result<Option<ServerType>, ValidationError> {
    let Some(obj) = raw.as_object() else {
        return Ok(None);
    };
    if let Some(t) = obj.get("type") {
        let s = t
            .as_str()
            .ok_or_else(|| ValidationError::new("config.type", "must be a string"))?;
        return s.parse().map(Some).map_err(|_| {
            ValidationError::new(
                "config.type",
                format!("'{s}' is not one of stdio, sse, http"),
            )
        });
    }
    if obj.contains_key("command") {
        Ok(Some(ServerType::Stdio))
    } else if obj.contains_key("url") {
        Ok(Some(ServerType::Http))
    } else {
        Ok(None)
    }
}

/// Validates a raw config for `server_type` and returns its normalized form.
///
/// Unknown fields are rejected by name rather than dropped, so that a typo
/// (`"evn"`) never silently loses a setting. A `type` field is accepted when it
/// agrees with `server_type`, so that snippets copied from client configs work.
pub fn normalize(server_type: ServerType, raw: &Value) -> Result<ServerConfig, ValidationError> {
    let obj = raw
        .as_object()
        .ok_or_else(|| ValidationError::new("config", "must be a JSON object"))?;
    if let Some(t) = obj.get("type") {
        let declared = infer_server_type(&Value::Object(
            [("type".to_string(), t.clone())].into_iter().collect(),
        ))?;
        if declared != Some(server_type) {
            return Err(ValidationError::new(
                "config.type",
                format!(
                    "'{}' does not match server_type '{server_type}'",
                    t.as_str().unwrap_or("")
                ),
            ));
        }
    }
    match server_type {
        ServerType::Stdio => normalize_stdio(obj).map(ServerConfig::Stdio),
        ServerType::Sse | ServerType::Http => {
            normalize_remote(server_type, obj).map(ServerConfig::Remote)
        }
    }
}

fn reject_unknown(
    server_type: ServerType,
    obj: &Map<String, Value>,
    known: &[&str],
) -> Result<(), ValidationError> {
    match obj
        .keys()
        .find(|k| k.as_str() != "type" && !known.contains(&k.as_str()))
    {
        Some(k) => Err(ValidationError::new(
            format!("config.{k}"),
            format!(
                "unknown field for a {server_type} server (expected {})",
                known.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

fn normalize_stdio(obj: &Map<String, Value>) -> Result<StdioConfig, ValidationError> {
    reject_unknown(ServerType::Stdio, obj, &["command", "args", "env"])?;
    let command = match obj.get("command") {
        None | Some(Value::Null) => {
            return Err(ValidationError::new(
                "config.command",
                "stdio server requires 'command'",
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ValidationError::new("config.command", "must be a string")),
    };
    validate_command(&command)?;
    let args = match obj.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > MAX_ARGS {
                return Err(ValidationError::new(
                    "config.args",
                    format!("has more than {MAX_ARGS} items"),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let field = format!("config.args[{i}]");
                    let s = v
                        .as_str()
                        .ok_or_else(|| ValidationError::new(&field, "must be a string"))?;
                    check_text(&field, s, MAX_ARG_LEN)?;
                    Ok(s.to_string())
                })
                .collect::<Result<_, _>>()?
        }
        Some(_) => {
            return Err(ValidationError::new(
                "config.args",
                "must be an array of strings",
            ));
        }
    };
    let env = string_map(
        obj.get("env"),
        "config.env",
        validate_env_key,
        |field, v| {
            // Env values may legitimately hold newlines (PEM keys, JSON).
            if v.contains('\0') {
                return Err(ValidationError::new(field, "contains a NUL character"));
            }
            if v.len() > MAX_VALUE_LEN {
                return Err(ValidationError::new(
                    field,
                    format!("is longer than {MAX_VALUE_LEN} bytes"),
                ));
            }
            Ok(())
        },
    )?;
    Ok(StdioConfig { command, args, env })
}

fn normalize_remote(
    server_type: ServerType,
    obj: &Map<String, Value>,
) -> Result<RemoteConfig, ValidationError> {
    reject_unknown(server_type, obj, &["url", "headers"])?;
    let url = match obj.get("url") {
        None | Some(Value::Null) => {
            return Err(ValidationError::new(
                "config.url",
                format!("{server_type} server requires 'url'"),
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ValidationError::new("config.url", "must be a string")),
    };
    validate_url_with_placeholders(&url)?;
    let headers = string_map(
        obj.get("headers"),
        "config.headers",
        validate_header_name,
        |field, v| {
            if v.contains(['\r', '\n', '\0']) {
                return Err(ValidationError::new(
                    field,
                    "header values may not contain CR, LF or NUL",
                ));
            }
            check_text(field, v, MAX_VALUE_LEN)
        },
    )?;
    Ok(RemoteConfig { url, headers })
}

fn string_map(
    value: Option<&Value>,
    field: &str,
    check_key: fn(&str) -> Result<(), InvalidKey>,
    check_value: impl Fn(&str, &str) -> Result<(), ValidationError>,
) -> Result<BTreeMap<String, String>, ValidationError> {
    let obj = match value {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(o)) => o,
        Some(_) => {
            return Err(ValidationError::new(
                field,
                "must be an object of string values",
            ));
        }
    };
    if obj.len() > MAX_MAP_ENTRIES {
        return Err(ValidationError::new(
            field,
            format!("has more than {MAX_MAP_ENTRIES} entries"),
        ));
    }
    let mut out = BTreeMap::new();
    for (k, v) in obj {
        let entry = format!("{field}.{k}");
        check_key(k).map_err(|m| ValidationError::new(&entry, m.0))?;
        let s = match v {
            Value::String(s) => s.clone(),
            // Numbers and booleans are common in hand-written configs and have
            // one obvious string form; anything else is a mistake.
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ValidationError::new(&entry, "must be a string")),
        };
        check_value(&entry, &s)?;
        out.insert(k.clone(), s);
    }
    Ok(out)
}

/// Why an env key or header name is not valid; the caller names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidKey(pub String);

/// Validates a command to spawn: a non-empty program name or path.
pub fn validate_command(command: &str) -> Result<(), ValidationError> {
    let field = "config.command";
    if command.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if command.trim() != command {
        return Err(ValidationError::new(
            field,
            "must not start or end with whitespace",
        ));
    }
    check_text(field, command, MAX_COMMAND_LEN)
}

/// Env keys must be portable variable names: a letter or `_`, then letters,
/// digits or `_`.
pub fn validate_env_key(key: &str) -> Result<(), InvalidKey> {
    let mut chars = key.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && key.len() <= 256 {
        Ok(())
    } else {
        Err(InvalidKey(format!(
            "'{}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)",
            key.escape_debug()
        )))
    }
}

/// Header names must be HTTP tokens (RFC 9110 §5.6.2).
pub fn validate_header_name(name: &str) -> Result<(), InvalidKey> {
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !name.is_empty() && name.len() <= 256 && name.chars().all(is_tchar) {
        Ok(())
    } else {
        Err(InvalidKey(format!(
            "'{}' is not a valid HTTP header name",
            name.escape_debug()
        )))
    }
}

/// URLs are parsed, not prefix-checked: an http(s) scheme and a host are required.
pub fn validate_url(raw: &str) -> Result<url::Url, ValidationError> {
    let field = "config.url";
    check_text(field, raw, MAX_URL_LEN)?;
    // Query values are secrets: messages show the URL without them.
    let shown = crate::secrets::masked_url(raw);
    let url = url::Url::parse(raw)
        .map_err(|e| ValidationError::new(field, format!("Invalid URL '{shown}': {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ValidationError::new(
            field,
            format!("Invalid URL '{shown}': the scheme must be http or https"),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ValidationError::new(
            field,
            format!("Invalid URL '{shown}': a host is required"),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // The URL is not a secret: it is shown to everyone who may see the
        // server. Credentials belong in headers, which are sealed and masked.
        return Err(ValidationError::new(
            field,
            "must not hold credentials (user:password@); put them in headers, e.g. Authorization, which are kept secret",
        ));
    }
    Ok(url)
}

/// Like [`validate_url`], for a URL that may hold `${VAR}`-style placeholders
/// (`${input:host}`, `${env:URL}`), which clients expand and which are stored
/// verbatim: each placeholder is checked as if it were a plain word, and a URL
/// that starts with one takes its scheme and host from it, so only its text
/// is checked.
pub fn validate_url_with_placeholders(raw: &str) -> Result<(), ValidationError> {
    if !raw.contains("${") {
        return validate_url(raw).map(drop);
    }
    check_text("config.url", raw, MAX_URL_LEN)?;
    let shown = crate::secrets::masked_url(raw);
    if raw.starts_with("${") {
        return Ok(());
    }
    let mut plain = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        plain.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                plain.push('x');
                rest = &rest[start + end + 1..];
            }
            None => {
                return Err(ValidationError::new(
                    "config.url",
                    format!("Invalid URL '{shown}': a '${{' placeholder is not closed"),
                ));
            }
        }
    }
    plain.push_str(rest);
    validate_url(&plain).map(drop).map_err(|_| {
        ValidationError::new(
            "config.url",
            format!("Invalid URL '{shown}': with its placeholders filled in it is no http(s) URL with a host"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(t: ServerType, v: Value) -> ValidationError {
        normalize(t, &v).expect_err("should fail")
    }

    #[test]
    fn stdio_normalizes_to_command_args_env() {
        let c = normalize(ServerType::Stdio, &json!({"command": "npx"})).expect("valid");
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            json!({"command": "npx", "args": [], "env": {}})
        );
        let c = normalize(
            ServerType::Stdio,
            &json!({"type": "stdio", "command": "npx", "args": ["-y", "x"], "env": {"K": "v", "N": 3}}),
        )
        .expect("valid");
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            json!({"command": "npx", "args": ["-y", "x"], "env": {"K": "v", "N": "3"}})
        );
    }

    #[test]
    fn stdio_requires_command() {
        assert_eq!(err(ServerType::Stdio, json!({})).field, "config.command");
        assert_eq!(
            err(ServerType::Stdio, json!({"command": null})).field,
            "config.command"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": ""})).field,
            "config.command"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": " npx"})).field,
            "config.command"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": 3})).field,
            "config.command"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": "a\u{0}b"})).field,
            "config.command"
        );
    }

    #[test]
    fn args_must_be_strings() {
        assert_eq!(
            err(ServerType::Stdio, json!({"command": "x", "args": ["a", 1]})).field,
            "config.args[1]"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": "x", "args": "-y"})).field,
            "config.args"
        );
    }

    #[test]
    fn env_keys_are_variable_names() {
        for k in ["1A", "A B", "A-B", "", "É"] {
            let e = err(ServerType::Stdio, json!({"command": "x", "env": {k: "v"}}));
            assert_eq!(e.field, format!("config.env.{k}"));
        }
        assert!(
            normalize(
                ServerType::Stdio,
                &json!({"command": "x", "env": {"_A1": "v"}})
            )
            .is_ok()
        );
        assert_eq!(
            err(
                ServerType::Stdio,
                json!({"command": "x", "env": {"A": ["v"]}})
            )
            .field,
            "config.env.A"
        );
        assert_eq!(
            err(ServerType::Stdio, json!({"command": "x", "env": ["A=1"]})).field,
            "config.env"
        );
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = err(ServerType::Stdio, json!({"command": "x", "evn": {}}));
        assert_eq!(e.field, "config.evn");
        let e = err(
            ServerType::Http,
            json!({"url": "https://a.b", "command": "x"}),
        );
        assert_eq!(e.field, "config.command");
        assert!(e.message.contains("unknown field"));
    }

    #[test]
    fn type_field_must_agree() {
        assert_eq!(
            err(ServerType::Stdio, json!({"type": "sse", "command": "x"})).field,
            "config.type"
        );
        assert!(
            normalize(
                ServerType::Http,
                &json!({"type": "streamable-http", "url": "https://a.b"})
            )
            .is_ok()
        );
    }

    #[test]
    fn remote_normalizes_to_url_headers() {
        let c = normalize(
            ServerType::Sse,
            &json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer t"}}),
        )
        .expect("valid");
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer t"}})
        );
    }

    #[test]
    fn urls_are_parsed() {
        for u in [
            "ftp://x.y",
            "http//x",
            "https://",
            "x",
            "javascript:alert(1)",
            "http://exa mple.com",
        ] {
            assert_eq!(
                err(ServerType::Http, json!({"url": u})).field,
                "config.url",
                "{u}"
            );
        }
        assert_eq!(err(ServerType::Http, json!({})).field, "config.url");
        for u in [
            "http://localhost:8080/mcp",
            "https://[::1]/sse",
            "HTTPS://Example.com",
        ] {
            assert!(
                normalize(ServerType::Http, &json!({"url": u})).is_ok(),
                "{u}"
            );
        }
    }

    #[test]
    fn urls_may_hold_placeholders() {
        for u in [
            "https://${input:name}.azurewebsites.net/mcp/sse",
            "https://${input:host}/mcp",
            "${env:MCP_URL}",
            "${input:URL}/mcp",
            "https://h.example/${TENANT}/mcp",
        ] {
            assert!(
                normalize(ServerType::Http, &json!({"url": u})).is_ok(),
                "{u}"
            );
        }
        for u in ["ftp://${HOST}/x", "https://${HOST", "${A}\n"] {
            assert_eq!(
                err(ServerType::Http, json!({"url": u})).field,
                "config.url",
                "{u}"
            );
        }
    }

    #[test]
    fn header_rules() {
        let e = err(
            ServerType::Http,
            json!({"url": "https://a.b", "headers": {"Bad Name": "v"}}),
        );
        assert_eq!(e.field, "config.headers.Bad Name");
        let e = err(
            ServerType::Http,
            json!({"url": "https://a.b", "headers": {"X": "a\r\nInjected: 1"}}),
        );
        assert_eq!(e.field, "config.headers.X");
        assert!(e.message.contains("CR"));
    }

    #[test]
    fn config_must_be_object() {
        assert_eq!(err(ServerType::Stdio, json!("npx")).field, "config");
    }

    #[test]
    fn infers_types_like_clients() {
        assert_eq!(
            infer_server_type(&json!({"command": "x"})),
            Ok(Some(ServerType::Stdio))
        );
        assert_eq!(
            infer_server_type(&json!({"url": "x"})),
            Ok(Some(ServerType::Http))
        );
        assert_eq!(
            infer_server_type(&json!({"type": "sse", "url": "x"})),
            Ok(Some(ServerType::Sse))
        );
        assert_eq!(infer_server_type(&json!({})), Ok(None));
        assert!(infer_server_type(&json!({"type": "ws"})).is_err());
    }
}
