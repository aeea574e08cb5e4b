//! `ai-agent mcp sync` and `ai-agent mcp clients`: the registry's servers
//! merged into the config files MCP clients already have. Only entries of
//! the client's server map change, and of those only the ones sync wrote
//! (tracked in [`state`]) unless the user says `--force`; the rest of the
//! file keeps its bytes (see `mcp_model::formats::edit`).

pub mod plan;
pub mod secrets;
pub mod state;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mcp_model::api::ExportList;
use mcp_model::formats::client::{Dirs, Location, Os, Scope};
use mcp_model::formats::edit;
use mcp_model::formats::{ExportServer, Format};
use serde::Serialize;
use serde_json::Value;

use crate::exit::{CliError, CliResult};
use crate::files::{self, Snapshot};
use plan::{Action, Item, Options, Plan};
use secrets::{Secrets, Variable};
use state::State;

/// The directories client files are found in, from this machine's
/// environment; `project` (default: the current directory) made absolute
/// and real, as clients that key settings by project path see it.
pub fn dirs(project: Option<&Path>) -> CliResult<Dirs> {
    let home = dirs::home_dir()
        .ok_or_else(|| CliError::generic("cannot find the home directory; set HOME"))?;
    let config = dirs::config_dir().unwrap_or_else(|| home.join(".config"));
    let project = match project {
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir()
            .map_err(|e| CliError::generic(format!("cannot read the current directory: {e}")))?,
    };
    let project = std::fs::canonicalize(&project)
        .map_err(|e| CliError::usage(format!("project directory {}: {e}", project.display())))?;
    Ok(Dirs {
        os: Os::current(),
        home,
        config,
        project,
        codex_home: std::env::var_os("CODEX_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    })
}

/// One client's file and server map.
#[derive(Debug, Clone)]
pub struct Target {
    pub format: Format,
    pub scope: Scope,
    pub location: Location,
}

impl Target {
    /// The file of `scope` (default: the client's first), or `path` with that
    /// scope's server map.
    pub fn new(
        format: Format,
        scope: Option<Scope>,
        dirs: &Dirs,
        path: Option<&Path>,
    ) -> CliResult<Target> {
        let d = format.descriptor();
        let scope = scope.unwrap_or(d.scopes[0]);
        let mut location = d.location(scope, dirs).map_err(CliError::usage)?;
        if let Some(p) = path {
            location.path = p.to_path_buf();
        }
        Ok(Target {
            format,
            scope,
            location,
        })
    }
}

/// What the user asked of a sync.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// `None`: env references for a project's file (usually committed),
    /// the owner's values inline for the user's own files.
    pub secrets: Option<Secrets>,
    pub options: Options,
    pub dry_run: bool,
}

/// What a sync did, or (dry run) would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub client: &'static str,
    pub scope: &'static str,
    pub path: PathBuf,
    pub section: Vec<String>,
    pub dry_run: bool,
    /// Whether the file was (or would be) changed.
    pub changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<PathBuf>,
    pub items: Vec<Item>,
    /// The variables the file reads, to be set where the client runs.
    pub variables: Vec<Variable>,
    /// The unified diff of a dry run, secret values masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl Report {
    pub fn conflicts(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.action, Action::Conflict(_)))
            .count()
    }
}

/// The secrets mode a request gets for `target`: as asked, else as the
/// last sync of the map wrote them, else by scope; or why the client cannot
/// take it.
fn secrets_mode(
    target: &Target,
    asked: Option<Secrets>,
    last: Option<Secrets>,
) -> CliResult<Secrets> {
    let d = target.format.descriptor();
    let mode = asked.or(last).unwrap_or(if target.scope == Scope::Project {
        Secrets::Env
    } else {
        Secrets::Inline
    });
    if mode == Secrets::Env && d.env_refs.is_none() {
        let e = CliError::usage(format!(
            "{} does not read environment variables, so secrets can only be written inline",
            d.display
        ));
        return Err(if asked.is_some() {
            e.with_hint("use --secrets inline")
        } else {
            e.with_hint("a project's file is usually committed; pass --secrets inline to write the values anyway")
        });
    }
    Ok(mode)
}

