//! `mcp sync`, `mcp clients` and `import --from`, with a home directory and
//! a project of the test's own: what lands in each client's file, what stays
//! as it was, and what is left alone.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{Env, Out, Role, run};

/// A user's machine: a home directory and a project directory inside it.
pub struct Machine {
    pub env: Env,
    pub home: tempfile::TempDir,
    pub project: PathBuf,
}

impl Machine {
    pub async fn new() -> Machine {
        let env = Env::new().await;
        let home = tempfile::tempdir().expect("home");
        let project = home.path().join("work").join("proj");
        std::fs::create_dir_all(&project).expect("project");
        // The real path, as the CLI and the clients see the directory.
        let project = std::fs::canonicalize(&project).expect("canonical");
        Machine { env, home, project }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The binary run in the project directory with this home.
    pub async fn run(&self, args: &[&str]) -> Out {
        let mut cmd = self.env.cmd();
        cmd.args(args)
            .current_dir(&self.project)
            .env("HOME", self.home())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("CODEX_HOME");
        run(cmd).await
    }

    /// Registers a server through the CLI, as alice.
    pub async fn create(&self, args: &[&str]) {
        let mut all = vec!["mcp", "create"];
        all.extend_from_slice(args);
        self.run(&all).await.success();
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.home().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(&p, text).expect("write");
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.home().join(rel)).expect("read")
    }

    /// A file under the home directory, which must be JSON.
    pub fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.read(rel)).expect("JSON")
    }
}

/// The servers used across these tests: a stdio one with a secret env value
/// and a remote one with a bearer token.
pub async fn two_servers(m: &Machine) {
    m.create(&[
        "--name",
        "files",
        "--command",
        "ai-agent-test-no-such-program",
        "--arg",
        "/data",
        "--env",
        "API_KEY=sekrit-value-1",
    ])
    .await;
    m.create(&[
        "--name",
        "search",
        "--url",
        "http://127.0.0.1:9/mcp",
        "--header",
        "Authorization:Bearer tok-secret-2",
    ])
    .await;
}

/// [`two_servers`] and an SSE server, which Codex cannot take.
pub async fn three_servers(m: &Machine) {
    two_servers(m).await;
    m.create(&[
        "--name",
        "events",
        "--type",
        "sse",
        "--url",
        "http://127.0.0.1:9/sse",
    ])
    .await;
}

const CLAUDE_JSON: &str = r#"{
  "numStartups": 12,
  "theme": "dark",
  "mcpServers": {
    "mine": {"type": "stdio", "command": "my-own-server", "args": [], "env": {}}
  },
  "tipsHistory": {"a": 1}
}
"#;

#[tokio::test]
async fn sync_merges_into_claude_json_and_a_second_run_changes_nothing() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(".claude.json", CLAUDE_JSON);
    let out = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    out.success();
    assert!(out.stderr.contains("+ files"), "{out:?}");
    let after = m.read(".claude.json");
    let v: Value = serde_json::from_str(&after).expect("still JSON");
    assert_eq!(v["numStartups"], 12);
    assert_eq!(v["tipsHistory"], json!({"a": 1}));
    assert_eq!(v["mcpServers"]["mine"]["command"], "my-own-server");
    assert_eq!(v["mcpServers"]["files"]["env"]["API_KEY"], "sekrit-value-1");
    assert_eq!(
        v["mcpServers"]["search"]["headers"]["Authorization"],
        "Bearer tok-secret-2"
    );
    // Everything before the server map is byte for byte as it was.
    assert!(after.starts_with("{\n  \"numStartups\": 12,\n  \"theme\": \"dark\",\n"));
    assert!(
        after.ends_with("  \"tipsHistory\": {\"a\": 1}\n}\n"),
        "{after}"
    );
    let backup = m.read(".claude.json.ai-agent.bak");
    assert_eq!(backup, CLAUDE_JSON);

    let again = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    again.success();
    assert!(again.stderr.contains("up to date"), "{again:?}");
    assert_eq!(m.read(".claude.json"), after, "byte-identical");
}

