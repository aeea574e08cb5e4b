//! Diesel queries, one module per table. Rows here are storage shapes; the
//! services turn them into API types.

pub mod audit;
pub mod columns;
pub mod copy;
#[cfg(feature = "test-support")]
pub mod explain;
pub mod health;
pub mod meta;
pub mod servers;
pub mod tokens;
pub mod users;
pub mod visible;

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// Rows of a multi-row insert on SQLite: one statement of a fixed size,
/// prepared once per connection; 100 rows of 19 columns bind 1,900 values,
/// well within SQLite's 32,766.
pub(crate) const BATCH: usize = 100;

/// Backend of [`DbConnection`](crate::db::DbConnection), for boxed queries.
pub type Backend = <crate::db::DbConnection as diesel::Connection>::Backend;

/// Now, in UTC, to the microsecond: PostgreSQL keeps no more, so both
/// backends store (and a copy between them keeps) the same instant.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
