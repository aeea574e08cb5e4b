//! The connection pool and migrations under stress: a panic inside a write,
//! writers queued behind a long import, instances migrating at once, and the
//! one-time upgrade of stored URL query values.

use std::time::Duration;

use ai_agent_server::app;
use ai_agent_server::db::{Database, DatabaseUrl};
use ai_agent_server::error::AppError;
use ai_agent_server::testing::TestDatabase;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use mcp_model::ServerType;

use crate::both_backends;
use crate::health::{fixture_stdio, remote};
use crate::support::{Backend, World};

both_backends!(a_panic_inside_a_write_does_not_poison_the_pool);

async fn a_panic_inside_a_write_does_not_poison_the_pool(b: Backend) {
    let test_db = TestDatabase::new(b).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    // One connection: whatever the panic left behind is what the next write gets.
    let db = Database::open(&url, 1).unwrap();
    let d = db.clone();
    let panicked = tokio::task::spawn_blocking(move || {
        d.write(|conn| {
            conn.batch_execute("INSERT INTO meta (key, value) VALUES ('left-behind', 'x')")
                .map_err(AppError::from)?;
            panic!("a bug inside a write transaction");
            #[allow(unreachable_code)]
            Ok(())
        })
    })
    .await;
    assert!(panicked.is_err(), "the write panicked");
    let d = db.clone();
    let next = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::task::spawn_blocking(move || {
            d.write(|conn| {
                conn.batch_execute("INSERT INTO meta (key, value) VALUES ('next', 'y')")
                    .map_err(AppError::from)
            })
        }),
    )
    .await
    .expect("the next write does not wait for a lock left open")
    .unwrap();
    next.expect("the next write commits on a fresh connection");
    let d = db.clone();
    let kept = tokio::task::spawn_blocking(move || {
        d.read(|conn| Ok(ai_agent_server::repository::meta::get(conn, "left-behind")?))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(kept, None, "the panicked transaction was rolled back");
}

/// Writers queued behind a long write (an import's transaction, say) wait
/// for their turn without holding pooled connections or blocking threads
/// (each worker has as many threads as the pool has connections, 4 in
/// tests): authentication and reads still get both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_on_beside_a_long_write() {
    let w = World::new(Backend::Sqlite).await;
    for name in ["p0", "p1", "d0", "d1"] {
        w.bob
            .create_server(&fixture_stdio(name, &[]), false)
            .await
            .unwrap();
    }
    let db = w.server.state.db.clone();
    let long = tokio::task::spawn_blocking(move || {
        db.write(|_| {
            std::thread::sleep(Duration::from_secs(4));
            Ok(())
        })
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Writers of each kind, more together than a worker has threads.
    let describe: mcp_model::api::UpdateServer =
        serde_json::from_value(serde_json::json!({"description": "later"})).unwrap();
    let mut writers = Vec::new();
    for i in 0..2 {
        let (bob, describe) = (w.bob.clone(), describe.clone());
        writers.push(tokio::spawn(async move {
            bob.create_server(&fixture_stdio(&format!("w{i}"), &[]), false)
                .await
                .map(drop)
        }));
        let bob = w.bob.clone();
        writers.push(tokio::spawn(async move {
            bob.update_server(&format!("p{i}"), &describe, false)
                .await
                .map(drop)
        }));
        let bob = w.bob.clone();
        writers.push(tokio::spawn(async move {
            bob.delete_server(&format!("d{i}")).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    w.admin
        .me()
        .await
        .expect("authentication answers while writers queue");
    w.bob
        .get_server("p0", false)
        .await
        .expect("a read answers while writers queue");
    assert!(
        started.elapsed() < Duration::from_secs(2) && !long.is_finished(),
        "the reads waited {:?}, behind the long write",
        started.elapsed()
    );
    long.await.unwrap().unwrap();
    for wr in writers {
        wr.await.unwrap().unwrap();
    }
}

/// Instances starting together on a new release migrate one at a time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_migrating_at_once_all_start() {
    if !crate::support::postgres_or_skip() {
        return;
    }
    let db = TestDatabase::new(Backend::Postgres).unwrap();
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Database::open(&url, 2).map(drop))
        })
        .collect();
    for o in opens {
        o.join().unwrap().expect("every instance starts");
    }
}

both_backends!(stored_query_values_of_earlier_versions_are_sealed_once);

async fn stored_query_values_of_earlier_versions_are_sealed_once(b: Backend) {
    let w = World::new(b).await;
    let url = "https://mcp.example.com/mcp?api_key=old-plain-value";
    let s = w
        .alice
        .create_server(&remote("old", ServerType::Http, url), false)
        .await
        .unwrap();
    // As an earlier version stored it: the query value in clear.
    let legacy = serde_json::json!({"url": url, "headers": {}}).to_string();
    let mut conn = ai_agent_server::db::DbConnection::establish(&w.server.db.url).unwrap();
    conn.batch_execute(&format!(
        "UPDATE mcp_servers SET config = '{legacy}' WHERE id = '{}'; DELETE FROM meta WHERE key = 'query_secrets_sealed'",
        s.id
    ))
    .unwrap();
    let state = app::open(&w.server.settings).unwrap();
    let stored: String = diesel::RunQueryDsl::get_result(
        diesel::QueryDsl::select(
            diesel::QueryDsl::find(
                ai_agent_server::schema::mcp_servers::table,
                s.id.to_string(),
            ),
            ai_agent_server::schema::mcp_servers::config,
        ),
        &mut conn,
    )
    .unwrap();
    assert!(!stored.contains("old-plain-value"), "{stored}");
    let revealed = w.alice.get_server("old", true).await.unwrap();
    assert_eq!(
        serde_json::to_value(&revealed.config).unwrap()["url"],
        url,
        "the owner still gets it back"
    );
    drop(state);
}

both_backends!(enum_columns_read_back_typed_and_refuse_unknown_text);

/// `server_type`, `health_status` and `role` are typed columns: each stored
/// spelling reads back as its enum, and a text that is none of them is an
/// error (500), never silently a default.
async fn enum_columns_read_back_typed_and_refuse_unknown_text(b: Backend) {
    let w = World::new(b).await;
    let s = w
        .alice
        .create_server(
            &remote("typed", ServerType::Sse, "https://mcp.example.com/sse"),
            false,
        )
        .await
        .unwrap();
    let got = w.alice.get_server("typed", false).await.unwrap();
    assert_eq!(got.server_type, ServerType::Sse);
    assert_eq!(got.health_status, mcp_model::api::HealthStatus::Unknown);
    assert_eq!(
        w.admin.me().await.unwrap().role,
        mcp_model::api::Role::Admin
    );
    let mut conn = ai_agent_server::db::DbConnection::establish(&w.server.db.url).unwrap();
    conn.batch_execute(&format!(
        "UPDATE mcp_servers SET health_status = 'fine' WHERE id = '{}'",
        s.id
    ))
    .unwrap();
    let e = w.alice.get_server("typed", false).await.unwrap_err();
    assert_eq!(e.status(), Some(500), "{e}");
}
