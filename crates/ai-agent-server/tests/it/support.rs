#![allow(dead_code)]

pub use ai_agent::client::{Client, ClientError};
pub use ai_agent_server::testing::{Backend, TestServer};
pub use mcp_model::api::Role;

/// Defines one test per backend: `name::sqlite` and `name::postgres`. The
/// PostgreSQL one is skipped (with a line on stderr) when no test database
/// is configured, except under CI, where a missing database fails it.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if !$crate::support::postgres_or_skip() {
                        return;
                    }
                    super::$name($crate::support::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// Whether a PostgreSQL test can run here. Without a test database it is
/// skipped with a line on stderr, except under CI, where that fails it.
pub fn postgres_or_skip() -> bool {
    if Backend::Postgres.available() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but AI_AGENT_TEST_POSTGRES_URL is not: the PostgreSQL variant must run"
    );
    eprintln!("AI_AGENT_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
    false
}

/// The real server binary, serving on a port of its own over the default
/// SQLite database in `data_dir`, logging at trace level.
pub struct ServerProcess {
    pub child: std::process::Child,
    /// `http://ADDR`, from its startup line.
    pub base: String,
    /// Everything it wrote to stderr, once it has exited.
    pub log: std::thread::JoinHandle<String>,
}

pub fn spawn_server(data_dir: &std::path::Path, envs: &[(&str, &str)]) -> ServerProcess {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ai-agent-server"))
        .args([
            "--data-dir",
            &data_dir.to_string_lossy(),
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .env_remove("DATABASE_URL")
        .env_remove("AI_AGENT_SECRET_KEY")
        .env("AI_AGENT_LOG", "trace")
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stderr = child.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a startup line");
    let base = line
        .trim()
        .strip_prefix("ai-agent-server listening on ")
        .expect("startup line")
        .to_string();
    ServerProcess { child, base, log }
}

/// A server with two users, `alice` and `bob`, and an admin.
pub struct World {
    pub server: TestServer,
    pub alice: Client,
    pub bob: Client,
    pub admin: Client,
    pub alice_token: String,
    pub bob_token: String,
}

impl World {
    pub async fn new(backend: Backend) -> World {
        let server = TestServer::start(backend).await.expect("server starts");
        let alice_token = server.user("alice", Role::User).expect("alice");
        let bob_token = server.user("bob", Role::User).expect("bob");
        let admin_token = server.user("root", Role::Admin).expect("admin");
        World {
            alice: client(&server, &alice_token),
            bob: client(&server, &bob_token),
            admin: client(&server, &admin_token),
            alice_token,
            bob_token,
            server,
        }
    }

    /// A raw HTTP client for requests the typed client would never send.
    pub fn raw(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url)
    }
}

pub fn client(server: &TestServer, token: &str) -> Client {
    Client::new(&server.url, Some(token.to_string())).expect("client")
}

/// The status of an API error, failing the test on success.
pub fn status<T: std::fmt::Debug>(r: Result<T, ClientError>) -> u16 {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .status()
            .unwrap_or_else(|| panic!("not an API error: {e}")),
    }
}

pub fn stdio(name: &str, env: &[(&str, &str)]) -> mcp_model::api::CreateServer {
    let env: serde_json::Map<String, serde_json::Value> = env
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
        .collect();
    mcp_model::api::CreateServer {
        name: name.into(),
        description: None,
        server_type: Some(mcp_model::ServerType::Stdio),
        config: serde_json::json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], "env": env}),
        is_global: false,
        is_enabled: true,
        check: None,
    }
}
