//! templates: the list, one template, and servers made from templates with
//! `templates --create` and `create --from-template`.

use mcp_model::api::{Template, TemplateList};
use serde_json::{Value, json};

use crate::support::{Env, run_without_stdin};

const KNOWN: &str = "kubernetes, filesystem, postgres, brave-search, github";

/// What both `templates --name nope` (the server's 404) and `create
/// --from-template nope` (checked before asking anything) say.
const UNKNOWN: &str = "ai-agent: no template named 'nope' \
     (known templates: kubernetes, filesystem, postgres, brave-search, github)";

async fn revealed(env: &Env, name: &str) -> Value {
    let out = env
        .run(&["mcp", "get", name, "--reveal", "-o", "json"])
        .await;
    out.success().json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_list() {
    let env = Env::new().await;
    let table = env.run(&["mcp", "templates"]).await;
    insta::assert_snapshot!("templates_table", table.success().stdout);

    let out = env.run(&["mcp", "templates", "-o", "json"]).await;
    let list: TemplateList = serde_json::from_value(out.success().json()).expect("TemplateList");
    assert_eq!(list.total, 5);
    let names: Vec<_> = list.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.join(", "), KNOWN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_template_by_name() {
    let env = Env::new().await;
    let table = env.run(&["mcp", "templates", "--name", "postgres"]).await;
    table.success();
    assert!(
        table.stdout.contains("│ Requires     ┆ env POSTGRES_URL"),
        "{table:?}"
    );
    insta::assert_snapshot!("template_postgres_table", table.stdout);

    let out = env
        .run(&["mcp", "templates", "--name", "postgres", "-o", "json"])
        .await;
    let t: Template = serde_json::from_value(out.success().json()).expect("Template");
    assert_eq!(t.name, "postgres");
    assert_eq!(t.required_env, ["POSTGRES_URL"]);
    assert!(t.required_args.is_empty());

    let fs = env
        .run(&["mcp", "templates", "--name", "filesystem", "-o", "json"])
        .await;
    assert_eq!(fs.success().json()["required_args"], json!(["path"]));

    let unknown = env.run(&["mcp", "templates", "--name", "nope"]).await;
    assert_eq!(unknown.failed(3), UNKNOWN, "{unknown:?}");
    assert_eq!(unknown.stderr.lines().count(), 1, "{unknown:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_from_templates_get_the_values_given() {
    let env = Env::new().await;

    let fs = env
        .run(&[
            "mcp",
            "templates",
            "--name",
            "filesystem",
            "--create",
            "--arg",
            "/srv/data",
        ])
        .await;
    fs.success();
    assert!(
        fs.stdout.starts_with("Created MCP server 'filesystem' ("),
        "{fs:?}"
    );
    let got = revealed(&env, "filesystem").await;
    assert_eq!(got["server_type"], "stdio");
    assert_eq!(got["description"], "Access local filesystem");
    assert_eq!(
        got["config"],
        json!({"command": "npx",
               "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv/data"],
               "env": {}})
    );

    // The spec's `create --from-template postgres --env POSTGRES_URL=…`.
    env.run(&[
        "mcp",
        "create",
        "--from-template",
        "postgres",
        "--env",
        "POSTGRES_URL=postgresql://localhost/mydb",
    ])
    .await
    .success();
    let pg = revealed(&env, "postgres").await;
    assert_eq!(
        pg["config"]["env"],
        json!({"POSTGRES_URL": "postgresql://localhost/mydb"})
    );
    assert_eq!(pg["config"]["command"], "npx");

    // Named otherwise, masked in the answer unless --reveal.
    let k8s = env
        .run(&[
            "mcp",
            "templates",
            "--name",
            "kubernetes",
            "--create",
            "--server-name",
            "k8s",
            "--env",
            "KUBECONFIG=/home/user/.kube/config",
            "-o",
            "json",
        ])
        .await;
    let answer = k8s.success().json();
    assert_eq!(answer["name"], "k8s");
    assert_eq!(answer["config"]["env"]["KUBECONFIG"], "***");
    assert_eq!(
        revealed(&env, "k8s").await["config"]["env"]["KUBECONFIG"],
        "/home/user/.kube/config"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_value_without_a_terminal_is_refused() {
    let env = Env::new().await;
    // The spec's interactive forms, run from a pipe: they name what is missing.
    for (args, missing) in [
        (
            &["mcp", "create", "--from-template", "postgres"][..],
            "POSTGRES_URL",
        ),
        (
            &["mcp", "templates", "--name", "kubernetes", "--create"],
            "KUBECONFIG",
        ),
        (
            &["mcp", "templates", "--name", "filesystem", "--create"],
            "path",
        ),
    ] {
        let out = run_without_stdin(&env, args).await;
        let line = out.failed(2);
        assert!(line.contains(missing), "{args:?}: {out:?}");
        assert!(line.contains("stdin is not a terminal"), "{out:?}");
    }
    let list = env.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0, "nothing was created");

    let unknown = env.run(&["mcp", "create", "--from-template", "nope"]).await;
    assert_eq!(unknown.failed(3), UNKNOWN, "{unknown:?}");
    // --create needs --name (clap).
    assert_eq!(env.run(&["mcp", "templates", "--create"]).await.code, 2);
}
