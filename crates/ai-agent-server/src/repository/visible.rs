//! The servers a user sees: all of their own, and the enabled global servers
//! of others whose names they do not use. Asked as two queries, each served
//! by an index of its own (`mcp_servers_owner_order`, and the partial
//! `mcp_servers_global_order` over global rows only), and merged here: one
//! `user_id = ? OR is_global …` query reads every row of the table, so a
//! listing's cost grew with everyone else's servers. `tests/it/plans.rs`
//! reads the plans on both backends, so that a regression to a scan fails.
//!
//! The global conditions are bare boolean columns, not `= true` with a bound
//! value: a database can only use a partial index when it sees that the
//! query implies the index's `WHERE`, and a bound value hides that.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Backend;
use super::servers::{ListFilter, ListedRow, ServerRow};
use crate::db::DbConnection;
use crate::schema::mcp_servers;

type Query<'a> = mcp_servers::BoxedQuery<'a, Backend>;

/// Where a page of a listing starts: after the row with this
/// `(created_at, id)` in the listing's order (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub created_at: NaiveDateTime,
    pub id: String,
}

/// The caller's own live servers.
pub(crate) fn own<'a>(user_id: &'a str, filter: &'a ListFilter) -> Query<'a> {
    narrowed(
        mcp_servers::table
            .filter(mcp_servers::user_id.eq(user_id))
            .filter(mcp_servers::deleted_at.is_null())
            .into_boxed(),
        filter,
    )
}

/// The enabled global servers whose names `user_id` does not use; `None`
/// when the filter asks for disabled servers only.
pub(crate) fn globals<'a>(user_id: &'a str, filter: &'a ListFilter) -> Option<Query<'a>> {
    if filter.is_enabled == Some(false) {
        return None;
    }
    let own = diesel::alias!(mcp_servers as own);
    let own_names = own
        .filter(own.field(mcp_servers::user_id).eq(user_id))
        .filter(own.field(mcp_servers::deleted_at).is_null())
        .select(own.field(mcp_servers::name));
    let q = mcp_servers::table
        .filter(mcp_servers::is_global)
        .filter(mcp_servers::is_enabled)
        .filter(mcp_servers::deleted_at.is_null())
        .filter(mcp_servers::name.ne_all(own_names))
        .into_boxed();
    let by_type = ListFilter {
        server_type: filter.server_type,
        is_enabled: None,
    };
    Some(narrowed(q, &by_type))
}

fn narrowed<'a>(mut q: Query<'a>, filter: &ListFilter) -> Query<'a> {
    if let Some(t) = filter.server_type {
        q = q.filter(mcp_servers::server_type.eq(t));
    }
    if let Some(e) = filter.is_enabled {
        q = q.filter(mcp_servers::is_enabled.eq(e));
    }
    q
}

/// `q` from the row after `after` on, newest first.
pub(crate) fn newest_first<'a>(mut q: Query<'a>, after: Option<&After>) -> Query<'a> {
    if let Some(a) = after {
        q = q.filter(
            mcp_servers::created_at
                .lt(a.created_at)
                .or(mcp_servers::created_at
                    .eq(a.created_at)
                    .and(mcp_servers::id.lt(a.id.clone()))),
        );
    }
    q.order((mcp_servers::created_at.desc(), mcp_servers::id.desc()))
}

/// A page of the listing, newest first, whether there are more rows after
/// it, and the total. The page is `limit` rows after `after`, or after
/// skipping `offset`; each query reads at most `offset + limit + 1` rows.
pub(crate) fn list_visible(
    conn: &mut DbConnection,
    user_id: &str,
    filter: &ListFilter,
    page: (i64, i64),
    after: Option<&After>,
) -> QueryResult<(Vec<ServerRow>, bool, i64)> {
    let (limit, offset) = page;
    let wanted = offset.saturating_add(limit).saturating_add(1);
    let mine = listed(
        newest_first(own(user_id, filter), after)
            .limit(wanted)
            .select(ListedRow::as_select())
            .load(conn)?,
    );
    let theirs = match globals(user_id, filter) {
        Some(q) => listed(
            newest_first(q, after)
                .limit(wanted)
                .select(ListedRow::as_select())
                .load(conn)?,
        ),
        None => Vec::new(),
    };
    let rows = merge(mine, theirs, |r| {
        std::cmp::Reverse((r.created_at, r.id.clone()))
    });
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > skip.saturating_add(take);
    let rows: Vec<ServerRow> = rows.into_iter().skip(skip).take(take).collect();
    let total = total(conn, user_id, filter)?;
    Ok((rows, more, total))
}

/// How many servers the listing holds, counted over the caller's rows and
/// the global rows only.
pub(crate) fn total(
    conn: &mut DbConnection,
    user_id: &str,
    filter: &ListFilter,
) -> QueryResult<i64> {
    let mine: i64 = own(user_id, filter).count().get_result(conn)?;
    let theirs: i64 = match globals(user_id, filter) {
        Some(q) => q.count().get_result(conn)?,
        None => 0,
    };
    Ok(mine + theirs)
}

/// The servers an export writes: the user's enabled servers and, with
/// `include_global`, the enabled global servers of others whose name the user
/// does not use; oldest first, so that of two globals of one name the older wins.
pub fn list_exportable(
    conn: &mut DbConnection,
    user_id: &str,
    include_global: bool,
) -> QueryResult<Vec<ServerRow>> {
    let filter = ListFilter {
        server_type: None,
        is_enabled: Some(true),
    };
    let mine = listed(
        oldest_first(own(user_id, &filter))
            .select(ListedRow::as_select())
            .load(conn)?,
    );
    let theirs = match globals(user_id, &filter) {
        Some(q) if include_global => {
            listed(oldest_first(q).select(ListedRow::as_select()).load(conn)?)
        }
        _ => Vec::new(),
    };
    Ok(merge(mine, theirs, |r| (r.created_at, r.id.clone())))
}

pub(crate) fn oldest_first(q: Query<'_>) -> Query<'_> {
    q.order((mcp_servers::created_at.asc(), mcp_servers::id.asc()))
}

/// The caller's own server of this name, or failing that the enabled global
/// one the caller would see in a listing.
pub fn find_visible_by_name(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
) -> QueryResult<Option<ServerRow>> {
    let own = mcp_servers::table
        .filter(mcp_servers::user_id.eq(user_id))
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::deleted_at.is_null())
        .first(conn)
        .optional()?;
    if own.is_some() {
        return Ok(own);
    }
    oldest_first(global_by_name(name)).first(conn).optional()
}

/// The enabled global server of this name (global names are unique).
pub(crate) fn global_by_name(name: &str) -> Query<'_> {
    mcp_servers::table
        .filter(mcp_servers::name.eq(name))
        .filter(mcp_servers::is_global)
        .filter(mcp_servers::is_enabled)
        .filter(mcp_servers::deleted_at.is_null())
        .into_boxed()
}

fn listed(rows: Vec<ListedRow>) -> Vec<ServerRow> {
    rows.into_iter().map(ServerRow::from).collect()
}

/// Two lists sorted by `key` as one.
fn merge<K: Ord>(
    a: Vec<ServerRow>,
    b: Vec<ServerRow>,
    key: impl Fn(&ServerRow) -> K,
) -> Vec<ServerRow> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => key(x) <= key(y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}
