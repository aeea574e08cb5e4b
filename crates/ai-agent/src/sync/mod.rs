//! `ai-agent mcp sync` and `ai-agent mcp clients`: the registry's servers
//! merged into the config files MCP clients already have. Only entries of
//! the client's server map change, and of those only the ones sync wrote
//! (tracked in [`state`]) unless the user says `--force`; the rest of the
//! file keeps its bytes (see `mcp_model::formats::edit`).

mod diff;
pub mod plan;
pub mod secrets;
pub mod state;
mod status;

pub use status::{Status, statuses};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mcp_model::api::ExportList;
use mcp_model::formats::client::{Dirs, Location, Os, Scope};
use mcp_model::formats::edit::{self, Change};
use mcp_model::formats::{ExportServer, Format};
use serde::Serialize;
use serde_json::Value;

use crate::exit::{CliError, CliResult};
use crate::files::{self, Snapshot};
use plan::{Action, Item, Options, Plan, Record};
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
#[derive(Debug, Clone)]
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
    /// How many secret values were (or would be) written as they are.
    pub inline_secrets: usize,
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

/// Each server as the client would spell it, the variables read, and how
/// many secret values each server's entry holds as they are.
fn desired(
    format: Format,
    servers: &[ExportServer],
    mode: Secrets,
) -> (plan::Desired, Vec<Variable>, Vec<(String, usize)>) {
    let d = format.descriptor();
    let mut entries = Vec::new();
    let mut variables = Vec::new();
    let mut inline = Vec::new();
    for s in servers {
        let choice = secrets::choose(s, mode, d.env_refs);
        let entry = (d.entry)(s, &choice.vars);
        if entry.is_ok() {
            variables.extend(choice.variables);
            inline.push((s.name.clone(), choice.inline));
        }
        entries.push((s.name.clone(), entry));
    }
    variables.sort();
    variables.dedup();
    (entries, variables, inline)
}

/// What a sync would do to `target`, and what it is based on.
pub(crate) struct Decision {
    pub file: Snapshot,
    pub plan: Plan,
    pub variables: Vec<Variable>,
    pub mode: Secrets,
    /// The registry's servers as spelled for the client.
    pub want: plan::Desired,
    /// The map's entries as the file has them.
    pub existing: Vec<(String, Value)>,
    /// How many secret values the entries sync writes hold as they are.
    pub inline: usize,
}

/// The plan for `target`, with the file as read.
pub(crate) fn decide(
    target: &Target,
    list: &ExportList,
    request: &Request,
    state: &State,
) -> CliResult<Decision> {
    let file = files::read(&target.location.path)?;
    let section = &target.location.section;
    let mode = secrets_mode(target, request.secrets, state.secrets(&file.path, section))?;
    let existing = edit::entries(target.format, file.text.as_deref().unwrap_or(""), section)
        .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?;
    let (want, variables, inline_by_name) = desired(target.format, &list.servers, mode);
    let tracked = state.tracked(&file.path, section);
    let same = |name: &str, a: &Value, b: &Value| {
        mcp_model::formats::same_server(target.format, name, a, b)
    };
    let plan = plan::plan(&want, &existing, &tracked, &request.options, same);
    let written: BTreeSet<&str> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Put(name, _) => Some(name.as_str()),
            Change::Remove(_) => None,
        })
        .collect();
    let inline = inline_by_name
        .iter()
        .filter(|(name, _)| written.contains(name.as_str()))
        .map(|(_, n)| n)
        .sum();
    Ok(Decision {
        file,
        plan,
        variables,
        mode,
        want,
        existing,
        inline,
    })
}

/// Runs one sync: decides, then (unless a dry run) writes the file and the
/// record of what sync owns in it.
pub fn run(
    target: &Target,
    list: &ExportList,
    request: &Request,
    state_path: &Path,
) -> CliResult<Report> {
    let state = State::load(state_path)?;
    let decision = decide(target, list, request, &state)?;
    let Decision { file, plan, .. } = &decision;
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
        variables: decision.variables.clone(),
        inline_secrets: decision.inline,
        diff: None,
    };
    if request.dry_run {
        report.diff = new_text
            .as_deref()
            .map(|new| diff::masked(target.format, file, new, &list.servers, &decision.existing));
        return Ok(report);
    }
    let text = match &new_text {
        Some(new) => {
            report.backup = files::replace(file, new, decision.inline > 0)?;
            new.as_str()
        }
        None => file.text.as_deref().unwrap_or(""),
    };
    record(target, &decision, text, state_path)?;
    Ok(report)
}

/// Saves what sync now owns in the map. An entry that is as the registry
/// has it gets a new record (the file's entry as read back, and the
/// registry's); one left as the user edited it keeps the old record, so
/// that the edit stays an edit. The state is read again just before it is
/// saved, so that a sync of another file meanwhile is not undone.
fn record(target: &Target, decision: &Decision, text: &str, state_path: &Path) -> CliResult<()> {
    let Decision {
        file,
        plan,
        want,
        mode,
        ..
    } = decision;
    let section = &target.location.section;
    let written: BTreeMap<String, Value> = edit::entries(target.format, text, section)
        .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?
        .into_iter()
        .collect();
    let wanted: BTreeMap<&str, &Value> = want
        .iter()
        .filter_map(|(n, v)| v.as_ref().ok().map(|v| (n.as_str(), v)))
        .collect();
    let mut state = State::load(state_path)?;
    let tracked = state.tracked(&file.path, section);
    let current: BTreeSet<&str> = plan
        .items
        .iter()
        .filter(|i| matches!(i.action, Action::Add | Action::Update | Action::Unchanged))
        .map(|i| i.name.as_str())
        .collect();
    let owned: BTreeMap<String, Record> = plan
        .owned
        .iter()
        .filter_map(|name| {
            let fresh = match (written.get(name), wanted.get(name.as_str())) {
                (Some(have), Some(want)) if current.contains(name.as_str()) => Some(Record {
                    file: plan::entry_hash(have),
                    registry: plan::entry_hash(want),
                }),
                _ => None,
            };
            fresh
                .or_else(|| tracked.get(name).cloned())
                .map(|r| (name.clone(), r))
        })
        .collect();
    let mode_changed = !owned.is_empty() && state.secrets(&file.path, section) != Some(*mode);
    if owned != tracked || mode_changed {
        state.set(&file.path, section, target.format.as_str(), *mode, owned);
        state.save(state_path).map_err(|e| {
            CliError::generic(format!(
                "{} was written, but what sync wrote could not be recorded: {}",
                file.path.display(),
                e.message
            ))
            .with_hint(
                "the entries just written now count as your own; run the sync again to record them",
            )
        })?;
    }
    Ok(())
}
