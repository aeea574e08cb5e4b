//! `mcp sync` and `mcp clients`: fetch what the registry would export, and
//! hand it to the sync rules in [`crate::sync`].

use comfy_table::Cell;
use mcp_model::formats::Scope;

use super::Ctx;
use crate::cli::{ClientsArgs, SyncArgs};
use crate::client::ExportSelection;
use crate::exit::{CliResult, Code};
use crate::sync::plan::{Action, Options};
use crate::sync::state::State;
use crate::sync::{self, Report, Request, Status, Target};

pub(crate) async fn sync(ctx: &Ctx, a: &SyncArgs) -> CliResult {
    let dirs = sync::dirs(a.place.project.as_deref())?;
    let target = Target::new(a.client, a.place.scope, &dirs, a.path.as_deref())?;
    let list = ctx.client()?.export_list(&a.select.selection()).await?;
    if !list.unapproved.is_empty() {
        let names: Vec<String> = list
            .unapproved
            .iter()
            .map(|u| format!("{} ({})", u.name, u.tools_status))
            .collect();
        eprintln!(
            "ai-agent: warning: {} MCP server(s) left out, their tools not approved: {}",
            names.len(),
            names.join(", ")
        );
    }
    let request = Request {
        secrets: a.secrets,
        options: Options {
            prune: a.prune,
            force: a.force,
            // What the registry holds back is taken out of the file too.
            withdraw: list.unapproved.iter().map(|u| u.name.clone()).collect(),
        },
        dry_run: a.dry_run,
    };
    let report = sync::run(&target, &list, &request, &state_path(ctx)?)?;
    let d = target.format.descriptor();
    if d.env_refs.is_none()
        && let Some(w) = super::transfer::withheld_warning(&list.withheld)
    {
        eprintln!("{w} ({} cannot read them from the environment)", d.display);
    }
    if target.scope == Scope::Project && report.inline_secrets > 0 {
        eprintln!(
            "ai-agent: warning: {} secret value(s) {} written as they are into a project's file, which is usually committed",
            report.inline_secrets,
            if report.dry_run { "would be" } else { "were" }
        );
    }
    if ctx.out.json() {
        ctx.out.print_json(&report)?;
    } else {
        // A dry run's diff alone on stdout, so that `> change.patch` keeps it.
        eprint!("{}", summary(&report, target.format.descriptor().display));
        if let Some(diff) = &report.diff {
            ctx.out.print(diff)?;
        }
    }
    Ok(if report.conflicts() > 0 {
        Code::SyncConflict
    } else {
        Code::Success
    })
}

pub(crate) async fn clients(ctx: &Ctx, a: &ClientsArgs) -> CliResult {
    let dirs = sync::dirs(a.project.as_deref())?;
    let list = ctx
        .client()?
        .export_list(&ExportSelection {
            include_global: true,
            ..Default::default()
        })
        .await?;
    let statuses = sync::statuses(&dirs, &list, &state_path(ctx)?)?;
    if ctx.out.json() {
        ctx.out.print_json(&statuses)?;
    } else if statuses.is_empty() {
        ctx.out.print("No MCP client config files found.")?;
    } else {
        let mut t = ctx.out.table();
        t.set_header(["CLIENT", "SCOPE", "FILE", "SERVERS", "REGISTRY", "STATUS"]);
        for s in &statuses {
            t.add_row([
                Cell::new(s.client),
                Cell::new(s.scope),
                Cell::new(s.path.display()),
                Cell::new(s.servers),
                Cell::new(s.registry_servers),
                Cell::new(status_text(s)),
            ]);
        }
        ctx.out.print(&t.to_string())?;
    }
    Ok(Code::Success)
}

fn state_path(ctx: &Ctx) -> CliResult<std::path::PathBuf> {
    Ok(State::path_beside(&ctx.config_path()?))
}

/// `in sync`, or what a sync would do.
fn status_text(s: &Status) -> String {
    if let Some(e) = &s.error {
        return format!("error: {e}");
    }
    let parts: Vec<String> = [
        (s.to_add, "to add"),
        (s.to_update, "to update"),
        (s.conflicts, "in conflict"),
        (s.stale, "stale"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "in sync".into()
    } else {
        parts.join(", ")
    }
}

/// The lines a person reads: one per server, then the outcome.
fn summary(r: &Report, display: &str) -> String {
    let mut out = format!("{display} ({} scope): {}\n", r.scope, r.path.display());
    let width = r.items.iter().map(|i| i.name.len()).max().unwrap_or(0);
    let [added, updated, removed] = if r.dry_run {
        ["would add", "would update", "would remove"]
    } else {
        ["added", "updated", "removed"]
    };
    for i in &r.items {
        let (mark, text) = match &i.action {
            Action::Add => ("+", added.to_string()),
            Action::Update => ("~", updated.to_string()),
            Action::Unchanged => ("=", "unchanged".to_string()),
            Action::Remove => ("-", removed.to_string()),
            Action::Stale => (
                "?",
                "no longer in the registry; written by an earlier sync, --prune removes it"
                    .to_string(),
            ),
            Action::Edited => (
                "*",
                "kept as you edited it (the registry has not changed it since); --force restores it".to_string(),
            ),
            Action::Conflict(why) => ("!", format!("left alone: {why}")),
            Action::Skipped(why) => ("x", format!("skipped: {why}")),
        };
        out.push_str(&format!("  {mark} {:width$}  {text}\n", i.name));
    }
    let outcome = match (r.changed, r.dry_run) {
        (false, _) => "up to date: nothing to change".to_string(),
        (true, true) => "dry run: nothing written".to_string(),
        (true, false) => match &r.backup {
            Some(b) => format!("written; the previous file is {}", b.display()),
            None => "written".to_string(),
        },
    };
    out.push_str(&outcome);
    out.push('\n');
    if !r.variables.is_empty() {
        out.push_str(
            "The file reads these environment variables; set them where the client runs:\n",
        );
        for v in &r.variables {
            out.push_str(&format!("  {}  ({}: {})\n", v.name, v.server, v.holds));
        }
    }
    if r.conflicts() > 0 {
        out.push_str(&format!(
            "ai-agent: {} entr{} left alone; --force overwrites them\n",
            r.conflicts(),
            if r.conflicts() == 1 { "y" } else { "ies" }
        ));
    }
    out
}
