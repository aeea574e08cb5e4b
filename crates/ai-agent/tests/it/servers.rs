//! list / create / get / update / delete through the binary.

use serde_json::json;

use crate::support::{Env, SPEC_SSE, SPEC_STDIO, filters};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_the_spec_examples_and_list_them_as_json() {
    let env = Env::new().await;
    let mut args = SPEC_STDIO.to_vec();
    args.extend(["--output", "json"]);
    let created = env.run(&args).await;
    let s = created.success().json();
    assert_eq!(s["name"], "my-kubernetes");
    assert_eq!(s["description"], "My K8s cluster");
    assert_eq!(s["server_type"], "stdio");
    assert_eq!(
        s["config"],
        json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
               "env": {"KUBECONFIG": "***"}})
    );
    assert_eq!(s["is_enabled"], true);
    assert_eq!(s["health_status"], "unknown");

    let mut args = SPEC_SSE.to_vec();
    args.extend(["-o", "json"]);
    let r = env.run(&args).await.success().json();
    assert_eq!(r["server_type"], "sse");
    assert_eq!(
        r["config"],
        json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "***"}})
    );

    let list = env.run(&["mcp", "list", "--output", "json"]).await;
    let list = list.success().json();
    assert_eq!(list["total"], 2);
    let names: Vec<_> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"my-kubernetes".to_string()));
    assert!(names.contains(&"remote-mcp".to_string()));

    // The stored secret is the one given, as its owner can see.
    let revealed = env
        .run(&["mcp", "get", "my-kubernetes", "--reveal", "-o", "json"])
        .await;
    assert_eq!(
        revealed.success().json()["config"]["env"]["KUBECONFIG"],
        "/path/to/kubeconfig"
    );

    // Filters reach the server.
    let sse = env
        .run(&["mcp", "list", "--type", "sse", "-o", "json"])
        .await;
    assert_eq!(sse.success().json()["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_for_people() {
    let env = Env::new().await;
    let empty = env.run(&["mcp", "list"]).await;
    assert_eq!(empty.success().stdout, "No MCP servers.\n");

    env.run(SPEC_STDIO).await.success();
    env.run(SPEC_SSE).await.success();
    let list = env.run(&["mcp", "list"]).await;
    list.success();
    assert!(!list.stdout.contains('\u{1b}'), "no colour off a terminal");
    let mut at_80 = env.cmd();
    at_80.env("COLUMNS", "80").args(["mcp", "list"]);
    let narrow = crate::support::run(at_80).await;
    let get = env.run(&["mcp", "get", "my-kubernetes"]).await;
    get.success();
    let remote = env.run(&["mcp", "get", "remote-mcp"]).await;
    remote.success();
    insta::with_settings!({filters => filters()}, {
        // Newest first.
        insta::assert_snapshot!("list_table", list.stdout);
        insta::assert_snapshot!("list_table_80", narrow.stdout);
        insta::assert_snapshot!("get_stdio_table", get.stdout);
        insta::assert_snapshot!("get_remote_table", remote.stdout);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_accepts_id_or_name() {
    let env = Env::new().await;
    let created = env.run(&[SPEC_STDIO, &["-o", "json"]].concat()).await;
    let id = created.success().json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let by_id = env.run(&["mcp", "get", &id, "-o", "json"]).await;
    let by_name = env
        .run(&["mcp", "get", "my-kubernetes", "-o", "json"])
        .await;
    assert_eq!(by_id.success().json(), by_name.success().json());
    assert_eq!(by_id.json()["id"], id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_ways_to_give_args_and_headers() {
    let env = Env::new().await;
    let s = env
        .run(&[
            "mcp",
            "create",
            "--name",
            "fs",
            "--command",
            "npx",
            "--arg",
            "-y",
            "--arg",
            "@modelcontextprotocol/server-filesystem",
            "--arg",
            "/srv/my files",
            "-o",
            "json",
        ])
        .await;
    let s = s.success().json();
    assert_eq!(s["server_type"], "stdio");
    assert_eq!(
        s["config"]["args"],
        json!([
            "-y",
            "@modelcontextprotocol/server-filesystem",
            "/srv/my files"
        ])
    );

    let r = env
        .run(&[
            "mcp",
            "create",
            "--name",
            "api",
            "--url",
            "https://mcp.example.com/mcp",
            "--header",
            "Authorization: Bearer abc",
            "--header",
            "X-Team:blue",
            "--disabled",
            "-o",
            "json",
        ])
        .await;
    let r = r.success().json();
    assert_eq!(r["server_type"], "http");
    assert_eq!(r["is_enabled"], false);
    let revealed = env
        .run(&["mcp", "get", "api", "--reveal", "-o", "json"])
        .await;
    assert_eq!(
        revealed.success().json()["config"]["headers"],
        json!({"Authorization": "Bearer abc", "X-Team": "blue"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_as_the_spec_shows() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();

    let u = env
        .run(&[
            "mcp",
            "update",
            "my-kubernetes",
            "--description",
            "Updated description",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(u.success().json()["description"], "Updated description");

    let u = env
        .run(&[
            "mcp", "update", "my-kubernetes", "--config",
            r#"{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"], "env": {"KUBECONFIG": "/new/path"}}"#,
        ])
        .await;
    u.success();
    assert!(u.stdout.contains("my-kubernetes"), "{u:?}");
    let revealed = env
        .run(&["mcp", "get", "my-kubernetes", "--reveal", "-o", "json"])
        .await;
    assert_eq!(
        revealed.success().json()["config"]["env"]["KUBECONFIG"],
        "/new/path"
    );

    let u = env
        .run(&[
            "mcp",
            "update",
            "my-kubernetes",
            "--enabled",
            "false",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(u.success().json()["is_enabled"], false);
    let disabled = env
        .run(&["mcp", "list", "--enabled", "false", "-o", "json"])
        .await;
    assert_eq!(disabled.success().json()["total"], 1);

    // An empty description clears it.
    let u = env
        .run(&[
            "mcp",
            "update",
            "my-kubernetes",
            "--description",
            "",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(u.success().json()["description"], serde_json::Value::Null);

    let nothing = env.run(&["mcp", "update", "my-kubernetes"]).await;
    assert!(
        nothing.failed(2).contains("nothing to update"),
        "{nothing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_then_gone() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();
    let d = env.run(&["mcp", "delete", "my-kubernetes"]).await;
    assert_eq!(d.success().stdout, "Deleted MCP server 'my-kubernetes'.\n");
    let again = env.run(&["mcp", "delete", "my-kubernetes"]).await;
    let line = again.failed(3);
    assert!(line.contains("not found"), "{again:?}");
    let list = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0);

    // With JSON output a delete prints nothing (the API answers 204).
    env.run(SPEC_STDIO).await.success();
    let quiet = env
        .run(&["mcp", "delete", "my-kubernetes", "-o", "json"])
        .await;
    assert_eq!(quiet.success().stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_template_without_a_terminal_when_values_are_given() {
    let env = Env::new().await;
    let s = env
        .run(&[
            "mcp",
            "create",
            "--from-template",
            "postgres",
            "--env",
            "POSTGRES_URL=postgresql://localhost/mydb",
            "-o",
            "json",
        ])
        .await;
    let s = s.success().json();
    assert_eq!(s["name"], "postgres");
    assert_eq!(s["description"], "Query PostgreSQL databases");
    assert_eq!(
        s["config"]["args"],
        json!(["-y", "@modelcontextprotocol/server-postgres"])
    );
    let revealed = env
        .run(&["mcp", "get", "postgres", "--reveal", "-o", "json"])
        .await;
    assert_eq!(
        revealed.success().json()["config"]["env"]["POSTGRES_URL"],
        "postgresql://localhost/mydb"
    );

    let fs = env
        .run(&[
            "mcp",
            "create",
            "--from-template",
            "filesystem",
            "--name",
            "docs",
            "--arg",
            "/srv/docs",
            "-o",
            "json",
        ])
        .await;
    let fs = fs.success().json();
    assert_eq!(fs["name"], "docs");
    assert_eq!(
        fs["config"]["args"],
        json!(["-y", "@modelcontextprotocol/server-filesystem", "/srv/docs"])
    );
}

/// A name the API does not know gets the nearest names the caller can see;
/// a duplicate name, what to do instead; a bad token at login, no "run login".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hints_name_the_way_out() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();
    for args in [
        &["mcp", "get", "my-kubernets"][..],
        &["mcp", "delete", "my-kubernets"],
        &["mcp", "update", "my-kubernets", "--description", "x"],
        &["mcp", "health-check", "my-kubernets"],
    ] {
        let out = env.run(args).await;
        out.failed(3);
        assert!(
            out.stderr.contains("hint: did you mean 'my-kubernetes'?"),
            "{args:?}: {out:?}"
        );
    }
    let far = env.run(&["mcp", "get", "postgres"]).await;
    far.failed(3);
    assert!(far.stderr.contains("`ai-agent mcp list`"), "{far:?}");

    let dup = env.run(SPEC_STDIO).await;
    dup.failed(4);
    assert!(
        dup.stderr.contains("hint: pick another name with --name"),
        "{dup:?}"
    );
    assert!(
        dup.stderr.contains("ai-agent mcp update my-kubernetes"),
        "{dup:?}"
    );

    let mut cmd = env.bare();
    cmd.args([
        "login",
        "--api-url",
        &env.server.url,
        "--token",
        "aia_wrong",
    ]);
    let out = crate::support::run(cmd).await;
    out.failed(5);
    assert!(!out.stderr.contains("run `ai-agent login"), "{out:?}");
    assert!(out.stderr.contains("token create"), "{out:?}");
}

/// `ai-agent audit`: newest first, for one server by name, as JSON for scripts.
#[tokio::test]
async fn audit_shows_the_log_newest_first() {
    let env = Env::new().await;
    env.run(&["mcp", "add", "fs", "--", "npx", "-y", "pkg"])
        .await
        .success();
    env.run(&["mcp", "add", "other", "--", "npx"])
        .await
        .success();
    env.run(&["mcp", "update", "fs", "--description", "files"])
        .await
        .success();
    let table = env.run(&["audit"]).await;
    let text = &table.success().stdout;
    let update = text.find("mcp_server_update").expect("update listed");
    let create = text.find("mcp_server_create").expect("create listed");
    assert!(update < create, "newest first: {text}");
    assert!(text.contains("changed=[\"description\"]"), "{text}");

    let one = env.run(&["audit", "--server", "fs", "-o", "json"]).await;
    let actions: Vec<String> = one.success().json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, ["mcp_server_update", "mcp_server_create"]);
    let limited = env.run(&["audit", "--limit", "1"]).await;
    assert!(
        limited
            .success()
            .stdout
            .contains("1 of 3 entries; --limit shows more."),
        "{limited:?}"
    );
    env.run(&["audit", "--server", "nope"]).await.failed(3);
}

/// `delete a b c`: each goes; a missing one is named and the exit code is its.
#[tokio::test]
async fn delete_takes_several_names() {
    let env = Env::new().await;
    for name in ["a", "b", "c"] {
        env.run(&["mcp", "add", name, "--", "npx"]).await.success();
    }
    let out = env.run(&["mcp", "delete", "a", "nope", "c"]).await;
    let line = out.failed(3);
    assert!(line.contains("nope"), "{out:?}");
    assert!(out.stdout.contains("Deleted MCP server 'a'."), "{out:?}");
    assert!(out.stdout.contains("Deleted MCP server 'c'."), "{out:?}");
    let left = env.run(&["mcp", "ls", "-o", "json"]).await;
    assert_eq!(left.success().json()["items"][0]["name"], "b");
    env.run(&["mcp", "rm", "--yes", "b"]).await.success();
}

/// `update` changes one env var or header and keeps the rest, secrets too;
/// `--config @file` reads the config from a file, not as the CLI's settings.
#[tokio::test]
async fn update_changes_part_of_the_config() {
    let env = Env::new().await;
    env.run(&[
        "mcp",
        "add",
        "fs",
        "-e",
        "TOKEN=s3cret",
        "-e",
        "OLD=1",
        "--",
        "npx",
        "-y",
        "pkg",
    ])
    .await
    .success();
    env.run(&[
        "mcp",
        "update",
        "fs",
        "--env",
        "NEW=2",
        "--unset-env",
        "OLD",
        "--args",
        "-y pkg@2",
    ])
    .await
    .success();
    let got = env
        .run(&["mcp", "get", "fs", "--reveal", "-o", "json"])
        .await;
    let config = &got.success().json()["config"];
    assert_eq!(config["env"], json!({"TOKEN": "s3cret", "NEW": "2"}));
    assert_eq!(config["args"], json!(["-y", "pkg@2"]));

    env.run(&[
        "mcp",
        "add",
        "docs",
        "https://mcp.example.com/mcp",
        "-H",
        "Authorization: Bearer t0k",
    ])
    .await
    .success();
    env.run(&[
        "mcp",
        "update",
        "docs",
        "--header",
        "X-Team: core",
        "--url",
        "https://mcp.example.com/v2/mcp",
    ])
    .await
    .success();
    let got = env
        .run(&["mcp", "get", "docs", "--reveal", "-o", "json"])
        .await;
    let config = &got.success().json()["config"];
    assert_eq!(config["url"], "https://mcp.example.com/v2/mcp");
    assert_eq!(
        config["headers"],
        json!({"Authorization": "Bearer t0k", "X-Team": "core"})
    );
    let wrong = env.run(&["mcp", "update", "docs", "--env", "A=1"]).await;
    assert!(wrong.failed(2).contains("stdio"), "{wrong:?}");

    let file = env.dir.path().join("cfg.json");
    std::fs::write(&file, r#"{"command": "uvx", "args": ["mcp-server-time"]}"#).unwrap();
    let from_file = format!("@{}", file.display());
    env.run(&["mcp", "update", "fs", "--config", &from_file])
        .await
        .success();
    let got = env.run(&["mcp", "get", "fs", "-o", "json"]).await;
    assert_eq!(got.success().json()["config"]["command"], "uvx");
}

/// The list at 80 columns, wide, as names, filtered and sorted.
#[tokio::test]
async fn list_fits_the_width_and_filters() {
    let env = Env::new().await;
    let long = "A server with a description far longer than any terminal is wide, so that the table has to cut it somewhere";
    env.run(&[
        "mcp",
        "add",
        "github",
        "--description",
        long,
        "--",
        "npx",
        "-y",
        "gh",
    ])
    .await
    .success();
    env.run(&["mcp", "add", "gitlab", "--", "npx"])
        .await
        .success();
    env.run(&["mcp", "add", "docs", "https://mcp.example.com/mcp"])
        .await
        .success();
    let mut narrow = env.cmd();
    narrow.env("COLUMNS", "80").args(["mcp", "list"]);
    let out = crate::support::run(narrow).await;
    let text = &out.success().stdout;
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(text.contains('…'), "the description is cut: {text}");
    assert!(text.contains("never"), "{text}");
    assert!(!text.contains("-4"), "no id by default: {text}");

    let wide = env.run(&["mcp", "list", "-o", "wide"]).await;
    let id = env.run(&["mcp", "get", "docs", "-o", "json"]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(wide.success().stdout.contains(&id), "{wide:?}");
    assert!(wide.stdout.contains(long), "{wide:?}");

    let names = env
        .run(&["mcp", "list", "-o", "name", "--sort", "name"])
        .await;
    assert_eq!(names.success().stdout, "docs\ngithub\ngitlab\n");
    let git = env
        .run(&["mcp", "ls", "GIT*", "-o", "name", "--sort", "name"])
        .await;
    assert_eq!(git.success().stdout, "github\ngitlab\n");
    let remote = env
        .run(&["mcp", "ls", "--type", "http", "-o", "name"])
        .await;
    assert_eq!(remote.success().stdout, "docs\n");
    let unknown = env
        .run(&["mcp", "ls", "--health", "unknown", "--own", "-o", "name"])
        .await;
    assert_eq!(unknown.success().stdout.lines().count(), 3);
    let none = env.run(&["mcp", "ls", "--global"]).await;
    assert_eq!(none.success().stdout, "No MCP servers.\n");
    let by_created = env
        .run(&["mcp", "ls", "-o", "name", "--sort", "created"])
        .await;
    assert_eq!(by_created.success().stdout, "github\ngitlab\ndocs\n");
}

/// `mcp list` answers from the server's cached listing; `--fresh` asks for
/// one computed now (here, after a change the server was not told of).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_fresh_asks_for_a_listing_computed_now() {
    let env = Env::new().await;
    env.run(SPEC_STDIO).await.success();
    let description = |out: &crate::support::Out| {
        out.success().json()["items"][0]["description"]
            .as_str()
            .map(str::to_string)
    };
    let cached = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(description(&cached).as_deref(), Some("My K8s cluster"));
    env.server
        .by_hand("UPDATE mcp_servers SET description = 'by hand'")
        .expect("edit");
    let fresh = env.run(&["mcp", "list", "--fresh", "-o", "json"]).await;
    assert_eq!(description(&fresh).as_deref(), Some("by hand"));
}
