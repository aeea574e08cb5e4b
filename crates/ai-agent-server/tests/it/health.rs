//! Health checks against the mcp-fixture binary: every verdict, the bounds,
//! the policy, authorization, and background leases. Each stdio test checks
//! that the fixture's process is gone (reaped, not a zombie) afterwards.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ai_agent_server::health::StdioPolicy;
use ai_agent_server::testing::{TestDatabase, TestServer};
use mcp_model::ServerType;
use mcp_model::api::{CreateServer, HealthCheckResult, HealthStatus};
use serde_json::json;

use crate::both_backends;
use crate::support::*;

/// The fixture binary of this build (debug or release).
pub(crate) fn fixture_bin() -> &'static Path {
    ai_agent_server::testing::fixture_bin().expect("mcp-fixture builds")
}

/// A stdio registration of the fixture with these FIXTURE_* variables.
pub(crate) fn fixture_stdio(name: &str, env: &[(&str, &str)]) -> CreateServer {
    let env: serde_json::Map<String, serde_json::Value> =
        env.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    CreateServer {
        name: name.into(),
        description: None,
        server_type: Some(ServerType::Stdio),
        config: json!({"command": fixture_bin().to_string_lossy(), "args": [], "env": env}),
        is_global: false,
        is_enabled: true,
        check: None,
    }
}

pub(crate) fn remote(name: &str, t: ServerType, url: &str) -> CreateServer {
    CreateServer {
        name: name.into(),
        description: None,
        server_type: Some(t),
        config: json!({"url": url}),
        is_global: false,
        is_enabled: true,
        check: None,
    }
}

