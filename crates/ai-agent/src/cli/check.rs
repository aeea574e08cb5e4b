//! The health-check flags of `create`, `add`, `add-json` and `update`.

use clap::Args;
use mcp_model::api::{CheckOptions, ToolCall};

use crate::exit::{CliError, CliResult};

/// How a server is health-checked; each flag not given leaves the API
/// server's default (or, for `update`, the server's current setting).
#[derive(Debug, Args)]
#[command(next_help_heading = "Health check")]
pub(crate) struct CheckArgs {
    /// Seconds the server has to start and answer the handshake
    #[arg(long, value_name = "SECS")]
    pub startup_timeout: Option<u64>,
    /// Seconds each request after the handshake may take
    #[arg(long, value_name = "SECS")]
    pub request_timeout: Option<u64>,
    /// Keep the server out of background checks
    #[arg(long)]
    pub no_background_check: bool,
    /// A tool every check calls, which must succeed (choose one without effects)
    #[arg(long, value_name = "TOOL")]
    pub check_tool: Option<String>,
    /// The arguments of --check-tool, as a JSON object
    #[arg(long, value_name = "JSON", requires = "check_tool")]
    pub check_tool_args: Option<String>,
}

/// What only `update` can say: undo a setting.
#[derive(Debug, Args)]
#[command(next_help_heading = "Health check")]
pub(crate) struct UpdateCheckArgs {
    #[command(flatten)]
    pub set: CheckArgs,
    /// Let background checks take the server again
    #[arg(long, conflicts_with = "no_background_check")]
    pub background_check: bool,
    /// Stop calling a tool in checks
    #[arg(long, conflicts_with = "check_tool")]
    pub no_check_tool: bool,
    /// Put every health-check setting back to the API server's defaults
    #[arg(long, conflicts_with_all = ["startup_timeout", "request_timeout", "no_background_check", "check_tool", "background_check", "no_check_tool"])]
    pub default_checks: bool,
}

impl CheckArgs {
    fn given(&self) -> bool {
        self.startup_timeout.is_some()
            || self.request_timeout.is_some()
            || self.no_background_check
            || self.check_tool.is_some()
    }

    /// `base` with the flags given applied; the server checks the bounds.
    fn apply(&self, mut base: CheckOptions) -> CliResult<CheckOptions> {
        if let Some(s) = self.startup_timeout {
            base.startup_timeout_secs = Some(s);
        }
        if let Some(s) = self.request_timeout {
            base.request_timeout_secs = Some(s);
        }
        if self.no_background_check {
            base.background = false;
        }
        if let Some(name) = &self.check_tool {
            let arguments = match &self.check_tool_args {
                None => serde_json::Map::new(),
                Some(text) => match serde_json::from_str(text) {
                    Ok(serde_json::Value::Object(o)) => o,
                    _ => {
                        return Err(CliError::usage(
                            "--check-tool-args must be a JSON object, e.g. '{\"path\": \"/\"}'",
                        ));
                    }
                },
            };
            base.call_tool = Some(ToolCall {
                name: name.clone(),
                arguments,
            });
        }
        Ok(base)
    }

    /// The `check` of a create request: `None` when no flag is given.
    pub(crate) fn options(&self) -> CliResult<Option<CheckOptions>> {
        if !self.given() {
            return Ok(None);
        }
        self.apply(CheckOptions::default()).map(Some)
    }
}

impl UpdateCheckArgs {
    pub(crate) fn given(&self) -> bool {
        self.set.given() || self.background_check || self.no_check_tool || self.default_checks
    }

    /// The server's `current` options with these flags applied.
    pub(crate) fn options(&self, current: CheckOptions) -> CliResult<CheckOptions> {
        if self.default_checks {
            return Ok(CheckOptions::default());
        }
        let mut o = self.set.apply(current)?;
        if self.background_check {
            o.background = true;
        }
        if self.no_check_tool {
            o.call_tool = None;
        }
        Ok(o)
    }
}
