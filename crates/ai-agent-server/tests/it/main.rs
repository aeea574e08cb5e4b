//! Integration tests: the real server on 127.0.0.1:0 over a fresh database per
//! test, driven over HTTP with the CLI's own client. Every test runs on SQLite,
//! and on PostgreSQL too when AI_AGENT_TEST_POSTGRES_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod support;

mod auth;
mod cache;
mod check_options;
mod concurrency;
mod contract;
mod defects;
mod errors;
mod health;
mod import_export;
mod listing;
mod maintenance;
mod ops;
mod pinning;
mod plans;
mod pool;
mod props;
mod reasons;
mod secrets;
mod servers;
mod templates;
mod trust;
