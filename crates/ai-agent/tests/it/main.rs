//! The `ai-agent` binary, run as a user would, against a real server started
//! in-process on its own database.

mod auth;
mod errors;
mod meta;
mod servers;
mod support;
mod transfer;
