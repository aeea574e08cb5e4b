//! Health checks of registered servers: who may run them, storing their
//! results, reading the last one, and the optional background checking.
//!
//! A check is not a configuration change: it is not audit-logged and does
//! not bump `updated_at`. Anyone who may see a server may check it and see
//! its last result (the report never carries secret values).

use std::time::Duration;

use futures_util::StreamExt;
use mcp_model::api::{HealthCheckResult, HealthReport};

use super::servers::{ServerRef, check_options, find_visible, row_config};
use super::{Actor, audit, off_thread, off_thread_writing, parse_uuid, tools, utc};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::health::NotRun;
use crate::repository::health::CheckResult;
use crate::repository::servers::ServerRow;
use crate::repository::{self};
use crate::state::AppState;

/// `POST …/{id}/health-check`: the owner, anyone for a global server, or an
/// admin may check; others get 404 as for any server they cannot see.
pub async fn check(
    state: &AppState,
    actor: Actor,
    server: ServerRef,
    timeout_secs: Option<u64>,
) -> Result<HealthCheckResult, AppError> {
    // Out of range: 400, as documented for this query parameter.
    if let Some(s) = timeout_secs
        && !(1..=crate::health::MAX_TIMEOUT_SECS).contains(&s)
    {
        return Err(AppError::BadRequest(format!(
            "timeout_secs: must be between 1 and {}, got {s}",
            crate::health::MAX_TIMEOUT_SECS
        )));
    }
    let db = state.db.clone();
    let caller = actor.id_str();
    // The server and its owner's role in one trip to the database.
    let (row, owner_is_admin) = off_thread(move || {
        db.read(|conn| {
            let row = find_visible(conn, &actor, &server)?;
            let admin = owner_is_admin(conn, &row)?;
            Ok((row, admin))
        })
    })
    .await?;
    check_row(state, &caller, row, owner_is_admin, timeout_secs).await
}

/// Whether the server's owner is an admin, for the stdio policy.
fn owner_is_admin(conn: &mut DbConnection, row: &ServerRow) -> Result<bool, AppError> {
    let user = repository::users::find_by_id(conn, &row.user_id)?;
    Ok(user.is_some_and(|u| u.role.0 == mcp_model::api::Role::Admin))
}

/// Checks one stored server for `caller` (whose own slots it takes) and
/// stores the result; `timeout_secs` bounds this check alone.
pub async fn check_row(
    state: &AppState,
    caller: &str,
    row: ServerRow,
    owner_is_admin: bool,
    timeout_secs: Option<u64>,
) -> Result<HealthCheckResult, AppError> {
    let mut plan = state
        .health
        .plan_for(timeout_secs, &check_options(&row)?)
        .map_err(|e| AppError::BadRequest(format!("{}: {}", e.field, e.message)))?;
    if let Some(call) = &plan.call_tool {
        plan.call_tool_pin = tools::approved_tool(&row, &call.name)?;
    }
    let config = row_config(&state.key, &row, true)?;
    let server_type = row.server_type.0;
    let report = state
        .health
        .check(caller, server_type, &config, owner_is_admin, &plan)
        .await
        .map_err(|e| match e {
            NotRun::Refused(r) => AppError::Forbidden(r.0),
            NotRun::UserBusy(detail) => AppError::TooManyRequests {
                detail,
                retry_after_secs: 5,
            },
            NotRun::Busy(m) => AppError::Unavailable(m),
        })?;
    let mut report = report;
    let settled = tools::settle(&row, &mut report, caller)?;
    let json = serde_json::to_string(&report).map_err(AppError::internal)?;
    let db = state.db.clone();
    let at = report.checked_at.naive_utc();
    let checked = row.clone();
    let status = report.status;
    let stored = off_thread_writing(&state.db, move || {
        db.write(|conn| {
            let result = CheckResult {
                health_status: status.into(),
                last_health_check_at: at,
                health_report: &json,
                tools_status: settled.status.map(Into::into),
                approved_tools: settled.pinned.as_deref(),
                healthy_tools: settled.checked.as_deref(),
            };
            let n = if still_current(conn, &checked)? {
                repository::health::store_result(conn, &checked.id, &result)?
            } else {
                0
            };
            if n > 0
                && let Some((action, details)) = settled.event
            {
                audit::record_for(
                    conn,
                    &checked.user_id,
                    action,
                    "mcp_server",
                    &checked.id,
                    details,
                )?;
            }
            Ok(n)
        })
    })
    .await?;
    if stored == 0 {
        tracing::info!(server = %row.id, "server changed, was approved or was deleted during its health check; result not stored");
    }
    Ok(HealthCheckResult {
        id: parse_uuid(&row.id)?,
        name: row.name,
        health_status: report.status,
        last_health_check_at: Some(report.checked_at),
        report,
    })
}

