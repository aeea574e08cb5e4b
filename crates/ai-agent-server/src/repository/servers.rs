use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::columns::{DbHealthStatus, DbServerType, DbToolsStatus};
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
    pub server_type: DbServerType,
    /// The normalized config as JSON, secret values replaced by `***`.
    pub config: String,
    /// The real secret values, sealed with the row id as associated data so
    /// that they cannot be moved to another row.
    pub secrets: String,
    pub is_global: bool,
    pub is_enabled: bool,
    pub health_status: DbHealthStatus,
    pub last_health_check_at: Option<NaiveDateTime>,
    /// The last `HealthReport` as JSON, served by `GET …/{id}/health`.
    pub health_report: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Soft delete: set rows are invisible to every query but kept for the audit trail.
    pub deleted_at: Option<NaiveDateTime>,
    pub tools_status: DbToolsStatus,
    /// The approved tools as JSON (`services::tools::Approved`), once pinned.
    pub approved_tools: Option<String>,
    /// The last healthy check's tools as JSON (`services::tools::Checked`),
    /// which the diff and an approval are about.
    pub healthy_tools: Option<String>,
    /// `CheckOptions` as JSON.
    pub check_options: String,
}

/// A server as a listing or an export reads it: every column but the last
/// report and the two tool sets, which hold whole tool definitions and are
/// what makes a row large; neither shows them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mcp_servers)]
pub struct ListedRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub description: Option<String>,
    pub server_type: DbServerType,
    pub config: String,
    pub secrets: String,
    pub is_global: bool,
    pub is_enabled: bool,
    pub health_status: DbHealthStatus,
    pub last_health_check_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub tools_status: DbToolsStatus,
    pub check_options: String,
}

impl From<ListedRow> for ServerRow {
    fn from(r: ListedRow) -> Self {
        ServerRow {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            description: r.description,
            server_type: r.server_type,
            config: r.config,
            secrets: r.secrets,
            is_global: r.is_global,
            is_enabled: r.is_enabled,
            health_status: r.health_status,
            last_health_check_at: r.last_health_check_at,
            health_report: None,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: None,
            tools_status: r.tools_status,
            approved_tools: None,
            healthy_tools: None,
            check_options: r.check_options,
        }
    }
}

/// The columns a PATCH may change; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = mcp_servers)]
pub struct ServerChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub server_type: Option<DbServerType>,
    pub config: Option<String>,
    pub secrets: Option<String>,
    pub is_global: Option<bool>,
    pub is_enabled: Option<bool>,
    pub health_status: Option<DbHealthStatus>,
    pub last_health_check_at: Option<Option<NaiveDateTime>>,
    pub health_report: Option<Option<String>>,
    pub tools_status: Option<DbToolsStatus>,
    pub check_options: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Narrows a listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub server_type: Option<DbServerType>,
    pub is_enabled: Option<bool>,
}

pub(crate) fn insert(conn: &mut DbConnection, row: &ServerRow) -> QueryResult<()> {
    diesel::insert_into(mcp_servers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Many rows at once (see [`super::insert_many!`]).
pub(crate) fn insert_many(conn: &mut DbConnection, rows: &[ServerRow]) -> QueryResult<()> {
    super::insert_many!(conn, mcp_servers::table, rows)
}

/// Approves a set of tools (the caller holds the row's lock).
pub(crate) fn set_approved_tools(
    conn: &mut DbConnection,
    id: &str,
    status: DbToolsStatus,
    approved: &str,
) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.filter(mcp_servers::id.eq(id)))
        .set((
            mcp_servers::tools_status.eq(status),
            mcp_servers::approved_tools.eq(Some(approved)),
        ))
        .execute(conn)
}

pub(crate) fn find_by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ServerRow>> {
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

/// Up to two live servers of this name, whoever owns them: for an admin's
/// lookup by name, which must be unambiguous.
pub fn find_any_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Vec<ServerRow>> {
    mcp_servers::table
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::deleted_at.is_null())
        .order(mcp_servers::id.asc())
        .limit(2)
        .load(conn)
}

pub(crate) fn find_own_by_name(
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

pub(crate) fn update(
    conn: &mut DbConnection,
    id: &str,
    changes: &ServerChanges,
) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set(changes)
        .execute(conn)
}

pub(crate) fn soft_delete(
    conn: &mut DbConnection,
    id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set((
            mcp_servers::deleted_at.eq(at),
            mcp_servers::updated_at.eq(at),
        ))
        .execute(conn)
}

/// The ids and names of a user's live servers, to tell in one query which
/// servers of an import already exist.
/// The names of a user's live servers as hashes of `hasher`, read row by row
/// (the names themselves are never all in memory: a user of 100,000
/// servers would hold 8 MB of them). A hash says that a name may be taken;
/// [`own_ids_by_name`] tells for sure.
pub fn own_name_hashes(
    conn: &mut DbConnection,
    user_id: &str,
    hasher: &impl std::hash::BuildHasher,
) -> QueryResult<std::collections::HashSet<u64>> {
    use diesel::connection::DefaultLoadingMode;
    let q = mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::deleted_at.is_null())
        .select(mcp_servers::name);
    let mut hashes = std::collections::HashSet::new();
    match conn {
        // libpq would otherwise hold the whole result at once.
        DbConnection::Pg(pg) => {
            for name in q.load_iter::<String, diesel::pg::PgRowByRowLoadingMode>(pg)? {
                hashes.insert(hasher.hash_one(name?));
            }
        }
        DbConnection::Sqlite(lite) => {
            for name in q.load_iter::<String, DefaultLoadingMode>(lite)? {
                hashes.insert(hasher.hash_one(name?));
            }
        }
    }
    Ok(hashes)
}

