//! `mcp add` and `mcp add-json`, in the shapes `claude mcp add` takes, and
//! the `ls` / `rm` aliases, through the real binary.

use crate::support::{Env, run};

#[tokio::test]
async fn add_registers_stdio_and_remote_servers_in_one_line() {
    let env = Env::new().await;
    env.run(&[
        "mcp",
        "add",
        "fs",
        "-e",
        "ROOT=/data",
        "--",
        "npx",
        "-y",
        "@modelcontextprotocol/server-filesystem",
        "/data",
    ])
    .await
    .success();
    env.run(&[
        "mcp",
        "add",
        "--transport",
        "sse",
        "events",
        "https://mcp.example.com/sse",
        "-H",
        "Authorization: Bearer tok",
    ])
    .await
    .success();
    env.run(&["mcp", "add", "docs", "https://mcp.example.com/mcp"])
        .await
        .success();
    let fs = env
        .run(&["mcp", "get", "fs", "--reveal", "-o", "json"])
        .await;
    let fs = fs.success().json();
    assert_eq!(fs["server_type"], "stdio");
    assert_eq!(fs["config"]["args"][0], "-y");
    assert_eq!(fs["config"]["env"]["ROOT"], "/data");
    let ev = env.run(&["mcp", "get", "events", "-o", "json"]).await;
    let ev = ev.success().json();
    assert_eq!(ev["server_type"], "sse");
    assert_eq!(ev["config"]["headers"]["Authorization"], "***");
    let docs = env.run(&["mcp", "get", "docs", "-o", "json"]).await;
    assert_eq!(docs.success().json()["server_type"], "http");

    let ls = env.run(&["mcp", "ls", "-o", "json"]).await;
    assert_eq!(ls.success().json()["total"], 3);
    env.run(&["mcp", "rm", "docs"]).await.success();
    let again = env.run(&["mcp", "add", "fs", "--", "other"]).await;
    let first = again.failed(4);
    assert!(first.contains("already"), "{again:?}");
    assert!(again.stderr.contains("ai-agent mcp update fs"), "{again:?}");
}

#[tokio::test]
async fn add_refuses_mixed_up_flags_before_asking_the_server() {
    let env = Env::new().await;
    let out = env.run(&["mcp", "add", "fs"]).await;
    assert!(out.failed(2).contains("command after --"), "{out:?}");
    let out = env
        .run(&["mcp", "add", "web", "https://x.test/mcp", "-e", "K=v"])
        .await;
    assert!(out.failed(2).contains("-e is for stdio servers"), "{out:?}");
    let list = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0);
}

#[tokio::test]
async fn add_json_takes_claude_codes_shapes() {
    let env = Env::new().await;
    env.run(&[
        "mcp",
        "add-json",
        "time",
        r#"{"type":"stdio","command":"uvx","args":["mcp-server-time"],"env":{}}"#,
    ])
    .await
    .success();
    let mut cmd = env.cmd();
    cmd.args(["mcp", "add-json", "docs", "-"]).write_stdin(
        r#"{"type":"http","url":"https://mcp.example.com/mcp","headers":{"X-Key":"k"}}"#,
    );
    run(cmd).await.success();
    let docs = env.run(&["mcp", "get", "docs", "-o", "json"]).await;
    assert_eq!(docs.success().json()["server_type"], "http");
    let bad = env.run(&["mcp", "add-json", "x", "{not json"]).await;
    assert!(bad.failed(2).contains("not valid JSON"), "{bad:?}");
    let unknown = env
        .run(&["mcp", "add-json", "x", r#"{"command":"x","timeout":5}"#])
        .await;
    assert!(unknown.failed(7).contains("timeout"), "{unknown:?}");
}
