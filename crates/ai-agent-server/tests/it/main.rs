//! Integration tests: the real server on 127.0.0.1:0 over a fresh database per
//! test, driven over HTTP with the CLI's own client. Every test runs on SQLite,
//! and on PostgreSQL too when AI_AGENT_TEST_POSTGRES_URL is set.

mod support;

mod health;
mod servers;
