//! health-check (one server or all) and the tools found by the last check.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mcp_model::api::{HealthCheckResult, HealthStatus};
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Ctx, ok};
use crate::cli::HealthCheckArgs;
use crate::exit::{CliError, CliResult, Code};
use crate::output::HealthRow;

pub(crate) async fn check(ctx: &Ctx, a: &HealthCheckArgs) -> CliResult {
    match &a.server {
        Some(server) if !a.all => one(ctx, server, a.timeout).await,
        _ => all(ctx, a).await,
    }
}

async fn one(ctx: &Ctx, server: &str, timeout: Option<u64>) -> CliResult {
    let client = ctx.client()?;
    let h = match client.health_check_within(server, timeout).await {
        Ok(h) => h,
        Err(e) => return Err(super::suggest::unknown_server(&client, server, e).await),
    };
    if ctx.out.json() {
        ctx.out.print_json(&h)?;
    } else {
        ctx.out.print(&ctx.out.health(&h))?;
    }
    if h.health_status != HealthStatus::Healthy {
        eprintln!("{}", unhealthy_line(&h));
        return Ok(Code::Unhealthy);
    }
    if let Some(line) = tools_changed_line(&h) {
        eprintln!("{line}");
        return Ok(Code::ToolsChanged);
    }
    ok()
}

/// The stderr lines of a healthy check whose tools differ from the approved
/// ones: what changed, and how to review it.
fn tools_changed_line(h: &HealthCheckResult) -> Option<String> {
    let changes = h.report.tool_changes.as_ref()?;
    Some(format!(
        "ai-agent: MCP server '{}' is healthy but its tools changed since they were approved: {}\nhint: review with `ai-agent mcp tools diff {}`, then `ai-agent mcp tools approve {}`",
        h.name,
        changes.summary(),
        h.name,
        h.name
    ))
}

/// The stderr line of a check that found a server not healthy, so that a
/// script (or `-o json`) still gets the reason as one line where errors go.
fn unhealthy_line(h: &HealthCheckResult) -> String {
    let verdict = match h.health_status {
        HealthStatus::NeedsAuth => "needs credentials",
        HealthStatus::Unknown => "is in an unknown state",
        HealthStatus::Healthy | HealthStatus::Unhealthy => "is unhealthy",
    };
    let mut line = format!("ai-agent: MCP server '{}' {verdict}", h.name);
    if let Some(e) = &h.report.error {
        line.push_str(": ");
        line.push_str(e);
    }
    line
}

async fn all(ctx: &Ctx, a: &HealthCheckArgs) -> CliResult {
    let client = ctx.client()?;
    let servers = client
        .list_matching(&crate::client::ListParams {
            enabled: (!a.include_disabled).then_some(true),
            ..Default::default()
        })
        .await?
        .items;
    let bar = ProgressBar::new(servers.len() as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} checking {pos}/{len} {bar:30} {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let gate = Arc::new(Semaphore::new(usize::from(a.concurrency)));
    let mut tasks = JoinSet::new();
    for (i, s) in servers.iter().enumerate() {
        let (client, gate, bar) = (client.clone(), gate.clone(), bar.clone());
        let id = s.id.to_string();
        let name = s.name.clone();
        let timeout = a.timeout;
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let outcome = client
                .health_check_within(&id, timeout)
                .await
                .map_err(CliError::from);
            bar.inc(1);
            bar.set_message(name);
            (i, outcome)
        });
    }
    let mut rows: Vec<HealthRow> = servers
        .iter()
        .map(|s| HealthRow {
            name: s.name.clone(),
            outcome: Err(CliError::generic("not checked")),
        })
        .collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, outcome) =
            joined.map_err(|e| CliError::generic(format!("a health check failed to run: {e}")))?;
        if let Some(row) = rows.get_mut(i) {
            row.outcome = outcome;
            // Each result as it comes, above the progress bar; the summary follows.
            if !ctx.out.json() {
                let line = progress_line(row);
                bar.suspend(|| ctx.out.print(&line))?;
            }
        }
    }
    bar.finish_and_clear();
    // What needs attention first: checks that failed, then servers not healthy.
    rows.sort_by_key(|r| match &r.outcome {
        Err(_) => 0,
        Ok(h) if h.health_status != HealthStatus::Healthy => 1,
        Ok(_) => 2,
    });

    if ctx.out.json() {
        let items: Vec<_> = rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok())
            .collect();
        let errors: Vec<_> = rows
            .iter()
            .filter_map(|r| {
                r.outcome
                    .as_ref()
                    .err()
                    .map(|e| json!({"name": r.name, "detail": e.message}))
            })
            .collect();
        ctx.out
            .print_json(&json!({"items": items, "errors": errors}))?;
    } else if rows.is_empty() {
        ctx.out.print("No MCP servers.")?;
    } else {
        let healthy = rows
            .iter()
            .filter(|r| matches!(&r.outcome, Ok(h) if h.health_status == HealthStatus::Healthy))
            .count();
        ctx.out.print(&format!(
            "{}\n{healthy} of {} healthy.",
            ctx.out.health_summary(&rows),
            rows.len()
        ))?;
    }
    let code = summary_code(&rows);
    if code == Code::ToolsChanged {
        for line in rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok().and_then(tools_changed_line))
        {
            eprintln!("{line}");
        }
    } else if code != Code::Success {
        eprintln!("{}", summary_line(&rows));
    }
    Ok(code)
}

