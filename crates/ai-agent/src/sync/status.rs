//! `ai-agent mcp clients`: every client file on this machine, and what a
//! plain sync would change in it.

use std::path::{Path, PathBuf};

use mcp_model::api::ExportList;
use mcp_model::formats::Format;
use mcp_model::formats::client::{Dirs, Location, Scope};
use serde::Serialize;

use super::plan::{Action, Options};
use super::secrets::Secrets;
use super::state::State;
use super::{Request, Target, decide};
use crate::exit::CliResult;

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
            // One read of the file: the decision holds the map's entries.
            let decision = match decide(&target, list, &request, &state) {
                Ok(d) => d,
                Err(e) => {
                    status.error = Some(e.message);
                    out.push(status);
                    continue;
                }
            };
            let existing = &decision.existing;
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
            let plan = &decision.plan;
            status.to_add = plan.count(|a| *a == Action::Add);
            status.to_update = plan.count(|a| *a == Action::Update);
            status.conflicts = plan.conflicts();
            status.stale = plan.count(|a| *a == Action::Stale);
            out.push(status);
        }
    }
    Ok(out)
}
