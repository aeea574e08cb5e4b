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
mod procs;
mod remote;
mod sse;
mod stdio;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use mcp_model::ServerConfig;
use mcp_model::ServerType;
use mcp_model::api::{HealthReport, HealthStatus, ToolInfo};
use rmcp::model::{ClientCapabilities, ClientConfig, Implementation, ProtocolVersion};
use rmcp::service::{ClientInitializeError, ClientLifecycleMode, ClientServiceExt};
use rmcp::transport::IntoTransport;
use rmcp::{RoleClient, ServiceError};
use tokio::sync::Semaphore;

pub use procs::ProcessRegistry;

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const MAX_TIMEOUT_SECS: u64 = 300;
pub(crate) const DEFAULT_MAX_CONCURRENT: usize = 8;
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
    /// Only these commands (compared with the command as configured, and
    /// with its file name, so `npx` allows `/usr/bin/npx`).
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
    /// Whose stdio servers may be spawned on this host by a check.
    pub stdio: StdioPolicy,
    /// Whether remote checks may reach loopback, private and link-local addresses.
    pub allow_private: bool,
    /// Background checking of enabled servers; `None` turns it off.
    pub interval: Option<Duration>,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            timeout: DEFAULT_TIMEOUT,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            stdio: StdioPolicy::Admins,
            allow_private: true,
            interval: None,
        }
    }
}

/// Why a check was not run at all (answered 403, nothing stored).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Why a check did not run: refused by policy (403), or every slot stayed
/// taken for as long as the check itself may take (503: try again later).
#[derive(Debug, Clone, thiserror::Error)]
pub enum NotRun {
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("{0}")]
    Busy(String),
}

/// Runs checks within the configured bounds; one per application.
#[derive(Debug)]
pub struct Checker {
    pub settings: HealthSettings,
    permits: Arc<Semaphore>,
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
    /// command, configured by an owner who is (or is not) an admin.
    pub fn precheck(&self, config: &ServerConfig, owner_is_admin: bool) -> Result<(), Refused> {
        if let ServerConfig::Stdio(c) = config {
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
                    let base = std::path::Path::new(&c.command)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if !list.iter().any(|a| *a == c.command || *a == base) {
                        return Err(Refused(format!(
                            "command '{}' is not on this server's allow-list for stdio health checks ({})",
                            c.command,
                            list.join(", ")
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs one check of `config` (with real secret values). Waits for a
    /// free slot first, at most `timeout`; the check's own timeout starts once
    /// the slot is had.
    pub async fn check(
        &self,
        server_type: ServerType,
        config: &ServerConfig,
        owner_is_admin: bool,
        timeout: Duration,
    ) -> Result<HealthReport, NotRun> {
        self.precheck(config, owner_is_admin)?;
        let busy = || {
            NotRun::Busy(format!(
                "all {} health-check slots stayed busy for {}s; try again later",
                self.settings.max_concurrent,
                timeout.as_secs()
            ))
        };
        let _permit = tokio::time::timeout(timeout, self.permits.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| NotRun::Busy("health checks are shutting down".into()))?;
        let started = Instant::now();
        let phase = Phase::default();
        let outcome = match (server_type, config) {
            (ServerType::Stdio, ServerConfig::Stdio(c)) => {
                stdio::check(c, timeout, &phase, &self.procs).await
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
                let target = remote::Target::resolve(&c.url, self.settings.allow_private).await?;
                remote::check_streamable(target, c, timeout, &phase).await
            }
            (ServerType::Sse, ServerConfig::Remote(c)) => {
                let target = remote::Target::resolve(&c.url, self.settings.allow_private).await?;
                sse::check(target, c, timeout, &phase).await
            }
            _ => Err(Failure::unhealthy(
                "configure",
                format!("a {server_type} server cannot have this config"),
            )),
        };
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut report = report(outcome, latency_ms);
        if let ServerConfig::Remote(c) = config {
            scrub_query(&mut report, &c.url);
        }
        Ok(report)
    }
}

/// Hides the URL's query string (often an API key) wherever an error message
/// repeats it: a global server's report is visible to every user.
fn scrub_query(report: &mut HealthReport, url: &str) {
    let Some(query) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.query().map(str::to_string))
    else {
        return;
    };
    if query.is_empty() {
        return;
    }
    if let Some(e) = report.error.as_mut() {
        *e = e.replace(&query, "***");
    }
}

/// Now, to the microsecond, as both backends store it.
fn checked_at() -> chrono::DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(Utc::now(), 6)
}

fn report(outcome: Result<Findings, Failure>, latency_ms: u64) -> HealthReport {
    match outcome {
        Ok(f) => HealthReport {
            status: HealthStatus::Healthy,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: f.protocol_version,
            server_name: f.server_name,
            server_version: f.server_version,
            tools: f.tools,
            error: None,
            phase: None,
            stderr_tail: None,
        },
        Err(e) => HealthReport {
            status: e.status,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: e.found.protocol_version,
            server_name: e.found.server_name,
            server_version: e.found.server_version,
            tools: e.found.tools,
            error: Some(e.error),
            phase: Some(e.phase.to_string()),
            stderr_tail: e.stderr_tail,
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

/// An error and its causes in one line, skipping causes already quoted.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let msg = s.to_string();
        if !text.contains(&msg) {
            text.push_str(": ");
            text.push_str(&msg);
        }
        source = s.source();
    }
    text
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
