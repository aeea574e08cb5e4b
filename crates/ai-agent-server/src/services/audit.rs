//! The audit log: one row per change, written in the change's own transaction
//! so that a change and its record stand or fall together.

use mcp_model::api::{AuditEntry, AuditList};
use serde_json::Value;
use uuid::Uuid;

use super::{Actor, parse_uuid, utc};

use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::repository::{self, audit::AuditRow};

pub(crate) fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    resource_type: &str,
    resource_id: &str,
    details: Value,
) -> Result<(), AppError> {
    record_for(
        conn,
        &actor.id_str(),
        action,
        resource_type,
        resource_id,
        details,
    )
}

/// An entry in `user_id`'s log for what no request of theirs did, such as
/// a background check noticing that their server's tools changed.
pub(crate) fn record_for(
    conn: &mut DbConnection,
    user_id: &str,
    action: &str,
    resource_type: &str,
    resource_id: &str,
    details: Value,
) -> Result<(), AppError> {
    repository::audit::insert(
        conn,
        &AuditRow {
            id: Uuid::now_v7().to_string(),
            user_id: user_id.to_string(),
            action: action.to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
            details: details.to_string(),
            created_at: repository::now(),
        },
    )?;
    Ok(())
}

/// The caller's own entries; an admin sees everyone's.
pub fn list(
    db: &Database,
    actor: &Actor,
    resource_id: Option<&str>,
    page: super::Page,
) -> Result<AuditList, AppError> {
    let user = (!actor.is_admin()).then(|| actor.id_str());
    let (rows, total) = db.read(|conn| {
        Ok(repository::audit::list(
            conn,
            user.as_deref(),
            resource_id,
            page.limit,
            page.offset,
        )?)
    })?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(AuditEntry {
                id: parse_uuid(&r.id)?,
                user_id: parse_uuid(&r.user_id)?,
                action: r.action,
                resource_type: r.resource_type,
                resource_id: r.resource_id,
                details: serde_json::from_str(&r.details).unwrap_or(Value::String(r.details)),
                created_at: utc(r.created_at),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(AuditList { items, total })
}
