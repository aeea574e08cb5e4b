//! The REST API's request and response bodies, shared by the server (which
//! produces them) and the CLI (which consumes them), so that the two cannot
//! drift apart.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub use crate::check::{CheckOptions, ToolCall};
pub use crate::tools::{ApproveTools, ChangedTool, ToolChanges, ToolsDiff, ToolsStatus};
use crate::{ServerConfig, ServerType};

/// Every failed request answers with this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The HTTP status again, for clients that only keep the body.
    pub status: u16,
    pub detail: String,
}

/// What a user may do: only admins create global servers and see everyone's audit entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    /// The spelling stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

/// The caller, as `GET /api/v1/me` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
}

/// The outcome of the last health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Never checked, or the check could not be run.
    #[default]
    Unknown,
    Healthy,
    Unhealthy,
    /// The remote server answered 401/403: it is up but wants credentials.
    NeedsAuth,
}

impl HealthStatus {
    /// The spelling stored in the `health_status` column; [`HealthStatus::parse`] reverses it.
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Unknown => "unknown",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
            HealthStatus::NeedsAuth => "needs_auth",
        }
    }

    /// Reads the stored column back; `None` is text this version never writes.
    pub fn parse(s: &str) -> Option<Self> {
        [
            HealthStatus::Unknown,
            HealthStatus::Healthy,
            HealthStatus::Unhealthy,
            HealthStatus::NeedsAuth,
        ]
        .into_iter()
        .find(|h| h.as_str() == s)
    }
}

/// A registered MCP server as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct McpServer {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub server_type: ServerType,
    /// Env and header values are `***` unless the owner asked `?reveal=true`.
    pub config: ServerConfig,
    /// Visible to every user, who may shadow it with a server of the same name.
    pub is_global: bool,
    pub is_enabled: bool,
    pub health_status: HealthStatus,
    pub last_health_check_at: Option<DateTime<Utc>>,
    /// Whether the last healthy check offered the tools its owner approved.
    #[serde(default)]
    pub tools_status: ToolsStatus,
    /// How this server is health-checked (`{}`: the API server's defaults).
    #[serde(default)]
    pub check: CheckOptions,
    /// The owner: only they may reveal its secrets.
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One page of servers, with the number that match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerList {
    pub items: Vec<McpServer>,
    /// Every server of the listing, on every page.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/mcp-servers`. `config` stays raw JSON so that the server can
/// name the exact field that breaks a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateServer {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 64,
            pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
        )
    )]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1024,
            pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
        )
    )]
    pub description: Option<String>,
    /// Optional when `config` tells: a `type` field, a `command` (stdio) or a `url` (http).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<ServerType>,
    /// Checked as the config of `server_type`: stdio needs `command`, sse and http a `url`.
    #[cfg_attr(feature = "openapi", schema(value_type = ServerConfig))]
    pub config: Value,
    /// Only admins may create global servers.
    #[serde(default)]
    pub is_global: bool,
    #[serde(default = "default_true")]
    pub is_enabled: bool,
    /// How this server is health-checked; absent: the API server's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckOptions>,
}

fn default_true() -> bool {
    true
}

/// `PATCH /api/v1/mcp-servers/{id}`: absent fields stay as they are;
/// `"description": null` clears the description. `config` replaces the whole
/// config; a secret value sent back as `***` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateServer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 64,
            pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
        )
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 1024, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"))]
    pub description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<ServerType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ServerConfig>))]
    pub config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_global: Option<bool>,
    /// Replaces the server's health-check settings as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckOptions>,
}

impl UpdateServer {
    /// An empty PATCH changes nothing; callers refuse it rather than bump `updated_at`.
    pub fn is_empty(&self) -> bool {
        *self == UpdateServer::default()
    }
}

/// Tells "absent" (`None`) from "null" (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, T: Serialize>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    /// What the action touched (the name, the changed fields), never secret values.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: Value,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/audit-logs`: one page of entries and the number that match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditList {
    pub items: Vec<AuditEntry>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_tells_absent_from_null() {
        let u: UpdateServer = serde_json::from_value(json!({})).expect("parse");
        assert_eq!(u.description, None);
        assert!(u.is_empty());
        let u: UpdateServer = serde_json::from_value(json!({"description": null})).expect("parse");
        assert_eq!(u.description, Some(None));
        let u: UpdateServer = serde_json::from_value(json!({"description": "d"})).expect("parse");
        assert_eq!(u.description, Some(Some("d".into())));
        assert_eq!(
            serde_json::to_value(&u).expect("json"),
            json!({"description": "d"})
        );
    }

    #[test]
    fn create_rejects_unknown_fields() {
        let e =
            serde_json::from_value::<CreateServer>(json!({"name": "a", "config": {}, "nmae": 1}))
                .expect_err("unknown");
        assert!(e.to_string().contains("nmae"));
    }

    #[test]
    fn health_status_round_trips() {
        for h in [
            HealthStatus::Unknown,
            HealthStatus::Healthy,
            HealthStatus::Unhealthy,
            HealthStatus::NeedsAuth,
        ] {
            assert_eq!(HealthStatus::parse(h.as_str()), Some(h));
            assert_eq!(serde_json::to_value(h).expect("json"), json!(h.as_str()));
        }
    }
}

