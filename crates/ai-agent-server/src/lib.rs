//! The ai-agent server: a REST API over a database of MCP server
//! configurations. The binary in `main.rs` is a thin shell around [`app`].

pub mod app;
pub mod auth_cache;
pub mod bulk;
pub mod changes;
pub mod crypto;
pub mod db;
pub mod error;
pub mod handlers;
pub mod health;
pub mod limits;
pub mod listing_cache;
pub mod malloc;
pub mod openapi;
pub mod redact;
pub mod repository;
pub mod routes;
pub mod schema;
pub mod services;
pub mod settings;
pub mod state;
#[cfg(feature = "test-support")]
pub mod testing;
