//! What a team trusts the server with: secrets that never leave through a
//! check, a key that fails closed, safe defaults for remote checks, fair
//! checking, honest readiness, a bootstrap that cannot half-happen, limits.

use std::process::Command;
use std::time::{Duration, Instant};

use ai_agent::client::Client;
use ai_agent_server::app;
use ai_agent_server::db::DatabaseUrl;
use ai_agent_server::testing::{TestDatabase, TestServer};
use mcp_model::ServerType;
use mcp_model::api::{CreateServer, HealthStatus, Role};
use serde_json::json;

use crate::both_backends;
use crate::health::{RemoteFixture, fixture_bin, fixture_stdio, remote, world_with};
use crate::support::{Backend, World};

const QUERY_SECRET: &str = "query-secret-4a1b";
const HEADER_SECRET: &str = "header-secret-7c2d";
const BEARER_SECRET: &str = "bearer-secret-9e3f";
const ENV_SECRET: &str = "env-secret-1f5a";
const SECRETS: [&str; 4] = [QUERY_SECRET, HEADER_SECRET, BEARER_SECRET, ENV_SECRET];

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} holds the secret {s}:\n{text}");
    }
}

fn global(name: &str, t: ServerType, config: serde_json::Value) -> CreateServer {
    CreateServer {
        name: name.into(),
        description: None,
        server_type: Some(t),
        config,
        is_global: true,
        is_enabled: true,
        check: None,
    }
}

/// The real binary at trace level; servers that echo what they are sent,
/// over every transport; another user runs the checks and reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_leaves_through_a_check_its_report_or_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_string_lossy().into_owned();
    let crate::support::ServerProcess {
        mut child,
        base,
        log,
    } = crate::support::spawn_server(dir.path(), &[("AI_AGENT_HEALTH_STDIO", "on")]);
    let admin_token = std::fs::read_to_string(dir.path().join("admin-token")).unwrap();
    let made = Command::new(env!("CARGO_BIN_EXE_ai-agent-server"))
        .args(["--data-dir", &data, "user", "create", "--name", "bob"])
        .env_remove("DATABASE_URL")
        .env_remove("AI_AGENT_SECRET_KEY")
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let bob_token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    let admin = Client::new(&base, Some(admin_token.trim().to_string())).unwrap();
    let bob = Client::new(&base, Some(bob_token.clone())).unwrap();

    let http = RemoteFixture::start("http", &["--echo"]);
    let sse = RemoteFixture::start("sse", &["--echo"]);
    let headers =
        json!({"X-Api-Key": HEADER_SECRET, "Authorization": format!("Bearer {BEARER_SECRET}")});
    for (name, t, url) in [
        ("echo-http", ServerType::Http, &http.url),
        ("echo-sse", ServerType::Sse, &sse.url),
    ] {
        let config =
            json!({"url": format!("{url}?api_key={QUERY_SECRET}&v=1"), "headers": headers});
        admin
            .create_server(&global(name, t, config), false)
            .await
            .unwrap();
    }
    let stdio = json!({"command": fixture_bin().to_string_lossy(),
        "env": {"FIXTURE_ECHO": "true", "SECRET": ENV_SECRET}});
    admin
        .create_server(&global("echo-stdio", ServerType::Stdio, stdio), false)
        .await
        .unwrap();

    let raw = reqwest::Client::new();
    for name in ["echo-http", "echo-sse", "echo-stdio"] {
        let checked = raw
            .post(format!("{base}/api/v1/mcp-servers/{name}/health-check"))
            .bearer_auth(&bob_token)
            .send()
            .await
            .unwrap();
        assert_eq!(checked.status(), 200, "{name}");
        let text = checked.text().await.unwrap();
        assert_clean(&format!("{name}'s check"), &text);
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["health_status"], "unhealthy", "{name}: {text}");
        assert!(
            report["report"]["error"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{name}: a reason remains: {text}"
        );
        for path in [format!("{name}/health"), name.to_string()] {
            let got = raw
                .get(format!("{base}/api/v1/mcp-servers/{path}"))
                .bearer_auth(&bob_token)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_clean(&format!("GET {path}"), &got);
        }
    }
    let listed = bob.list_all_servers(false).await.unwrap();
    assert_clean("the listing", &serde_json::to_string(&listed).unwrap());
    let db = std::fs::read(dir.path().join("ai-agent.db")).unwrap();
    let wal = std::fs::read(dir.path().join("ai-agent.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert_clean("the database file", &String::from_utf8_lossy(&bytes));
    }

    let _ = Command::new("kill").arg(child.id().to_string()).status();
    child.wait().unwrap();
    let log = log.join().unwrap();
    assert!(
        log.contains("health"),
        "the trace log was captured: {}",
        log.len()
    );
    assert_clean("the log", &log);
}