/// Each server as the client would spell it, and the variables read.
fn desired(
    format: Format,
    servers: &[ExportServer],
    mode: Secrets,
) -> (plan::Desired, Vec<Variable>) {
    let d = format.descriptor();
    let mut entries = Vec::new();
    let mut variables = Vec::new();
    for s in servers {
        let (vars, vs) = secrets::choose(s, mode, d.env_refs);
        let entry = (d.entry)(s, &vars);
        if entry.is_ok() {
            variables.extend(vs);
        }
        entries.push((s.name.clone(), entry));
    }
    variables.sort();
    variables.dedup();
    (entries, variables)
}

/// The plan for `target`, with the file as read.
fn decide(
    target: &Target,
    list: &ExportList,
    request: &Request,
    state: &State,
) -> CliResult<(Snapshot, Plan, Vec<Variable>, Secrets)> {
    let file = files::read(&target.location.path)?;
    let section = &target.location.section;
    let mode = secrets_mode(target, request.secrets, state.secrets(&file.path, section))?;
    let existing = edit::entries(target.format, file.text.as_deref().unwrap_or(""), section)
        .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?;
    let (want, variables) = desired(target.format, &list.servers, mode);
    let tracked = state.tracked(&file.path, section);
    let same = |name: &str, a: &Value, b: &Value| {
        mcp_model::formats::same_server(target.format, name, a, b)
    };
    let plan = plan::plan(&want, &existing, &tracked, request.options, same);
    Ok((file, plan, variables, mode))
}

/// Runs one sync: decides, then (unless a dry run) writes the file and the
/// state of what sync owns in it.
pub fn run(
    target: &Target,
    list: &ExportList,
    request: &Request,
    state_path: &Path,
) -> CliResult<Report> {
    let mut state = State::load(state_path)?;
    let (file, plan, variables, mode) = decide(target, list, request, &state)?;
    let section = &target.location.section;
    let new_text = if plan.changes.is_empty() {
        None
    } else {
        Some(
            edit::apply(target.format, file.text.as_deref(), section, &plan.changes)
                .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?,
        )
    };
    let mut report = Report {
        client: target.format.as_str(),
        scope: target.scope.as_str(),
        path: file.path.clone(),
        section: section.clone(),
        dry_run: request.dry_run,
        changed: new_text.is_some(),
        backup: None,
        items: plan.items.clone(),
        variables,
        diff: None,
    };
    if request.dry_run {
        report.diff = new_text
            .as_deref()
            .map(|new| diff(&file, new, &list.servers));
        return Ok(report);
    }
    let text = match &new_text {
        Some(new) => {
            report.backup = files::replace(&file, new, mode == Secrets::Inline)?;
            new.as_str()
        }
        None => file.text.as_deref().unwrap_or(""),
    };
    // What the file now holds, as read back, is the new record of an entry
    // that is as the registry has it; an entry left as the user edited it
    // keeps the record of what sync wrote, so that the edit stays an edit.
    let written: BTreeMap<String, Value> = edit::entries(target.format, text, section)
        .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?
        .into_iter()
        .collect();
    let tracked = state.tracked(&file.path, section);
    let current: BTreeSet<&str> = plan
        .items
        .iter()
        .filter(|i| matches!(i.action, Action::Add | Action::Update | Action::Unchanged))
        .map(|i| i.name.as_str())
        .collect();
    let owned: BTreeMap<String, String> = plan
        .owned
        .iter()
        .filter_map(|name| {
            let hash = if current.contains(name.as_str()) {
                written.get(name).map(plan::entry_hash)
            } else {
                tracked.get(name).cloned()
            };
            hash.map(|h| (name.clone(), h))
        })
        .collect();
    let mode_changed = !owned.is_empty() && state.secrets(&file.path, section) != Some(mode);
    if owned != tracked || mode_changed {
        state.set(&file.path, section, target.format.as_str(), mode, owned);
        state.save(state_path)?;
    }
    Ok(report)
}

