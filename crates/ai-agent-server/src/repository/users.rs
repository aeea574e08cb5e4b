use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::users;

/// A user as stored; users are deactivated, never deleted, so their servers keep an owner.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: super::columns::DbRole,
    pub is_active: bool,
    pub created_at: chrono::NaiveDateTime,
}

pub(crate) fn insert(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub(crate) fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::name.eq(name))
        .first(conn)
        .optional()
}

pub(crate) fn find_by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table.find(id).first(conn).optional()
}

pub(crate) fn list(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table.order(users::name.asc()).load(conn)
}

pub(crate) fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub(crate) fn set_active(conn: &mut DbConnection, id: &str, active: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::is_active.eq(active))
        .execute(conn)
}