both_backends!(url_query_values_are_secrets);

async fn url_query_values_are_secrets(b: Backend) {
    let w = World::new(b).await;
    let url = format!("https://mcp.example.com/mcp?api_key={QUERY_SECRET}&region=eu");
    let created = w
        .alice
        .create_server(&remote("q", ServerType::Http, &url), false)
        .await
        .unwrap();
    let shown = "https://mcp.example.com/mcp?api_key=***&region=***";
    let masked = |s: &mcp_model::api::McpServer| match &s.config {
        mcp_model::ServerConfig::Remote(c) => c.url.clone(),
        other => panic!("remote config expected: {other:?}"),
    };
    assert_eq!(masked(&created), shown);
    assert_eq!(
        masked(&w.alice.get_server("q", false).await.unwrap()),
        shown
    );
    assert_eq!(masked(&w.alice.get_server("q", true).await.unwrap()), url);
    // Sent back masked with a new path: the stored values stay.
    let mut config = serde_json::to_value(&created.config).unwrap();
    config["url"] = json!("https://mcp.example.com/v2?api_key=***&region=***");
    w.alice
        .update_server(
            "q",
            &mcp_model::api::UpdateServer {
                config: Some(config),
                ..Default::default()
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        masked(&w.alice.get_server("q", true).await.unwrap()),
        format!("https://mcp.example.com/v2?api_key={QUERY_SECRET}&region=eu")
    );
    let e = w
        .alice
        .create_server(
            &remote("m", ServerType::Http, "https://mcp.example.com/?k=***"),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert!(e.to_string().contains("config.url?k"), "{e}");
    if let Some(path) = w.server.db.sqlite_path() {
        let bytes = std::fs::read(&path).unwrap();
        let wal = std::fs::read(path.with_extension("db-wal")).unwrap_or_default();
        for b in [bytes, wal] {
            assert!(!String::from_utf8_lossy(&b).contains(QUERY_SECRET));
        }
    }
}

both_backends!(the_key_fails_closed);

async fn the_key_fails_closed(b: Backend) {
    let db = TestDatabase::new(b).unwrap();
    let settings = db.settings().unwrap();
    let server = TestServer::start_with(db, settings.clone()).await.unwrap();
    let alice = crate::support::client(&server, &server.user("bob", Role::User).unwrap());
    alice
        .create_server(&fixture_stdio("s", &[("K", "sealed-value")]), false)
        .await
        .unwrap();
    let key_file = settings.key_file();
    let saved = std::fs::read(&key_file).unwrap();

    std::fs::remove_file(&key_file).unwrap();
    let e = app::open(&settings).unwrap_err().to_string();
    assert!(
        e.contains(&key_file.display().to_string()) && e.contains("missing"),
        "{e}"
    );
    assert!(
        !key_file.exists(),
        "no new key is made for a database holding secrets"
    );

    std::fs::write(
        &key_file,
        format!(
            "{}\n",
            ai_agent_server::crypto::SecretKey::generate_base64()
        ),
    )
    .unwrap();
    let e = app::open(&settings).unwrap_err().to_string();
    assert!(e.contains("is not the key that sealed"), "{e}");

    std::fs::write(&key_file, &saved).unwrap();
    let state = app::open(&settings).unwrap();
    // Rotation records the new key: the old one is refused afterwards.
    let new_file = key_file.with_extension("new");
    let (new_key, _) = ai_agent_server::crypto::SecretKey::load_or_create(&new_file).unwrap();
    ai_agent_server::services::maintenance::rotate_key(&state.db, &state.key, &new_key).unwrap();
    assert!(
        app::open(&settings).is_err(),
        "the old key no longer opens it"
    );
    std::fs::rename(&new_file, &key_file).unwrap();
    app::open(&settings).unwrap();
    drop(server);
}

both_backends!(user_checks_cannot_reach_private_addresses);

async fn user_checks_cannot_reach_private_addresses(b: Backend) {
    let fx = RemoteFixture::start("http", &[]);
    let port = fx.url.rsplit(':').next().unwrap().trim_end_matches("/mcp");
    let w = world_with(b, |s| s.health.allow_private = false).await;
    for (i, host) in [
        "2130706433",
        "0x7f000001",
        "0.0.0.0",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "localhost",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("p{i}");
        let url = format!("http://{host}:{port}/mcp");
        w.alice
            .create_server(&remote(&name, ServerType::Http, &url), false)
            .await
            .unwrap();
        let e = w.alice.health_check(&name).await.unwrap_err();
        assert_eq!(e.status(), Some(403), "{url}: {e}");
        assert!(
            e.to_string().contains("AI_AGENT_HEALTH_ALLOW_PRIVATE"),
            "{e}"
        );
    }
    // The admin wrote this URL: their server is checked.
    let mut g = remote("internal", ServerType::Http, &fx.url);
    g.is_global = true;
    w.admin.create_server(&g, false).await.unwrap();
    let r = w.alice.health_check("internal").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert!(
        !ai_agent_server::health::HealthSettings::default().allow_private,
        "refused by default"
    );
    // Remote checks off: even the admin's server is not reached.
    let w = world_with(b, |s| s.health.remote = false).await;
    w.admin.create_server(&g, false).await.unwrap();
    let e = w.alice.health_check("internal").await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("AI_AGENT_HEALTH_REMOTE"), "{e}");
}

both_backends!(allow_list_compares_files_not_names);

async fn allow_list_compares_files_not_names(b: Backend) {
    let real = fixture_bin().to_string_lossy().into_owned();
    let w = world_with(b, |s| {
        s.health.stdio = ai_agent_server::health::StdioPolicy::Allow(vec![real.clone()])
    })
    .await;
    w.alice
        .create_server(&fixture_stdio("ok", &[]), false)
        .await
        .unwrap();
    let r = w.alice.health_check("ok").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");

    // A program of the same file name in a folder of the user's choosing.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("mcp-fixture");
    std::fs::copy(fixture_bin(), &copy).unwrap();
    let mut own = fixture_stdio("own", &[]);
    own.config["command"] = json!(copy.to_string_lossy());
    w.alice.create_server(&own, false).await.unwrap();
    let e = w.alice.health_check("own").await.unwrap_err();
    assert_eq!(e.status(), Some(403), "{e}");
    // The bare name found through a PATH the config sets.
    let mut by_name = fixture_stdio("by-name", &[("PATH", &dir.path().to_string_lossy())]);
    by_name.config["command"] = json!("mcp-fixture");
    w.alice.create_server(&by_name, false).await.unwrap();
    let e = w.alice.health_check("by-name").await.unwrap_err();
    assert_eq!(e.status(), Some(403), "{e}");
    assert!(
        e.to_string().contains(&copy.to_string_lossy().into_owned()),
        "{e}"
    );
    // The allowed program, told by its env to load other code.
    let steered = fixture_stdio("steered", &[("LD_PRELOAD", "/tmp/evil.so")]);
    w.alice.create_server(&steered, false).await.unwrap();
    let e = w.alice.health_check("steered").await.unwrap_err();
    assert_eq!(e.status(), Some(403), "{e}");
    assert!(e.to_string().contains("LD_PRELOAD"), "{e}");
}

both_backends!(one_users_hanging_checks_do_not_delay_another);

async fn one_users_hanging_checks_do_not_delay_another(b: Backend) {
    // Accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hang = format!("http://{}/mcp", listener.local_addr().unwrap());
    let w = world_with(b, |s| {
        s.health.max_concurrent = 8;
        s.health.max_per_user = 2;
    })
    .await;
    w.alice
        .create_server(&remote("hangs", ServerType::Http, &hang), false)
        .await
        .unwrap();
    w.bob
        .create_server(&fixture_stdio("quick", &[]), false)
        .await
        .unwrap();
    let mut hanging = Vec::new();
    for _ in 0..12 {
        let url = w.url("/api/v1/mcp-servers/hangs/health-check?timeout_secs=40");
        let token = w.alice_token.clone();
        hanging.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .send()
                .await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let r = w.bob.health_check("quick").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "bob waited {:?} behind alice's checks",
        started.elapsed()
    );
    // Alice's own extra check waits for her slots, then gets a 429.
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers/hangs/health-check?timeout_secs=1"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    for h in hanging {
        h.abort();
    }
    drop(listener);
}

