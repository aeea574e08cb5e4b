//! import and export: files and stdin, formats, partial failures, broken
//! files, selection, withheld secrets, and the export | import round trip.

use mcp_model::api::ImportResult;
use serde_json::{Value, json};

use crate::support::{Env, Role, SPEC_SSE, SPEC_STDIO, run};

/// The spec's Claude Desktop example.
const CLAUDE_DESKTOP: &str = r#"{
  "mcpServers": {
    "kubernetes": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
      "env": {
        "KUBECONFIG": "/path/to/kubeconfig"
      }
    },
    "remote-server": {
      "type": "sse",
      "url": "https://mcp.example.com/sse",
      "headers": {
        "Authorization": "Bearer token"
      }
    }
  }
}"#;

fn write(env: &Env, name: &str, body: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, body).expect("write");
    path.to_str().expect("utf-8 path").to_string()
}

async fn import_stdin(env: &Env, token: &str, body: &str, args: &[&str]) -> crate::support::Out {
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", token)
        .args(["mcp", "import", "-"])
        .args(args)
        .write_stdin(body.to_string());
    run(cmd).await
}

/// A server's config with its secrets, as its owner sees it.
async fn revealed(env: &Env, name: &str) -> Value {
    let out = env
        .run(&["mcp", "get", name, "--reveal", "-o", "json"])
        .await;
    out.success().json()
}

