//! The ai-agent client: the HTTP client for the REST API, used by the `ai-agent`
//! binary and by the server's own integration tests, so that both exercise one
//! code path; and the binary's commands, kept in the library so that their
//! parts are unit-tested without spawning it.

pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod exit;
pub mod files;
pub mod output;
pub mod prompt;
pub mod sync;
