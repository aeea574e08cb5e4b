//! The official MCP conformance suite (`@modelcontextprotocol/conformance`,
//! pinned in `tests/clients/`) runs its client scenarios against our health
//! check: for each, it starts a test server and hands a client command its
//! URL. The command registers the URL through the API with the CLI and
//! checks it, as a user would; the scenario must pass with no failure and no
//! warning, and the check must find the server healthy.
//!
//! The scenarios are those a check is: `initialize` (the handshake),
//! `sse-retry` (reconnecting with GET and `Last-Event-ID` after the server
//! closes an SSE stream, seen during the check's tool call) and `tools_call`.
//! The others need what a registry's check does not do: OAuth flows
//! (`auth/*`, we send configured headers) and answering elicitation.

use std::path::Path;
use std::time::Duration;

use crate::real_clients::bin_dir;
use crate::support::Env;

/// One scenario, and the health-check flags its server is registered with.
const SCENARIOS: [(&str, &[&str]); 3] = [
    ("initialize", &[]),
    ("sse-retry", &["--check-tool", "test_reconnection"]),
    (
        "tools_call",
        &[
            "--check-tool",
            "add_numbers",
            "--check-tool-args",
            r#"{"a": 1, "b": 2}"#,
        ],
    ),
];

/// The client command for a scenario: add the URL it is given (its last
/// argument) as an http server, then check it, the result into `out`.
fn client_script(dir: &Path, scenario: &str, flags: &[&str]) -> std::path::PathBuf {
    let cli = assert_cmd::cargo::cargo_bin("ai-agent");
    let name = format!("conformance-{}", scenario.replace('_', "-"));
    let out = dir.join(format!("{name}.json"));
    let script = format!(
        "#!/bin/sh\nset -e\nfor url; do :; done\n{cli} mcp add --transport http {name} \"$url\" {flags} >/dev/null\n{cli} mcp health-check {name} -o json > {out}\n",
        cli = shell_words::quote(&cli.to_string_lossy()),
        flags = shell_words::join(flags),
        out = shell_words::quote(&out.to_string_lossy()),
    );
    let path = dir.join(format!("{name}.sh"));
    std::fs::write(&path, script).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_checks_pass_the_conformance_client_scenarios() {
    let env = Env::admin().await;
    let bin = bin_dir();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (scenario, flags) in SCENARIOS {
        let script = client_script(env.dir.path(), scenario, flags);
        let mut cmd = assert_cmd::Command::new(bin.join("conformance"));
        cmd.args(["client", "--scenario", scenario, "--timeout", "60000"])
            .arg("--command")
            .arg(format!(
                "sh {}",
                shell_words::quote(&script.to_string_lossy())
            ))
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("AI_AGENT_API_URL", &env.server.url)
            .env("AI_AGENT_TOKEN", &env.token)
            .env("AI_AGENT_CONFIG", env.config_file())
            .timeout(Duration::from_secs(180));
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .unwrap()
            .unwrap();
        // The runner reports on stderr.
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && report.contains("OVERALL: PASSED"),
            "{scenario} ({:?}): {report}",
            out.status
        );
        assert!(
            report.contains(", 0 failed, 0 warnings"),
            "{scenario} passed with warnings: {report}"
        );
        let name = format!("conformance-{}", scenario.replace('_', "-"));
        let result: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(env.dir.path().join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(result["health_status"], "healthy", "{scenario}: {result}");
    }
}