/// The ids of those of `names` a user's live servers have, with their names.
pub fn own_ids_by_name(
    conn: &mut DbConnection,
    user_id: &str,
    names: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::name.eq_any(names))
        .filter(mcp_servers::deleted_at.is_null())
        .select((mcp_servers::id, mcp_servers::name))
        .load(conn)
}

/// On PostgreSQL, locks every live server of a user, in id order, until the
/// transaction ends, without reading them into memory: writers that lock
/// them all first cannot deadlock each other. SQLite's writers are
/// serialized already.
pub fn lock_own(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query(
            "SELECT count(*) FROM (SELECT 1 FROM mcp_servers \
             WHERE user_id = $1 AND deleted_at IS NULL ORDER BY id FOR UPDATE) locked",
        )
        .bind::<diesel::sql_types::Text, _>(user_id)
        .execute(pg)?;
    }
    Ok(())
}

/// How many live servers a user owns, for the per-user limit.
pub fn count_own(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// An existing server's new config, from an import that overrides it.
#[derive(Debug, Clone)]
pub struct ServerOverride {
    pub id: String,
    pub server_type: DbServerType,
    pub config: String,
    pub secrets: String,
    pub is_enabled: bool,
    /// `None` keeps the stored description.
    pub description: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// Rows per statement: 7 parameters each stays far below SQLite's limit of
/// 32766 and PostgreSQL's of 65535.
const OVERRIDE_CHUNK: usize = 500;

/// Applies many overrides with one `UPDATE … FROM (VALUES …)` statement per
/// chunk rather than one round trip per row. Each override resets the health
/// status, which was of the old config. (Both backends name the columns of a
/// VALUES list column1, column2, …; SQLite has UPDATE … FROM since 3.33.)
pub fn update_many(conn: &mut DbConnection, rows: &[ServerOverride]) -> QueryResult<usize> {
    use diesel::sql_types::{Bool, Nullable, Text, Timestamp};

    fn sql(rows: usize, pg: bool) -> String {
        let mut n = 0;
        let mut p = || {
            n += 1;
            if pg { format!("${n}") } else { "?".to_string() }
        };
        let values: Vec<String> = (0..rows)
            .map(|_| {
                let ps: Vec<String> = (0..7).map(|_| p()).collect();
                format!("({})", ps.join(", "))
            })
            .collect();
        format!(
            "UPDATE mcp_servers SET server_type = v.column2, config = v.column3, secrets = v.column4, \
             is_enabled = v.column5, description = COALESCE(v.column6, mcp_servers.description), \
             health_status = 'unknown', health_report = NULL, tools_status = 'unpinned', last_health_check_at = NULL, updated_at = v.column7 \
             FROM (VALUES {}) AS v WHERE mcp_servers.id = v.column1 AND mcp_servers.deleted_at IS NULL",
            values.join(", ")
        )
    }

    macro_rules! run {
        ($c:expr, $backend:ty, $pg:expr, $chunk:expr) => {{
            let mut q = diesel::sql_query(sql($chunk.len(), $pg)).into_boxed::<$backend>();
            for r in $chunk {
                q = q
                    .bind::<Text, _>(r.id.clone())
                    .bind::<Text, _>(r.server_type)
                    .bind::<Text, _>(r.config.clone())
                    .bind::<Text, _>(r.secrets.clone())
                    .bind::<Bool, _>(r.is_enabled)
                    .bind::<Nullable<Text>, _>(r.description.clone())
                    .bind::<Timestamp, _>(r.updated_at);
            }
            q.execute($c)?
        }};
    }

    let mut updated = 0;
    for chunk in rows.chunks(OVERRIDE_CHUNK) {
        updated += match conn {
            DbConnection::Sqlite(c) => run!(c, diesel::sqlite::Sqlite, false, chunk),
            DbConnection::Pg(c) => run!(c, diesel::pg::Pg, true, chunk),
        };
    }
    Ok(updated)
}

/// Any one row's id and sealed secrets (deleted rows too: they stay sealed),
/// to learn whether the database holds secrets and whether a key opens them.
pub fn any_sealed(conn: &mut DbConnection) -> QueryResult<Option<(String, String)>> {
    mcp_servers::table
        .select((mcp_servers::id, mcp_servers::secrets))
        .first(conn)
        .optional()
}

/// Every row's id, stored config and sealed secrets, deleted rows too.
pub fn all_stored_configs(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    mcp_servers::table
        .select((mcp_servers::id, mcp_servers::config, mcp_servers::secrets))
        .load(conn)
}

/// Rewrites a row's stored config and sealed secrets, nothing else.
pub fn set_stored_config(
    conn: &mut DbConnection,
    id: &str,
    config: &str,
    secrets: &str,
) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set((
            mcp_servers::config.eq(config),
            mcp_servers::secrets.eq(secrets),
        ))
        .execute(conn)
}

/// Every row's id and sealed secrets (deleted rows too), for re-sealing.
pub fn all_sealed(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    mcp_servers::table
        .select((mcp_servers::id, mcp_servers::secrets))
        .load(conn)
}

/// Replaces one row's sealed secrets.
pub fn set_sealed(conn: &mut DbConnection, id: &str, sealed: &str) -> QueryResult<usize> {
    diesel::update(mcp_servers::table.find(id))
        .set(mcp_servers::secrets.eq(sealed))
        .execute(conn)
}