both_backends!(limits_per_token_and_per_user);

async fn limits_per_token_and_per_user(b: Backend) {
    let w = world_with(b, |s| {
        s.rate_limit_per_minute = Some(5);
        s.max_servers_per_user = Some(2);
    })
    .await;
    for i in 0..2 {
        w.alice
            .create_server(&fixture_stdio(&format!("s{i}"), &[]), false)
            .await
            .unwrap();
    }
    let e = w
        .alice
        .create_server(&fixture_stdio("s2", &[]), false)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("at most 2 MCP servers"), "{e}");
    // Five requests a minute: the two creates, the refused one, then two more.
    w.alice.me().await.unwrap();
    w.alice.me().await.unwrap();
    let resp = w
        .raw()
        .get(w.url("/api/v1/me"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    w.bob.me().await.expect("another token has its own budget");
}

both_backends!(bootstrap_is_all_or_nothing);

async fn bootstrap_is_all_or_nothing(b: Backend) {
    let db = TestDatabase::new(b).unwrap();
    let settings = db.settings().unwrap();
    let state = app::open(&settings).unwrap();
    let token_file = settings.state_dir.join("admin-token");
    // Another database's token is there: it is kept, and this one's goes beside it.
    std::fs::write(&token_file, "another database's token\n").unwrap();
    let blocker = {
        let digest = ai_agent_server::crypto::hash_token(&settings.database.redacted());
        settings
            .state_dir
            .join(format!("admin-token-{}", &digest[..8]))
    };
    // First, that file cannot be written: nothing is committed.
    std::fs::create_dir(&blocker).unwrap();
    assert!(app::bootstrap(&state, &settings).is_err());
    let users = ai_agent_server::services::users::list_users(&state.db).unwrap();
    assert!(users.is_empty(), "no admin without its token: {users:?}");
    std::fs::remove_dir(&blocker).unwrap();
    let written = app::bootstrap(&state, &settings).unwrap().expect("created");
    assert_eq!(written, blocker);
    assert_eq!(
        std::fs::read_to_string(&token_file).unwrap(),
        "another database's token\n"
    );
    let token = std::fs::read_to_string(&written).unwrap();
    ai_agent_server::services::users::authenticate(&state.db, &state.auth, token.trim()).unwrap();
    assert_eq!(
        app::bootstrap(&state, &settings).unwrap(),
        None,
        "once only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_private_and_read_only_databases_refuse_to_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/state/ai-agent.db");
    let mut settings =
        ai_agent_server::settings::Settings::new(Some(&path.to_string_lossy()), None).unwrap();
    settings.workers = 1;
    let state = app::open(&settings).unwrap();
    ai_agent_server::services::users::create_user(&state.db, "alice", Role::User).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("new/state")), 0o700);
    for f in [
        "ai-agent.db",
        "ai-agent.db-wal",
        "ai-agent.db-shm",
        "secret.key",
    ] {
        assert_eq!(mode(&dir.path().join("new/state").join(f)), 0o600, "{f}");
    }
    drop(state);
    let ro = format!("file:{}?mode=ro", path.display());
    let mut settings = ai_agent_server::settings::Settings::new(Some(&ro), None).unwrap();
    settings.state_dir = dir.path().join("new/state");
    let e = app::open(&settings).unwrap_err().to_string();
    assert!(e.contains("does not take writes"), "{e}");
}

