//! The MCP conversation over any transport, and how its failures read to
//! a person.

use std::time::Duration;

use mcp_model::api::{HealthStatus, ToolCall, ToolInfo};
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation,
    PaginatedRequestParams, ProtocolVersion,
};
use rmcp::service::{ClientInitializeError, ClientLifecycleMode, ClientServiceExt};
use rmcp::transport::IntoTransport;
use rmcp::transport::streamable_http_client::StreamableHttpError;
use rmcp::{RoleClient, ServiceError};

use super::plan::Plan;
use super::{Failure, Findings, Phase};

/// A failure of the conversation itself, before transport-specific context
/// (exit codes, HTTP statuses) is added by the caller.
#[derive(Debug)]
pub(crate) enum ConvError {
    Init(Box<ClientInitializeError>),
    /// Initialization worked, tools/list did not; keeps what was learned.
    Tools(ServiceError, Box<Findings>),
    /// A step ran out of time, or the check's tool call failed: the
    /// failure as it is to be reported.
    Failed(Box<Failure>),
}

/// How a conversation opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handshake {
    /// `server/discover`, then `initialize` if the server answers it with a
    /// JSON-RPC error, as the 2026-07-28 revision asks of clients.
    Auto,
    /// `initialize` alone: for a server that answered `server/discover`
    /// with something other than a discover result or an error (some answer
    /// every unknown method with `{}`), as clients before 2026-07-28 talk.
    Initialize,
}

/// The MCP conversation over any transport: discover-or-initialize, then
/// every page of tools/list, then a clean close (for streamable HTTP, rmcp
/// DELETEs the session then).
pub(crate) async fn converse<T, E, A>(
    transport: T,
    phase: &Phase,
    handshake: Handshake,
    plan: &Plan,
) -> Result<Findings, ConvError>
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
    let lifecycle = match handshake {
        Handshake::Auto => ClientLifecycleMode::Auto {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            legacy_version: Some(ProtocolVersion::V_2025_11_25),
        },
        Handshake::Initialize => ClientLifecycleMode::Initialize,
    };
    let limits = plan.timeouts;
    let late = |at: &'static str| ConvError::Failed(Box::new(limits.timed_out(at, false)));
    let running = tokio::time::timeout(
        limits.startup,
        client.serve_with_lifecycle(transport, lifecycle),
    )
    .await
    .map_err(|_| late("initialize"))?
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
    let outcome = match list_tools(&running, limits.request).await {
        Ok(Ok(tools)) => {
            findings.tools = tools.into_iter().map(tool_info).collect();
            (findings.prompts, findings.resources) = counts(&running, phase, limits.request).await;
            match &plan.call_tool {
                Some(call) => {
                    phase.set("tools/call");
                    call_tool(&running, call, plan, &findings)
                        .await
                        .map(|skipped| findings.notes.extend(skipped))
                }
                None => Ok(()),
            }
        }
        Ok(Err(e)) => Err(e),
        Err(_) => Err(late("tools/list")),
    };
    phase.set("close");
    let _ = tokio::time::timeout(Duration::from_secs(5), running.cancel()).await;
    match outcome {
        Ok(()) => Ok(findings),
        // What was learned before the failure stays in the report.
        Err(ConvError::Tools(e, _)) => Err(ConvError::Tools(e, Box::new(findings))),
        Err(ConvError::Failed(mut f)) => {
            f.found = Box::new(findings);
            Err(ConvError::Failed(f))
        }
        Err(e) => Err(e),
    }
}

/// Tools and pages a check reads at most: a server with more is refused
/// rather than read into memory without end.
const MAX_TOOLS: usize = 5_000;
const MAX_PAGES: usize = 500;

/// Every page of `tools/list`, each page within `request`; a cursor seen
/// before or more than the bounds allow end the listing as a failure.
async fn list_tools(
    running: &rmcp::Peer<RoleClient>,
    request: Duration,
) -> Result<Result<Vec<rmcp::model::Tool>, ConvError>, tokio::time::error::Elapsed> {
    let fail = |text: String| {
        Ok(Err(ConvError::Failed(Box::new(Failure::unhealthy(
            "tools/list",
            text,
        )))))
    };
    let mut tools = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut params: Option<PaginatedRequestParams> = None;
    for _ in 0..MAX_PAGES {
        let page = match tokio::time::timeout(request, running.list_tools(params.take())).await? {
            Ok(page) => page,
            Err(e) => return Ok(Err(ConvError::Tools(e, Box::default()))),
        };
        tools.extend(page.tools);
        if tools.len() > MAX_TOOLS {
            return fail(format!("tools/list offered more than {MAX_TOOLS} tools"));
        }
        match page.next_cursor {
            Some(c) if !c.is_empty() => {
                if !seen.insert(c.clone()) {
                    return fail("tools/list repeated a cursor: its pages never end".into());
                }
                params = Some(PaginatedRequestParams::default().with_cursor(Some(c)));
            }
            _ => return Ok(Ok(tools)),
        }
    }
    fail(format!(
        "tools/list went on for more than {MAX_PAGES} pages"
    ))
}

