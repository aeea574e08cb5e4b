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

/// Inserts many rows of `$table` at once: on PostgreSQL one `COPY`
/// (binary); on SQLite multi-row inserts of [`BATCH`] rows, whose statement
/// diesel prepares once and keeps (a statement for a slice of any length is
/// parsed anew each time: 8 % of an import). MultiConnection can express
/// neither, so each backend does its own. A macro, as diesel's bounds for
/// "any insertable table" are longer than this.
macro_rules! insert_many {
    ($conn:expr, $table:path, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Pg(c) if !rows.is_empty() => {
                diesel::copy_from($table).from_insertable(rows).execute(c)?;
            }
            $crate::db::DbConnection::Pg(_) => {}
            $crate::db::DbConnection::Sqlite(c) => {
                let (batches, rest) = rows.as_chunks::<{ $crate::repository::BATCH }>();
                for batch in batches {
                    diesel::insert_into($table).values(batch).execute(c)?;
                }
                if !rest.is_empty() {
                    diesel::insert_into($table).values(rest).execute(c)?;
                }
            }
        }
        Ok(())
    }};
}
pub(crate) use insert_many;

/// Backend of [`DbConnection`](crate::db::DbConnection), for boxed queries.
pub type Backend = <crate::db::DbConnection as diesel::Connection>::Backend;

/// Now, in UTC, to the microsecond: PostgreSQL keeps no more, so both
/// backends store (and a copy between them keeps) the same instant.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
