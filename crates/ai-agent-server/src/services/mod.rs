//! The rules: who may do what, what is valid, what is recorded. Handlers call
//! these; these call the repository.

pub mod audit;
mod cursor;
pub mod health;
pub mod import;
pub mod import_export;
pub mod keys;
pub mod listing;
pub mod maintenance;
pub mod servers;
pub mod tools;
pub mod users;

use chrono::{DateTime, NaiveDateTime, Utc};
use mcp_model::api::Role;
use uuid::Uuid;

use crate::error::AppError;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// When the user was created, so that `GET /me` needs no query.
    pub created_at: NaiveDateTime,
}

impl Actor {
    pub(crate) fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub(crate) fn id_str(&self) -> String {
        self.id.to_string()
    }
}

/// A validated page of a listing: the same bounds for every list endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Already checked to be within 1..=`MAX_LIMIT`.
    pub limit: i64,
    /// Already checked to be non-negative.
    pub offset: i64,
}

impl Page {
    pub(crate) const DEFAULT_LIMIT: i64 = 100;
    pub(crate) const MAX_LIMIT: i64 = 1000;

    pub(crate) fn new(limit: Option<i64>, offset: Option<i64>) -> Result<Self, AppError> {
        let limit = limit.unwrap_or(Self::DEFAULT_LIMIT);
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(mcp_model::ValidationError::new(
                "limit",
                format!("must be between 1 and {}", Self::MAX_LIMIT),
            )
            .into());
        }
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            return Err(mcp_model::ValidationError::new("offset", "must not be negative").into());
        }
        Ok(Page { limit, offset })
    }
}

/// Runs blocking work (diesel, crypto) off the async executor; the one way
/// handlers and services reach the database from async code.
pub(crate) async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(AppError::internal)?
}

/// Runs blocking work that writes, once it is this writer's turn
/// ([`Database::write_turn`]): a queue of writers waits without threads.
pub(crate) async fn off_thread_writing<T: Send + 'static>(
    db: &crate::db::Database,
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let turn = db.write_turn().await;
    off_thread(move || {
        let _turn = turn;
        f()
    })
    .await
}

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::internal(format!("stored id '{s}' is not a UUID")))
}
