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
                    if !$crate::support::Backend::Postgres.available() {
                        assert!(
                            std::env::var_os("CI").is_none(),
                            "CI is set but AI_AGENT_TEST_POSTGRES_URL is not: the PostgreSQL variant must run"
                        );
                        eprintln!("AI_AGENT_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
                        return;
                    }
                    super::$name($crate::support::Backend::Postgres).await;
                }
            }
        )*
    };
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
    }
}
