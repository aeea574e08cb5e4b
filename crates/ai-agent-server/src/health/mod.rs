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
mod conversation;
mod plan;
mod policy;
mod procs;
mod reasons;
mod remote;
mod report;
mod sse;
mod stdio;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use mcp_model::ServerConfig;
use mcp_model::ServerType;
use mcp_model::ValidationError;
use mcp_model::api::CheckOptions;
use mcp_model::api::{HealthReport, HealthStatus, ToolInfo};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub(crate) use conversation::{ConvError, Handshake, conv_failure, converse, error_chain};
pub use plan::{Plan, Timeouts};
pub use policy::StdioPolicy;
pub use procs::ProcessRegistry;
use report::report;

use crate::redact::{self, Redactor};

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// An `npx -y` or `uvx` start downloads first: a minute, not a request's 30 s.
pub(crate) const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const MAX_TIMEOUT_SECS: u64 = 300;
pub(crate) const DEFAULT_MAX_CONCURRENT: usize = 8;
pub(crate) const DEFAULT_MAX_PER_USER: usize = 2;
/// A stdout line (one JSON-RPC message) longer than this ends the check.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// The knobs of health checking (see docs/health-checks.md).
#[derive(Debug, Clone)]
pub struct HealthSettings {
    /// Each request of a check after the handshake, unless the server or
    /// the request gives its own (at most `MAX_TIMEOUT_SECS`).
    pub timeout: Duration,
    /// From spawn or connect until the handshake is answered, unless the
    /// server or the request gives its own.
    pub startup_timeout: Duration,
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
    /// Whether remote (http/sse) checks run at all: off, they answer 403, so
    /// that a fuzzing run or a closed network sends nothing anywhere.
    pub remote: bool,
    /// Background checking of enabled servers; `None` turns it off.
    pub interval: Option<Duration>,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            timeout: DEFAULT_TIMEOUT,
            startup_timeout: DEFAULT_STARTUP_TIMEOUT,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            max_per_user: DEFAULT_MAX_PER_USER,
            stdio: StdioPolicy::Admins,
            allow_private: false,
            remote: true,
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
    /// The server answered `server/discover` with a result that is not one:
    /// worth one more try with `initialize` alone.
    pub misread_discover: bool,
}