/// A filesystem that fills up: writes answer 507, readiness 503, and both
/// recover once space is freed. Needs root to mount a tmpfs (CI runs as root).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_and_readiness_fails() {
    struct Mount(std::path::PathBuf);
    impl Drop for Mount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let point = dir.path().join("small");
    std::fs::create_dir(&point).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&point)
        .status()
        .unwrap();
    assert!(mounted.success(), "mounting a tmpfs needs root");
    let _mount = Mount(point.clone());
    let db = TestDatabase::new(Backend::Sqlite).unwrap();
    let mut settings = db.settings().unwrap();
    settings.database = DatabaseUrl::Sqlite(point.join("full.db"));
    let server = TestServer::start_with(db, settings).await.unwrap();
    let token = server.user("alice", Role::User).unwrap();
    let alice = crate::support::client(&server, &token);
    // Fill what is left.
    let filler = point.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        while f.write_all(&[0u8; 4096]).is_ok() {}
    }
    let big = "x".repeat(30_000);
    let mut full = None;
    for i in 0..200 {
        match alice
            .create_server(&fixture_stdio(&format!("s{i}"), &[("BIG", &big)]), false)
            .await
        {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.status(), Some(507), "{e}");
                full = Some(e.to_string());
                break;
            }
        }
    }
    let detail = full.expect("the disk filled up");
    assert!(detail.contains("disk is full"), "{detail}");
    let ready = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    std::fs::remove_file(&filler).unwrap();
    alice
        .create_server(&fixture_stdio("after", &[]), false)
        .await
        .expect("writes work again once space is freed");
    let ready = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    drop(server);
}