/// One finished check of `--all`, as it comes.
fn progress_line(r: &HealthRow) -> String {
    match &r.outcome {
        Ok(h) => {
            let detail = match (&h.report.error, &h.report.tool_changes) {
                (Some(e), _) => e.clone(),
                (None, Some(c)) => format!("tools changed: {}", c.summary()),
                (None, None) => format!("{} tools", h.report.tools.len()),
            };
            format!(
                "{:<9} {}  {} ms  {detail}",
                h.health_status.as_str(),
                r.name,
                h.report.latency_ms
            )
        }
        Err(e) => format!("{:<9} {}  {}", "error", r.name, e.message),
    }
}

/// The stderr line of `--all` when not every server is healthy: how many, and which.
fn summary_line(rows: &[HealthRow]) -> String {
    let bad: Vec<&str> = rows
        .iter()
        .filter(|r| !matches!(&r.outcome, Ok(h) if h.health_status == HealthStatus::Healthy))
        .map(|r| r.name.as_str())
        .collect();
    format!(
        "ai-agent: {} of {} MCP servers not healthy: {}",
        bad.len(),
        rows.len(),
        bad.join(", ")
    )
}

/// A failure to check outranks a server found unhealthy, which outranks
/// tools that changed since their approval.
fn summary_code(rows: &[HealthRow]) -> Code {
    if let Some(e) = rows.iter().find_map(|r| r.outcome.as_ref().err()) {
        return e.code;
    }
    if !rows
        .iter()
        .all(|r| matches!(&r.outcome, Ok(h) if h.health_status == HealthStatus::Healthy))
    {
        Code::Unhealthy
    } else if rows
        .iter()
        .any(|r| matches!(&r.outcome, Ok(h) if h.report.tool_changes.is_some()))
    {
        Code::ToolsChanged
    } else {
        Code::Success
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcp_model::api::HealthReport;

    fn row(status: HealthStatus) -> HealthRow {
        HealthRow {
            name: status.as_str().into(),
            outcome: Ok(HealthCheckResult {
                id: uuid::Uuid::nil(),
                name: status.as_str().into(),
                health_status: status,
                last_health_check_at: None,
                report: HealthReport {
                    status,
                    checked_at: chrono::DateTime::UNIX_EPOCH,
                    latency_ms: 1,
                    protocol_version: None,
                    server_name: None,
                    server_version: None,
                    tools: Vec::new(),
                    error: None,
                    phase: None,
                    stderr_tail: None,
                    ..Default::default()
                },
            }),
        }
    }

    #[test]
    fn summary_exit_code() {
        assert_eq!(summary_code(&[]), Code::Success);
        assert_eq!(summary_code(&[row(HealthStatus::Healthy)]), Code::Success);
        let mixed = [row(HealthStatus::Healthy), row(HealthStatus::NeedsAuth)];
        assert_eq!(summary_code(&mixed), Code::Unhealthy);
        let failed = [
            row(HealthStatus::Unhealthy),
            HealthRow {
                name: "x".into(),
                outcome: Err(CliError::new(Code::Connect, "refused")),
            },
        ];
        assert_eq!(summary_code(&failed), Code::Connect);
        assert_eq!(
            summary_line(&failed),
            "ai-agent: 2 of 2 MCP servers not healthy: unhealthy, x"
        );
        assert_eq!(
            unhealthy_line(mixed[1].outcome.as_ref().expect("checked")),
            "ai-agent: MCP server 'needs_auth' needs credentials"
        );
    }
}
