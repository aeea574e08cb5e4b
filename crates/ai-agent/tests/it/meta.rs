//! completions and man.

use std::path::Path;

use crate::support::{Env, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_for_each_shell() {
    let env = Env::new().await;
    for (shell, marker) in [
        ("bash", "complete -F _ai__agent"),
        ("zsh", "#compdef ai-agent"),
        ("fish", "complete -c ai-agent"),
    ] {
        let mut cmd = env.bare();
        cmd.args(["completions", shell]);
        let out = run(cmd).await;
        out.success();
        assert!(
            out.stdout.contains(marker),
            "{shell}: {}",
            &out.stdout[..200.min(out.stdout.len())]
        );
        assert!(
            out.stdout.contains("health-check"),
            "{shell} completes subcommands"
        );
    }
    let mut cmd = env.bare();
    cmd.args(["completions", "tcsh"]);
    assert_eq!(run(cmd).await.code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn man_page() {
    let env = Env::new().await;
    let mut cmd = env.bare();
    cmd.arg("man");
    let out = run(cmd).await;
    out.success();
    assert!(
        out.stdout.starts_with(".ie") || out.stdout.contains(".TH"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("ai\\-agent"), "names the program");
    assert!(out.stdout.contains("Exit codes"), "documents exit codes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_documents_exit_codes() {
    let env = Env::new().await;
    let mut cmd = env.bare();
    cmd.arg("--help");
    let out = run(cmd).await;
    out.success();
    for line in [
        "0  success",
        "5  authentication",
        "6  cannot connect",
        "9  an import",
    ] {
        assert!(out.stdout.contains(line), "{line}: {}", out.stdout);
    }
}

/// What `shell` completes with the dynamic script loaded: `program` with
/// `SCRIPT` standing for the script's path, the settings in the environment.
fn dynamic(shell: &str, program: &str, url: &str, token: &str, settings: &Path) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("ai-agent");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join(format!("dynamic.{shell}"));
    let out = std::process::Command::new(&bin)
        .env("COMPLETE", shell)
        .output()
        .unwrap();
    std::fs::write(&script, out.stdout).unwrap();
    let program = program.replace("SCRIPT", &script.to_string_lossy());
    let mut cmd = std::process::Command::new(shell);
    if shell == "fish" {
        cmd.arg("--no-config");
    }
    let out = cmd
        .arg("-c")
        .arg(program)
        .env("AI_AGENT_API_URL", url)
        .env("AI_AGENT_TOKEN", token)
        .env("AI_AGENT_CONFIG", settings)
        .output()
        .unwrap();
    let mut words: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split(['\u{b}', '\n', ' '])
        .map(|w| w.split('\t').next().unwrap_or("").to_string())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words
}

/// The bash program that completes the last of `words`.
fn bash_program(words: &str) -> String {
    let all: Vec<&str> = words.split(' ').collect();
    format!(
        "source 'SCRIPT'; COMP_WORDS=({words}); COMP_CWORD={}; _clap_complete_ai_agent ai-agent '{}' '{}'; echo \"${{COMPREPLY[*]}}\"",
        all.len() - 1,
        all[all.len() - 1],
        all[all.len() - 2]
    )
}

/// Dynamic completion (`source <(COMPLETE=bash ai-agent)`, and fish's
/// `COMPLETE=fish ai-agent | source`) completes server names from the API
/// with the current settings, and nothing (no error) without a server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_names_complete_from_the_api() {
    let env = Env::new().await;
    for name in ["github", "gitlab", "docs"] {
        env.run(&["mcp", "add", name, "--", "npx"]).await.success();
    }
    let (url, token, settings) = (env.server.url.clone(), env.token.clone(), env.config_file());
    let (get, approve, fish, offline) = tokio::task::spawn_blocking(move || {
        (
            dynamic(
                "bash",
                &bash_program("ai-agent mcp get git"),
                &url,
                &token,
                &settings,
            ),
            dynamic(
                "bash",
                &bash_program("ai-agent mcp tools approve d"),
                &url,
                &token,
                &settings,
            ),
            dynamic(
                "fish",
                "source 'SCRIPT'; complete -C 'ai-agent mcp health-check gi'",
                &url,
                &token,
                &settings,
            ),
            dynamic(
                "bash",
                &bash_program("ai-agent mcp get git"),
                "http://127.0.0.1:1",
                &token,
                &settings,
            ),
        )
    })
    .await
    .unwrap();
    assert_eq!(get, ["github", "gitlab"]);
    assert_eq!(approve, ["docs"]);
    assert_eq!(fish, ["github", "gitlab"]);
    assert!(offline.is_empty(), "{offline:?}");
}
