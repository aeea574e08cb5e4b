//! The MCP conversation over any transport, and how its failures read to
//! a person.

use std::time::Duration;

use mcp_model::api::{HealthStatus, ToolInfo};
use rmcp::model::{ClientCapabilities, ClientConfig, Implementation, ProtocolVersion};
use rmcp::service::{ClientInitializeError, ClientLifecycleMode, ClientServiceExt};
use rmcp::transport::IntoTransport;
use rmcp::transport::streamable_http_client::StreamableHttpError;
use rmcp::{RoleClient, ServiceError};

use super::{Failure, Findings, Phase};

/// A failure of the conversation itself, before transport-specific context
/// (exit codes, HTTP statuses) is added by the caller.
#[derive(Debug)]
pub(crate) enum ConvError {
    Init(Box<ClientInitializeError>),
    /// Initialization worked, tools/list did not; keeps what was learned.
    Tools(ServiceError, Box<Findings>),
}

/// The MCP conversation over any transport: discover-or-initialize, then
/// every page of tools/list, then a clean close (for streamable HTTP, rmcp
/// DELETEs the session then).
pub(crate) async fn converse<T, E, A>(transport: T, phase: &Phase) -> Result<Findings, ConvError>
where
    T: IntoTransport<RoleClient, E, A>,
    E: std::error::Error + Send + Sync + 'static,
{
    phase.set("initialize");
    let client = ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("ai-agent-server", env!("CARGO_PKG_VERSION")),
    )
    .with_protocol_version(ProtocolVersion::V_2025_11_25);
    let running = client
        .serve_with_lifecycle(
            transport,
            ClientLifecycleMode::Auto {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
                legacy_version: Some(ProtocolVersion::V_2025_11_25),
            },
        )
        .await
        .map_err(|e| ConvError::Init(Box::new(e)))?;
    let mut findings = Findings::default();
    if let Some(info) = running.peer_info() {
        findings.protocol_version = Some(info.protocol_version.to_string());
        if let Some(s) = &info.server_info {
            findings.server_name = Some(s.name.clone());
            findings.server_version = Some(s.version.clone());
        }
    }
    phase.set("tools/list");
    let tools = running.list_all_tools().await;
    if tools.is_ok() {
        (findings.prompts, findings.resources) = counts(&running, phase).await;
    }
    phase.set("close");
    let _ = tokio::time::timeout(Duration::from_secs(5), running.cancel()).await;
    match tools {
        Ok(tools) => {
            findings.tools = tools
                .into_iter()
                .map(|t| ToolInfo {
                    name: t.name.into_owned(),
                    title: t.title,
                    description: t.description.map(|d| d.into_owned()),
                    input_schema: Some(serde_json::Value::Object((*t.input_schema).clone())),
                    output_schema: t
                        .output_schema
                        .map(|o| serde_json::Value::Object((*o).clone())),
                    annotations: t.annotations.and_then(|a| serde_json::to_value(a).ok()),
                    fingerprint: None,
                })
                .collect();
            Ok(findings)
        }
        Err(e) => Err(ConvError::Tools(e, Box::new(findings))),
    }
}

/// How many prompts and resources the server lists, for the capabilities it
/// declares. Not a verdict: a server whose tools work is healthy even when
/// these lists fail, so a failure leaves the count out.
async fn counts(running: &rmcp::Peer<RoleClient>, phase: &Phase) -> (Option<u64>, Option<u64>) {
    let caps = running.peer_info().map(|i| i.capabilities.clone());
    let count = |n: usize| u64::try_from(n).ok();
    let mut prompts = None;
    let mut resources = None;
    if caps.as_ref().is_some_and(|c| c.prompts.is_some()) {
        phase.set("prompts/list");
        prompts = running
            .list_all_prompts()
            .await
            .ok()
            .and_then(|p| count(p.len()));
    }
    if caps.as_ref().is_some_and(|c| c.resources.is_some()) {
        phase.set("resources/list");
        resources = running
            .list_all_resources()
            .await
            .ok()
            .and_then(|r| count(r.len()));
    }
    (prompts, resources)
}

