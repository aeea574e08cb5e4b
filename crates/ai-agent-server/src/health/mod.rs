//! Health checks: a real MCP conversation with a registered server.
//!
//! rmcp (the official SDK) runs the lifecycle: `server/discover` first, and on
//! a legacy answer `initialize` + `notifications/initialized`, then every page
//! of `tools/list`; its streamable HTTP client is the `http` transport. What
//! rmcp lacks is written here: the stdio transport (rmcp's own child-process
//! transport cannot clear the environment, bound stderr, or tell garbage on
//! stdout from silence), the legacy HTTP+SSE client, the bounds, the policy
//! and the killing of process groups.

mod channel;
mod command;
mod procs;
mod remote;
mod sse;
mod stdio;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use mcp_model::ServerConfig;
use mcp_model::ServerType;
use mcp_model::api::{HealthReport, HealthStatus, ToolInfo};
use rmcp::model::{ClientCapabilities, ClientConfig, Implementation, ProtocolVersion};
use rmcp::service::{ClientInitializeError, ClientLifecycleMode, ClientServiceExt};
use rmcp::transport::IntoTransport;
use rmcp::{RoleClient, ServiceError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use procs::ProcessRegistry;

use crate::redact::{self, Redactor};

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const MAX_TIMEOUT_SECS: u64 = 300;
pub(crate) const DEFAULT_MAX_CONCURRENT: usize = 8;
pub(crate) const DEFAULT_MAX_PER_USER: usize = 2;
/// Longest error text a report keeps (remote bodies come as an excerpt).
const MAX_ERROR_CHARS: usize = 1000;
/// Longest server name, version or tool name a report keeps.
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 4000;
/// A stdout line (one JSON-RPC message) longer than this ends the check.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// Which stdio servers may be spawned for a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StdioPolicy {
    /// Any server's command may be spawned (one user, or users trusted with the host).
    On,
    /// Only servers owned by an admin: the default, since a stdio check runs a
    /// user-chosen command on this host with this server's rights.
    Admins,
    Off,
    /// Only these programs. An entry with a `/` is a path; a bare name is
    /// looked up in the server's own `PATH`. A server's command is resolved
    /// the same way (in the `PATH` its env gives the child, else the
    /// server's) and allowed only when it is the same file (both sides
    /// canonicalized), so a user's own `npx` elsewhere is not `npx`.
    Allow(Vec<String>),
}

impl std::str::FromStr for StdioPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "on" | "true" => Ok(StdioPolicy::On),
            "admins" => Ok(StdioPolicy::Admins),
            "off" | "false" => Ok(StdioPolicy::Off),
            other => match other.strip_prefix("allow:") {
                Some(list) => {
                    let cmds: Vec<String> = list
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(String::from)
                        .collect();
                    if cmds.is_empty() {
                        Err("allow: needs at least one command, e.g. allow:npx,uvx".into())
                    } else {
                        Ok(StdioPolicy::Allow(cmds))
                    }
                }
                None => Err(format!(
                    "'{other}' is not a stdio policy: use admins, on, off or allow:cmd1,cmd2"
                )),
            },
        }
    }
}

/// The knobs of health checking (see docs/health-checks.md).
#[derive(Debug, Clone)]
pub struct HealthSettings {
    /// A check's time limit unless the request gives its own (at most `MAX_TIMEOUT_SECS`).
    pub timeout: Duration,
    /// Checks running at once; a check waits for a slot at most its timeout, then gets a 503.
    pub max_concurrent: usize,
    /// Checks one user may run at once (kept below `max_concurrent`, so one
    /// user's hanging checks cannot take every slot); more wait, then get a 429.
    pub max_per_user: usize,
    /// Whose stdio servers may be spawned on this host by a check.
    pub stdio: StdioPolicy,
    /// Whether every remote check may reach loopback, private, link-local and
    /// reserved addresses. Off: only checks of servers an admin owns may
    /// (the admin wrote the URL); others get a 403.
    pub allow_private: bool,
    /// Background checking of enabled servers; `None` turns it off.
    pub interval: Option<Duration>,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            timeout: DEFAULT_TIMEOUT,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            max_per_user: DEFAULT_MAX_PER_USER,
            stdio: StdioPolicy::Admins,
            allow_private: false,
            interval: None,
        }
    }
}