#[cfg(unix)]
#[tokio::test]
async fn sync_keeps_the_mode_and_writes_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let m = Machine::new().await;
    two_servers(&m).await;
    let real = m.write("dotfiles/claude.json", CLAUDE_JSON);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::os::unix::fs::symlink(&real, m.home().join(".claude.json")).expect("link");
    m.run(&["mcp", "sync", "--client", "claude-code"])
        .await
        .success();
    let link = std::fs::symlink_metadata(m.home().join(".claude.json")).expect("link");
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let written = std::fs::read_to_string(&real).expect("real");
    assert!(written.contains("\"files\""));
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn dry_run_prints_a_masked_diff_and_writes_nothing() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(".claude.json", CLAUDE_JSON);
    let out = m
        .run(&["mcp", "sync", "--client", "claude-code", "--dry-run"])
        .await;
    out.success();
    assert!(out.stdout.starts_with("--- a"), "{out:?}");
    assert!(out.stdout.contains("+    \"files\": {"), "{out:?}");
    assert!(out.stdout.contains("\"API_KEY\": \"***\""), "{out:?}");
    assert!(!out.stdout.contains("sekrit-value-1"), "{out:?}");
    assert!(!out.stdout.contains("tok-secret-2"), "{out:?}");
    assert!(out.stderr.contains("would add"), "{out:?}");
    assert_eq!(m.read(".claude.json"), CLAUDE_JSON);
    assert!(!m.home().join(".claude.json.ai-agent.bak").exists());

    let json = m
        .run(&[
            "mcp",
            "sync",
            "--client",
            "claude-code",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    let report = json.success().json();
    assert_eq!(report["changed"], true);
    assert_eq!(
        report["items"][0],
        json!({"name": "files", "action": "add"})
    );
    assert!(report["diff"].as_str().expect("diff").contains("***"));
}

#[tokio::test]
async fn hand_written_entries_are_left_alone_unless_forced() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(
        ".claude.json",
        r#"{"mcpServers": {"files": {"command": "mine", "args": ["--keep"]}}}"#,
    );
    let out = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    assert_eq!(out.code, 10, "{out:?}");
    let last = out.stderr.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "ai-agent: 1 entry left alone; --force overwrites them"
    );
    assert!(out.stderr.contains("! files"), "{out:?}");
    let v = m.json(".claude.json");
    assert_eq!(v["mcpServers"]["files"]["command"], "mine");
    assert_eq!(
        v["mcpServers"]["search"]["type"], "http",
        "the rest is written"
    );

    m.run(&["mcp", "sync", "--client", "claude-code", "--force"])
        .await
        .success();
    let v = m.json(".claude.json");
    assert_eq!(
        v["mcpServers"]["files"]["command"],
        "ai-agent-test-no-such-program"
    );
}

#[tokio::test]
async fn an_entry_edited_after_a_sync_is_a_conflict_and_prune_spares_the_users_own() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(".claude.json", CLAUDE_JSON);
    m.run(&["mcp", "sync", "--client", "claude-code"])
        .await
        .success();
    // The user edits the synced entry; the registry changes the server.
    let text = m.read(".claude.json").replace("\"/data\"", "\"/home\"");
    m.write(".claude.json", &text);
    m.run(&["mcp", "update", "files", "--description", "changed"])
        .await
        .success();
    m.run(&["mcp", "delete", "search"]).await.success();

    let out = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    assert_eq!(
        out.code, 0,
        "an edit the registry does not contradict: {out:?}"
    );
    assert!(out.stderr.contains("? search"), "stale: {out:?}");
    assert!(out.stderr.contains("* files"), "kept: {out:?}");

    m.run(&[
        "mcp",
        "update",
        "files",
        "--config",
        r#"{"command": "other-program"}"#,
    ])
    .await
    .success();
    let out = m
        .run(&["mcp", "sync", "--client", "claude-code", "--prune"])
        .await;
    assert_eq!(out.code, 10, "{out:?}");
    assert!(out.stderr.contains("edited by hand"), "{out:?}");
    assert!(out.stderr.contains("- search"), "{out:?}");
    let v = m.json(".claude.json");
    let servers = v["mcpServers"].as_object().expect("map");
    assert!(!servers.contains_key("search"), "pruned");
    assert!(
        servers.contains_key("mine"),
        "the user's own entry is never pruned"
    );
    assert_eq!(v["mcpServers"]["files"]["args"], json!(["/home"]), "kept");
}

