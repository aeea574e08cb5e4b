//! Commands about the CLI itself: shell completions and the man page. The
//! renderers are public so that `cargo xtask generate` writes the same files
//! into the repository.

use std::io::Write;

use clap::CommandFactory;

use super::ok;
use crate::cli::Cli;
use crate::exit::{CliError, CliResult};

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ai-agent", &mut out);
    out
}

/// The man page, in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

pub(crate) fn completions(shell: clap_complete::Shell) -> CliResult {
    write_stdout(&completion_script(shell))
}

pub(crate) fn man() -> CliResult {
    let page =
        man_page().map_err(|e| CliError::generic(format!("cannot render the man page: {e}")))?;
    write_stdout(&page)
}

fn write_stdout(bytes: &[u8]) -> CliResult {
    std::io::stdout()
        .write_all(bytes)
        .map_err(|e| CliError::generic(format!("cannot write to stdout: {e}")))?;
    ok()
}
