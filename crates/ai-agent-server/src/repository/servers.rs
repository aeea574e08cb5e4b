use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Backend;
use crate::db::DbConnection;
use crate::schema::mcp_servers;

/// A stored server. `config` is the normalized config with its secret values
/// masked; the real values are sealed in `secrets`.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = mcp_servers, treat_none_as_default_value = false)]
pub struct ServerRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub description: Option<String>,
    pub server_type: String,
    pub config: String,
    pub secrets: String,
    pub is_global: bool,
    pub is_enabled: bool,
    pub health_status: String,
    pub last_health_check_at: Option<NaiveDateTime>,
    pub health_report: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The columns a PATCH may change; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = mcp_servers)]
pub struct ServerChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub server_type: Option<String>,
    pub config: Option<String>,
    pub secrets: Option<String>,
    pub is_global: Option<bool>,
    pub is_enabled: Option<bool>,
    pub health_status: Option<String>,
    pub last_health_check_at: Option<Option<NaiveDateTime>>,
    pub health_report: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Narrows a listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub server_type: Option<String>,
    pub is_enabled: Option<bool>,
}

pub fn insert(conn: &mut DbConnection, row: &ServerRow) -> QueryResult<()> {
    diesel::insert_into(mcp_servers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn insert_many(conn: &mut DbConnection, rows: &[ServerRow]) -> QueryResult<()> {
    // Bound parameters per statement are limited (SQLite: 32766), so insert in chunks.
    // MultiConnection cannot express a multi-row insert, so each backend does its own.
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(mcp_servers::table).values(chunk);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ServerRow>> {
    mcp_servers::table
        .filter(mcp_servers::id.eq(id))
        .filter(mcp_servers::deleted_at.is_null())
        .first(conn)
        .optional()
}

/// Like [`find_by_id`], and on PostgreSQL locks the row until the transaction
/// ends, so that concurrent updates apply one after another. (SQLite writers
/// are already serialized.)
pub fn find_by_id_for_update(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ServerRow>> {
    match conn {
        DbConnection::Pg(pg) => mcp_servers::table
            .filter(mcp_servers::id.eq(id))
            .filter(mcp_servers::deleted_at.is_null())
            .for_update()
            .first(pg)
            .optional(),
        DbConnection::Sqlite(_) => find_by_id(conn, id),
    }
}

/// The caller's own server of this name, or failing that the enabled global
/// one the caller would see in a listing.
pub fn find_visible_by_name(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
) -> QueryResult<Option<ServerRow>> {
    let own = mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::deleted_at.is_null())
        .first(conn)
        .optional()?;
    if own.is_some() {
        return Ok(own);
    }
    mcp_servers::table
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::is_global.eq(true))
        .filter(mcp_servers::is_enabled.eq(true))
        .filter(mcp_servers::deleted_at.is_null())
        .order((mcp_servers::created_at.asc(), mcp_servers::id.asc()))
        .first(conn)
        .optional()
}

pub fn find_own_by_name(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
) -> QueryResult<Option<ServerRow>> {
    mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::deleted_at.is_null())
        .first(conn)
        .optional()
}

/// The servers `user_id` sees: all of their own, plus the enabled global
/// servers of others whose name they do not use themselves.
fn visible<'a>(user_id: &'a str, filter: &'a ListFilter) -> mcp_servers::BoxedQuery<'a, Backend> {
    let own = diesel::alias!(mcp_servers as own);
    let own_names = own
        .filter(own.field(mcp_servers::user_id).eq(user_id))
        .filter(own.field(mcp_servers::deleted_at).is_null())
        .select(own.field(mcp_servers::name));
    let mut q = mcp_servers::table
        .filter(mcp_servers::deleted_at.is_null())
        .filter(
            mcp_servers::user_id.eq(user_id).or(mcp_servers::is_global
                .eq(true)
                .and(mcp_servers::is_enabled.eq(true))
                .and(mcp_servers::name.ne_all(own_names))),
        )
        .into_boxed();
    if let Some(t) = &filter.server_type {
        q = q.filter(mcp_servers::server_type.eq(t));
    }
    if let Some(e) = filter.is_enabled {
        q = q.filter(mcp_servers::is_enabled.eq(e));
    }
    q
}

pub fn list_visible(
    conn: &mut DbConnection,
    user_id: &str,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ServerRow>, i64)> {
    let total = visible(user_id, filter).count().get_result(conn)?;
    let rows = visible(user_id, filter)
        .order((mcp_servers::created_at.desc(), mcp_servers::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &ServerChanges) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn soft_delete(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set((
            mcp_servers::deleted_at.eq(at),
            mcp_servers::updated_at.eq(at),
        ))
        .execute(conn)
}