async fn names(env: &Env) -> Vec<String> {
    let out = env.run(&["mcp", "list", "-o", "json"]).await;
    let mut names: Vec<String> = out.success().json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_file_then_stdin_then_override() {
    let env = Env::new().await;
    let file = write(&env, "claude_desktop_config.json", CLAUDE_DESKTOP);

    // The spec's `ai-agent mcp import claude_desktop_config.json`.
    let out = env.run(&["mcp", "import", &file]).await;
    out.success();
    assert_eq!(
        out.stdout,
        "Imported 2, skipped 0, errors 0 (format: claude-desktop)\n\
         imported: kubernetes, remote-server\n"
    );
    assert_eq!(out.stderr, "");
    let k8s = revealed(&env, "kubernetes").await;
    assert_eq!(k8s["server_type"], "stdio");
    assert_eq!(k8s["description"], "Imported from Claude Desktop config");
    assert_eq!(
        k8s["config"],
        json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
               "env": {"KUBECONFIG": "/path/to/kubeconfig"}})
    );
    let remote = revealed(&env, "remote-server").await;
    assert_eq!(remote["server_type"], "sse");
    assert_eq!(
        remote["config"],
        json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer token"}})
    );

    // `cat claude_desktop_config.json | ai-agent mcp import -`: both exist now.
    let again = import_stdin(&env, &env.token, CLAUDE_DESKTOP, &[]).await;
    again.success();
    assert_eq!(
        again.stdout,
        "Imported 0, skipped 2, errors 0 (format: claude-desktop)\n\
         skipped (already exist; use --override to replace): kubernetes, remote-server\n"
    );

    // --override replaces them with the file's (changed) values, keeping ids.
    let changed = CLAUDE_DESKTOP.replace("/path/to/kubeconfig", "/new/path");
    let file = write(&env, "changed.json", &changed);
    let over = env
        .run(&["mcp", "import", &file, "--override", "-o", "json"])
        .await;
    let r: ImportResult = serde_json::from_value(over.success().json()).expect("ImportResult");
    assert_eq!(r.imported, ["kubernetes", "remote-server"]);
    assert!(r.skipped.is_empty() && r.errors.is_empty(), "{r:?}");
    let k8s_after = revealed(&env, "kubernetes").await;
    assert_eq!(k8s_after["id"], k8s["id"]);
    assert_eq!(k8s_after["config"]["env"]["KUBECONFIG"], "/new/path");
    assert_eq!(names(&env).await, ["kubernetes", "remote-server"]);

    let missing = env
        .run(&["mcp", "import", "/nonexistent/config.json"])
        .await;
    assert_eq!(
        missing.failed(2),
        "ai-agent: cannot read /nonexistent/config.json: No such file or directory (os error 2)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_vscode_jsonc_file() {
    let env = Env::new().await;
    let file = write(
        &env,
        "mcp.json",
        r#"// .vscode/mcp.json
{
  "inputs": [
    {"type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true},
  ],
  "servers": {
    /* a local one */
    "fs": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "${workspaceFolder}"],
    },
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": {"Authorization": "Bearer ${input:gh-token}"}, // kept verbatim
    },
  },
}
"#,
    );
    let out = env
        .run(&["mcp", "import", &file, "--format", "vscode", "-o", "json"])
        .await;
    let r: ImportResult = serde_json::from_value(out.success().json()).expect("ImportResult");
    assert_eq!(r.format, "vscode");
    assert_eq!(r.imported, ["fs", "github"]);
    assert!(r.errors.is_empty(), "{r:?}");
    assert_eq!(
        serde_json::to_value(&r.ignored).expect("json"),
        json!([{"name": "*", "field": "inputs"}])
    );
    let fs = revealed(&env, "fs").await;
    assert_eq!(
        fs["config"]["args"],
        json!([
            "-y",
            "@modelcontextprotocol/server-filesystem",
            "${workspaceFolder}"
        ])
    );
    let gh = revealed(&env, "github").await;
    assert_eq!(gh["server_type"], "http");
    assert_eq!(
        gh["config"]["headers"]["Authorization"],
        "Bearer ${input:gh-token}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_with_a_broken_server_exits_9_naming_it() {
    let env = Env::new().await;
    let file = write(
        &env,
        "partial.json",
        r#"{"mcpServers": {"good": {"command": "npx"}, "bad": {"command": ""}}}"#,
    );
    let out = env.run(&["mcp", "import", &file]).await;
    assert_eq!(out.code, 9, "{out:?}");
    insta::assert_snapshot!("import_partial", out.stdout);
    assert_eq!(
        out.stderr,
        "ai-agent: 1 of 2 MCP servers failed to import: bad\n"
    );

    let json = env
        .run(&["mcp", "import", &file, "--override", "-o", "json"])
        .await;
    assert_eq!(json.code, 9, "{json:?}");
    let r: ImportResult = serde_json::from_value(json.json()).expect("ImportResult");
    assert_eq!(r.imported, ["good"]);
    assert_eq!(r.errors.len(), 1, "{r:?}");
    assert_eq!(r.errors[0].name, "bad");
    assert!(r.errors[0].detail.contains("command"), "{r:?}");
    // The good one is stored, the bad one is not.
    assert_eq!(names(&env).await, ["good"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_is_one_clear_line() {
    let env = Env::new().await;
    for (body, says) in [
        ("{ \"mcpServers\": {\n  \"a\": nope\n}}", "line 2"),
        ("", "empty"),
        (r#"{"settings": {}}"#, "no MCP server map found"),
        (r#"{"mcpServers": []}"#, "mcpServers"),
    ] {
        let out = import_stdin(&env, &env.token, body, &[]).await;
        let line = out.failed(7);
        assert!(line.contains(says), "{body:?}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
        assert_eq!(out.stdout, "", "{out:?}");
    }
    let unknown = import_stdin(&env, &env.token, CLAUDE_DESKTOP, &["--format", "emacs"]).await;
    assert!(unknown.failed(7).contains("emacs"), "{unknown:?}");
    assert!(names(&env).await.is_empty());
}

/// alice's spec servers plus a disabled one, which no export includes.
async fn alice_servers(env: &Env) {
    env.run(SPEC_STDIO).await.success();
    env.run(SPEC_SSE).await.success();
    env.run(&[
        "mcp",
        "create",
        "--name",
        "switched-off",
        "--command",
        "true",
        "--disabled",
    ])
    .await
    .success();
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json") + "\n"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_the_claude_desktop_file() {
    let env = Env::new().await;
    alice_servers(&env).await;
    let out = env.run(&["mcp", "export"]).await;
    out.success();
    assert_eq!(out.stderr, "");
    // Enabled servers only, sorted by name; `type` only on the remote one.
    assert_eq!(
        out.stdout,
        pretty(&json!({"mcpServers": {
            "my-kubernetes": {
                "command": "npx",
                "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
                "env": {"KUBECONFIG": "/path/to/kubeconfig"}
            },
            "remote-mcp": {
                "type": "sse",
                "url": "https://mcp.example.com/sse",
                "headers": {"Authorization": "Bearer token"}
            }
        }}))
    );
    let explicit = env
        .run(&["mcp", "export", "--format", "claude-desktop"])
        .await;
    assert_eq!(explicit.success().stdout, out.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_in_other_clients_formats() {
    let env = Env::new().await;
    alice_servers(&env).await;
    let k8s = json!({
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
        "env": {"KUBECONFIG": "/path/to/kubeconfig"}
    });
    let remote = json!({
        "type": "sse",
        "url": "https://mcp.example.com/sse",
        "headers": {"Authorization": "Bearer token"}
    });
    let typed_k8s = json!({
        "type": "stdio",
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
        "env": {"KUBECONFIG": "/path/to/kubeconfig"}
    });

    let code = env.run(&["mcp", "export", "--format", "claude-code"]).await;
    assert_eq!(
        code.success().stdout,
        pretty(&json!({"mcpServers": {"my-kubernetes": typed_k8s, "remote-mcp": remote}}))
    );
    let cursor = env.run(&["mcp", "export", "--format", "cursor"]).await;
    assert_eq!(
        cursor.success().stdout,
        pretty(&json!({"mcpServers": {"my-kubernetes": k8s, "remote-mcp": remote}}))
    );
    let vscode = env.run(&["mcp", "export", "--format", "vscode"]).await;
    let v: Value = serde_json::from_str(&vscode.success().stdout).expect("json");
    assert_eq!(
        v["servers"],
        json!({"my-kubernetes": typed_k8s, "remote-mcp": remote})
    );
    assert!(v.get("mcpServers").is_none(), "{v}");

    let unknown = env.run(&["mcp", "export", "--format", "emacs"]).await;
    assert!(unknown.failed(7).contains("emacs"), "{unknown:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_selected_servers_globals_and_withheld_secrets() {
    let env = Env::new().await;
    alice_servers(&env).await;
    let admin = env.server.user("root", Role::Admin).expect("admin");
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", &admin).args([
        "mcp",
        "create",
        "--name",
        "shared-github",
        "--command",
        "npx",
        "--args",
        "-y @modelcontextprotocol/server-github",
        "--env",
        "GITHUB_TOKEN=ghp_admins_secret",
        "--global",
    ]);
    run(cmd).await.success();

    // alice gets the global server without the admin's secret, and is told.
    let all = env.run(&["mcp", "export", "-o", "json"]).await;
    all.success();
    assert_eq!(
        all.stderr,
        "ai-agent: warning: 1 secret(s) withheld and replaced by ${NAME} placeholders: \
         shared-github.GITHUB_TOKEN\n"
    );
    assert!(!all.stdout.contains("ghp_admins_secret"), "{all:?}");
    let v: Value = serde_json::from_str(&all.stdout).expect("json");
    assert_eq!(
        v["mcpServers"]["shared-github"],
        json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
               "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}"}})
    );
    let keys: Vec<_> = v["mcpServers"]
        .as_object()
        .expect("map")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["my-kubernetes", "remote-mcp", "shared-github"]);

    // The spec's `--no-global`: alice's own only, and no warning.
    let own = env.run(&["mcp", "export", "--no-global"]).await;
    own.success();
    assert_eq!(own.stderr, "");
    let v: Value = serde_json::from_str(&own.stdout).expect("json");
    let keys: Vec<_> = v["mcpServers"]
        .as_object()
        .expect("map")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["my-kubernetes", "remote-mcp"]);

    // The admin owns it, so the admin's export has the value.
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", &admin).args(["mcp", "export"]);
    let admins = run(cmd).await;
    assert_eq!(admins.success().stderr, "");
    assert!(admins.stdout.contains("ghp_admins_secret"), "{admins:?}");

    let some = env
        .run(&["mcp", "export", "--servers", "remote-mcp,shared-github"])
        .await;
    let v: Value = serde_json::from_str(&some.success().stdout).expect("json");
    let keys: Vec<_> = v["mcpServers"]
        .as_object()
        .expect("map")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["remote-mcp", "shared-github"]);

    for servers in ["my-kubernetes,nope", "switched-off"] {
        let out = env.run(&["mcp", "export", "--servers", servers]).await;
        let line = out.failed(3);
        let name = servers.rsplit(',').next().expect("a name");
        assert!(line.contains(&format!("'{name}'")), "{out:?}");
        assert_eq!(out.stdout, "", "{out:?}");
    }
    let excluded = env
        .run(&["mcp", "export", "--no-global", "--servers", "shared-github"])
        .await;
    excluded.failed(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_piped_into_import_for_another_user_round_trips() {
    let env = Env::new().await;
    alice_servers(&env).await;
    let bob = env.server.user("bob", Role::User).expect("bob");
    let bin = assert_cmd::cargo::cargo_bin("ai-agent");
    let bin = bin.to_str().expect("utf-8 path");

    // Literally `ai-agent mcp export | AI_AGENT_TOKEN=$BOB ai-agent mcp import -`.
    let mut pipe = assert_cmd::Command::new("bash");
    pipe.args([
        "-o",
        "pipefail",
        "-c",
        &format!("'{bin}' mcp export | AI_AGENT_TOKEN=\"$BOB\" '{bin}' mcp import -"),
    ])
    .env("BOB", &bob)
    .env("AI_AGENT_API_URL", &env.server.url)
    .env("AI_AGENT_TOKEN", &env.token)
    .env("AI_AGENT_CONFIG", env.config_file())
    .env("NO_COLOR", "1");
    let piped = run(pipe).await;
    piped.success();
    assert_eq!(
        piped.stdout,
        "Imported 2, skipped 0, errors 0 (format: claude-desktop)\n\
         imported: my-kubernetes, remote-mcp\n"
    );

    let alices = env.run(&["mcp", "export"]).await;
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", &bob).args(["mcp", "export"]);
    let bobs = run(cmd).await;
    assert_eq!(bobs.success().stdout, alices.success().stdout);

    // bob owns copies now: his secrets, his servers.
    let mut cmd = env.cmd();
    cmd.env("AI_AGENT_TOKEN", &bob)
        .args(["mcp", "get", "remote-mcp", "--reveal", "-o", "json"]);
    let copy = run(cmd).await;
    let copy = copy.success().json();
    assert_eq!(copy["config"]["headers"]["Authorization"], "Bearer token");
    assert_ne!(copy["id"], revealed(&env, "remote-mcp").await["id"]);
}
