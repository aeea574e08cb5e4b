//! Diesel queries, one module per table. Rows here are storage shapes; the
//! services turn them into API types.

pub mod audit;
pub mod health;
pub mod servers;
pub mod tokens;
pub mod users;

use chrono::{NaiveDateTime, Utc};

/// Backend of [`DbConnection`](crate::db::DbConnection), for boxed queries.
pub type Backend = <crate::db::DbConnection as diesel::Connection>::Backend;

/// Now, in UTC, as stored.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}