/// Why a check was not run at all (answered 403, nothing stored).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Why a check did not run: refused by policy (403), the caller's own
/// checks held their slots for as long as this one may take (429), or every
/// slot stayed taken that long (503: try again later).
#[derive(Debug, Clone, thiserror::Error)]
pub enum NotRun {
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("{0}")]
    UserBusy(String),
    #[error("{0}")]
    Busy(String),
}

/// Runs checks within the configured bounds; one per application.
#[derive(Debug)]
pub struct Checker {
    pub settings: HealthSettings,
    permits: Arc<Semaphore>,
    /// Each caller's own slots, created on first use and dropped when idle.
    per_user: Mutex<HashMap<String, Arc<Semaphore>>>,
    procs: ProcessRegistry,
    /// Names this instance as the holder of background-check leases.
    instance: String,
}

/// The step a check is at, for timeout reports.
#[derive(Debug, Clone, Default)]
pub(crate) struct Phase(Arc<Mutex<&'static str>>);

impl Phase {
    pub(crate) fn set(&self, p: &'static str) {
        if let Ok(mut g) = self.0.lock() {
            *g = p;
        }
    }

    pub(crate) fn get(&self) -> &'static str {
        self.0.lock().map(|g| *g).unwrap_or("unknown")
    }
}

/// How a conversation failed, before it becomes a report.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: HealthStatus,
    pub error: String,
    pub phase: &'static str,
    pub stderr_tail: Option<String>,
    /// What was learned before the failure (e.g. server info when only tools/list failed).
    pub found: Box<Findings>,
}

impl Failure {
    pub(crate) fn unhealthy(phase: &'static str, error: impl Into<String>) -> Self {
        Failure {
            status: HealthStatus::Unhealthy,
            error: error.into(),
            phase,
            stderr_tail: None,
            found: Box::default(),
        }
    }
}

/// What a successful handshake learned.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub protocol_version: Option<String>,
    pub server_name: Option<String>,
    pub server_version: Option<String>,
    pub tools: Vec<ToolInfo>,
}

