//! `update`'s flags that change part of a server's config, as `create`
//! spells them, so that one env var or header changes without retyping the
//! rest.

use clap::Args;

#[derive(Debug, Args)]
#[command(next_help_heading = "Config")]
pub(crate) struct ConfigEditArgs {
    /// Replace the whole config: JSON, @FILE, or - for stdin; secret values
    /// given as *** stay as they are
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub config: Option<String>,
    /// The stdio server's program
    #[arg(long, conflicts_with = "config")]
    pub command: Option<String>,
    /// The stdio server's arguments, as one shell-quoted string ("" for none)
    #[arg(
        long,
        value_name = "ARGS",
        allow_hyphen_values = true,
        conflicts_with = "config"
    )]
    pub args: Option<String>,
    /// Set an environment variable KEY=VALUE of a stdio server; repeatable
    #[arg(long = "env", value_name = "KEY=VALUE", conflicts_with = "config")]
    pub env: Vec<String>,
    /// Remove an environment variable; repeatable
    #[arg(long = "unset-env", value_name = "KEY", conflicts_with = "config")]
    pub unset_env: Vec<String>,
    /// The remote server's URL
    #[arg(long, conflicts_with = "config")]
    pub url: Option<String>,
    /// Set an HTTP header 'NAME: VALUE' of a remote server; repeatable
    #[arg(long = "header", value_name = "NAME: VALUE", conflicts_with = "config")]
    pub header: Vec<String>,
    /// Remove an HTTP header; repeatable
    #[arg(long = "unset-header", value_name = "NAME", conflicts_with = "config")]
    pub unset_header: Vec<String>,
}

impl ConfigEditArgs {
    /// Whether a flag changes part of the config (so the current one is needed).
    pub(crate) fn edits(&self) -> bool {
        self.command.is_some()
            || self.args.is_some()
            || !self.env.is_empty()
            || !self.unset_env.is_empty()
            || self.url.is_some()
            || !self.header.is_empty()
            || !self.unset_header.is_empty()
    }
}
