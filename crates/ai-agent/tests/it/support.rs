use std::path::PathBuf;
use std::process::Stdio;

use ai_agent::client::{Client, ClientError};
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

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config.json")
    }

    pub fn client(&self) -> Client {
        Client::new(&self.server.url, Some(self.token.clone())).expect("client")
    }

    /// The binary with no connection settings at all.
    pub fn bare(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("ai-agent").expect("binary built");
        cmd.env_remove("AI_AGENT_API_URL")
            .env_remove("AI_AGENT_TOKEN")
            .env("AI_AGENT_CONFIG", self.config_file())
            .env("NO_COLOR", "1");
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

/// Runs the binary with stdin on /dev/null, as from cron or CI.
pub async fn run_without_stdin(env: &Env, args: &[&str]) -> Out {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ai-agent"));
    cmd.args(args)
        .env("AI_AGENT_API_URL", &env.server.url)
        .env("AI_AGENT_TOKEN", &env.token)
        .env("AI_AGENT_CONFIG", env.config_file())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
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

/// The exit code the CLI documents for an API error.
pub fn code_of(e: &ClientError) -> i32 {
    match e {
        ClientError::Connect { .. } => 6,
        ClientError::Api { status, .. } => match status {
            404 => 3,
            409 => 4,
            401 | 403 => 5,
            400 | 422 => 7,
            _ => 1,
        },
        _ => 1,
    }
}

/// Checks that the CLI reported the server's error exactly as the typed
/// client received it: `ai-agent: <detail>` and the matching exit code.
pub fn assert_reported(out: &Out, e: &ClientError) {
    let first = out.failed(code_of(e));
    assert_eq!(first, format!("ai-agent: {e}"), "{out:?}");
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
