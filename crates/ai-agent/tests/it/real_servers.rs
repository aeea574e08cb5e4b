//! The reference `@modelcontextprotocol/server-everything` (pinned in
//! `tests/clients/`), registered and checked through the CLI over stdio and
//! over streamable HTTP: healthy, whole tool definitions, prompt and resource
//! counts, a tool call, and the same pinned tools either way.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use crate::real_clients::bin_dir;
use crate::support::Env;

/// The PATH that puts the pinned Node.js first (the server needs Node 22).
fn node_path() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// server-everything serving streamable HTTP on a free port, killed when dropped.
struct HttpEverything {
    child: Child,
    port: u16,
}

impl HttpEverything {
    fn start() -> HttpEverything {
        // The server takes its port from PORT: a free one, asked of the OS.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(bin_dir().join("mcp-server-everything"))
            .arg("streamableHttp")
            .env("PATH", node_path())
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It says where it listens on stderr.
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        for line in lines.by_ref() {
            if line.unwrap().contains("listening on port") {
                // Drained from now on, so that its writes never fail.
                std::thread::spawn(move || lines.for_each(drop));
                return HttpEverything { child, port };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("server-everything ended before listening");
    }
}

impl Drop for HttpEverything {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn check(env: &Env, name: &str) -> serde_json::Value {
    let out = env.run(&["mcp", "health-check", name, "-o", "json"]).await;
    let h = out.success().json();
    assert_eq!(h["health_status"], "healthy", "{h}");
    h
}

fn tool_names(h: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = h["report"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_everything_over_stdio_and_streamable_http() {
    let env = Env::admin().await;
    let program = bin_dir().join("mcp-server-everything");
    let path = format!("PATH={}", node_path());
    env.run(&[
        "mcp",
        "add",
        "everything",
        "-e",
        &path,
        "--check-tool",
        "echo",
        "--check-tool-args",
        r#"{"message": "hi"}"#,
        "--",
        program.to_str().unwrap(),
    ])
    .await
    .success();
    let stdio = check(&env, "everything").await;
    let report = &stdio["report"];
    assert!(report["prompts"].as_u64().unwrap() > 0, "{report}");
    assert!(report["resources"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(report["tools_status"], "approved");
    let echo = report["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "echo")
        .expect("echo is listed");
    assert!(
        echo["input_schema"]["properties"]["message"].is_object(),
        "{echo}"
    );
    assert!(echo["fingerprint"].as_str().unwrap().starts_with("sha256:"));

    let http = HttpEverything::start();
    let url = format!("http://127.0.0.1:{}/mcp", http.port);
    env.run(&["mcp", "add", "everything-http", &url])
        .await
        .success();
    let remote = check(&env, "everything-http").await;
    assert_eq!(tool_names(&remote), tool_names(&stdio));
    assert_eq!(remote["report"]["prompts"], report["prompts"]);

    // A second check of the same server: the pinned tools still hold.
    check(&env, "everything").await;
    let diff = env.run(&["mcp", "tools", "diff", "everything"]).await;
    assert!(
        diff.success().stdout.contains("the tools are as approved"),
        "{diff:?}"
    );
}