/// Why one server of an import was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportError {
    /// The server's key in the file (or `*` for an error about the whole file).
    pub name: String,
    pub detail: String,
}

/// A per-server field of the client's file that ai-agent has no place for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IgnoredField {
    pub name: String,
    pub field: String,
}

/// `POST /api/v1/mcp-servers/import`: the spec's summary, plus what was ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// The format the file was read as (detected or given).
    pub format: String,
    pub imported: Vec<String>,
    pub skipped: Vec<String>,
    pub errors: Vec<ImportError>,
    /// The spec's one-line summary, ready to print.
    #[serde(default)]
    pub ignored: Vec<IgnoredField>,
    pub summary: String,
}

/// Response header of `GET /api/v1/mcp-servers/export` listing the secrets
/// replaced by `${NAME}` placeholders (`server.KEY`, comma-separated), because
/// they belong to a global server the caller does not own.
pub const WITHHELD_HEADER: &str = "x-ai-agent-withheld-secrets";

/// Response header of `GET /api/v1/mcp-servers/export` naming the servers
/// the chosen client cannot take (`name: why`, `; `-separated), e.g. an SSE
/// server exported for Codex, which has no SSE transport.
pub const SKIPPED_HEADER: &str = "x-ai-agent-skipped-servers";

/// The servers an export would write, as data: what `ai-agent mcp sync`
/// merges into a client's own file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportList {
    /// Sorted by name; the caller's own secrets as they are, those of global
    /// servers owned by someone else as `${NAME}` placeholders.
    pub servers: Vec<crate::formats::ExportServer>,
    /// `server.KEY` of each secret left as a placeholder.
    pub withheld: Vec<String>,
    /// With `approved_only`, the servers left out because their tools are
    /// not approved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unapproved: Vec<ExportLeftOut>,
}

/// A server an export left out, and where its tools stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportLeftOut {
    pub name: String,
    pub tools_status: ToolsStatus,
}

/// A known server to start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub server_type: ServerType,
    pub config: ServerConfig,
    /// Env vars the user must supply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_env: Vec<String>,
    /// Placeholder arguments the user must supply (replacing `/allowed/path`-like args).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_args: Vec<String>,
}

/// `GET /api/v1/mcp-servers/templates`, all of them or the one asked for by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateList {
    pub templates: Vec<Template>,
    pub total: usize,
}

/// A tool an MCP server offered during its last health check, as the
/// server defined it: what a client would show a model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolInfo {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON Schema of the tool's arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub input_schema: Option<Value>,
    /// The JSON Schema of the tool's structured result, when it declares one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub output_schema: Option<Value>,
    /// Hints such as `readOnlyHint` or `destructiveHint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub annotations: Option<Value>,
    /// `sha256:` and the SHA-256 of the definition as the server sent it
    /// (secret values masked), keys sorted: what tool pinning compares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// What a health check found: a real MCP conversation's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthReport {
    pub status: HealthStatus,
    pub checked_at: DateTime<Utc>,
    /// The whole check, from spawn or connect to the end of `tools/list`.
    pub latency_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    #[serde(default)]
    pub tools: Vec<ToolInfo>,
    /// How many prompts and resources the server lists, when it offers them
    /// (absent when it declares no such capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<u64>,
    /// Against the approved tools, after this check (see docs/health-checks.md).
    #[serde(default)]
    pub tools_status: ToolsStatus,
    /// What differs from the approved tools, when `tools_status` is `changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_changes: Option<ToolChanges>,
    /// Why the check failed, in one readable sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The step that failed or timed out: spawn, connect, initialize, tools/list…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// The last lines a stdio server wrote to stderr, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr_tail: Option<String>,
    /// What looked suspicious in the tools' definitions, such as invisible or
    /// bidirectional-control characters (a way to hide instructions from a
    /// person reviewing a tool); the report itself holds them removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `POST /api/v1/mcp-servers/{id}/health-check` and `GET …/{id}/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthCheckResult {
    pub id: Uuid,
    pub name: String,
    pub health_status: HealthStatus,
    pub last_health_check_at: Option<DateTime<Utc>>,
    pub report: HealthReport,
}
