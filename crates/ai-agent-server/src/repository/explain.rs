//! The plans the database makes for the listing's queries, for the tests
//! that keep them from regressing to scans of the whole table (test
//! support only). The SQL is rendered from the same diesel queries the
//! repository runs.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::query_builder::{QueryBuilder, QueryFragment};
use diesel::sql_types::Text;

use super::Backend;
use super::servers::ListFilter;
use super::visible::{self, After};
use crate::db::{DbConnection, MultiBackend};

#[derive(QueryableByName)]
struct SqliteLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

type Qb = <Backend as diesel::backend::Backend>::QueryBuilder;

/// The plan of `q`, one line per step. On PostgreSQL, sequential scans are
/// priced out and the plan is the generic one (its parameters unknown), so
/// that a scan shows only where no index serves the query, however few rows
/// the test database holds.
pub fn plan(conn: &mut DbConnection, q: &impl QueryFragment<Backend>) -> QueryResult<String> {
    match conn {
        DbConnection::Sqlite(c) => {
            let mut qb = Qb::Sqlite(diesel::sqlite::SqliteQueryBuilder::new());
            QueryFragment::<Backend>::to_sql(
                q,
                &mut qb,
                &MultiBackend::Sqlite(diesel::sqlite::Sqlite),
            )?;
            // Unbound parameters are NULL, which does not change the plan.
            let lines: Vec<SqliteLine> =
                diesel::sql_query(format!("EXPLAIN QUERY PLAN {}", qb.finish())).load(c)?;
            Ok(lines
                .into_iter()
                .map(|l| l.detail)
                .collect::<Vec<_>>()
                .join("\n"))
        }
        DbConnection::Pg(c) => {
            let mut qb = Qb::Pg(diesel::pg::PgQueryBuilder::default());
            QueryFragment::<Backend>::to_sql(q, &mut qb, &MultiBackend::Pg(diesel::pg::Pg))?;
            let sql = qb.finish();
            let params = (1..=sql.matches('$').count())
                .map(|_| "NULL")
                .collect::<Vec<_>>()
                .join(", ");
            c.batch_execute(&format!(
                "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan; PREPARE aia_plan AS {sql}"
            ))?;
            let args = if params.is_empty() {
                String::new()
            } else {
                format!("({params})")
            };
            let lines: Result<Vec<PgLine>, _> =
                diesel::sql_query(format!("EXPLAIN EXECUTE aia_plan{args}")).load(c);
            c.batch_execute("DEALLOCATE aia_plan; RESET enable_seqscan; RESET plan_cache_mode")?;
            Ok(lines?
                .into_iter()
                .map(|l| l.line)
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// The plans of every query a listing, a total, an export and a lookup by
/// name make, by name.
pub fn visibility_plans(conn: &mut DbConnection) -> QueryResult<Vec<(&'static str, String)>> {
    let user = "00000000-0000-0000-0000-000000000001";
    let all = ListFilter::default();
    let typed = ListFilter {
        server_type: Some(mcp_model::ServerType::Http.into()),
        is_enabled: Some(true),
    };
    let after = After {
        created_at: super::now(),
        id: user.to_string(),
    };
    let globals = |f| visible::globals(user, f).ok_or(diesel::result::Error::NotFound);
    Ok(vec![
        (
            "own page",
            plan(
                conn,
                &visible::newest_first(visible::own(user, &all), None).limit(101),
            )?,
        ),
        (
            "own page after",
            plan(
                conn,
                &visible::newest_first(visible::own(user, &typed), Some(&after)).limit(101),
            )?,
        ),
        (
            "global page",
            plan(
                conn,
                &visible::newest_first(globals(&all)?, None).limit(101),
            )?,
        ),
        (
            "global page after",
            plan(
                conn,
                &visible::newest_first(globals(&typed)?, Some(&after)).limit(101),
            )?,
        ),
        ("own total", plan(conn, &visible::own(user, &all).count())?),
        ("global total", plan(conn, &globals(&all)?.count())?),
        (
            "own export",
            plan(conn, &visible::oldest_first(visible::own(user, &typed)))?,
        ),
        (
            "global export",
            plan(conn, &visible::oldest_first(globals(&typed)?))?,
        ),
        (
            "global by name",
            plan(
                conn,
                &visible::oldest_first(visible::global_by_name("x")).limit(1),
            )?,
        ),
    ])
}