impl Checker {
    pub(crate) fn new(settings: HealthSettings) -> Self {
        let permits = Arc::new(Semaphore::new(settings.max_concurrent.max(1)));
        Checker {
            settings,
            permits,
            per_user: Mutex::default(),
            procs: ProcessRegistry::default(),
            instance: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub(crate) fn instance(&self) -> &str {
        &self.instance
    }

    /// The live process groups of running stdio checks.
    pub fn processes(&self) -> &ProcessRegistry {
        &self.procs
    }

    /// Kills every process group a check still runs; for shutdown.
    pub fn shutdown(&self) {
        self.procs.kill_all();
    }

    /// The timeout of one check: `requested` seconds if given (1..=300),
    /// else the configured default.
    pub fn timeout_for(&self, requested: Option<u64>) -> Result<Duration, String> {
        match requested {
            None => Ok(self.settings.timeout),
            Some(s) if (1..=MAX_TIMEOUT_SECS).contains(&s) => Ok(Duration::from_secs(s)),
            Some(s) => Err(format!(
                "timeout_secs must be between 1 and {MAX_TIMEOUT_SECS}, got {s}"
            )),
        }
    }

    /// The policy decisions that need no network: whether stdio may run this
    /// command, configured by an owner who is (or is not) an admin. For a
    /// stdio server, gives the program to spawn, resolved once here so that
    /// what runs is what was allowed.
    pub fn precheck(
        &self,
        config: &ServerConfig,
        owner_is_admin: bool,
    ) -> Result<Option<std::path::PathBuf>, Refused> {
        let ServerConfig::Stdio(c) = config else {
            return Ok(None);
        };
        let program = command::resolve(&c.command, command::child_path(&c.env).as_deref());
        match &self.settings.stdio {
            StdioPolicy::On => {}
            StdioPolicy::Admins if owner_is_admin => {}
            StdioPolicy::Admins => {
                return Err(Refused(
                    "stdio health checks run only for servers owned by an admin on this server: they run the configured command on the server's host (the operator can allow more with AI_AGENT_HEALTH_STDIO=on or allow:cmd1,cmd2)"
                        .into(),
                ));
            }
            StdioPolicy::Off => {
                return Err(Refused(
                    "stdio health checks are turned off on this server (AI_AGENT_HEALTH_STDIO=off)"
                        .into(),
                ));
            }
            StdioPolicy::Allow(list) => {
                if !program
                    .as_deref()
                    .is_some_and(|p| command::allowed(p, list))
                {
                    let found = program.as_ref().map_or("is not found".to_string(), |p| {
                        format!("is {}", p.display())
                    });
                    return Err(Refused(format!(
                        "command '{}' ({found}) is not on this server's allow-list for stdio health checks ({}; compared as files, names looked up in the server's PATH)",
                        c.command,
                        list.join(", ")
                    )));
                }
            }
        }
        Ok(program)
    }

    /// Waits at most `timeout` for one of `caller`'s own slots, then for a
    /// shared one.
    async fn slots(
        &self,
        caller: &str,
        timeout: Duration,
    ) -> Result<(OwnedSemaphorePermit, OwnedSemaphorePermit), NotRun> {
        let cap = self
            .settings
            .max_per_user
            .clamp(1, self.settings.max_concurrent.max(2) - 1);
        let mine = self
            .per_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(caller.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(cap)))
            .clone();
        let closed = || NotRun::Busy("health checks are shutting down".into());
        let own = tokio::time::timeout(timeout, mine.acquire_owned())
            .await
            .map_err(|_| {
                NotRun::UserBusy(format!(
                    "your {cap} health checks running at once stayed busy for {}s; wait for them to finish",
                    timeout.as_secs()
                ))
            })?
            .map_err(|_| closed())?;
        let shared = tokio::time::timeout(timeout, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                NotRun::Busy(format!(
                    "all {} health-check slots stayed busy for {}s; try again later",
                    self.settings.max_concurrent,
                    timeout.as_secs()
                ))
            })?
            .map_err(|_| closed())?;
        Ok((own, shared))
    }

    /// Forgets the slots of callers who run no check now.
    fn release_idle(&self) {
        self.per_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, s| Arc::strong_count(s) > 1);
    }

    /// Runs one check of `config` (with real secret values) for `caller`.
    /// Waits for a free slot first, at most `timeout`; the check's own
    /// timeout starts once the slot is had.
    pub async fn check(
        &self,
        caller: &str,
        server_type: ServerType,
        config: &ServerConfig,
        owner_is_admin: bool,
        timeout: Duration,
    ) -> Result<HealthReport, NotRun> {
        let program = self.precheck(config, owner_is_admin)?;
        let slots = self.slots(caller, timeout).await;
        let result = match slots {
            Ok(_slots) => Ok(self
                .run(server_type, config, program, owner_is_admin, timeout)
                .await),
            Err(e) => Err(e),
        };
        self.release_idle();
        result?
    }

    async fn run(
        &self,
        server_type: ServerType,
        config: &ServerConfig,
        program: Option<std::path::PathBuf>,
        owner_is_admin: bool,
        timeout: Duration,
    ) -> Result<HealthReport, NotRun> {
        // The secrets this check holds stay out of its report and the log.
        let redactor = Arc::new(Redactor::for_config(config));
        let _live = redact::while_alive(redactor.clone());
        // Who wrote the URL decides whether it may point inside the network.
        let allow_private = self.settings.allow_private || owner_is_admin;
        let started = Instant::now();
        let phase = Phase::default();
        let outcome = match (server_type, config) {
            (ServerType::Stdio, ServerConfig::Stdio(c)) => {
                let program = program.unwrap_or_else(|| c.command.clone().into());
                stdio::check(c, &program, timeout, &phase, &self.procs).await
            }
            // Only the client knows what `${input:host}` or `${env:URL}` stands
            // for: such a server cannot be reached from here, which says
            // nothing of its health.
            (ServerType::Http | ServerType::Sse, ServerConfig::Remote(c))
                if c.url.contains("${") =>
            {
                Err(Failure {
                    status: HealthStatus::Unknown,
                    ..Failure::unhealthy(
                        "configure",
                        "the URL holds placeholders that only the client fills in, so the server cannot reach it",
                    )
                })
            }
            (ServerType::Http, ServerConfig::Remote(c)) => {
                let target = remote::Target::resolve(&c.url, allow_private).await?;
                remote::check_streamable(target, c, timeout, &phase).await
            }
            (ServerType::Sse, ServerConfig::Remote(c)) => {
                let target = remote::Target::resolve(&c.url, allow_private).await?;
                sse::check(target, c, timeout, &phase).await
            }
            _ => Err(Failure::unhealthy(
                "configure",
                format!("a {server_type} server cannot have this config"),
            )),
        };
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report(outcome, latency_ms, &redactor))
    }
}

