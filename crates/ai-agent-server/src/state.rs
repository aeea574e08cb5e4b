//! What every request handler needs, gathered at start-up by [`app`](crate::app).
//! It holds only lower layers (database, key, checker, limits), so that
//! handlers and services can use it without depending on how the app is built.

use std::sync::Arc;

use crate::auth_cache::AuthCache;
use crate::bulk::BulkWorker;
use crate::crypto::SecretKey;
use crate::db::Database;
use crate::health::Checker;
use crate::limits::Limits;
use crate::listing_cache::ListingCache;

/// What every request handler needs.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub key: SecretKey,
    /// Runs health checks within their bounds; tracks their child processes.
    pub health: Arc<Checker>,
    /// Per-token request rate and per-user server count.
    pub limits: Arc<Limits>,
    /// Tokens confirmed recently, and their uses not yet written.
    pub auth: Arc<AuthCache>,
    /// Listings computed at the current data version.
    pub listings: Arc<ListingCache>,
    /// The one thread imports run on.
    pub bulk: BulkWorker,
}
