//! Tool pinning: the first healthy check pins the tools a server offers;
//! later checks compare against that set and flag a server whose tools were
//! added, removed or changed, until its owner approves the new set.
//!
//! The approved set lives in its own column, apart from the last report, so
//! that no check can overwrite what a person approved.

use chrono::{DateTime, Utc};
use mcp_model::api::{ApproveTools, HealthReport, HealthStatus, ToolInfo, ToolsDiff, ToolsStatus};
use mcp_model::tools::{changes, compare, set_fingerprint};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::servers::{ServerRef, find_visible};
use super::{Actor, audit, parse_uuid, utc};
use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::repository::servers::ServerRow;
use crate::repository::{self};

/// The `approved_tools` column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Approved {
    pub approved_at: DateTime<Utc>,
    /// `None` when the first healthy check pinned the set.
    pub approved_by: Option<Uuid>,
    pub fingerprint: String,
    pub tools: Vec<ToolInfo>,
}

impl Approved {
    fn of(row: &ServerRow) -> Result<Option<Approved>, AppError> {
        row.approved_tools
            .as_deref()
            .map(|text| {
                serde_json::from_str(text).map_err(|e| {
                    AppError::internal(format!(
                        "stored approved tools of {} are invalid: {e}",
                        row.id
                    ))
                })
            })
            .transpose()
    }

    fn to_json(&self) -> Result<String, AppError> {
        serde_json::to_string(self).map_err(AppError::internal)
    }
}

/// The `healthy_tools` column: the last healthy check's tools, which a
/// failing check does not replace.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Checked {
    pub checked_at: DateTime<Utc>,
    pub tools: Vec<ToolInfo>,
}

impl Checked {
    fn of(row: &ServerRow) -> Option<Checked> {
        serde_json::from_str(row.healthy_tools.as_deref()?).ok()
    }
}

/// What a check means for the pin, decided before its result is stored.
/// `None` fields leave their columns as they are: a failing check says
/// nothing of the tools.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    pub status: Option<ToolsStatus>,
    /// The new `approved_tools`, when this check pinned the set.
    pub pinned: Option<String>,
    /// The new `healthy_tools`, for a healthy check.
    pub checked: Option<String>,
    /// An audit entry to write with the result: (action, details).
    pub event: Option<(&'static str, serde_json::Value)>,
}

/// Compares a check's tools with the approved set and records the verdict
/// in `report`. Only a healthy check counts: a failing one says nothing of
/// the tools, so the status stays as it was.
pub(crate) fn settle(
    row: &ServerRow,
    report: &mut HealthReport,
    caller: &str,
) -> Result<Settled, AppError> {
    if report.status != HealthStatus::Healthy {
        report.tools_status = row.tools_status.0;
        return Ok(Settled::default());
    }
    let checked = serde_json::to_string(&Checked {
        checked_at: report.checked_at,
        tools: report.tools.clone(),
    })
    .map_err(AppError::internal)?;
    let fingerprint = set_fingerprint(&report.tools);
    let Some(approved) = Approved::of(row)? else {
        report.tools_status = ToolsStatus::Approved;
        let pin = Approved {
            approved_at: report.checked_at,
            approved_by: None,
            fingerprint: fingerprint.clone(),
            tools: report.tools.clone(),
        };
        return Ok(Settled {
            status: Some(ToolsStatus::Approved),
            pinned: Some(pin.to_json()?),
            checked: Some(checked),
            event: Some((
                "tools_pinned",
                json!({"by": caller, "tools": report.tools.len(), "fingerprint": fingerprint}),
            )),
        });
    };
    if approved.fingerprint == fingerprint {
        report.tools_status = ToolsStatus::Approved;
        return Ok(Settled {
            status: Some(ToolsStatus::Approved),
            checked: Some(checked),
            ..Settled::default()
        });
    }
    let diff = changes(&approved.tools, &report.tools);
    // One entry per new set, not one per background round that sees it again.
    let seen_before = row.tools_status.0 == ToolsStatus::Changed
        && Checked::of(row).is_some_and(|c| set_fingerprint(&c.tools) == fingerprint);
    let event = (!seen_before).then(|| {
        (
            "tools_changed",
            json!({
                "by": caller,
                "added": diff.added,
                "removed": diff.removed,
                "changed": diff.changed,
                "fingerprint": fingerprint,
            }),
        )
    });
    tracing::warn!(server = %row.id, changes = %diff.summary(), "tools differ from the approved set");
    report.tools_status = ToolsStatus::Changed;
    report.tool_changes = Some(diff);
    Ok(Settled {
        status: Some(ToolsStatus::Changed),
        pinned: None,
        checked: Some(checked),
        event,
    })
}

