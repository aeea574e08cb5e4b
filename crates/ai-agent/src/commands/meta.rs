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
    if shell == clap_complete::Shell::Bash {
        out = fix_bash(&out);
    }
    out
}

/// clap_complete 4's bash script tracks the subcommand path of a binary
/// named with a `-` as `ai__agent__subcmd__mcp`, but names the cases that
/// complete it `ai__subcmd__agent__subcmd__mcp`: nothing below the top level
/// completed. The cases are renamed to the path it tracks.
fn fix_bash(script: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(script)
        .replace("ai__subcmd__agent", "ai__agent")
        .into_bytes()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What bash completes for `words` (the last one being completed), with
    /// the generated script loaded, as bash itself runs it.
    fn bash_completes(words: &[&str]) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("ai-agent.bash");
        std::fs::write(&script, completion_script(clap_complete::Shell::Bash)).expect("write");
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let n = words.len();
        let program = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _ai__agent ai-agent '{}' '{}'; echo \"${{COMPREPLY[*]}}\"",
            script.display(),
            quoted.join(" "),
            n - 1,
            words[n - 1],
            words[n - 2],
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn bash_completes_below_the_top_level() {
        let mcp = bash_completes(&["ai-agent", "mcp", "cr"]);
        assert!(mcp.split_whitespace().any(|w| w == "create"), "{mcp}");
        let flags = bash_completes(&["ai-agent", "mcp", "create", "--fr"]);
        assert_eq!(flags.trim(), "--from-template");
        let sync = bash_completes(&["ai-agent", "mcp", "sync", "--client", "co"]);
        assert!(sync.split_whitespace().any(|w| w == "codex"), "{sync}");
    }
}