/// PostgreSQL behind a proxy the test cuts: requests answer 503 within
/// about two seconds, with no host, port or database name in the answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_answers_503_quickly_and_generically() {
    if !crate::support::postgres_or_skip() {
        return;
    }
    let db = TestDatabase::new(Backend::Postgres).unwrap();
    let target = url::Url::parse(&db.url).unwrap();
    let upstream = format!(
        "{}:{}",
        target.host_str().unwrap(),
        target.port().unwrap_or(5432)
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (cut_tx, cut_rx) = tokio::sync::watch::channel(false);
    let proxy = tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let upstream = upstream.clone();
            let mut cut = cut_rx.clone();
            tokio::spawn(async move {
                let Ok(mut out) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut inbound, &mut out) => {}
                    _ = cut.wait_for(|c| *c) => {}
                }
            });
        }
    });
    let mut via = target.clone();
    via.set_host(Some("127.0.0.1")).unwrap();
    via.set_port(Some(port)).unwrap();
    let mut settings = db.settings().unwrap();
    settings.database = DatabaseUrl::parse(via.as_str()).unwrap();
    let server = TestServer::start_with(db.share().unwrap(), settings)
        .await
        .unwrap();
    let token = server.user("alice", Role::User).unwrap();
    let alice = crate::support::client(&server, &token);
    alice.me().await.unwrap();
    cut_tx.send(true).unwrap();
    proxy.abort();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The list needs the database (a known token does not: it is cached).
    for path in ["/api/v1/mcp-servers", "/readyz"] {
        let started = Instant::now();
        let resp = reqwest::Client::new()
            .get(format!("{}{path}", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let took = started.elapsed();
        assert_eq!(resp.status(), 503, "{path}");
        assert!(took < Duration::from_secs(4), "{path} took {took:?}");
        let body = resp.text().await.unwrap();
        for leak in [
            port.to_string(),
            target.path().trim_start_matches('/').to_string(),
        ] {
            assert!(!body.contains(&leak), "{path}: {body}");
        }
        assert!(body.contains("database is unavailable"), "{body}");
    }
    drop(server);
    drop(db);
}

/// A client that never finishes its request head cannot hold a connection:
/// the server answers 408 and closes it after its 10 s request timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let w = World::new(Backend::Sqlite).await;
    let addr = w.server.url.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection")
        .unwrap();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(15),
        "{took:?}"
    );
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
}

both_backends!(remote_failures_name_no_rust_types);

/// What a remote check reports reads as a person would say it: the HTTP
/// status, or that the connection was refused; never a Rust type's name.
async fn remote_failures_name_no_rust_types(b: Backend) {
    let w = World::new(b).await;
    let not_found = RemoteFixture::start("http", &["--status", "404"]);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/mcp", l.local_addr().unwrap())
    };
    for (name, url, says) in [
        ("gone", not_found.url.as_str(), "404"),
        ("closed", closed.as_str(), "connection refused"),
    ] {
        w.alice
            .create_server(&remote(name, ServerType::Http, url), false)
            .await
            .unwrap();
        let r = w.alice.health_check(name).await.unwrap();
        let error = r.report.error.clone().unwrap_or_default();
        assert_eq!(r.health_status, HealthStatus::Unhealthy, "{r:?}");
        assert!(error.contains(says), "{name}: {error}");
        assert!(!error.contains("::"), "{name}: {error}");
    }
}