/// The approved fingerprint of the tool named `name`, when the server's
/// tools are pinned: a check calls that tool only while it is unchanged.
pub(crate) fn approved_tool(row: &ServerRow, name: &str) -> Result<Option<String>, AppError> {
    Ok(Approved::of(row)?
        .and_then(|a| a.tools.into_iter().find(|t| t.name == name))
        .and_then(|t| t.fingerprint))
}

/// `GET …/{id}/tools/diff`: anyone who may see the server.
pub fn diff(db: &Database, actor: &Actor, server: &ServerRef) -> Result<ToolsDiff, AppError> {
    let row = db.read(|conn| find_visible(conn, actor, server))?;
    diff_of(&row)
}

fn diff_of(row: &ServerRow) -> Result<ToolsDiff, AppError> {
    let approved = Approved::of(row)?;
    let current = Checked::of(row);
    let (added, removed, changed) = match (&approved, &current) {
        (Some(a), Some(c)) => compare(&a.tools, &c.tools),
        _ => Default::default(),
    };
    Ok(ToolsDiff {
        id: parse_uuid(&row.id)?,
        name: row.name.clone(),
        tools_status: row.tools_status.0,
        approved_at: approved.as_ref().map(|a| a.approved_at),
        approved_by: approved.as_ref().and_then(|a| a.approved_by),
        checked_at: current.as_ref().map(|c| c.checked_at),
        fingerprint: current.as_ref().map(|c| set_fingerprint(&c.tools)),
        added,
        removed,
        changed,
    })
}

/// `POST …/{id}/tools/approve`: the owner, or an admin for a global server,
/// approves the tools of the last healthy check.
pub fn approve(
    db: &Database,
    actor: &Actor,
    server: &ServerRef,
    req: &ApproveTools,
) -> Result<ToolsDiff, AppError> {
    db.write(|conn| {
        let seen = find_visible(conn, actor, server)?;
        if seen.user_id != actor.id_str() && !(seen.is_global && actor.is_admin()) {
            return Err(AppError::Forbidden(
                "only the server's owner (or an admin, for a global server) may approve its tools"
                    .into(),
            ));
        }
        let row = repository::servers::find_by_id_for_update(conn, &seen.id)?.ok_or_else(|| {
            AppError::NotFound(format!("MCP server with {} not found", server.describe()))
        })?;
        let Some(current) = Checked::of(&row) else {
            return Err(AppError::Conflict(format!(
                "MCP server '{}' has no healthy check whose tools could be approved; run a health check first",
                row.name
            )));
        };
        let fingerprint = set_fingerprint(&current.tools);
        if let Some(reviewed) = &req.fingerprint
            && *reviewed != fingerprint
        {
            return Err(AppError::Conflict(format!(
                "the tools of MCP server '{}' changed since the set you reviewed ({reviewed}); the last check's set is {fingerprint}: review the diff again",
                row.name
            )));
        }
        store_approval(conn, actor, &row, current.tools, fingerprint)
    })
}

fn store_approval(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &ServerRow,
    tools: Vec<ToolInfo>,
    fingerprint: String,
) -> Result<ToolsDiff, AppError> {
    let before = Approved::of(row)?;
    let diff = before
        .as_ref()
        .map(|b| changes(&b.tools, &tools))
        .unwrap_or_default();
    let approved = Approved {
        approved_at: utc(repository::now()),
        approved_by: Some(actor.id),
        fingerprint: fingerprint.clone(),
        tools,
    };
    let json = approved.to_json()?;
    repository::servers::set_approved_tools(conn, &row.id, ToolsStatus::Approved.into(), &json)?;
    audit::record(
        conn,
        actor,
        "tools_approved",
        "mcp_server",
        &row.id,
        json!({
            "tools": approved.tools.len(),
            "fingerprint": fingerprint,
            "added": diff.added,
            "removed": diff.removed,
            "changed": diff.changed,
        }),
    )?;
    let mut now = row.clone();
    now.approved_tools = Some(json);
    now.tools_status = ToolsStatus::Approved.into();
    diff_of(&now)
}
