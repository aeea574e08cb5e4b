//! The `meta` table: one text value per key.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::meta;

/// The fingerprint of the key that sealed this database's secrets.
pub const KEY_FINGERPRINT: &str = "key_fingerprint";
/// Rewritten by the readiness probe.
pub const READY_PROBE: &str = "ready_probe";
/// Set once stored URL query values have been moved into the sealed secrets.
pub const QUERY_SECRETS_SEALED: &str = "query_secrets_sealed";

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    meta::table
        .find(key)
        .select(meta::value)
        .first(conn)
        .optional()
}

/// Sets `key`, inserting it when absent (callers hold a write transaction).
pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<()> {
    let n = diesel::update(meta::table.find(key))
        .set(meta::value.eq(value))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(meta::table)
            .values((meta::key.eq(key), meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}

/// Inserts `key` only if absent; says whether it did. Instances starting
/// together race here: the unique key picks one winner.
pub fn insert_new(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<bool> {
    match diesel::insert_into(meta::table)
        .values((meta::key.eq(key), meta::value.eq(value)))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}
