//! How one server is health-checked: its own timeouts, whether background
//! checks take it, and an optional tool call that makes a check go deeper
//! than the handshake and `tools/list`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ValidationError;

/// The longest a server may be given to start and answer the handshake.
pub const MAX_STARTUP_TIMEOUT_SECS: u64 = 600;
/// The longest one request after the handshake may be given.
pub const MAX_REQUEST_TIMEOUT_SECS: u64 = 300;
const MAX_TOOL_NAME_CHARS: usize = 128;
const MAX_ARGUMENTS_BYTES: usize = 16 * 1024;

/// A server's own health-check settings; each absent one is the API
/// server's (see docs/health-checks.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckOptions {
    /// Seconds from spawn or connect until the server has answered the
    /// handshake: a slow starter (an `npx` download, a JVM) needs more than
    /// a request does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    pub startup_timeout_secs: Option<u64>,
    /// Seconds each request after the handshake may take (every page of
    /// `tools/list`, the tool call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 300))]
    pub request_timeout_secs: Option<u64>,
    /// `false` keeps the server out of background checks (on-demand checks
    /// still run): for a server whose start costs money or has effects.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub background: bool,
    /// A tool every check calls after `tools/list`; the call must succeed
    /// for the server to be healthy. Choose one without effects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_tool: Option<ToolCall>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            startup_timeout_secs: None,
            request_timeout_secs: None,
            background: true,
            call_tool: None,
        }
    }
}

/// A tool call a check makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ToolCall {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub arguments: Map<String, Value>,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

impl CheckOptions {
    pub fn is_default(&self) -> bool {
        *self == CheckOptions::default()
    }

    /// The rules, with the field that breaks one named as in the API.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let range = |field: &str, v: Option<u64>, max: u64| match v {
            Some(s) if !(1..=max).contains(&s) => Err(ValidationError::new(
                format!("check.{field}"),
                format!("must be between 1 and {max}, got {s}"),
            )),
            _ => Ok(()),
        };
        range(
            "startup_timeout_secs",
            self.startup_timeout_secs,
            MAX_STARTUP_TIMEOUT_SECS,
        )?;
        range(
            "request_timeout_secs",
            self.request_timeout_secs,
            MAX_REQUEST_TIMEOUT_SECS,
        )?;
        if let Some(call) = &self.call_tool {
            let n = call.name.chars().count();
            if n == 0 || n > MAX_TOOL_NAME_CHARS || call.name.chars().any(char::is_control) {
                return Err(ValidationError::new(
                    "check.call_tool.name",
                    format!(
                        "must be 1 to {MAX_TOOL_NAME_CHARS} characters without control characters"
                    ),
                ));
            }
            let size = serde_json::to_vec(&call.arguments).map_or(usize::MAX, |b| b.len());
            if size > MAX_ARGUMENTS_BYTES {
                return Err(ValidationError::new(
                    "check.call_tool.arguments",
                    format!("must be at most {} KiB as JSON", MAX_ARGUMENTS_BYTES / 1024),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_fields_are_the_defaults_and_are_left_out() {
        let o: CheckOptions = serde_json::from_value(json!({})).expect("empty");
        assert!(o.is_default() && o.background);
        assert_eq!(serde_json::to_value(&o).expect("json"), json!({}));
        let off: CheckOptions = serde_json::from_value(json!({"background": false})).expect("off");
        assert_eq!(
            serde_json::to_value(&off).expect("json"),
            json!({"background": false})
        );
        assert!(serde_json::from_value::<CheckOptions>(json!({"nope": 1})).is_err());
    }

    #[test]
    fn bounds_name_the_field() {
        let o = CheckOptions {
            startup_timeout_secs: Some(601),
            ..CheckOptions::default()
        };
        assert_eq!(
            o.validate().expect_err("too long").field,
            "check.startup_timeout_secs"
        );
        let o = CheckOptions {
            request_timeout_secs: Some(0),
            ..CheckOptions::default()
        };
        assert_eq!(
            o.validate().expect_err("zero").field,
            "check.request_timeout_secs"
        );
        let o = CheckOptions {
            call_tool: Some(ToolCall {
                name: String::new(),
                arguments: Map::new(),
            }),
            ..CheckOptions::default()
        };
        assert_eq!(
            o.validate().expect_err("empty").field,
            "check.call_tool.name"
        );
        let big = Map::from_iter([("x".to_string(), json!("y".repeat(20_000)))]);
        let o = CheckOptions {
            call_tool: Some(ToolCall {
                name: "t".into(),
                arguments: big,
            }),
            ..CheckOptions::default()
        };
        assert_eq!(
            o.validate().expect_err("big").field,
            "check.call_tool.arguments"
        );
    }
}
