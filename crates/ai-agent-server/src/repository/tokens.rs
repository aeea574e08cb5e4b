use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::users::UserRow;
use crate::db::DbConnection;
use crate::schema::{api_tokens, users};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, row: &TokenRow) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The live token with this hash and its user, whatever the user's state.
pub fn find_live_by_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> QueryResult<Option<(TokenRow, UserRow)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::all_columns, users::all_columns))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)
}

pub fn live_by_prefix(conn: &mut DbConnection, prefix: &str) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::prefix.eq(prefix))
        .filter(api_tokens::revoked_at.is_null())
        .load(conn)
}

pub fn revoke(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(at))
        .execute(conn)
}

pub fn list_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::created_at.asc())
        .load(conn)
}