const VSCODE: &str = "// my project's servers\n{\n\t\"servers\": {\n\t\t// hand-written\n\t\t\"mine\": {\"type\": \"stdio\", \"command\": \"own\"},\n\t},\n\t\"inputs\": [],\n}\n";

#[tokio::test]
async fn project_scope_writes_env_references_and_keeps_comments() {
    let m = Machine::new().await;
    two_servers(&m).await;
    let rel = "work/proj/.vscode/mcp.json";
    m.write(rel, VSCODE);
    let out = m
        .run(&["mcp", "sync", "--client", "vscode", "--scope", "project"])
        .await;
    out.success();
    let after = m.read(rel);
    assert!(
        after.starts_with("// my project's servers\n{\n\t\"servers\": {\n\t\t// hand-written\n"),
        "{after}"
    );
    assert!(after.contains("\"API_KEY\": \"${env:API_KEY}\""), "{after}");
    assert!(
        after.contains("\"Authorization\": \"Bearer ${env:SEARCH_TOKEN}\""),
        "{after}"
    );
    assert!(!after.contains("sekrit-value-1"));
    assert!(after.contains("\t\"inputs\": [],\n"), "{after}");
    assert!(
        out.stderr.contains("API_KEY  (files: env API_KEY)"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("SEARCH_TOKEN  (search: header Authorization)"),
        "{out:?}"
    );

    // The mode is remembered: a plain sync keeps the references.
    m.run(&["mcp", "sync", "--client", "vscode", "--scope", "project"])
        .await
        .success();
    assert_eq!(m.read(rel), after);
}

#[tokio::test]
async fn codex_gets_its_own_fields_and_no_sse_server() {
    let m = Machine::new().await;
    three_servers(&m).await;
    let toml = "# my codex settings\nmodel = \"o3\"\n\n[mcp_servers.mine]\ncommand = \"own\" # keep\n\n[profiles.fast]\nmodel = \"mini\"\n";
    m.write(".codex/config.toml", toml);
    let out = m
        .run(&["mcp", "sync", "--client", "codex", "--secrets", "env"])
        .await;
    out.success();
    assert!(
        out.stderr
            .contains("x events  skipped: Codex has no SSE transport"),
        "{out:?}"
    );
    let after = m.read(".codex/config.toml");
    assert!(
        after.starts_with(
            "# my codex settings\nmodel = \"o3\"\n\n[mcp_servers.mine]\ncommand = \"own\" # keep\n"
        ),
        "{after}"
    );
    assert!(
        after.contains("[profiles.fast]\nmodel = \"mini\"\n"),
        "{after}"
    );
    assert!(after.contains("env_vars = [\"API_KEY\"]"), "{after}");
    assert!(
        after.contains("bearer_token_env_var = \"SEARCH_TOKEN\""),
        "{after}"
    );
    assert!(!after.contains("events"), "{after}");
}

#[tokio::test]
async fn clients_without_variables_refuse_env_mode() {
    let m = Machine::new().await;
    two_servers(&m).await;
    let out = m
        .run(&["mcp", "sync", "--client", "zed", "--scope", "project"])
        .await;
    let first = out.failed(2);
    assert!(
        first.contains("Zed does not read environment variables"),
        "{out:?}"
    );
    assert!(out.stderr.contains("--secrets inline"), "{out:?}");
    assert!(!m.project.join(".zed").exists(), "nothing written");
    m.run(&[
        "mcp",
        "sync",
        "--client",
        "zed",
        "--scope",
        "project",
        "--secrets",
        "inline",
    ])
    .await
    .success();
    let v = m.json("work/proj/.zed/settings.json");
    assert_eq!(
        v["context_servers"]["files"]["env"]["API_KEY"],
        "sekrit-value-1"
    );
}

#[tokio::test]
async fn local_scope_is_the_projects_map_in_claude_json() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(".claude.json", CLAUDE_JSON);
    m.run(&[
        "mcp",
        "sync",
        "--client",
        "claude-code",
        "--scope",
        "local",
        "--servers",
        "files",
    ])
    .await
    .success();
    let v = m.json(".claude.json");
    let dir = m.project.to_str().expect("utf-8");
    assert_eq!(
        v["projects"][dir]["mcpServers"]["files"]["command"],
        "ai-agent-test-no-such-program"
    );
    assert!(v["projects"][dir]["mcpServers"].get("search").is_none());
    assert!(
        v["mcpServers"].get("files").is_none(),
        "user scope untouched"
    );
}

