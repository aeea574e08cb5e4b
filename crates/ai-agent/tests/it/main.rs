//! The `ai-agent` binary, run as a user would, against a real server started
//! in-process on its own database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod add;
mod auth;
mod conformance;
mod errors;
mod health;
mod meta;
mod real_clients;
mod real_servers;
mod servers;
mod support;
mod sync;
mod templates;
mod terminal;
mod transfer;
