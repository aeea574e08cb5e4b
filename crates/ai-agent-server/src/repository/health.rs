//! Storing health results, and the leases of background checking.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::columns::{DbHealthStatus, DbToolsStatus};
use super::servers::ServerRow;
use crate::db::DbConnection;
use crate::schema::{health_leases, mcp_servers};

/// A check's result as stored.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = mcp_servers)]
pub struct CheckResult<'a> {
    pub health_status: DbHealthStatus,
    pub last_health_check_at: NaiveDateTime,
    pub health_report: &'a str,
    pub tools_status: DbToolsStatus,
    /// Set when this check pinned the tools; `None` leaves the column alone.
    pub approved_tools: Option<&'a str>,
}

/// Stores a check's result, unless the server changed (its sealed secrets
/// are re-sealed with a fresh nonce on every config change), its tools were
/// approved, or it went away while it was checked. `updated_at` is left
/// alone: a check is not an edit.
pub fn store_result(
    conn: &mut DbConnection,
    checked: &ServerRow,
    result: &CheckResult<'_>,
) -> QueryResult<usize> {
    let target = mcp_servers::table
        .filter(mcp_servers::id.eq(&checked.id))
        .filter(mcp_servers::config.eq(&checked.config))
        .filter(mcp_servers::secrets.eq(&checked.secrets))
        .filter(mcp_servers::deleted_at.is_null());
    match &checked.approved_tools {
        Some(a) => diesel::update(target.filter(mcp_servers::approved_tools.eq(a)))
            .set(result)
            .execute(conn),
        None => diesel::update(target.filter(mcp_servers::approved_tools.is_null()))
            .set(result)
            .execute(conn),
    }
}

/// Every enabled server, for a background round.
pub fn enabled_servers(conn: &mut DbConnection) -> QueryResult<Vec<ServerRow>> {
    mcp_servers::table
        .filter(mcp_servers::deleted_at.is_null())
        .filter(mcp_servers::is_enabled.eq(true))
        .order(mcp_servers::id.asc())
        .load(conn)
}

/// Claims the lease of `server_id` until `until` if nobody holds it now.
/// The conditional UPDATE is the atomic step: of several instances racing,
/// exactly one sees one affected row.
pub fn claim_lease(
    conn: &mut DbConnection,
    server_id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let never = NaiveDateTime::default();
    let row = (
        health_leases::server_id.eq(server_id),
        health_leases::lease_until.eq(never),
        health_leases::holder.eq(""),
    );
    // MultiConnection cannot express ON CONFLICT, so each backend does its own.
    let insert = diesel::insert_into(health_leases::table)
        .values(row)
        .on_conflict_do_nothing();
    match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Pg(c) => insert.execute(c)?,
    };
    let n = diesel::update(
        health_leases::table
            .filter(health_leases::server_id.eq(server_id))
            .filter(health_leases::lease_until.lt(now)),
    )
    .set((
        health_leases::lease_until.eq(until),
        health_leases::holder.eq(holder),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
