//! Authentication: bearer tokens, revocation, disabled users, the first admin.

use ai_agent_server::services::users;
use mcp_model::api::ErrorBody;

use crate::both_backends;
use crate::support::*;

both_backends!(
    bad_tokens_get_401,
    revoked_token_and_disabled_user,
    me_reports_the_caller,
    first_start_creates_admin
);

async fn bad_tokens_get_401(b: Backend) {
    let w = World::new(b).await;
    let http = w.raw();
    let url = w.url("/api/v1/mcp-servers");
    for header in [
        None,
        Some("Bearer"),
        Some("Bearer "),
        Some("Basic abc"),
        Some("Bearer aia_unknown"),
        Some(w.alice_token.as_str()),
    ] {
        let mut req = http.get(&url);
        if let Some(h) = header {
            req = req.header("authorization", h);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{header:?}");
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let body: ErrorBody = resp.json().await.unwrap();
        assert_eq!(body.status, 401);
    }
    // Every /api/v1 route needs a token, including unknown ids.
    for path in ["/api/v1/me", "/api/v1/audit-logs", "/api/v1/mcp-servers/x"] {
        assert_eq!(
            http.get(w.url(path)).send().await.unwrap().status(),
            401,
            "{path}"
        );
    }
    // The probes do not.
    assert_eq!(
        http.get(w.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        http.get(w.url("/readyz")).send().await.unwrap().status(),
        200
    );
}

/// A server that asks the database on every request (no token cache).
async fn uncached(b: Backend) -> TestServer {
    let db = ai_agent_server::testing::TestDatabase::new(b).expect("database");
    let mut settings = db.settings().expect("settings");
    settings.auth_cache_ttl = std::time::Duration::ZERO;
    TestServer::start_with(db, settings).await.expect("server")
}

async fn revoked_token_and_disabled_user(b: Backend) {
    // Without the cache a revocation takes effect at once; with it, within
    // its TTL (the next test).
    let server = uncached(b).await;
    let db = &server.state.db;
    let alice_token = server.user("alice", Role::User).unwrap();
    let alice = client(&server, &alice_token);
    let second = users::create_token(db, "alice").unwrap();
    let c2 = client(&server, &second);
    assert_eq!(c2.me().await.unwrap().name, "alice");
    let prefix: String = second.chars().take(12).collect();
    users::revoke_token(db, &prefix).unwrap();
    assert_eq!(status(c2.me().await), 401);
    assert_eq!(
        alice.me().await.unwrap().name,
        "alice",
        "other tokens still work"
    );
    assert!(users::revoke_token(db, &prefix).is_err(), "already revoked");

    users::set_active(db, "alice", false).unwrap();
    let err = alice.me().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.to_string().contains("disabled"));
    users::set_active(db, "alice", true).unwrap();
    assert!(alice.me().await.is_ok());
}

async fn me_reports_the_caller(b: Backend) {
    let w = World::new(b).await;
    let me = w.admin.me().await.unwrap();
    assert_eq!(me.name, "root");
    assert_eq!(me.role, Role::Admin);
    assert!(me.is_active);
    assert_eq!(w.bob.me().await.unwrap().role, Role::User);
    assert!(
        users::create_user(&w.server.state.db, "bob", Role::User).is_err(),
        "names are unique"
    );
    assert!(users::create_user(&w.server.state.db, "bad name", Role::User).is_err());
}

async fn first_start_creates_admin(b: Backend) {
    let server = TestServer::start(b).await.unwrap();
    let path = ai_agent_server::app::bootstrap(&server.state, &server.settings)
        .unwrap()
        .expect("created");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let token = std::fs::read_to_string(&path).unwrap();
    let admin = client(&server, token.trim());
    let me = admin.me().await.unwrap();
    assert_eq!((me.name.as_str(), me.role), ("admin", Role::Admin));
    // A second start over the same database creates nobody.
    assert!(
        ai_agent_server::app::bootstrap(&server.state, &server.settings)
            .unwrap()
            .is_none()
    );
}

both_backends!(revocation_and_disabling_take_effect_within_the_cache_ttl);

/// A known token is answered from the cache, yet a revocation or a
/// disabled user (here through another instance's database handle, as the
/// operator's commands do) is refused once the TTL has passed.
async fn revocation_and_disabling_take_effect_within_the_cache_ttl(b: Backend) {
    let db = ai_agent_server::testing::TestDatabase::new(b).expect("database");
    let mut settings = db.settings().expect("settings");
    settings.auth_cache_ttl = std::time::Duration::from_millis(300);
    let server = TestServer::start_with(db, settings.clone())
        .await
        .expect("server");
    // A second instance over the same database, with the same TTL.
    let shared = server.db.share().expect("share");
    let mut other_settings = shared.settings().expect("settings");
    other_settings.secret_key_file = Some(settings.key_file());
    other_settings.auth_cache_ttl = settings.auth_cache_ttl;
    let other = TestServer::start_with(shared, other_settings)
        .await
        .expect("second instance");
    let carol = server.user("carol", Role::User).expect("carol");
    let dave = server.user("dave", Role::User).expect("dave");
    let as_carol = Client::new(&server.url, Some(carol.clone())).expect("client");
    let as_dave = Client::new(&other.url, Some(dave)).expect("client");
    as_carol.me().await.expect("carol");
    as_dave.me().await.expect("dave");
    let prefix: String = carol.chars().take(12).collect();
    ai_agent_server::services::users::revoke_token(&other.state.db, &prefix).expect("revoke");
    ai_agent_server::services::users::set_active(&server.state.db, "dave", false).expect("disable");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(status(as_carol.me().await), 401);
    assert_eq!(status(as_dave.me().await), 401);
}
