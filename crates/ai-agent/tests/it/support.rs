use std::path::PathBuf;
use std::process::Stdio;

pub use ai_agent_server::testing::{Backend, TestServer};
pub use mcp_model::api::Role;

/// A server of its own with user `alice`, and a settings file path of its own.
pub struct Env {
    pub server: TestServer,
    pub token: String,
    pub dir: tempfile::TempDir,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// The stdout as JSON, failing the test with the whole output if it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    pub fn success(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    /// A failure with this exit code and a first stderr line `ai-agent: …`.
    pub fn failed(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "exit code: {self:?}");
        let first = self.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("ai-agent: "), "stderr: {self:?}");
        first
    }
}

impl Env {
    pub async fn new() -> Env {
        let server = TestServer::start(Backend::Sqlite)
            .await
            .expect("server starts");
        let token = server.user("alice", Role::User).expect("alice");
        Env {
            server,
            token,
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// As [`Env::new`], with the admin `root` instead of alice: an admin's
    /// servers may be checked at loopback addresses.
    pub async fn admin() -> Env {
        let server = TestServer::start(Backend::Sqlite)
            .await
            .expect("server starts");
        let token = server.user("root", Role::Admin).expect("root");
        Env {
            server,
            token,
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config.json")
    }

    /// The binary with no connection settings at all.
    pub fn bare(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("ai-agent").expect("binary built");
        cmd.env_remove("AI_AGENT_API_URL")
            .env_remove("AI_AGENT_TOKEN")
            .env("AI_AGENT_CONFIG", self.config_file())
            .env("NO_COLOR", "1")
            // Tables as wide as their content, whatever the caller's shell says.
            .env_remove("COLUMNS");
        cmd
    }

    /// The binary pointed at this server as alice, through the environment.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = self.bare();
        cmd.env("AI_AGENT_API_URL", &self.server.url)
            .env("AI_AGENT_TOKEN", &self.token);
        cmd
    }

    pub async fn run(&self, args: &[&str]) -> Out {
        let mut cmd = self.cmd();
        cmd.args(args);
        run(cmd).await
    }
}

/// Runs the binary off the runtime's worker threads, so the in-process server
/// keeps answering meanwhile.
pub async fn run(mut cmd: assert_cmd::Command) -> Out {
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("binary runs");
    Out {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

impl Env {
    /// The binary as a plain process, pointed at this server as its user.
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ai-agent"));
        cmd.args(args)
            .env("AI_AGENT_API_URL", &self.server.url)
            .env("AI_AGENT_TOKEN", &self.token)
            .env("AI_AGENT_CONFIG", self.config_file())
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS");
        cmd
    }
}

/// Runs the binary with stdin on /dev/null, as from cron or CI.
pub async fn run_without_stdin(env: &Env, args: &[&str]) -> Out {
    let mut cmd = env.std_cmd(args);
    cmd.stdin(Stdio::null());
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("binary runs");
    Out {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// UUIDs and timestamps replaced by same-width placeholders, so that tables
/// keep their shape in snapshots.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        ),
        (
            r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC",
            "YYYY-MM-DD hh:mm:ss UTC",
        ),
    ]
}

/// The spec's stdio example, as flags.
pub const SPEC_STDIO: &[&str] = &[
    "mcp",
    "create",
    "--name",
    "my-kubernetes",
    "--description",
    "My K8s cluster",
    "--type",
    "stdio",
    "--command",
    "npx",
    "--args",
    r#""-y" "@modelcontextprotocol/server-kubernetes""#,
    "--env",
    "KUBECONFIG=/path/to/kubeconfig",
];

/// The spec's SSE example, as flags.
pub const SPEC_SSE: &[&str] = &[
    "mcp",
    "create",
    "--name",
    "remote-mcp",
    "--type",
    "sse",
    "--url",
    "https://mcp.example.com/sse",
    "--headers",
    r#"{"Authorization": "Bearer token"}"#,
];

/// The mcp-fixture binary (a real MCP server over stdio), built once per test
/// run: `cargo test -p ai-agent` alone does not build other crates' binaries.
pub fn fixture_bin() -> &'static str {
    ai_agent_server::testing::fixture_bin()
        .expect("mcp-fixture builds")
        .to_str()
        .expect("utf-8 path")
}

/// Latencies (`12 ms`) replaced by `N ms` padded to the same width, so that
/// snapshots of health tables hold however fast the check was.
pub fn mask_latency(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" ms") {
        let (head, tail) = rest.split_at(i);
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&head[..head.len() - digits]);
        if digits > 0 {
            out.push_str("N ms");
            out.push_str(&" ".repeat(digits - 1));
        } else {
            out.push_str(" ms");
        }
        rest = &tail[3..];
    }
    out.push_str(rest);
    out
}
