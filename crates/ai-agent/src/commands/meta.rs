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

/// Every command with a page of its own: its path below `ai-agent` and
/// the page's file name (`ai-agent-mcp-list.1`), the CLI's own first.
pub fn man_pages() -> Vec<(Vec<String>, String)> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<(Vec<String>, String)>) {
        let name = std::iter::once("ai-agent".to_string())
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join("-");
        out.push((path.to_vec(), format!("{name}.1")));
        for sub in cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&built(), &[], &mut out);
    out
}

/// The CLI's command tree with display names set (`ai-agent-mcp-list`),
/// which the pages' titles and cross references use.
fn built() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The man page of the command at `path` (empty: the CLI's), in roff: the
/// sections clap_mangen renders, and EXAMPLES from the command's
/// `Examples:` help.
pub fn man_page(path: &[String]) -> std::io::Result<Vec<u8>> {
    let mut cmd = built();
    for name in path {
        cmd = cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| std::io::Error::other(format!("no command '{}'", path.join(" "))))?;
    }
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("ai-agent {}", env!("CARGO_PKG_VERSION")))
        .manual("ai-agent manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    if let Some(examples) = examples(&cmd) {
        out.extend_from_slice(examples.as_bytes());
    }
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(once_preamble(&out))
}

/// Each section rendered alone starts with roff's quote-character preamble;
/// the page needs it once.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if preamble && seen.contains(&line) {
            continue;
        }
        if preamble {
            seen.push(line);
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// The `Examples:` part of a command's after-help as a roff EXAMPLES section.
fn examples(cmd: &clap::Command) -> Option<String> {
    let help = cmd.get_after_help()?.to_string();
    let body = help.split_once("Examples:")?.1;
    let mut roff = String::from(".SH EXAMPLES\n.nf\n");
    for line in body.lines().skip_while(|l| l.trim().is_empty()) {
        // Backslashes, and a line's leading dot or quote, are roff's own.
        let line = line.trim_start().replace('\\', "\\e");
        if line.starts_with('.') || line.starts_with('\'') {
            roff.push_str("\\&");
        }
        roff.push_str(&line);
        roff.push('\n');
    }
    roff.push_str(".fi\n");
    Some(roff)
}

pub(crate) fn completions(shell: clap_complete::Shell) -> CliResult {
    write_stdout(&completion_script(shell))
}

pub(crate) fn man(path: &[String], list: bool) -> CliResult {
    if list {
        let lines: Vec<String> = man_pages()
            .into_iter()
            .map(|(path, file)| format!("{file} {}", path.join(" ")))
            .collect();
        return write_stdout(format!("{}\n", lines.join("\n")).as_bytes());
    }
    let page = man_page(path).map_err(|e| {
        CliError::usage(format!("cannot render the man page: {e}")).with_hint(
            "name a command as `ai-agent --help` lists them, e.g. `ai-agent man mcp list`",
        )
    })?;
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
    fn every_man_page_renders_and_references_only_pages_that_exist() {
        let pages = man_pages();
        assert!(pages.len() > 20, "{pages:?}");
        let files: Vec<&str> = pages.iter().map(|(_, f)| f.as_str()).collect();
        assert!(files.contains(&"ai-agent-mcp-tools-approve.1"), "{files:?}");
        for (path, file) in &pages {
            let text = String::from_utf8(man_page(path).expect("renders")).expect("utf-8");
            let plain = text.replace("\\-", "-");
            let mut rest = plain.as_str();
            while let Some(at) = rest.find("(1)") {
                let before = &rest[..at];
                let name: String = before
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if name.starts_with("ai-agent") {
                    let page = format!("{name}.1");
                    assert!(files.contains(&page.as_str()), "{file} refers to {page}");
                }
                rest = &rest[at + 3..];
            }
        }
        let list = String::from_utf8(man_page(&["mcp".into(), "list".into()]).expect("page"))
            .expect("utf-8");
        assert!(list.contains(".SH EXAMPLES"), "{list}");
        assert!(
            list.contains("ai\\-agent mcp ls 'git*' \\-\\-sort health")
                || list.contains("ai-agent mcp ls 'git*' --sort health"),
            "{list}"
        );
        assert!(man_page(&["nope".into()]).is_err());
    }

    /// What fish completes for `line`, with the generated script loaded.
    fn fish_completes(line: &str) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("ai-agent.fish");
        std::fs::write(&script, completion_script(clap_complete::Shell::Fish)).expect("write");
        let program = format!("source '{}'; complete -C '{line}'", script.display());
        let out = std::process::Command::new("fish")
            .args(["--no-config", "-c", &program])
            .output()
            .expect("fish runs (apt install fish)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn fish_completes_below_the_top_level() {
        let words = |out: String| -> Vec<String> {
            out.lines()
                .map(|l| l.split('\t').next().unwrap_or("").to_string())
                .collect()
        };
        assert!(words(fish_completes("ai-agent mcp cr")).contains(&"create".to_string()));
        assert_eq!(
            words(fish_completes("ai-agent mcp create --fr")),
            ["--from-template"]
        );
        assert!(
            words(fish_completes("ai-agent mcp sync --client co")).contains(&"codex".to_string())
        );
        assert!(words(fish_completes("ai-agent mcp tools ap")).contains(&"approve".to_string()));
    }

    /// What an interactive zsh puts on the line after `typed` and a TAB,
    /// with the generated script loaded through compinit: zsh completes
    /// only at a terminal, so it runs on a pseudo-terminal.
    fn zsh_completes(typed: &str) -> String {
        use expectrl::Expect;
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("_ai-agent"),
            completion_script(clap_complete::Shell::Zsh),
        )
        .expect("write");
        let mut cmd = std::process::Command::new("zsh");
        cmd.args(["-f", "-i"])
            .env("TERM", "dumb")
            .env("PS1", "READY> ")
            .env("HOME", dir.path());
        let mut s = expectrl::Session::spawn(cmd).expect("zsh runs (apt install zsh)");
        s.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
        let setup = format!(
            "fpath=('{}' $fpath); autoload -U compinit; compinit -u; PS1='READY> '; echo SET''UP",
            dir.path().display()
        );
        s.send_line(&setup).expect("send");
        s.expect("SETUP").expect("zsh set up");
        s.expect("READY> ").expect("prompt");
        s.send(format!("{typed}\t")).expect("send");
        std::thread::sleep(std::time::Duration::from_millis(700));
        s.send("\x05 ENDLINE\r").expect("send");
        let got = s.expect("ENDLINE").expect("the line comes back");
        String::from_utf8_lossy(got.before()).into_owned()
    }

    #[test]
    fn zsh_completes_below_the_top_level() {
        let line = zsh_completes("ai-agent mcp cr");
        assert!(line.contains("ai-agent mcp create"), "{line:?}");
        let line = zsh_completes("ai-agent mcp create --from-t");
        assert!(line.contains("--from-template"), "{line:?}");
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