impl Failure {
    pub(crate) fn unhealthy(phase: &'static str, error: impl Into<String>) -> Self {
        Failure {
            status: HealthStatus::Unhealthy,
            error: error.into(),
            phase,
            stderr_tail: None,
            found: Box::default(),
            misread_discover: false,
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
    pub prompts: Option<u64>,
    pub resources: Option<u64>,
    /// What the check left undone and why, for the report's warnings.
    pub notes: Vec<String>,
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

    /// What one check of a server with `options` does and may take.
    /// `requested` seconds (1..=300), when given, bound this one check's
    /// start and each of its requests; else the server's own limits, else
    /// the configured ones.
    pub fn plan_for(
        &self,
        requested: Option<u64>,
        options: &CheckOptions,
    ) -> Result<Plan, ValidationError> {
        let secs = Duration::from_secs;
        let timeouts = match requested {
            Some(s) if (1..=MAX_TIMEOUT_SECS).contains(&s) => Timeouts {
                startup: secs(s),
                request: secs(s),
            },
            Some(s) => {
                return Err(ValidationError::new(
                    "timeout_secs",
                    format!("must be between 1 and {MAX_TIMEOUT_SECS}, got {s}"),
                ));
            }
            None => Timeouts {
                startup: options
                    .startup_timeout_secs
                    .map_or(self.settings.startup_timeout, secs),
                request: options
                    .request_timeout_secs
                    .map_or(self.settings.timeout, secs),
            },
        };
        Ok(Plan {
            timeouts,
            call_tool: options.call_tool.clone(),
            call_tool_pin: None,
            redactor: None,
        })
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
            if !self.settings.remote {
                return Err(Refused(
                    "remote health checks are turned off on this server (AI_AGENT_HEALTH_REMOTE=off)"
                        .into(),
                ));
            }
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
                        "command '{}' ({found}) is not on this server's allow-list for stdio health checks (compared as files, names looked up in the server's PATH)",
                        c.command
                    )));
                }
                // An allowed program told what to load runs anything.
                if let Some(var) = c.env.keys().find(|k| command::steers_loading(k)) {
                    return Err(Refused(format!(
                        "env var '{var}' would let a stdio check run other code than the allowed program; this server's allow-list does not pass it"
                    )));
                }
                // Run the very file that was allowed: a symlink swapped
                // while the check waits for a slot changes nothing.
                return Ok(program.and_then(|p| p.canonicalize().ok()));
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
        let cap = self.per_user_cap();
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

    /// Checks one caller may run at once: the setting, kept at least one below
    /// the total so that no caller can take every slot (with a total of 1,
    /// one caller can; the cap cannot hold then).
    pub(crate) fn per_user_cap(&self) -> usize {
        self.settings
            .max_per_user
            .clamp(1, self.settings.max_concurrent.max(2) - 1)
    }

    /// Forgets the slots of callers who run no check now.
    fn release_idle(&self) {
        self.per_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, s| Arc::strong_count(s) > 1);
    }

    /// Runs one check of `config` (with real secret values) for `caller`.
    /// Waits for a free slot first, at most the plan's startup timeout; the
    /// check's own limits start once the slot is had.
    pub async fn check(
        &self,
        caller: &str,
        server_type: ServerType,
        config: &ServerConfig,
        owner_is_admin: bool,
        plan: &Plan,
    ) -> Result<HealthReport, NotRun> {
        let program = self.precheck(config, owner_is_admin)?;
        let outcome = match self.slots(caller, plan.timeouts.startup).await {
            // The slots are held until the check is over.
            Ok(_slots) => {
                self.run(server_type, config, program, owner_is_admin, plan)
                    .await
            }
            Err(e) => Err(e),
        };
        self.release_idle();
        outcome
    }

    async fn run(
        &self,
        server_type: ServerType,
        config: &ServerConfig,
        program: Option<std::path::PathBuf>,
        owner_is_admin: bool,
        plan: &Plan,
    ) -> Result<HealthReport, NotRun> {
        // The secrets this check holds stay out of its report and the log.
        let redactor = Arc::new(Redactor::for_config(config));
        let _live = redact::while_alive(redactor.clone());
        // Who wrote the URL decides whether it may point inside the network.
        let allow_private = self.settings.allow_private || owner_is_admin;
        let started = Instant::now();
        let phase = Phase::default();
        let program = program.as_deref();
        let plan = &Plan {
            redactor: Some(redactor.clone()),
            ..plan.clone()
        };
        let attempt = |plan, handshake| {
            self.attempt(
                server_type,
                config,
                program,
                allow_private,
                plan,
                &phase,
                handshake,
            )
        };
        let mut outcome = attempt(plan, Handshake::Auto).await?;
        // The second try has what is left of the check's time, not its own.
        let left = plan.timeouts.overall().saturating_sub(started.elapsed());
        if matches!(&outcome, Err(f) if f.misread_discover) && !left.is_zero() {
            let rest = Plan {
                timeouts: Timeouts {
                    startup: plan.timeouts.startup.min(left),
                    request: plan.timeouts.request.min(left),
                },
                ..plan.clone()
            };
            outcome = attempt(&rest, Handshake::Initialize).await?;
        }
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report(outcome, latency_ms, &redactor))
    }

    /// One conversation over the server's transport.
    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        server_type: ServerType,
        config: &ServerConfig,
        program: Option<&std::path::Path>,
        allow_private: bool,
        plan: &Plan,
        phase: &Phase,
        handshake: Handshake,
    ) -> Result<Result<Findings, Failure>, NotRun> {
        Ok(match (server_type, config) {
            (ServerType::Stdio, ServerConfig::Stdio(c)) => {
                let program = program.map_or_else(
                    || std::path::PathBuf::from(&c.command),
                    std::path::Path::to_path_buf,
                );
                stdio::check(c, &program, plan, phase, &self.procs, handshake).await
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
            (ServerType::Http | ServerType::Sse, ServerConfig::Remote(c)) => {
                let target = remote::Target::resolve(&c.url, allow_private).await?;
                if server_type == ServerType::Http {
                    remote::check_streamable(target, c, plan, phase, handshake).await
                } else {
                    sse::check(target, c, plan, phase, handshake).await
                }
            }
            _ => Err(Failure::unhealthy(
                "configure",
                format!("a {server_type} server cannot have this config"),
            )),
        })
    }
}
