//! health-check, tools, import, export and templates. Each test compares the
//! binary's answer with what the typed client gets for the same request, so it
//! holds whether the server implements the endpoint or answers an error: the
//! CLI must show the result, or the server's detail with the matching code.

use ai_agent::client::ExportParams;
use mcp_model::api::{HealthCheckResult, HealthStatus, ImportResult, Template, TemplateList};

use crate::support::{Env, Out, assert_reported, code_of, run};

/// A server whose process exits at once, so a real check is quick and unhealthy.
async fn failing_server(env: &Env, name: &str) {
    env.run(&[
        "mcp",
        "create",
        "--name",
        name,
        "--command",
        "sh",
        "--args",
        r#"-c "exit 1""#,
    ])
    .await
    .success();
}

fn exit_for(h: &HealthCheckResult) -> i32 {
    if h.health_status == HealthStatus::Healthy {
        0
    } else {
        8
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_one() {
    let env = Env::new().await;
    failing_server(&env, "broken").await;
    let out = env
        .run(&["mcp", "health-check", "broken", "-o", "json"])
        .await;
    match env.client().health_check("broken").await {
        Ok(expected) => {
            let got: HealthCheckResult = serde_json::from_value(out.json()).expect("shape");
            assert_eq!(got.name, "broken");
            assert_eq!(got.id, expected.id);
            assert_eq!(out.code, exit_for(&got), "{out:?}");
            let table = env.run(&["mcp", "health-check", "broken"]).await;
            assert!(table.stdout.contains("Latency"), "{table:?}");
        }
        Err(e) => assert_reported(&out, &e),
    }
    let missing = env.run(&["mcp", "health-check", "nope"]).await;
    missing.failed(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_all() {
    let env = Env::new().await;
    let none = env
        .run(&["mcp", "health-check", "--all", "-o", "json"])
        .await;
    assert_eq!(
        none.success().json(),
        serde_json::json!({"items": [], "errors": []})
    );
    let none = env.run(&["mcp", "health-check", "--all"]).await;
    assert_eq!(none.success().stdout, "No MCP servers.\n");

    failing_server(&env, "one").await;
    failing_server(&env, "two").await;
    let out = env
        .run(&["mcp", "health-check", "--all", "-o", "json"])
        .await;
    let json = out.json();
    match env.client().health_check("one").await {
        Ok(_) => {
            let items: Vec<HealthCheckResult> =
                serde_json::from_value(json["items"].clone()).expect("shape");
            assert_eq!(items.len(), 2, "{out:?}");
            let want = if items.iter().all(|h| exit_for(h) == 0) {
                0
            } else {
                8
            };
            assert_eq!(out.code, want, "{out:?}");
        }
        Err(e) => {
            assert_eq!(out.code, code_of(&e), "{out:?}");
            let errors = json["errors"].as_array().expect("errors");
            assert_eq!(errors.len(), 2, "{out:?}");
            assert!(errors.iter().any(|x| x["name"] == "one"));
            assert!(
                errors
                    .iter()
                    .all(|x| x["detail"].as_str().is_some_and(|d| !d.is_empty()))
            );
        }
    }
    let table = env.run(&["mcp", "health-check", "--all"]).await;
    assert_eq!(table.code, out.code, "{table:?}");
    assert!(table.stdout.contains("of 2 healthy"), "{table:?}");
    assert!(
        table.stdout.contains("one") && table.stdout.contains("two"),
        "{table:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_from_the_last_check() {
    let env = Env::new().await;
    failing_server(&env, "broken").await;
    let out = env.run(&["mcp", "tools", "broken", "-o", "json"]).await;
    match env.client().last_health("broken").await {
        Ok(h) => {
            out.success();
            assert_eq!(
                out.json(),
                serde_json::to_value(&h.report.tools).expect("json")
            );
        }
        Err(e) => assert_reported(&out, &e),
    }
}

const CLAUDE_DESKTOP: &str = r#"{
  "mcpServers": {
    "kubernetes": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
      "env": {"KUBECONFIG": "/path/to/kubeconfig"}
    },
    "remote-server": {
      "type": "sse",
      "url": "https://mcp.example.com/sse",
      "headers": {"Authorization": "Bearer token"}
    }
  }
}"#;

/// The binary's import of `body` (from a file), checked against the client's.
async fn check_import(env: &Env, out: &Out, body: &str) -> Option<ImportResult> {
    if out.code == 0 || out.code == 9 {
        let r: ImportResult = serde_json::from_value(out.json()).expect("ImportResult");
        assert_eq!(out.code == 9, !r.errors.is_empty(), "{out:?}");
        return Some(r);
    }
    // It failed as a whole, so it changed nothing: the same request fails the same way.
    let e = env
        .client()
        .import(body.as_bytes().to_vec(), None, false)
        .await
        .expect_err("the CLI failed, so must the client");
    assert_reported(out, &e);
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_file_and_stdin() {
    let env = Env::new().await;
    let file = env.dir.path().join("claude_desktop_config.json");
    std::fs::write(&file, CLAUDE_DESKTOP).expect("write");
    let out = env
        .run(&["mcp", "import", file.to_str().expect("utf-8"), "-o", "json"])
        .await;
    if let Some(r) = check_import(&env, &out, CLAUDE_DESKTOP).await {
        assert_eq!(r.imported, ["kubernetes", "remote-server"]);
        let names: Vec<_> = env
            .client()
            .list_all_servers(false)
            .await
            .expect("list")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert!(names.contains(&"kubernetes".to_string()), "{names:?}");

        // Again from stdin: skipped, then replaced with --override.
        let mut cmd = env.cmd();
        cmd.args(["mcp", "import", "-"]).write_stdin(CLAUDE_DESKTOP);
        let again = run(cmd).await;
        again.success();
        assert!(again.stdout.contains("skipped"), "{again:?}");
        let mut cmd = env.cmd();
        cmd.args(["mcp", "import", "-", "--override", "-o", "json"])
            .write_stdin(CLAUDE_DESKTOP);
        let r: ImportResult =
            serde_json::from_value(run(cmd).await.success().json()).expect("shape");
        assert_eq!(r.imported.len(), 2, "{r:?}");
    } else {
        let mut cmd = env.cmd();
        cmd.args([
            "mcp",
            "import",
            "-",
            "--override",
            "--format",
            "claude-desktop",
        ])
        .write_stdin(CLAUDE_DESKTOP);
        let out = run(cmd).await;
        let e = env
            .client()
            .import(
                CLAUDE_DESKTOP.as_bytes().to_vec(),
                Some("claude-desktop"),
                true,
            )
            .await
            .expect_err("fails like the CLI");
        assert_reported(&out, &e);
    }

    let missing = env
        .run(&["mcp", "import", "/nonexistent/config.json"])
        .await;
    assert!(
        missing.failed(2).contains("/nonexistent/config.json"),
        "{missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_with_a_broken_server_is_a_partial_failure() {
    let env = Env::new().await;
    let body = r#"{"mcpServers": {"good": {"command": "npx"}, "bad": {"command": ""}}}"#;
    let file = env.dir.path().join("partial.json");
    std::fs::write(&file, body).expect("write");
    let out = env
        .run(&["mcp", "import", file.to_str().expect("utf-8"), "-o", "json"])
        .await;
    if let Some(r) = check_import(&env, &out, body).await {
        assert_eq!(out.code, 9, "{out:?}");
        assert_eq!(r.imported, ["good"]);
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].name, "bad");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_the_servers_file_to_stdout() {
    let env = Env::new().await;
    env.run(crate::support::SPEC_STDIO).await.success();
    let out = env.run(&["mcp", "export"]).await;
    let no_global = env
        .run(&["mcp", "export", "--no-global", "--servers", "my-kubernetes"])
        .await;
    let client = env.client();
    match client
        .export(&ExportParams {
            include_global: true,
            ..ExportParams::default()
        })
        .await
    {
        Ok(e) => {
            out.success();
            assert_eq!(out.stdout.trim_end(), e.body.trim_end());
            no_global.success();
            // What was exported imports for another user.
            let bob = env
                .server
                .user("bob", crate::support::Role::User)
                .expect("bob");
            let mut cmd = env.cmd();
            cmd.env("AI_AGENT_TOKEN", &bob)
                .args(["mcp", "import", "-", "-o", "json"])
                .write_stdin(out.stdout.clone());
            let r: ImportResult =
                serde_json::from_value(run(cmd).await.success().json()).expect("shape");
            assert_eq!(r.imported, ["my-kubernetes"]);
        }
        Err(e) => {
            assert_reported(&out, &e);
            let e = client
                .export(&ExportParams {
                    include_global: false,
                    format: None,
                    servers: vec!["my-kubernetes".into(), "other".into()],
                })
                .await
                .expect_err("fails like the CLI");
            assert_reported(&no_global, &e);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_list_show_and_create() {
    let env = Env::new().await;
    let client = env.client();
    let out = env.run(&["mcp", "templates", "-o", "json"]).await;
    match client.templates(None).await {
        Ok(list) => {
            let got: TemplateList = serde_json::from_value(out.success().json()).expect("shape");
            assert_eq!(got, list);
            let table = env.run(&["mcp", "templates"]).await;
            assert!(table.success().stdout.contains("postgres"), "{table:?}");
        }
        Err(e) => assert_reported(&out, &e),
    }

    let one = env
        .run(&["mcp", "templates", "--name", "postgres", "-o", "json"])
        .await;
    let create = env
        .run(&[
            "mcp",
            "templates",
            "--name",
            "postgres",
            "--create",
            "--server-name",
            "db",
            "--env",
            "POSTGRES_URL=postgresql://localhost/mydb",
            "-o",
            "json",
        ])
        .await;
    match client.templates(Some("postgres")).await {
        Ok(_) => {
            let t: Template = serde_json::from_value(one.success().json()).expect("shape");
            assert_eq!(t.name, "postgres");
            assert_eq!(t.required_env, ["POSTGRES_URL"]);
            let s = create.success().json();
            assert_eq!(s["name"], "db");
            assert_eq!(s["config"]["env"]["POSTGRES_URL"], "***");
        }
        Err(e) => {
            assert_reported(&one, &e);
            assert_reported(&create, &e);
        }
    }
    // --create needs --name (clap).
    assert_eq!(env.run(&["mcp", "templates", "--create"]).await.code, 2);
}
