//! Types shared by the ai-agent server and CLI: MCP server configurations, their
//! validation and normalization, the REST API's request and response shapes, the
//! config file formats of MCP clients, and the built-in templates.
//!
//! This crate performs no I/O so that both sides agree on every rule without
//! either one trusting the other to have checked.

pub mod api;
pub mod canonical;
pub mod check;
pub mod config;
pub mod formats;
pub mod name;
pub mod secrets;
pub mod templates;
pub mod tools;
pub mod validation;

#[cfg(test)]
mod proptests;

pub use config::{RemoteConfig, ServerConfig, ServerType, StdioConfig};
pub use validation::ValidationError;

/// The value shown in place of a secret (an env, header or URL query value) to anyone who
/// did not ask for, or may not see, the real one.
pub const MASK: &str = "***";
