//! Commands about the CLI itself: shell completions and the man page.

use clap::CommandFactory;

use super::ok;
use crate::cli::Cli;
use crate::exit::{CliError, CliResult};

pub fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "ai-agent", &mut std::io::stdout());
    ok()
}

pub fn man() -> CliResult {
    clap_mangen::Man::new(Cli::command())
        .render(&mut std::io::stdout())
        .map_err(|e| CliError::generic(format!("cannot write the man page: {e}")))?;
    ok()
}
