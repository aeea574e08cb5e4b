//! Failures: one `ai-agent: …` line on stderr and the documented exit code.

use crate::support::{Env, SPEC_STDIO, run, run_without_stdin};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_name_is_a_conflict() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();
    let again = env.run(SPEC_STDIO).await;
    assert_eq!(
        again.failed(4),
        "ai-agent: MCP server with name 'my-kubernetes' already exists"
    );
    assert_eq!(again.stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_server_is_not_found() {
    let env = Env::new().await;
    for args in [
        &["mcp", "get", "nope"][..],
        &["mcp", "update", "nope", "--enabled", "false"],
        &["mcp", "delete", "00000000-0000-0000-0000-000000000000"],
        &["mcp", "health-check", "nope"],
        &["mcp", "tools", "nope"],
    ] {
        let out = env.run(args).await;
        let line = out.failed(3);
        assert!(line.contains("not found"), "{args:?}: {out:?}");
        // One line, then for a name (not an id) a hint on how to find it.
        let lines: Vec<&str> = out.stderr.lines().collect();
        if args[2].starts_with("0000") {
            assert_eq!(lines.len(), 1, "{out:?}");
        } else {
            assert_eq!(lines.len(), 2, "{out:?}");
            assert!(lines[1].starts_with("hint: "), "{out:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_config_is_a_validation_error() {
    let env = Env::new().await;
    let out = env
        .run(&[
            "mcp",
            "create",
            "--name",
            "bad",
            "--type",
            "sse",
            "--url",
            "ftp://h/sse",
        ])
        .await;
    let line = out.failed(7);
    assert!(
        line.contains("ftp://h/sse") || line.contains("url"),
        "{out:?}"
    );
    let bad_name = env
        .run(&["mcp", "create", "--name", "has space", "--command", "npx"])
        .await;
    bad_name.failed(7);
    // Nothing was stored.
    let list = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_token_is_an_auth_failure_with_a_hint() {
    let env = Env::new().await;
    let mut cmd = env.cmd();
    cmd.args(["mcp", "list"])
        .env("AI_AGENT_TOKEN", "not-a-token");
    let out = run(cmd).await;
    out.failed(5);
    assert!(out.stderr.contains("ai-agent login"), "{out:?}");

    // No token at all.
    let mut cmd = env.bare();
    cmd.args(["--api-url", &env.server.url, "mcp", "list"]);
    let out = run(cmd).await;
    out.failed(5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_server_cannot_be_changed() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();
    let bob = env
        .server
        .user("bob", crate::support::Role::User)
        .expect("bob");
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", &bob)
        .args(["mcp", "delete", "my-kubernetes"]);
    // Bob cannot see alice's private server: not found, not forbidden.
    run(cmd).await.failed(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_server_listening_is_a_connection_failure() {
    let env = Env::new().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_API_URL", format!("http://127.0.0.1:{port}"))
        .args(["mcp", "list"]);
    let out = run(cmd).await;
    let line = out.failed(6);
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{out:?}");
    assert!(out.stderr.contains("hint:"), "{out:?}");

    let mut cmd = env.cmd();
    cmd.args(["--api-url", "ftp://nowhere", "mcp", "list"]);
    run(cmd).await.failed(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2() {
    let env = Env::new().await;
    for args in [
        &["mcp", "create", "--name", "x"][..],
        &[
            "mcp",
            "create",
            "--name",
            "x",
            "--command",
            "npx",
            "--env",
            "NOVALUE",
        ],
        &[
            "mcp",
            "create",
            "--name",
            "x",
            "--url",
            "https://h",
            "--headers",
            "not json",
        ],
        &[
            "mcp",
            "create",
            "--name",
            "x",
            "--command",
            "npx",
            "--args",
            "\"open",
        ],
        &["mcp", "update", "x", "--config", "{"],
        &["mcp", "list", "--type", "smtp"],
    ] {
        let out = env.run(args).await;
        out.failed(2);
        assert!(
            out.stderr.lines().count() <= 2,
            "a line and a hint at most: {out:?}"
        );
    }
    // clap's own usage errors.
    let out = env.run(&["mcp", "frobnicate"]).await;
    assert_eq!(out.code, 2, "{out:?}");
    let out = env.run(&["mcp", "update", "x", "--enabled", "maybe"]).await;
    assert_eq!(out.code, 2, "{out:?}");
    let out = env.run(&["mcp", "health-check"]).await;
    assert_eq!(out.code, 2, "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompts_refuse_without_a_terminal() {
    let env = Env::new().await;
    // stdin is /dev/null: asking would hang or read nothing, so refuse.
    let out = run_without_stdin(&env, &["mcp", "create", "--interactive"]).await;
    let line = out.failed(2);
    assert!(line.contains("not a terminal"), "{out:?}");
    assert!(line.contains("Server name"), "{out:?}");

    let out = env
        .run(&["mcp", "create", "--from-template", "postgres"])
        .await;
    let line = out.failed(2);
    assert!(line.contains("POSTGRES_URL"), "{out:?}");
    assert!(line.contains("not a terminal"), "{out:?}");

    let out = env
        .run(&[
            "mcp",
            "create",
            "--interactive",
            "--name",
            "x",
            "--command",
            "npx",
        ])
        .await;
    // Only the optional questions remain; they cannot be asked either.
    out.failed(2);

    let list = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0);
}
