use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::audit_logs;

/// One audit entry as stored; rows are only ever inserted, never changed.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = audit_logs, treat_none_as_default_value = false)]
pub struct AuditRow {
    pub id: String,
    pub user_id: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    /// JSON text; it never holds secret values.
    pub details: String,
    pub created_at: NaiveDateTime,
}

pub(crate) fn insert(conn: &mut DbConnection, row: &AuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_logs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// One page of the log, newest first; `user_id` limits it to one user's actions.
pub fn list(
    conn: &mut DbConnection,
    user_id: Option<&str>,
    resource_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let query = || {
        let mut q = audit_logs::table.into_boxed::<super::Backend>();
        if let Some(u) = user_id {
            q = q.filter(audit_logs::user_id.eq(u.to_string()));
        }
        if let Some(r) = resource_id {
            q = q.filter(audit_logs::resource_id.eq(r.to_string()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((audit_logs::created_at.desc(), audit_logs::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// Many entries at once (see [`super::insert_many!`]).
pub fn insert_many(conn: &mut DbConnection, rows: &[AuditRow]) -> QueryResult<()> {
    super::insert_many!(conn, audit_logs::table, rows)
}
