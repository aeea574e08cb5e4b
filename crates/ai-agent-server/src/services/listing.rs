//! The server listing: what a user sees, a page at a time, written out as
//! JSON once and answered again from the [`ListingCache`] while the data is
//! unchanged.

use bytes::Bytes;
use mcp_model::ServerType;
use mcp_model::api::ServerList;

use super::servers::{may_reveal, to_api};
use super::{Actor, off_thread};
use crate::crypto::SecretKey;
use crate::db::Database;
use crate::error::AppError;
use crate::listing_cache::{ListingCache, ListingKey};
use crate::repository::servers::ListFilter;
use crate::repository::{self};
use crate::state::AppState;

/// A listing as a handler asks for it: typed filters, an unchecked page.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListQuery {
    pub server_type: Option<ServerType>,
    pub is_enabled: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// A listing's `next_cursor`: the page after it.
    pub after: Option<String>,
    pub reveal: bool,
}

impl ListQuery {
    /// The cache's key for this listing; none when it reveals secrets,
    /// which are never kept.
    fn key(&self, actor: &Actor) -> Option<ListingKey> {
        (!self.reveal).then(|| ListingKey {
            user: actor.id,
            server_type: self.server_type,
            enabled: self.is_enabled,
            limit: self.limit,
            offset: self.offset,
            after: self.after.clone(),
        })
    }
}

/// A listing already written out, straight from the cache: no database and
/// no hop to a blocking thread. `None` when it must be computed.
pub(crate) fn cached(
    cache: &ListingCache,
    db: &Database,
    actor: &Actor,
    q: &ListQuery,
) -> Option<Bytes> {
    cache.get(&q.key(actor)?, db.version())
}

/// Computes a listing as JSON and keeps it for the next time.
pub(crate) async fn compute(
    state: &AppState,
    actor: Actor,
    q: ListQuery,
) -> Result<Bytes, AppError> {
    let key = q.key(&actor);
    // Read before the data: a write committed meanwhile makes the entry stale.
    let version = state.db.version();
    let (db, secrets) = (state.db.clone(), state.key.clone());
    let work = move || {
        let list = list(&db, &secrets, &actor, q)?;
        serde_json::to_vec(&list).map_err(AppError::internal)
    };
    let body = off_thread(work).await?;
    let body = Bytes::from(body);
    if let Some(key) = key {
        state.listings.put(key, version, &body);
    }
    Ok(body)
}

pub(crate) fn list(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    q: ListQuery,
) -> Result<ServerList, AppError> {
    let super::Page { limit, offset } = super::Page::new(q.limit, q.offset)?;
    let after = match &q.after {
        Some(_) if offset > 0 => {
            return Err(mcp_model::ValidationError::new(
                "after",
                "cannot be combined with offset: give one or the other",
            )
            .into());
        }
        Some(c) => Some(super::cursor::decode(c)?),
        None => None,
    };
    let me = actor.id_str();
    let filter = ListFilter {
        server_type: q.server_type.map(Into::into),
        is_enabled: q.is_enabled,
    };
    let (rows, more, total) = db.read(|conn| {
        Ok(repository::visible::list_visible(
            conn,
            &me,
            &filter,
            (limit, offset),
            after.as_ref(),
        )?)
    })?;
    let next_cursor = rows
        .last()
        .filter(|_| more)
        .map(|r| super::cursor::encode(r.created_at, &r.id));
    let items = rows
        .into_iter()
        .map(|r| {
            let reveal = q.reveal && may_reveal(actor, &r);
            to_api(key, r, reveal)
        })
        .collect::<Result<_, _>>()?;
    Ok(ServerList {
        items,
        total,
        limit,
        offset,
        next_cursor,
    })
}
