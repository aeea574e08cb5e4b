//! health-check (one server or all) and the tools found by the last check.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mcp_model::api::HealthStatus;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Ctx, ok};
use crate::cli::HealthCheckArgs;
use crate::exit::{CliError, CliResult, Code};
use crate::output::HealthRow;

/// How many checks run at once with `--all`: each may spawn a process on the server.
const PARALLEL: usize = 8;

pub async fn check(ctx: &Ctx, a: &HealthCheckArgs) -> CliResult {
    match &a.server {
        Some(server) if !a.all => one(ctx, server).await,
        _ => all(ctx).await,
    }
}

async fn one(ctx: &Ctx, server: &str) -> CliResult {
    let h = ctx.client()?.health_check(server).await?;
    if ctx.out.json() {
        ctx.out.print_json(&h)?;
    } else {
        ctx.out.print(&ctx.out.health(&h))?;
    }
    if h.health_status == HealthStatus::Healthy {
        ok()
    } else {
        Ok(Code::Unhealthy)
    }
}

async fn all(ctx: &Ctx) -> CliResult {
    let client = ctx.client()?;
    let servers = client.list_all_servers(false).await?;
    let bar = ProgressBar::new(servers.len() as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} checking {pos}/{len} {bar:30} {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let gate = Arc::new(Semaphore::new(PARALLEL));
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
    Ok(summary_code(&rows))
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

pub async fn tools(ctx: &Ctx, server: &str) -> CliResult {
    let h = ctx.client()?.last_health(server).await?;
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
    use mcp_model::api::{HealthCheckResult, HealthReport};

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
    }
}