#[tokio::test]
async fn another_users_global_secrets_are_never_written() {
    let m = Machine::new().await;
    let admin = m.env.server.user("root", Role::Admin).expect("admin");
    let mut cmd = m.env.cmd();
    cmd.env("AI_AGENT_TOKEN", &admin).args([
        "mcp",
        "create",
        "--name",
        "shared",
        "--global",
        "--command",
        "x",
        "--env",
        "TEAM_TOKEN=admins-secret",
    ]);
    run(cmd).await.success();
    let out = m.run(&["mcp", "sync", "--client", "cursor"]).await;
    out.success();
    let text = m.read(".cursor/mcp.json");
    assert!(!text.contains("admins-secret"), "{text}");
    assert!(
        text.contains("\"TEAM_TOKEN\": \"${env:TEAM_TOKEN}\""),
        "{text}"
    );
    assert!(
        out.stderr.contains("TEAM_TOKEN  (shared: env TEAM_TOKEN)"),
        "{out:?}"
    );
}

#[tokio::test]
async fn clients_lists_the_files_and_how_far_each_is() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.write(".claude.json", CLAUDE_JSON);
    m.write(
        ".gemini/settings.json",
        "{\"mcpServers\": {\"files\": {\"command\": \"other\"}}}",
    );
    m.run(&["mcp", "sync", "--client", "claude-code"])
        .await
        .success();
    let out = m.run(&["mcp", "clients", "-o", "json"]).await;
    let list = out.success().json();
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(rows[0]["client"], "claude-code");
    assert_eq!(rows[0]["servers"], 3);
    assert_eq!(rows[0]["registry_servers"], 2);
    assert_eq!(rows[0]["to_add"], 0);
    assert_eq!(rows[1]["client"], "gemini");
    assert_eq!(rows[1]["to_add"], 1);
    assert_eq!(rows[1]["conflicts"], 1);
    let table = m.run(&["mcp", "clients"]).await;
    assert!(table.success().stdout.contains("in sync"), "{table:?}");
    assert!(
        table.stdout.contains("1 to add, 1 in conflict"),
        "{table:?}"
    );
}

#[tokio::test]
async fn import_from_reads_the_clients_own_files() {
    let m = Machine::new().await;
    let dir = m.project.to_str().expect("utf-8").to_string();
    let claude = json!({
        "mcpServers": {"user-one": {"command": "u"}, "both": {"command": "from-user"}},
        "projects": {
            dir.clone(): {"mcpServers": {"local-one": {"command": "l"}, "both": {"command": "from-local"}}},
            "/elsewhere": {"mcpServers": {"not-here": {"command": "n"}}}
        }
    });
    m.write(".claude.json", &claude.to_string());
    m.write(
        "work/proj/.mcp.json",
        r#"{"mcpServers": {"shared": {"type": "http", "url": "https://x.test/mcp"}}}"#,
    );
    let out = m
        .run(&["mcp", "import", "--from", "claude-code", "-o", "json"])
        .await;
    let files = out.success().json();
    let scopes: Vec<&str> = files
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["scope"].as_str().expect("scope"))
        .collect();
    assert_eq!(
        scopes,
        ["local", "project", "user"],
        "the winning scope first"
    );
    let get = m.run(&["mcp", "get", "both", "-o", "json"]).await;
    assert_eq!(get.success().json()["config"]["command"], "from-local");
    let list = m.run(&["mcp", "list", "-o", "json"]).await;
    let names: Vec<String> = list.success().json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect();
    assert!(!names.contains(&"not-here".to_string()), "{names:?}");
    assert_eq!(names.len(), 4, "{names:?}");

    let out = m.run(&["mcp", "import", "--from", "windsurf"]).await;
    let first = out.failed(3);
    assert!(
        first.contains("no Windsurf MCP servers found in"),
        "{out:?}"
    );
}

