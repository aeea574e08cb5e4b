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
    /// `None` (a failing check) leaves the column alone.
    pub tools_status: Option<DbToolsStatus>,
    /// Set when this check pinned the tools; `None` leaves the column alone.
    pub approved_tools: Option<&'a str>,
    /// Set by a healthy check; `None` leaves the column alone.
    pub healthy_tools: Option<&'a str>,
}

/// Stores a check's result on the server's row (the caller has decided,
/// under the row's lock, that the result still describes it).
pub fn store_result(
    conn: &mut DbConnection,
    id: &str,
    result: &CheckResult<'_>,
) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.filter(mcp_servers::id.eq(id)))
        .set(result)
        .execute(conn)
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
