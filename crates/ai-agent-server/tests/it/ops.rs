//! The binary itself: the startup line, graceful shutdown, admin commands.

use std::process::Command;

fn server_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ai-agent-server")
}

/// `serve` is the default command, and its options work without the word.
#[test]
fn serve_options_work_without_serve() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(server_bin())
        .args([
            "--data-dir",
            &dir.path().to_string_lossy(),
            "--bind",
            "127.0.0.1:0",
        ])
        .env_remove("DATABASE_URL")
        .env_remove("AI_AGENT_SECRET_KEY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("ai-agent-server listening on http://127.0.0.1:"),
        "{line}"
    );
}

#[test]
fn binary_prints_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let crate::support::ServerProcess {
        mut child,
        base,
        log,
    } = crate::support::spawn_server(dir.path(), &[]);
    let addr = base.strip_prefix("http://").expect("http").to_string();
    let body = http_get::blocking_get(&format!("http://{addr}/readyz"));
    assert!(body.contains("ready"), "{body}");
    // The first start made an admin token file and a key file, both private.
    for f in ["admin-token", "secret.key"] {
        let meta = std::fs::metadata(dir.path().join(f)).unwrap();
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
            0o600,
            "{f}"
        );
    }
    // A secret sent in a body and a token in a header never reach the logs, even at trace level.
    let token = std::fs::read_to_string(dir.path().join("admin-token")).unwrap();
    let body = r#"{"name":"s","config":{"command":"x","env":{"K":"log-secret-93b1"}}}"#;
    let reply = http_get::request(&addr, "POST", "/api/v1/mcp-servers", token.trim(), body);
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    unsafe_free_kill(child.id());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    let log = log.join().unwrap();
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes in a redirected log"
    );
    assert!(
        log.contains("POST /api/v1/mcp-servers"),
        "requests are logged"
    );
    assert!(!log.contains("log-secret-93b1"), "secret in logs");
    assert!(!log.contains(token.trim()), "token in logs");
}

/// Sends SIGTERM with the `kill` command (the crate forbids unsafe code).
fn unsafe_free_kill(pid: u32) {
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

mod http_get {
    /// A tiny GET over std, to keep this test synchronous.
    pub fn blocking_get(url: &str) -> String {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut s = std::net::TcpStream::connect(host).unwrap();
        write!(
            s,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    pub fn request(host: &str, method: &str, path: &str, token: &str, body: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(host).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }
}

#[test]
fn admin_commands_manage_users_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(server_bin())
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("AI_AGENT_SECRET_KEY")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, token, _) = run(&["user", "create", "--name", "carol"]);
    assert!(ok);
    let token = token.trim();
    assert!(
        token.starts_with("aia_") && !token.contains('\n'),
        "only the token on stdout: {token}"
    );
    let (ok, _, err) = run(&["user", "create", "--name", "carol"]);
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let (ok, admin_token, _) = run(&["user", "create", "--name", "dave", "--admin"]);
    assert!(ok && admin_token.starts_with("aia_"));
    let (ok, list, _) = run(&["user", "list"]);
    assert!(ok);
    assert!(
        list.contains("carol\tuser\tactive") && list.contains("dave\tadmin\tactive"),
        "{list}"
    );
    assert!(list.contains(&token[..12]));
    let (ok, second, _) = run(&["token", "create", "--user", "carol"]);
    assert!(ok && second.trim() != token);
    let (ok, _, _) = run(&["token", "revoke", &second.trim()[..12]]);
    assert!(ok);
    let (ok, _, err) = run(&["token", "revoke", "aia_nothing"]);
    assert!(!ok && err.contains("no live token"), "{err}");
    let (ok, _, _) = run(&["user", "disable", "carol"]);
    assert!(ok);
    let (_, list, _) = run(&["user", "list"]);
    assert!(list.contains("carol\tuser\tdisabled"), "{list}");
    let (ok, _, err) = run(&["user", "disable", "nobody"]);
    assert!(!ok && err.contains("no user named"), "{err}");
    let (ok, _, err) = run(&["--database-url", "mysql://x", "user", "list"]);
    assert!(!ok && err.contains("unsupported scheme"), "{err}");
}

#[test]
fn unreachable_postgres_fails_fast_and_clearly() {
    let started = std::time::Instant::now();
    let url = ai_agent_server::db::DatabaseUrl::parse("postgres://postgres:pw@127.0.0.1:1/nowhere")
        .unwrap();
    let err = ai_agent_server::db::Database::open(&url, 2)
        .unwrap_err()
        .to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        err.contains("cannot open database postgres://postgres:***@127.0.0.1:1/nowhere"),
        "{err}"
    );
    assert!(err.contains("refused") || err.contains("connect"), "{err}");
    assert!(!err.contains(":pw@"), "no password in messages");
}

/// A pool size out of range, by flag or environment, stops the server
/// before it starts, with clap's usage error (exit 2) naming the option.
#[test]
fn a_bad_pool_size_is_refused_before_start() {
    let dir = tempfile::tempdir().unwrap();
    for (args, env) in [
        (vec!["--db-pool", "0"], None),
        (vec!["--db-pool", "many"], None),
        (vec![], Some("2000")),
    ] {
        let mut c = Command::new(server_bin());
        c.args([
            "--data-dir",
            &dir.path().to_string_lossy(),
            "--bind",
            "127.0.0.1:0",
        ])
        .args(&args)
        .env_remove("DATABASE_URL")
        .env_remove("AI_AGENT_SECRET_KEY");
        match env {
            Some(v) => c.env("AI_AGENT_DB_POOL", v),
            None => c.env_remove("AI_AGENT_DB_POOL"),
        };
        let out = c.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}: {stderr}");
        assert!(stderr.contains("--db-pool"), "{stderr}");
        assert!(
            stderr.lines().next().unwrap_or("").starts_with("error:"),
            "{stderr}"
        );
    }
}

#[test]
fn in_memory_sqlite_is_refused_with_a_reason() {
    let err = ai_agent_server::db::DatabaseUrl::parse("sqlite://:memory:")
        .unwrap_err()
        .to_string();
    assert!(err.contains("in-memory"), "{err}");
}

/// The committed OpenAPI document is what the code generates (crates.io-style
/// snapshot): an API change shows up in review as a diff of docs/openapi.json.
#[test]
fn openapi_document_is_committed_and_fresh() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/openapi.json"
    ))
    .unwrap();
    assert!(
        committed == ai_agent_server::openapi::document(),
        "docs/openapi.json is stale: run `cargo xtask generate`"
    );
    let doc: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let mut ids: Vec<_> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| {
            p.as_object()
                .unwrap()
                .values()
                .filter_map(|op| op["operationId"].as_str())
        })
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "operation ids are unique");
}
