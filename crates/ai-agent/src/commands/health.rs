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
use crate::client::{Client, ClientError, is_not_found};
use crate::exit::{CliError, CliResult, Code};
use crate::output::HealthRow;

pub(crate) async fn check(ctx: &Ctx, a: &HealthCheckArgs) -> CliResult {
    match &a.server {
        Some(server) if !a.all => one(ctx, server).await,
        _ => all(ctx, a).await,
    }
}

async fn one(ctx: &Ctx, server: &str) -> CliResult {
    let client = ctx.client()?;
    let h = match client.health_check(server).await {
        Ok(h) => h,
        Err(e) => return Err(super::suggest::unknown_server(&client, server, e).await),
    };
    if ctx.out.json() {
        ctx.out.print_json(&h)?;
    } else {
        ctx.out.print(&ctx.out.health(&h))?;
    }
    if h.health_status == HealthStatus::Healthy {
        ok()
    } else {
        eprintln!("{}", unhealthy_line(&h));
        Ok(Code::Unhealthy)
    }
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
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let outcome = client.health_check(&id).await.map_err(CliError::from);
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
    if code != Code::Success {
        eprintln!("{}", summary_line(&rows));
    }
    Ok(code)
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

/// The error for a 404 from the last-health endpoint: if the server exists
/// it was never checked, and the way out is a CLI command, not the API call
/// the server's detail names.
async fn never_checked(client: &Client, server: &str, e: ClientError) -> CliError {
    match client.get_server(server, false).await {
        Ok(s) => CliError::new(
            Code::NotFound,
            format!("MCP server '{}' has not been health-checked yet", s.name),
        )
        .with_hint(format!("run `ai-agent mcp health-check {}` first", s.name)),
        Err(_) => super::suggest::unknown_server(client, server, e).await,
    }
}

/// A failure to check outranks a server found unhealthy.
fn summary_code(rows: &[HealthRow]) -> Code {
    if let Some(e) = rows.iter().find_map(|r| r.outcome.as_ref().err()) {
        return e.code;
    }
    if rows
        .iter()
        .all(|r| matches!(&r.outcome, Ok(h) if h.health_status == HealthStatus::Healthy))
    {
        Code::Success
    } else {
        Code::Unhealthy
    }
}

pub(crate) async fn tools(ctx: &Ctx, server: &str) -> CliResult {
    let client = ctx.client()?;
    let h = match client.last_health(server).await {
        Ok(h) => h,
        Err(e) if is_not_found(&e) => return Err(never_checked(&client, server, e).await),
        Err(e) => return Err(e.into()),
    };
    if ctx.out.json() {
        ctx.out.print_json(&h.report.tools)?;
    } else {
        ctx.out.print(&ctx.out.tools(&h.report.tools))?;
    }
    ok()
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
                    warnings: Vec::new(),
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