/// The pid the fixture wrote, once the check is over, must be gone: not
/// running, not a zombie waiting to be reaped.
fn assert_gone(pid_file: &Path) {
    let pid = std::fs::read_to_string(pid_file).expect("the fixture wrote its pid");
    let proc = PathBuf::from(format!("/proc/{}", pid.trim()));
    for _ in 0..50 {
        if !proc.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let stat = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
    panic!("fixture process {pid} still exists: {stat}");
}

/// A fixture serving HTTP or SSE, killed when dropped.
pub(crate) struct RemoteFixture {
    child: Child,
    pub(crate) url: String,
}

impl RemoteFixture {
    pub(crate) fn start(transport: &str, flags: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(fixture_bin())
            .args(["--transport", transport])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("fixture starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .expect("address line")
            .to_string();
        let path = if transport == "sse" { "/sse" } else { "/mcp" };
        RemoteFixture {
            child,
            url: format!("{base}{path}"),
        }
    }
}

impl Drop for RemoteFixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn world_with(
    b: Backend,
    f: impl FnOnce(&mut ai_agent_server::settings::Settings),
) -> World {
    let db = TestDatabase::new(b).unwrap();
    let mut settings = db.settings().unwrap();
    f(&mut settings);
    let server = TestServer::start_with(db, settings).await.unwrap();
    let alice_token = server.user("alice", Role::User).unwrap();
    let bob_token = server.user("bob", Role::User).unwrap();
    let admin_token = server.user("root", Role::Admin).unwrap();
    World {
        alice: client(&server, &alice_token),
        bob: client(&server, &bob_token),
        admin: client(&server, &admin_token),
        alice_token,
        bob_token,
        server,
    }
}

/// A check with `?timeout_secs=`, which the typed client does not send.
async fn check_with_timeout(w: &World, name: &str, secs: u64) -> HealthCheckResult {
    let resp = w
        .raw()
        .post(w.url(&format!(
            "/api/v1/mcp-servers/{name}/health-check?timeout_secs={secs}"
        )))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn tool_names(r: &HealthCheckResult) -> Vec<String> {
    r.report.tools.iter().map(|t| t.name.clone()).collect()
}

both_backends!(
    healthy_over_stdio_is_stored_without_touching_updated_at,
    legacy_stdio_server_falls_back_to_initialize,
    stdio_failures_name_their_cause,
    stdio_timeout_names_its_phase,
    stderr_flood_is_bounded,
    pagination_and_failing_tools_list,
    child_sees_only_path_home_and_configured_env,
    policy_refusals_are_403_and_store_nothing,
    authorization_follows_visibility,
    remote_checks_over_http_and_sse,
    background_leases_check_each_server_once,
);

async fn healthy_over_stdio_is_stored_without_touching_updated_at(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pid");
    let created = w
        .alice
        .create_server(
            &fixture_stdio("fx", &[("FIXTURE_PID_FILE", pid.to_str().unwrap())]),
            false,
        )
        .await
        .unwrap();
    assert_eq!(status(w.alice.last_health("fx").await), 404);
    let r = w.alice.health_check("fx").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(r.report.protocol_version.as_deref(), Some("2026-07-28"));
    assert_eq!(r.report.server_name.as_deref(), Some("mcp-fixture"));
    assert!(r.report.server_version.is_some());
    assert_eq!(tool_names(&r), ["echo", "tool-1", "tool-2"]);
    assert_eq!(
        r.report.tools[0].description.as_deref(),
        Some("Fixture tool number 0")
    );
    assert!(r.report.error.is_none());
    assert_gone(&pid);

    let last = w.alice.last_health(&created.id.to_string()).await.unwrap();
    assert_eq!(last.report, r.report);
    assert_eq!(last.health_status, HealthStatus::Healthy);
    let got = w.alice.get_server("fx", false).await.unwrap();
    assert_eq!(got.health_status, HealthStatus::Healthy);
    assert!(got.last_health_check_at.is_some());
    assert_eq!(got.updated_at, created.updated_at, "a check is not an edit");
    let audit = w
        .alice
        .audit_logs(Some(&created.id.to_string()))
        .await
        .unwrap();
    assert!(
        serde_json::to_string(&audit)
            .unwrap()
            .matches("health")
            .count()
            == 0,
        "checks are not audit-logged"
    );
}

async fn legacy_stdio_server_falls_back_to_initialize(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "old",
                &[
                    ("FIXTURE_LEGACY", "true"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("old").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(r.report.protocol_version.as_deref(), Some("2025-11-25"));
    assert_eq!(tool_names(&r).len(), 3);
    assert_gone(&pid);
}

async fn stdio_failures_name_their_cause(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();

    let mut missing = fixture_stdio("missing", &[]);
    missing.config["command"] = json!("definitely-not-a-command-7f3a");
    w.alice.create_server(&missing, false).await.unwrap();
    let r = w.alice.health_check("missing").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    assert_eq!(
        r.report.error.as_deref(),
        Some("command not found: definitely-not-a-command-7f3a")
    );
    assert_eq!(r.report.phase.as_deref(), Some("spawn"));

    let pid = dir.path().join("exit.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "exits",
                &[
                    ("FIXTURE_EXIT_CODE", "3"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("exits").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    let err = r.report.error.clone().unwrap();
    assert!(err.contains("exited with exit code 3"), "{err}");
    assert!(
        r.report
            .stderr_tail
            .as_deref()
            .is_some_and(|t| t.contains("exiting with code 3 as asked")),
        "{r:?}"
    );
    assert_gone(&pid);

    let pid = dir.path().join("garbage.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "garbage",
                &[
                    ("FIXTURE_GARBAGE", "true"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("garbage").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    let err = r.report.error.clone().unwrap();
    assert!(err.contains("invalid JSON-RPC"), "{err}");
    assert!(err.contains("this is not JSON-RPC at all"), "{err}");
    assert_eq!(r.report.phase.as_deref(), Some("initialize"));
    assert_gone(&pid);
}

async fn stdio_timeout_names_its_phase(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("hang.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "hangs",
                &[
                    ("FIXTURE_HANG", "true"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let r = check_with_timeout(&w, "hangs", 2).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    assert_eq!(
        r.report.error.as_deref(),
        Some(
            "timed out after 2s during initialize (the startup timeout, check.startup_timeout_secs)"
        )
    );
    assert_eq!(r.report.phase.as_deref(), Some("initialize"));
    assert_gone(&pid);

    // A slow start within the timeout is healthy.
    let pid = dir.path().join("slow.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "slow",
                &[
                    ("FIXTURE_SLOW_START_MS", "1500"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = check_with_timeout(&w, "slow", 10).await;
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert!(r.report.latency_ms >= 1500, "{r:?}");
    assert_gone(&pid);

    // Out-of-range timeouts are refused with a clear error.
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers/slow/health-check?timeout_secs=301"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("timeout_secs"));
}

async fn stderr_flood_is_bounded(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "flood",
                &[
                    ("FIXTURE_STDERR_FLOOD", "100000"),
                    ("FIXTURE_EXIT_CODE", "1"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("flood").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    let tail = r.report.stderr_tail.clone().unwrap();
    assert!(tail.len() <= 16 * 1024, "{}", tail.len());
    assert!(tail.lines().count() <= 50);
    assert!(tail.contains("flood line 99999"), "the last lines are kept");
    assert!(!tail.contains("flood line 0 "), "the first lines are gone");
    assert_gone(&pid);
}

async fn pagination_and_failing_tools_list(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pages.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "pages",
                &[
                    ("FIXTURE_TOOLS", "7"),
                    ("FIXTURE_PAGE_SIZE", "2"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("pages").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(
        tool_names(&r),
        [
            "echo", "tool-1", "tool-2", "tool-3", "tool-4", "tool-5", "tool-6"
        ]
    );
    assert_gone(&pid);

    let pid = dir.path().join("broken.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "broken",
                &[
                    ("FIXTURE_FAIL_TOOLS_LIST", "true"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("broken").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    assert_eq!(r.report.phase.as_deref(), Some("tools/list"));
    let err = r.report.error.clone().unwrap();
    assert!(err.contains("tools/list is broken on purpose"), "{err}");
    assert_eq!(r.report.server_name.as_deref(), Some("mcp-fixture"));
    assert_gone(&pid);
}

async fn child_sees_only_path_home_and_configured_env(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pid");
    let envf = dir.path().join("env.json");
    w.alice
        .create_server(
            &fixture_stdio(
                "env",
                &[
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                    ("FIXTURE_ENV_FILE", envf.to_str().unwrap()),
                    ("MY_TOKEN", "s3cr3t-value"),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("env").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_gone(&pid);
    let env: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&envf).unwrap()).unwrap();
    assert_eq!(env["MY_TOKEN"], "s3cr3t-value");
    for k in env.keys() {
        assert!(
            ["PATH", "HOME", "MY_TOKEN"].contains(&k.as_str()) || k.starts_with("FIXTURE_"),
            "the child saw the server's variable {k}"
        );
    }
    // This test process (the server's) has variables the child must not see.
    assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some() || std::env::vars().count() > 3);
    assert!(!env.contains_key("CARGO_MANIFEST_DIR"));
}

async fn policy_refusals_are_403_and_store_nothing(b: Backend) {
    // The default: only admins' stdio servers are spawned.
    let w = world_with(b, |s| s.health.stdio = StdioPolicy::Admins).await;
    w.alice
        .create_server(&fixture_stdio("fx", &[]), false)
        .await
        .unwrap();
    let e = w.alice.health_check("fx").await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("owned by an admin"), "{e}");
    assert_eq!(
        status(
            w.admin
                .health_check(
                    &w.alice
                        .get_server("fx", false)
                        .await
                        .unwrap()
                        .id
                        .to_string()
                )
                .await
        ),
        403,
        "an admin checking a user's command is refused too"
    );
    let mut global = fixture_stdio("admins-own", &[]);
    global.is_global = true;
    w.admin.create_server(&global, false).await.unwrap();
    let r = w.alice.health_check("admins-own").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{:?}", r.report);
    assert_eq!(
        ai_agent_server::health::HealthSettings::default().stdio,
        StdioPolicy::Admins
    );

    let w = world_with(b, |s| s.health.stdio = StdioPolicy::Off).await;
    w.alice
        .create_server(&fixture_stdio("fx", &[]), false)
        .await
        .unwrap();
    let e = w.alice.health_check("fx").await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(
        e.to_string().contains("stdio health checks are turned off"),
        "{e}"
    );
    assert_eq!(status(w.alice.last_health("fx").await), 404);

    let w = world_with(b, |s| {
        s.health.stdio = StdioPolicy::Allow(vec!["npx".into(), "uvx".into()])
    })
    .await;
    w.alice
        .create_server(&fixture_stdio("fx", &[]), false)
        .await
        .unwrap();
    let e = w.alice.health_check("fx").await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("allow-list"), "{e}");

    let fx = RemoteFixture::start("http", &[]);
    let w = world_with(b, |s| s.health.allow_private = false).await;
    w.alice
        .create_server(&remote("loop", ServerType::Http, &fx.url), false)
        .await
        .unwrap();
    let e = w.alice.health_check("loop").await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("127.0.0.1"), "{e}");
    let port = fx.url.rsplit(':').next().unwrap();
    w.alice
        .create_server(
            &remote(
                "named",
                ServerType::Sse,
                &format!("http://localhost:{port}"),
            ),
            false,
        )
        .await
        .unwrap();
    let e = w.alice.health_check("named").await.unwrap_err();
    assert_eq!(e.status(), Some(403), "localhost resolves to loopback");
    assert_eq!(status(w.alice.last_health("named").await), 404);
}

async fn authorization_follows_visibility(b: Backend) {
    let w = World::new(b).await;
    let mine = w
        .alice
        .create_server(&fixture_stdio("mine", &[]), false)
        .await
        .unwrap();
    let id = mine.id.to_string();
    assert_eq!(status(w.bob.health_check(&id).await), 404);
    assert_eq!(status(w.bob.last_health(&id).await), 404);
    let by_admin = w.admin.health_check(&id).await.unwrap();
    assert_eq!(by_admin.health_status, HealthStatus::Healthy);
    // Alice sees the result of the admin's check.
    assert_eq!(
        w.alice.last_health("mine").await.unwrap().report,
        by_admin.report
    );

    let mut global = fixture_stdio("shared", &[("SECRET_X", "abcdefgh")]);
    global.is_global = true;
    w.admin.create_server(&global, false).await.unwrap();
    let r = w.bob.health_check("shared").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert!(!serde_json::to_string(&r).unwrap().contains("abcdefgh"));
    assert_eq!(w.bob.last_health("shared").await.unwrap().report, r.report);
}

async fn remote_checks_over_http_and_sse(b: Backend) {
    let w = World::new(b).await;
    let http = RemoteFixture::start("http", &[]);
    w.alice
        .create_server(&remote("h", ServerType::Http, &http.url), false)
        .await
        .unwrap();
    let r = w.alice.health_check("h").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(tool_names(&r), ["echo", "tool-1", "tool-2"]);
    assert!(r.report.protocol_version.is_some());

    let legacy = RemoteFixture::start("http", &["--legacy", "--tools", "5", "--page-size", "2"]);
    w.alice
        .create_server(&remote("hl", ServerType::Http, &legacy.url), false)
        .await
        .unwrap();
    let r = w.alice.health_check("hl").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(r.report.protocol_version.as_deref(), Some("2025-11-25"));
    assert_eq!(tool_names(&r).len(), 5);

    let sse = RemoteFixture::start("sse", &["--legacy"]);
    w.alice
        .create_server(&remote("s", ServerType::Sse, &sse.url), false)
        .await
        .unwrap();
    let r = w.alice.health_check("s").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert_eq!(r.report.protocol_version.as_deref(), Some("2025-11-25"));
    assert_eq!(tool_names(&r), ["echo", "tool-1", "tool-2"]);

    for (name, t, transport) in [
        ("h401", ServerType::Http, "http"),
        ("s401", ServerType::Sse, "sse"),
    ] {
        let fx = RemoteFixture::start(transport, &["--status", "401"]);
        w.alice
            .create_server(&remote(name, t, &fx.url), false)
            .await
            .unwrap();
        let r = w.alice.health_check(name).await.unwrap();
        assert_eq!(r.health_status, HealthStatus::NeedsAuth, "{r:?}");
        let fx = RemoteFixture::start(transport, &["--status", "403"]);
        let n403 = format!("{name}-403");
        w.alice
            .create_server(&remote(&n403, t, &fx.url), false)
            .await
            .unwrap();
        let r = w.alice.health_check(&n403).await.unwrap();
        assert_eq!(r.health_status, HealthStatus::NeedsAuth, "{r:?}");
    }

    for (name, t, transport) in [
        ("hg", ServerType::Http, "http"),
        ("sg", ServerType::Sse, "sse"),
    ] {
        let fx = RemoteFixture::start(transport, &["--garbage"]);
        w.alice
            .create_server(&remote(name, t, &fx.url), false)
            .await
            .unwrap();
        let r = check_with_timeout(&w, name, 5).await;
        assert_eq!(r.health_status, HealthStatus::Unhealthy, "{r:?}");
        assert!(r.report.error.is_some());
        if transport == "sse" {
            assert!(
                r.report
                    .error
                    .as_deref()
                    .unwrap()
                    .contains("invalid JSON-RPC"),
                "{r:?}"
            );
        }
    }

    let fx = RemoteFixture::start("http", &["--status", "500"]);
    w.alice
        .create_server(&remote("h500", ServerType::Http, &fx.url), false)
        .await
        .unwrap();
    let r = w.alice.health_check("h500").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    assert!(r.report.error.as_deref().unwrap().contains("500"), "{r:?}");

    let hang = RemoteFixture::start("sse", &["--hang"]);
    w.alice
        .create_server(&remote("sh", ServerType::Sse, &hang.url), false)
        .await
        .unwrap();
    let r = check_with_timeout(&w, "sh", 2).await;
    assert_eq!(
        r.report.error.as_deref(),
        Some("timed out after 2s during connect (the startup timeout, check.startup_timeout_secs)")
    );
}

async fn background_leases_check_each_server_once(b: Backend) {
    let w = World::new(b).await;
    for name in ["a", "b", "c"] {
        w.alice
            .create_server(&fixture_stdio(name, &[]), false)
            .await
            .unwrap();
    }
    let mut off = fixture_stdio("off", &[]);
    off.is_enabled = false;
    w.alice.create_server(&off, false).await.unwrap();
    // A second instance over the same database.
    let other = ai_agent_server::app::open(&w.server.settings).unwrap();
    let one = w.server.state.clone();
    let hour = Duration::from_secs(3600);
    let (x, y) = tokio::join!(
        ai_agent_server::services::health::background_round(&one, hour),
        ai_agent_server::services::health::background_round(&other, hour),
    );
    assert_eq!(
        x.unwrap() + y.unwrap(),
        3,
        "each enabled server checked once"
    );
    for name in ["a", "b", "c"] {
        let r = w.alice.last_health(name).await.unwrap();
        assert_eq!(r.health_status, HealthStatus::Healthy);
    }
    assert_eq!(status(w.alice.last_health("off").await), 404);
    // Within the interval nobody checks again.
    let (x, y) = tokio::join!(
        ai_agent_server::services::health::background_round(&one, hour),
        ai_agent_server::services::health::background_round(&other, hour),
    );
    assert_eq!((x.unwrap(), y.unwrap()), (0, 0));
    assert!(one.health.processes().live().is_empty());
    assert!(other.health.processes().live().is_empty());
}

both_backends!(client_hangup_and_shutdown_kill_the_child);

/// Waits until the fixture has written its pid (it is running).
async fn wait_for_pid(pid_file: &Path) {
    for _ in 0..500 {
        if std::fs::read_to_string(pid_file).is_ok_and(|p| !p.trim().is_empty()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the fixture never started");
}

/// The two paths no check result reports: the caller hangs up mid-check, and
/// the server shuts down mid-check. Neither may leave the child running.
async fn client_hangup_and_shutdown_kill_the_child(b: Backend) {
    let w = World::new(b).await;
    let dir = tempfile::tempdir().unwrap();
    for name in ["hangup", "shutdown"] {
        let pid = dir.path().join(format!("{name}.pid"));
        w.alice
            .create_server(
                &fixture_stdio(
                    name,
                    &[
                        ("FIXTURE_HANG", "true"),
                        ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                    ],
                ),
                false,
            )
            .await
            .unwrap();
    }

    // The caller gives up before the check's own timeout. actix-web does not
    // tell a handler that its client went away (actix/actix-web#3462), so the
    // check runs on to its timeout — and then its child must still die.
    let url = w.url("/api/v1/mcp-servers/hangup/health-check?timeout_secs=3");
    let token = w.alice_token.clone();
    let request = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .timeout(Duration::from_secs(60))
            .send()
            .await
    });
    let pid = dir.path().join("hangup.pid");
    wait_for_pid(&pid).await;
    request.abort();
    let _ = request.await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_gone(&pid);

    // Shutdown kills what is still running.
    let url = w.url("/api/v1/mcp-servers/shutdown/health-check?timeout_secs=120");
    let token = w.alice_token.clone();
    let request = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .send()
            .await
    });
    let pid = dir.path().join("shutdown.pid");
    wait_for_pid(&pid).await;
    w.server.state.health.shutdown();
    assert_gone(&pid);
    let answer = request.await.unwrap().unwrap();
    assert!(
        answer.status().is_success() || answer.status().is_server_error(),
        "{}",
        answer.status()
    );
}

both_backends!(
    config_change_forgets_the_last_check,
    query_secrets_are_scrubbed_from_reports
);

async fn config_change_forgets_the_last_check(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&fixture_stdio("fx", &[]), false)
        .await
        .unwrap();
    let r = w.alice.health_check("fx").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy);
    let got = w.alice.get_server("fx", false).await.unwrap();
    assert_eq!(
        got.last_health_check_at, r.last_health_check_at,
        "the same instant, as stored"
    );
    let body = serde_json::from_value(
        json!({"config": {"command": fixture_bin().to_string_lossy(), "args": ["--tools", "1"]}}),
    )
    .unwrap();
    let changed = w.alice.update_server("fx", &body, false).await.unwrap();
    assert_eq!(changed.health_status, HealthStatus::Unknown);
    assert_eq!(changed.last_health_check_at, None);
    assert_eq!(status(w.alice.last_health("fx").await), 404);
}

async fn query_secrets_are_scrubbed_from_reports(b: Backend) {
    let w = World::new(b).await;
    // Nothing listens on port 1: the connection error names the URL.
    w.alice
        .create_server(
            &remote(
                "q",
                ServerType::Sse,
                "http://127.0.0.1:1/sse?api_key=QUERYSECRET",
            ),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("q").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("QUERYSECRET"), "{text}");
}

both_backends!(a_full_checker_answers_503_not_for_ever);

async fn a_full_checker_answers_503_not_for_ever(b: Backend) {
    let w = world_with(b, |s| s.health.max_concurrent = 1).await;
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("hang.pid");
    w.alice
        .create_server(
            &fixture_stdio(
                "hangs",
                &[
                    ("FIXTURE_HANG", "true"),
                    ("FIXTURE_PID_FILE", pid.to_str().unwrap()),
                ],
            ),
            false,
        )
        .await
        .unwrap();
    // Another user: the caller's own cap (429) is tested in trust.rs.
    w.bob
        .create_server(&fixture_stdio("quick", &[]), false)
        .await
        .unwrap();
    let url = w.url("/api/v1/mcp-servers/hangs/health-check?timeout_secs=4");
    let token = w.alice_token.clone();
    let hanging = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .send()
            .await
    });
    wait_for_pid(&pid).await;
    let started = std::time::Instant::now();
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers/quick/health-check?timeout_secs=1"))
        .bearer_auth(&w.bob_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up after about its 1 s timeout"
    );
    assert!(resp.text().await.unwrap().contains("slots stayed busy"));
    assert_eq!(
        hanging.await.unwrap().unwrap().status(),
        200,
        "the hanging check ends at its own timeout"
    );
    assert_gone(&pid);
}

both_backends!(placeholder_urls_are_unknown_not_refused);

async fn placeholder_urls_are_unknown_not_refused(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(
            &remote("ph", ServerType::Http, "https://${input:host}/mcp"),
            false,
        )
        .await
        .unwrap();
    let r = w.alice.health_check("ph").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unknown);
    assert_eq!(r.report.phase.as_deref(), Some("configure"));
    assert!(r.report.error.as_deref().unwrap().contains("placeholders"));
}
