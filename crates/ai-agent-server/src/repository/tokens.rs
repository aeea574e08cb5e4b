use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::users::UserRow;
use crate::db::DbConnection;
use crate::schema::{api_tokens, users};

/// An API token as stored: only its hash, so a database dump reveals no usable token.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    /// Hex SHA-256 of the whole token; the token itself is never stored.
    pub token_hash: String,
    /// The token's visible start: narrows the lookup and names the token to revoke.
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    /// Revocation keeps the row as a record; authentication and listings skip it.
    pub revoked_at: Option<NaiveDateTime>,
}

pub(crate) fn insert(conn: &mut DbConnection, row: &TokenRow) -> QueryResult<()> {
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

/// Records a use of each token, in one statement per 500.
pub(crate) fn touch_many(
    conn: &mut DbConnection,
    ids: &[String],
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += diesel::update(api_tokens::table.filter(api_tokens::id.eq_any(chunk)))
            .set(api_tokens::last_used_at.eq(at))
            .execute(conn)?;
    }
    Ok(n)
}

pub(crate) fn live_by_prefix(conn: &mut DbConnection, prefix: &str) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::prefix.eq(prefix))
        .filter(api_tokens::revoked_at.is_null())
        .load(conn)
}

pub(crate) fn revoke(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(at))
        .execute(conn)
}

pub(crate) fn list_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::created_at.asc())
        .load(conn)
}
