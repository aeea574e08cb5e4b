//! Moving a deployment between databases, and rotating the secrets key, through
//! the server binary's commands.

use std::process::Command;

use ai_agent_server::testing::TestDatabase;
use mcp_model::api::CreateServer;
use serde_json::json;

use crate::support::*;

fn server_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ai-agent-server"));
    c.env_remove("DATABASE_URL")
        .env_remove("AI_AGENT_SECRET_KEY")
        .env_remove("AI_AGENT_DATA_DIR");
    c
}

fn run(mut c: Command) -> (bool, String) {
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A server with a little of everything: users, a revoked token, servers with
/// secrets (one deleted, one global), audit entries.
async fn populated(w: &World) {
    let mut g = stdio("github", &[("GITHUB_TOKEN", "global-secret")]);
    g.is_global = true;
    w.admin.create_server(&g, false).await.unwrap();
    w.alice
        .create_server(&stdio("k8s", &[("KUBECONFIG", "alice-secret")]), false)
        .await
        .unwrap();
    let remote: CreateServer = serde_json::from_value(json!({"name": "remote", "config": {"type": "sse", "url": "https://a.b/sse", "headers": {"Authorization": "Bearer alice-header"}}})).unwrap();
    w.alice.create_server(&remote, false).await.unwrap();
    w.bob
        .create_server(&stdio("gone", &[("X", "y")]), false)
        .await
        .unwrap();
    w.bob.delete_server("gone").await.unwrap();
    let t = ai_agent_server::services::users::create_token(&w.server.state.db, "bob").unwrap();
    ai_agent_server::services::users::revoke_token(&w.server.state.db, &t[..12]).unwrap();
}

async fn assert_same_content(w: &World, other: &TestServer) {
    let alice = client(other, &w.alice_token);
    let params = ai_agent::client::ListParams {
        reveal: true,
        ..Default::default()
    };
    assert_eq!(
        alice.list_servers(&params).await.unwrap(),
        w.alice.list_servers(&params).await.unwrap()
    );
    assert_eq!(
        alice
            .get_server("remote", true)
            .await
            .unwrap()
            .config
            .secret_values()["Authorization"],
        "Bearer alice-header"
    );
    assert_eq!(
        alice.audit_logs(None).await.unwrap(),
        w.alice.audit_logs(None).await.unwrap()
    );
    let admin = client(other, &w.server.user("late", Role::User).unwrap());
    assert_eq!(
        status(admin.me().await),
        401,
        "a user created after the copy does not exist there"
    );
}

async fn migrate_to(target_backend: Backend) {
    let w = World::new(Backend::Sqlite).await;
    populated(&w).await;
    let target = TestDatabase::new(target_backend).unwrap();
    let mut cmd = server_bin();
    cmd.arg("--database-url")
        .arg(&w.server.db.url)
        .arg("--secret-key-file")
        .arg(w.server.settings.key_file())
        .args(["migrate-to", &target.url]);
    let (ok, err) = run(cmd);
    assert!(ok, "{err}");
    assert!(
        err.contains("copied 3 users, 4 tokens, 4 servers and 5 audit entries"),
        "{err}"
    );

    let mut settings = target.settings().unwrap();
    settings.secret_key_file = Some(w.server.settings.key_file());
    let moved = TestServer::start_with(target, settings).await.unwrap();
    assert_same_content(&w, &moved).await;
    assert_eq!(
        client(&moved, &w.alice_token).me().await.unwrap().name,
        "alice"
    );

    // Copying again into the now non-empty target is refused, and changes nothing.
    let mut again = server_bin();
    again
        .arg("--database-url")
        .arg(&w.server.db.url)
        .arg("--secret-key-file")
        .arg(w.server.settings.key_file())
        .args(["migrate-to", &moved.db.url]);
    let (ok, err) = run(again);
    assert!(!ok && err.contains("already has 3 users"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_sqlite_to_sqlite() {
    migrate_to(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_sqlite_to_postgres() {
    if !Backend::Postgres.available() {
        eprintln!("AI_AGENT_TEST_POSTGRES_URL not set: not run");
        return;
    }
    migrate_to(Backend::Postgres).await;
}

crate::both_backends!(rotate_key_reencrypts_everything);

async fn rotate_key_reencrypts_everything(b: Backend) {
    let w = World::new(b).await;
    populated(&w).await;
    let key_file = w.server.settings.key_file();
    let old_key = std::fs::read_to_string(&key_file).unwrap();
    let before = w
        .alice
        .list_servers(&ai_agent::client::ListParams {
            reveal: true,
            ..Default::default()
        })
        .await
        .unwrap();

    let mut cmd = server_bin();
    cmd.arg("--database-url")
        .arg(&w.server.db.url)
        .arg("--secret-key-file")
        .arg(&key_file)
        .arg("rotate-key");
    let (ok, err) = run(cmd);
    assert!(ok, "{err}");
    assert!(
        err.contains("re-encrypted the secrets of 4 servers"),
        "{err}"
    );
    let new_key = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(new_key, old_key);
    let old_file = format!("{}.old", key_file.display());
    assert_eq!(std::fs::read_to_string(&old_file).unwrap(), old_key);

    // A server started with the new key reads every secret; the old key opens none.
    let db = w.server.db.share().unwrap();
    let mut settings = db.settings().unwrap();
    settings.secret_key_file = Some(key_file.clone());
    let rotated = TestServer::start_with(db, settings).await.unwrap();
    let alice = client(&rotated, &w.alice_token);
    let after = alice
        .list_servers(&ai_agent::client::ListParams {
            reveal: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(after, before);
    let old = ai_agent_server::crypto::SecretKey::from_base64(&old_key).unwrap();
    let err = ai_agent_server::services::maintenance::rotate_key(&rotated.state.db, &old, &old)
        .unwrap_err();
    assert!(err.to_string().contains("cannot decrypt"), "{err}");
    rotated.stop().await;
}