/// A file's status for `ai-agent mcp clients`.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub client: &'static str,
    pub scope: &'static str,
    pub path: PathBuf,
    pub section: Vec<String>,
    /// Entries in the server map.
    pub servers: usize,
    /// Of those, the ones named like a registry server.
    pub registry_servers: usize,
    /// What a plain `sync` would do: counts by action; all zero when in sync.
    pub to_add: usize,
    pub to_update: usize,
    pub conflicts: usize,
    pub stale: usize,
    /// Why the file cannot be read or synced, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Every client file on this machine (of the user, and of the project in
/// `dirs`), and how far each is from the registry.
pub fn statuses(dirs: &Dirs, list: &ExportList, state_path: &Path) -> CliResult<Vec<Status>> {
    let state = State::load(state_path)?;
    let mut out = Vec::new();
    for format in Format::clients() {
        let d = format.descriptor();
        let request = Request {
            // Where env references are impossible, a plain sync is asked for inline ones.
            secrets: d.env_refs.is_none().then_some(Secrets::Inline),
            options: Options::default(),
            dry_run: true,
        };
        let locations: Vec<(Scope, Location)> = d
            .scopes
            .iter()
            .filter_map(|&s| d.location(s, dirs).ok().map(|l| (s, l)))
            .collect();
        for (scope, location) in &locations {
            if !location.path.exists() {
                continue;
            }
            let target = Target {
                format,
                scope: *scope,
                location: location.clone(),
            };
            let mut status = Status {
                client: d.name,
                scope: scope.as_str(),
                path: location.path.clone(),
                section: location.section.clone(),
                servers: 0,
                registry_servers: 0,
                to_add: 0,
                to_update: 0,
                conflicts: 0,
                stale: 0,
                error: None,
            };
            let text = files::read(&location.path).map(|f| f.text.unwrap_or_default());
            let existing = text.and_then(|t| {
                edit::entries(format, &t, &location.section).map_err(|e| CliError::generic(e.0))
            });
            let existing = match existing {
                Ok(e) => e,
                Err(e) => {
                    status.error = Some(e.message);
                    out.push(status);
                    continue;
                }
            };
            // A file two scopes share (Claude Code's ~/.claude.json) is listed
            // for the second one only when it has that scope's map.
            let shared = locations
                .iter()
                .any(|(s, l)| s != scope && l.path == location.path && s < scope);
            if shared && existing.is_empty() {
                continue;
            }
            status.servers = existing.len();
            status.registry_servers = existing
                .iter()
                .filter(|(n, _)| list.servers.iter().any(|s| &s.name == n))
                .count();
            match decide(&target, list, &request, &state) {
                Ok((_, plan, _, _)) => {
                    status.to_add = plan.count(|a| *a == Action::Add);
                    status.to_update = plan.count(|a| *a == Action::Update);
                    status.conflicts = plan.conflicts();
                    status.stale = plan.count(|a| *a == Action::Stale);
                }
                Err(e) => status.error = Some(e.message),
            }
            out.push(status);
        }
    }
    Ok(out)
}

/// The unified diff from `file` to `new`, with the servers' secret values
/// masked: a dry run's output ends up in terminals, logs and reviews.
fn diff(file: &Snapshot, new: &str, servers: &[ExportServer]) -> String {
    let old = file.text.as_deref().unwrap_or("");
    let name = file.path.display().to_string();
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a{name}"), &format!("b{name}"))
        .to_string();
    let mut secrets: Vec<String> = servers
        .iter()
        .flat_map(|s| s.config.secret_values().into_values())
        .map(|v| v.strip_prefix("Bearer ").map(str::to_string).unwrap_or(v))
        .filter(|v| v.len() >= 3 && !v.starts_with("${"))
        .collect();
    secrets.sort_by_key(|v| std::cmp::Reverse(v.len()));
    secrets
        .iter()
        .fold(text, |t, secret| t.replace(secret.as_str(), "***"))
}