/// An error and its causes in one line for a person: causes already quoted
/// are skipped, Rust type names (rmcp prints its transport's type) are
/// dropped, and a refused or unresolvable connection says so first.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut refused = false;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        let msg = without_type_names(&s.to_string());
        if !msg.is_empty() && !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        source = s.source();
    }
    let text = parts.join(": ");
    if refused && !text.starts_with("connection refused") {
        format!("connection refused: {text}")
    } else {
        text
    }
}

/// `text` without bracketed Rust paths (`[rmcp::transport::…<…>]`) and the
/// wrapper phrases around them.
fn without_type_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let mut depth = 0usize;
        let mut close = None;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        out.push_str(&rest[..open]);
        let inner = &rest[open..=close];
        if !inner.contains("::") {
            out.push_str(inner);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("Send message error Transport  error: ", "")
        .replace("Send message error Transport ", "")
        .replace("Transport  error: ", "")
        .replace(", when send ", " (while sending ");
    let out = if out.contains(" (while sending ") && !out.ends_with(')') {
        format!("{out})")
    } else {
        out
    };
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an initialization error means "the server wants credentials".
pub(crate) fn is_auth_error(e: &ClientInitializeError) -> bool {
    if e.is_authorization_required() {
        return true;
    }
    // An unchallenged 401/403 keeps its status in rmcp's message.
    let text = describe_init(e);
    text.contains("HTTP 401") || text.contains("HTTP 403")
}

/// An initialization error in words. When `server/discover` and the legacy
/// `initialize` both failed, rmcp's own message says only that: the causes
/// (an HTTP status, a refused connection) are in its two fields.
fn describe_init(e: &ClientInitializeError) -> String {
    match e {
        ClientInitializeError::LegacyFallbackFailed { discover, fallback } => {
            let (d, f) = (describe_init(discover), describe_init(fallback));
            if d == f {
                f
            } else {
                format!("{f} (server/discover: {d})")
            }
        }
        // rmcp does not chain the transport's error as a source: walk it
        // ourselves, so that a refused connection or a DNS failure shows.
        ClientInitializeError::TransportError { error, context } => {
            let context = context.strip_prefix("send ").unwrap_or(context);
            let inner = error
                .error
                .downcast_ref::<StreamableHttpError<reqwest::Error>>();
            let what = match inner {
                // Nor does rmcp's HTTP error chain the client's.
                Some(StreamableHttpError::Client(e)) => error_chain(e),
                _ => error_chain(error),
            };
            format!("{what} (while sending {context})")
        }
        other => error_chain(other),
    }
}

/// The failure a conversation error stands for.
pub(crate) fn conv_failure(e: ConvError) -> Failure {
    match e {
        ConvError::Init(e) => {
            if is_auth_error(&e) {
                return Failure {
                    status: HealthStatus::NeedsAuth,
                    error: format!(
                        "the server requires authorization (HTTP 401/403): {}",
                        describe_init(&e)
                    ),
                    ..Failure::unhealthy("initialize", "")
                };
            }
            Failure::unhealthy("initialize", describe_init(&e))
        }
        ConvError::Tools(e, found) => Failure {
            found,
            ..Failure::unhealthy(
                "tools/list",
                format!("tools/list failed: {}", error_chain(&e)),
            )
        },
    }
}

#[cfg(test)]
mod tests {
    use super::without_type_names;

    #[test]
    fn rmcp_transport_types_go() {
        let raw = "Send message error Transport [rmcp::transport::worker::WorkerTransport<rmcp::transport::streamable_http_client::StreamableHttpClientWorker<reqwest::async_impl::client::Client>>] error: Unexpected content type: Some(\"text/html\"), when send discover request";
        assert_eq!(
            without_type_names(raw),
            "Unexpected content type: Some(\"text/html\") (while sending discover request)"
        );
        assert_eq!(
            without_type_names("keeps [plain] brackets"),
            "keeps [plain] brackets"
        );
    }
}