/// Whether the row a check read still holds what the check's result is
/// about, under the row's lock: not edited (its sealed secrets are re-sealed
/// with a fresh nonce on every config change), not deleted, its tools not
/// approved since, and no other check stored since (a slower one must not
/// replace a later verdict).
fn still_current(conn: &mut DbConnection, read: &ServerRow) -> Result<bool, AppError> {
    let Some(now) = repository::servers::find_by_id_for_update(conn, &read.id)? else {
        return Ok(false);
    };
    Ok(now.config == read.config
        && now.secrets == read.secrets
        && now.approved_tools == read.approved_tools
        && now.last_health_check_at == read.last_health_check_at)
}

/// `GET …/{id}/health`: the last stored result.
pub fn last(
    db: &crate::db::Database,
    actor: &Actor,
    server: &ServerRef,
) -> Result<HealthCheckResult, AppError> {
    let row = db.read(|conn| find_visible(conn, actor, server))?;
    let Some(text) = &row.health_report else {
        return Err(AppError::NotFound(format!(
            "MCP server '{}' has not been health-checked yet (POST /api/v1/mcp-servers/{}/health-check runs a check)",
            row.name, row.id
        )));
    };
    let report: HealthReport = serde_json::from_str(text).map_err(|e| {
        AppError::internal(format!(
            "stored health report of {} is invalid: {e}",
            row.id
        ))
    })?;
    Ok(HealthCheckResult {
        id: parse_uuid(&row.id)?,
        name: row.name,
        health_status: report.status,
        last_health_check_at: row.last_health_check_at.map(utc),
        report,
    })
}

/// The caller background checks run as; no user id looks like it.
const BACKGROUND: &str = "(background)";

/// One background round: every enabled server this instance can claim the
/// lease of (for `interval`) is checked once. Servers the policy refuses
/// are skipped without a lease or a result. Returns how many were checked.
pub async fn background_round(state: &AppState, interval: Duration) -> Result<usize, AppError> {
    let db = state.db.clone();
    let rows =
        off_thread(move || db.read(|conn| Ok(repository::health::enabled_servers(conn)?))).await?;
    let lease = chrono::Duration::from_std(interval).map_err(AppError::internal)?;
    let mut claimed = Vec::new();
    for row in rows {
        // A server its owner keeps out of background checks.
        if !check_options(&row).is_ok_and(|o| o.background) {
            continue;
        }
        let Ok(config) = row_config(&state.key, &row, true) else {
            continue;
        };
        let db = state.db.clone();
        let owned = row.clone();
        let admin = off_thread(move || db.read(|conn| owner_is_admin(conn, &owned))).await?;
        if state.health.precheck(&config, admin).is_err() {
            continue;
        }
        let db = state.db.clone();
        let id = row.id.clone();
        let holder = state.health.instance().to_string();
        let won = off_thread_writing(&state.db, move || {
            db.write(|conn| {
                let now = repository::now();
                Ok(repository::health::claim_lease(
                    conn,
                    &id,
                    &holder,
                    now,
                    now + lease,
                )?)
            })
        })
        .await?;
        if won {
            claimed.push((row, admin));
        }
    }
    let n = claimed.len();
    // As many as the one background caller's slots: the rest of the shared
    // slots stay free for on-demand checks.
    let concurrency = state.health.per_user_cap();
    futures_util::stream::iter(claimed)
        .for_each_concurrent(concurrency, |(row, admin)| async move {
            let id = row.id.clone();
            // One caller for every background check: they share their slots.
            if let Err(e) = check_row(state, BACKGROUND, row, admin, None).await {
                tracing::warn!(server = %id, error = %e, "background health check failed to run");
            }
        })
        .await;
    Ok(n)
}

/// Runs [`background_round`] every `interval` until the task is dropped.
pub async fn background_loop(state: AppState, interval: Duration) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match background_round(&state, interval).await {
            Ok(n) if n > 0 => tracing::info!(checked = n, "background health checks done"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "background health round failed"),
        }
    }
}