/// Now, to the microsecond, as both backends store it.
fn checked_at() -> chrono::DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(Utc::now(), 6)
}

/// The report of a check, built through the check's redactor: every text in
/// it came from the server or its transport, and a global server's report is
/// visible to every user.
fn report(outcome: Result<Findings, Failure>, latency_ms: u64, r: &Redactor) -> HealthReport {
    let name = |t: Option<String>| t.map(|t| r.report_text(&t, MAX_NAME_CHARS));
    let tools = |tools: Vec<ToolInfo>| -> Vec<ToolInfo> {
        tools
            .into_iter()
            .map(|t| ToolInfo {
                name: r.report_text(&t.name, MAX_NAME_CHARS),
                description: t
                    .description
                    .map(|d| r.report_text(&d, MAX_DESCRIPTION_CHARS)),
            })
            .collect()
    };
    match outcome {
        Ok(f) => HealthReport {
            status: HealthStatus::Healthy,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: name(f.protocol_version),
            server_name: name(f.server_name),
            server_version: name(f.server_version),
            tools: tools(f.tools),
            error: None,
            phase: None,
            stderr_tail: None,
        },
        Err(e) => HealthReport {
            status: e.status,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: name(e.found.protocol_version),
            server_name: name(e.found.server_name),
            server_version: name(e.found.server_version),
            tools: tools(e.found.tools),
            error: Some(r.report_text(&e.error, MAX_ERROR_CHARS)),
            phase: Some(e.phase.to_string()),
            stderr_tail: e
                .stderr_tail
                .map(|t| r.report_text(&t, stdio::STDERR_BYTES)),
        },
    }
}

/// A failure of the conversation itself, before transport-specific context
/// (exit codes, HTTP statuses) is added by the caller.
#[derive(Debug)]
pub(crate) enum ConvError {
    Init(Box<ClientInitializeError>),
    /// Initialization worked, tools/list did not; keeps what was learned.
    Tools(ServiceError, Findings),
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
    phase.set("close");
    let _ = tokio::time::timeout(Duration::from_secs(5), running.cancel()).await;
    match tools {
        Ok(tools) => {
            findings.tools = tools
                .into_iter()
                .map(|t| ToolInfo {
                    name: t.name.into_owned(),
                    description: t.description.map(|d| d.into_owned()),
                })
                .collect();
            Ok(findings)
        }
        Err(e) => Err(ConvError::Tools(e, findings)),
    }
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
    if refused && !text.contains("refused") {
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
    let text = error_chain(e);
    text.contains("HTTP 401") || text.contains("HTTP 403")
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
                        error_chain(&e)
                    ),
                    ..Failure::unhealthy("initialize", "")
                };
            }
            Failure::unhealthy("initialize", error_chain(&e))
        }
        ConvError::Tools(e, found) => Failure {
            found: Box::new(found),
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