fn tool_info(t: rmcp::model::Tool) -> ToolInfo {
    ToolInfo {
        name: t.name.into_owned(),
        title: t.title,
        description: t.description.map(|d| d.into_owned()),
        input_schema: Some(serde_json::Value::Object((*t.input_schema).clone())),
        output_schema: t
            .output_schema
            .map(|o| serde_json::Value::Object((*o).clone())),
        annotations: t.annotations.and_then(|a| serde_json::to_value(a).ok()),
        fingerprint: None,
    }
}

/// The check's tool call: the tool must be listed, and answer without an
/// error, within `request`.
async fn call_tool(
    running: &rmcp::Peer<RoleClient>,
    call: &ToolCall,
    plan: &Plan,
    found: &Findings,
) -> Result<Option<String>, ConvError> {
    let request = plan.timeouts.request;
    let fail = |text: String| ConvError::Failed(Box::new(Failure::unhealthy("tools/call", text)));
    let Some(tool) = found.tools.iter().find(|t| t.name == call.name) else {
        return Err(fail(format!(
            "the check's tool '{}' is not among the tools the server lists",
            call.name
        )));
    };
    // Not a verdict on the server (the tools' change is flagged on its
    // own): the call waits until the new definition is approved.
    if let (Some(pin), Some(r)) = (&plan.call_tool_pin, &plan.redactor)
        && super::report::fingerprint(r, tool) != *pin
    {
        return Ok(Some(format!(
            "the check's tool '{}' changed since the server's tools were approved, so it was not called",
            call.name
        )));
    }
    let mut params = CallToolRequestParams::new(call.name.clone());
    params.arguments = Some(call.arguments.clone());
    let result = match tokio::time::timeout(request, running.call_tool(params)).await {
        Err(_) => {
            return Err(ConvError::Failed(Box::new(
                plan.timeouts.timed_out("tools/call", false),
            )));
        }
        Ok(Err(e)) => {
            return Err(fail(format!(
                "tools/call '{}' failed: {}",
                call.name,
                error_chain(&e)
            )));
        }
        Ok(Ok(r)) => r,
    };
    if result.is_error == Some(true) {
        let text: Vec<&str> = result
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.as_str()))
            .collect();
        return Err(fail(format!(
            "the tool '{}' answered with an error: {}",
            call.name,
            text.join(" ")
        )));
    }
    Ok(None)
}

/// How many prompts and resources the server lists, for the capabilities it
/// declares. Not a verdict: a server whose tools work is healthy even when
/// these lists fail, so a failure leaves the count out.
async fn counts(
    running: &rmcp::Peer<RoleClient>,
    phase: &Phase,
    request: Duration,
) -> (Option<u64>, Option<u64>) {
    let caps = running.peer_info().map(|i| i.capabilities.clone());
    let count = |n: usize| u64::try_from(n).ok();
    let mut prompts = None;
    let mut resources = None;
    if caps.as_ref().is_some_and(|c| c.prompts.is_some()) {
        phase.set("prompts/list");
        prompts = tokio::time::timeout(request, running.list_all_prompts())
            .await
            .ok()
            .and_then(Result::ok)
            .and_then(|p| count(p.len()));
    }
    if caps.as_ref().is_some_and(|c| c.resources.is_some()) {
        phase.set("resources/list");
        resources = tokio::time::timeout(request, running.list_all_resources())
            .await
            .ok()
            .and_then(Result::ok)
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

/// A connection that failed before any answer (DNS, refused, TLS,
/// timeout), in words; `None` for any other initialization error.
fn connect_reason(e: &ClientInitializeError) -> Option<String> {
    match e {
        ClientInitializeError::LegacyFallbackFailed { discover, fallback } => {
            connect_reason(fallback).or_else(|| connect_reason(discover))
        }
        ClientInitializeError::TransportError { error, .. } => {
            match error
                .error
                .downcast_ref::<StreamableHttpError<reqwest::Error>>()
            {
                Some(StreamableHttpError::Client(e)) => super::reasons::connect_failure(e),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The HTTP status an initialization error carries, if it was one: rmcp
/// keeps the status and drops the body.
pub(crate) fn http_status(e: &ConvError) -> Option<u16> {
    let ConvError::Init(e) = e else { return None };
    let text = describe_init(e);
    let at = text.find("HTTP ")? + 5;
    text.get(at..at + 3)?.parse().ok()
}

/// The failure a conversation error stands for.
pub(crate) fn conv_failure(e: ConvError) -> Failure {
    match e {
        ConvError::Init(e) if connect_reason(&e).is_some() => {
            Failure::unhealthy("connect", connect_reason(&e).unwrap_or_default())
        }
        // Only a discover in Auto mode ends in this error unwrapped: a
        // failed fallback is `LegacyFallbackFailed`.
        ConvError::Init(e) if matches!(*e, ClientInitializeError::ExpectedInitResult(_)) => {
            Failure {
                misread_discover: true,
                ..Failure::unhealthy("initialize", describe_init(&e))
            }
        }
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
        ConvError::Failed(f) => *f,
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