#[tokio::test]
async fn an_edit_to_a_field_the_registry_has_no_place_for_is_kept() {
    let m = Machine::new().await;
    two_servers(&m).await;
    m.run(&["mcp", "sync", "--client", "claude-code"])
        .await
        .success();
    let text = m.read(".claude.json").replacen(
        "\"type\": \"stdio\",",
        "\"type\": \"stdio\", \"cwd\": \"/work\",",
        1,
    );
    m.write(".claude.json", &text);
    let out = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    assert!(out.success().stderr.contains("* files"), "{out:?}");
    m.run(&[
        "mcp",
        "update",
        "files",
        "--config",
        r#"{"command": "other-program"}"#,
    ])
    .await
    .success();
    let out = m.run(&["mcp", "sync", "--client", "claude-code"]).await;
    assert_eq!(out.code, 10, "both changed: {out:?}");
    let v = m.json(".claude.json");
    assert_eq!(v["mcpServers"]["files"]["cwd"], "/work");
}

#[cfg(unix)]
#[tokio::test]
async fn a_project_file_with_inline_secrets_is_private_and_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let m = Machine::new().await;
    m.create(&[
        "--name",
        "q",
        "--url",
        "http://127.0.0.1:9/mcp?key=query-secret-3",
    ])
    .await;
    let dry = m
        .run(&[
            "mcp",
            "sync",
            "--client",
            "gemini",
            "--scope",
            "project",
            "--dry-run",
        ])
        .await;
    dry.success();
    assert!(!dry.stdout.contains("query-secret-3"), "{dry:?}");
    assert!(
        !m.env.dir.path().join("sync-state.json").exists(),
        "a dry run records nothing"
    );
    let out = m
        .run(&["mcp", "sync", "--client", "gemini", "--scope", "project"])
        .await;
    out.success();
    assert!(
        out.stderr
            .contains("1 secret value(s) were written as they are into a project's file"),
        "{out:?}"
    );
    let path = m.project.join(".gemini").join("settings.json");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(m.env.dir.path().join("sync-state.json").exists());
}

#[tokio::test]
async fn import_from_reads_every_file_before_importing_any() {
    let m = Machine::new().await;
    m.write(
        "work/proj/.mcp.json",
        r#"{"mcpServers": {"shared": {"command": "s"}}}"#,
    );
    m.write(".claude.json", "{ not json");
    let out = m.run(&["mcp", "import", "--from", "claude-code"]).await;
    let first = out.failed(1);
    assert!(first.contains(".claude.json"), "{out:?}");
    let list = m.run(&["mcp", "list", "-o", "json"]).await;
    assert_eq!(list.success().json()["total"], 0, "nothing imported");
    let project = [
        "mcp",
        "import",
        "--from",
        "claude-code",
        "--scope",
        "project",
    ];
    m.run(&project).await.success();
    m.write("work/proj/.mcp.json", r#"{"mcpServers": {}}"#);
    m.run(&project).await.failed(3);
}

/// `sync --approved-only` writes only servers whose tools are approved,
/// names the others on stderr, and takes out the entries an earlier sync
/// wrote for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_only_leaves_unapproved_servers_out() {
    let m = Machine::new().await;
    let fixture = crate::support::fixture_bin();
    m.run(&["mcp", "add", "checked", "--", fixture])
        .await
        .success();
    m.run(&["mcp", "add", "unchecked", "--", fixture])
        .await
        .success();
    m.run(&["mcp", "health-check", "checked"]).await.success();
    // Synced once without the flag: both entries are sync's own.
    m.run(&["mcp", "sync", "--client", "cursor"])
        .await
        .success();
    let out = m
        .run(&["mcp", "sync", "--client", "cursor", "--approved-only"])
        .await;
    out.success();
    assert!(
        out.stderr
            .contains("1 MCP server(s) left out, their tools not approved: unchecked (unpinned)"),
        "{out:?}"
    );
    let written = m.json(".cursor/mcp.json");
    assert!(written["mcpServers"]["checked"].is_object(), "{written}");
    assert!(
        written["mcpServers"].get("unchecked").is_none(),
        "{written}"
    );
}
