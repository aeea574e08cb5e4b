//! completions and man.

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
