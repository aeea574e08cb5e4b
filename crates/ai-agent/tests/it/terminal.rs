//! Questions asked at a real pseudo-terminal (expectrl): `delete` asks
//! before deleting and keeps the server on "no"; `tools approve` shows what
//! changed, asks, and approves on "yes".

use std::time::Duration;

use expectrl::{Expect, Session};
use serde_json::json;

use crate::support::{Env, fixture_bin};

/// Down arrow, then Enter: "yes" in a no/yes choice.
const YES: &str = "\x1b[B\r";
/// Enter alone: the default, "no".
const NO: &str = "\r";

/// Runs the binary on a pseudo-terminal, answering each question with its
/// keys once its text shows, and returns everything it printed.
async fn on_terminal(env: &Env, args: &[&str], dialogue: &[(&str, &str)], last: &str) -> String {
    let mut cmd = env.std_cmd(args);
    cmd.env("TERM", "xterm");
    let dialogue: Vec<(String, String)> = dialogue
        .iter()
        .map(|(q, a)| (q.to_string(), a.to_string()))
        .collect();
    let last = last.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = Session::spawn(cmd).expect("spawns on a pty");
        s.set_expect_timeout(Some(Duration::from_secs(30)));
        let mut seen = String::new();
        for (question, keys) in dialogue {
            let found = s
                .expect(question.as_str())
                .unwrap_or_else(|e| panic!("no question {question:?} ({e}) after {seen}"));
            seen.push_str(&String::from_utf8_lossy(found.before()));
            seen.push_str(&question);
            // A prompt shows before it reads: a password prompt that turns
            // echo off then flushes what was typed too early.
            std::thread::sleep(Duration::from_millis(300));
            s.send(keys.as_str()).unwrap();
        }
        let found = s
            .expect(last.as_str())
            .unwrap_or_else(|e| panic!("no {last:?} ({e}) after {seen}"));
        seen.push_str(&String::from_utf8_lossy(found.before()));
        seen
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_asks_first_on_a_terminal() {
    let env = Env::new().await;
    for name in ["keep", "gone"] {
        env.run(&["mcp", "add", name, "--", "npx"]).await.success();
    }
    on_terminal(
        &env,
        &["mcp", "delete", "keep"],
        &[("Delete MCP server 'keep'?", NO)],
        "nothing deleted",
    )
    .await;
    on_terminal(
        &env,
        &["mcp", "delete", "gone"],
        &[("Delete MCP server 'gone'?", YES)],
        "Deleted MCP server 'gone'.",
    )
    .await;
    let left = env.run(&["mcp", "ls", "-o", "json"]).await;
    let left = left.success().json();
    assert_eq!(left["total"], 1);
    assert_eq!(left["items"][0]["name"], "keep");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_changed_tools_shows_them_and_asks() {
    let env = Env::new().await;
    let file = env.dir.path().join("tools.json");
    std::fs::write(&file, json!({"tools": 1}).to_string()).unwrap();
    let tools_env = format!("FIXTURE_TOOLS_FILE={}", file.display());
    env.run(&["mcp", "add", "fx", "-e", &tools_env, "--", fixture_bin()])
        .await
        .success();
    env.run(&["mcp", "health-check", "fx"]).await.success();
    std::fs::write(&file, json!({"tools": 2}).to_string()).unwrap();
    env.run(&["mcp", "health-check", "fx"]).await.failed(11);

    let shown = on_terminal(
        &env,
        &["mcp", "tools", "approve", "fx"],
        &[("Approve these tools of 'fx'?", YES)],
        "Approved the tools of MCP server 'fx'",
    )
    .await;
    assert!(
        shown.contains("+ tool-1"),
        "the change is shown first: {shown}"
    );
    env.run(&["mcp", "tools", "diff", "fx"]).await.success();
}

/// `create --interactive` at a terminal: a bad name and a bad env var name
/// are refused where they are typed and asked again, nothing typed before is
/// lost, and the secret is typed without echo.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactive_create_checks_each_answer() {
    let env = Env::new().await;
    let shown = on_terminal(
        &env,
        &["mcp", "create", "--interactive"],
        &[
            ("Server name", "my k8s\r"),
            // The refused answer comes back to be edited: mend its space.
            ("letters, digits", "\x1b[D\x1b[D\x1b[D\x7f-\r"),
            ("Description", "\r"),
            ("Server type", "\r"),
            ("Command", "npx\r"),
            ("Arguments", "-y pkg\r"),
            ("Env var name", "BAD-KEY\r"),
            (
                "not a valid environment variable name",
                "\x7f\x7f\x7f\x7f\x7f\x7f\x7fTOKEN\r",
            ),
            ("Value of TOKEN", "s3cret-value\r"),
            ("Env var name", "\r"),
        ],
        "my-k8s",
    )
    .await;
    assert!(
        !shown.contains("s3cret-value"),
        "the secret was echoed: {shown}"
    );
    let got = env
        .run(&["mcp", "get", "my-k8s", "--reveal", "-o", "json"])
        .await;
    let config = &got.success().json()["config"];
    assert_eq!(config["command"], "npx");
    assert_eq!(config["args"], serde_json::json!(["-y", "pkg"]));
    assert_eq!(config["env"], serde_json::json!({"TOKEN": "s3cret-value"}));
}
