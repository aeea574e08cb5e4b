//! What the real clients make of a synced file: Claude Code, Codex and
//! Gemini CLI, as published on the npm registry (versions pinned in
//! `tests/clients/package-lock.json`, with the MCP conformance suite and the
//! reference server-everything that other tests run), run offline with the
//! test's home directory. Installed on first use into a cache outside the
//! clone (`AI_AGENT_CLIENTS_DIR`, default `~/.cache/ai-agent/clients`); a
//! machine without npm fails these tests rather than skipping them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::sync::Machine;

const PACKAGE: &str = include_str!("../clients/package.json");
const LOCK: &str = include_str!("../clients/package-lock.json");
const BINARIES: [&str; 6] = [
    "claude",
    "codex",
    "gemini",
    "node",
    "conformance",
    "mcp-server-everything",
];

/// The clients' `node_modules/.bin`, installed once per test run.
pub(crate) fn bin_dir() -> &'static Path {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match DIR.get_or_init(install) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn install() -> Result<PathBuf, String> {
    let cache = match std::env::var_os("AI_AGENT_CLIENTS_DIR") {
        Some(d) => PathBuf::from(d),
        None => dirs_home()?.join(".cache").join("ai-agent").join("clients"),
    };
    let bin = cache.join("node_modules").join(".bin");
    let fresh = std::fs::read_to_string(cache.join("package-lock.json")).ok() == Some(LOCK.into())
        && BINARIES.iter().all(|b| bin.join(b).exists());
    if fresh {
        return Ok(bin);
    }
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    std::fs::write(cache.join("package.json"), PACKAGE).map_err(|e| e.to_string())?;
    std::fs::write(cache.join("package-lock.json"), LOCK).map_err(|e| e.to_string())?;
    let out = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&cache)
        .output()
        .map_err(|e| {
            format!("cannot run npm to install the MCP clients these tests drive ({e}); install Node.js and npm")
        })?;
    if !out.status.success() {
        return Err(format!(
            "npm ci in {} failed: {}",
            cache.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(bin)
}

fn dirs_home() -> Result<PathBuf, String> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .ok_or_else(|| "HOME is not set; set AI_AGENT_CLIENTS_DIR".to_string())
}

/// Runs a client's command with the machine's home, in its project,
/// offline: its stdout and its stderr (where Gemini CLI lists servers).
async fn client(m: &Machine, program: &str, args: &[&str]) -> (String, String) {
    let bin = bin_dir();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = assert_cmd::Command::new(bin.join(program));
    cmd.args(args)
        .current_dir(&m.project)
        .env("HOME", m.home())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("DISABLE_AUTOUPDATER", "1")
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CODEX_HOME")
        .env_remove("ANTHROPIC_API_KEY")
        .timeout(Duration::from_secs(180));
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("client runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {stdout}\n{stderr}"
    );
    (stdout, stderr)
}

/// The lines of a client's `mcp list` that name a server, sorted.
#[derive(Debug)]
struct Listed(Vec<String>);

impl Listed {
    fn new(output: &str) -> Listed {
        let mut lines: Vec<String> = output
            .lines()
            .map(str::trim)
            .filter(|l| l.contains(": ") && l.contains(" - "))
            .map(|l| {
                l.trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
                    .to_string()
            })
            .collect();
        lines.sort();
        Listed(lines)
    }

    fn names(&self) -> Vec<&str> {
        self.0
            .iter()
            .map(|l| l.split(':').next().unwrap_or(""))
            .collect()
    }

    /// The line of server `name`, or "".
    fn line(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|l| l.starts_with(&format!("{name}:")))
            .map_or("", String::as_str)
    }
}

#[tokio::test]
async fn claude_code_lists_the_synced_servers() {
    let m = Machine::new().await;
    crate::sync::three_servers(&m).await;
    let before = "{\n  \"numStartups\": 3,\n  \"hasCompletedOnboarding\": true,\n  \"mcpServers\": {\n    \"mine\": {\"type\": \"stdio\", \"command\": \"ai-agent-test-own\", \"args\": [], \"env\": {}}\n  }\n}\n";
    m.write(".claude.json", before);
    m.run(&["mcp", "sync", "--client", "claude-code"])
        .await
        .success();
    let listed = Listed::new(&client(&m, "claude", &["mcp", "list"]).await.0);
    assert_eq!(
        listed.names(),
        ["events", "files", "mine", "search"],
        "{listed:?}"
    );
    assert!(
        listed
            .line("files")
            .starts_with("files: ai-agent-test-no-such-program /data"),
        "{listed:?}"
    );
    assert!(
        listed
            .line("search")
            .starts_with("search: http://127.0.0.1:9/mcp (HTTP)"),
        "{listed:?}"
    );
    assert!(
        listed
            .line("events")
            .starts_with("events: http://127.0.0.1:9/sse (SSE)"),
        "{listed:?}"
    );
    let v = m.json(".claude.json");
    assert_eq!(
        v["hasCompletedOnboarding"], true,
        "other settings untouched"
    );
    assert_eq!(v["mcpServers"]["mine"]["command"], "ai-agent-test-own");
}

#[tokio::test]
async fn codex_lists_the_synced_servers() {
    let m = Machine::new().await;
    crate::sync::three_servers(&m).await;
    let before = "# settings\nmodel = \"o3\"\napproval_policy = \"never\"\n";
    m.write(".codex/config.toml", before);
    m.run(&["mcp", "sync", "--client", "codex", "--secrets", "env"])
        .await
        .success();
    let (stdout, _) = client(&m, "codex", &["mcp", "list", "--json"]).await;
    let list: Value = serde_json::from_str(&stdout).expect("codex prints JSON");
    let mut got: Vec<(String, String)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["transport"]["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("files".to_string(), "stdio".to_string()),
            ("search".to_string(), "streamable_http".to_string())
        ],
        "{stdout}"
    );
    let search = list
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["name"] == "search")
        .expect("search");
    assert_eq!(search["transport"]["bearer_token_env_var"], "SEARCH_TOKEN");
    let files = list
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["name"] == "files")
        .expect("files");
    assert_eq!(
        files["transport"]["env_vars"],
        serde_json::json!(["API_KEY"])
    );
    assert!(
        m.read(".codex/config.toml").starts_with(before),
        "other settings untouched"
    );
}

#[tokio::test]
async fn gemini_cli_lists_the_synced_servers() {
    let m = Machine::new().await;
    crate::sync::three_servers(&m).await;
    let before = "{\n  // my settings\n  \"ui\": {\"theme\": \"Dracula\"},\n  \"mcp\": {\"excluded\": []}\n}\n";
    m.write(".gemini/settings.json", before);
    m.run(&["mcp", "sync", "--client", "gemini"])
        .await
        .success();
    let listed = Listed::new(&client(&m, "gemini", &["mcp", "list"]).await.1);
    assert_eq!(listed.names(), ["events", "files", "search"], "{listed:?}");
    assert!(listed.line("files").contains("(stdio)"), "{listed:?}");
    assert!(
        listed
            .line("search")
            .contains("http://127.0.0.1:9/mcp (http)"),
        "{listed:?}"
    );
    assert!(
        listed
            .line("events")
            .contains("http://127.0.0.1:9/sse (sse)"),
        "{listed:?}"
    );
    let after = m.read(".gemini/settings.json");
    assert!(after.starts_with("{\n  // my settings\n  \"ui\": {\"theme\": \"Dracula\"},\n  \"mcp\": {\"excluded\": []},\n"), "{after}");
}
