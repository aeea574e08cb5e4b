//! Correctness under concurrent requests, and several instances over one database.

use std::sync::Arc;

use mcp_model::api::UpdateServer;
use serde_json::json;

use crate::both_backends;
use crate::support::*;

both_backends!(
    hundred_racing_creates_one_wins,
    concurrent_patches_lose_nothing
);

async fn hundred_racing_creates_one_wins(b: Backend) {
    let w = World::new(b).await;
    let alice = Arc::new(w.alice.clone());
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = alice.clone();
            tokio::spawn(
                async move { c.create_server(&stdio("racer", &[("K", "v")]), false).await },
            )
        })
        .collect();
    let mut created = 0;
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => created += 1,
            Err(e) if e.status() == Some(409) => conflicts += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!((created, conflicts), (1, 99));
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        1
    );
    let log = w.alice.audit_logs(None).await.unwrap();
    assert_eq!(log.total, 1, "only the winner is audited");
}

async fn concurrent_patches_lose_nothing(b: Backend) {
    let w = World::new(b).await;
    let s = w
        .alice
        .create_server(&stdio("target", &[]), false)
        .await
        .unwrap();
    let id = s.id.to_string();
    let alice = Arc::new(w.alice.clone());
    let n = 40;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let c = alice.clone();
            let id = id.clone();
            tokio::spawn(async move {
                let body: UpdateServer = serde_json::from_value(json!({
                    "description": format!("write {i}"),
                    "config": {"command": format!("cmd-{i}"), "env": {"N": i.to_string()}},
                }))
                .unwrap();
                c.update_server(&id, &body, false).await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("every PATCH succeeds");
    }
    let log = w.alice.audit_logs(Some(&id)).await.unwrap();
    assert_eq!(log.total, n + 1, "one audit row per PATCH plus the create");
    // The final state is exactly one of the writes, never a mix of two.
    let last = w.alice.get_server(&id, true).await.unwrap();
    let i: usize = last
        .description
        .as_deref()
        .unwrap()
        .strip_prefix("write ")
        .unwrap()
        .parse()
        .unwrap();
    let config = serde_json::to_value(&last.config).unwrap();
    assert_eq!(
        config,
        json!({"command": format!("cmd-{i}"), "args": [], "env": {"N": i.to_string()}})
    );
    // And it is the last one the audit log recorded.
    assert_eq!(log.items[0].details["description"], format!("write {i}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_over_one_postgres_agree() {
    if !Backend::Postgres.available() {
        eprintln!("AI_AGENT_TEST_POSTGRES_URL not set: not run");
        return;
    }
    let w = World::new(Backend::Postgres).await;
    let second = w.server.another_instance().await.unwrap();
    let alice2 = client(&second, &w.alice_token);
    let instances = [&w.alice, &alice2];
    // Interleave writes across instances; after each, both read the same thing.
    for i in 0..20 {
        let writer = instances[i % 2];
        let secret = format!("v{i}");
        writer
            .create_server(&stdio(&format!("s{i}"), &[("SECRET", &secret)]), false)
            .await
            .unwrap();
        if i % 3 == 0 {
            let body: UpdateServer =
                serde_json::from_value(json!({"description": format!("d{i}")})).unwrap();
            instances[(i + 1) % 2]
                .update_server(&format!("s{i}"), &body, false)
                .await
                .unwrap();
        }
        if i % 5 == 4 {
            instances[(i + 1) % 2]
                .delete_server(&format!("s{}", i - 1))
                .await
                .unwrap();
        }
        let a = w
            .alice
            .list_servers(&ai_agent::client::ListParams {
                reveal: true,
                ..Default::default()
            })
            .await
            .unwrap();
        let b = alice2
            .list_servers(&ai_agent::client::ListParams {
                reveal: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(a, b, "instances disagree after step {i}");
    }
    // A racing duplicate across instances still yields one winner.
    let dup = stdio("dup", &[]);
    let (r1, r2) = tokio::join!(
        w.alice.create_server(&dup, false),
        alice2.create_server(&dup, false)
    );
    assert_eq!([r1.is_ok(), r2.is_ok()].iter().filter(|ok| **ok).count(), 1);
    // Secrets sealed by one instance open on the other.
    let s = alice2.get_server("s19", true).await.unwrap();
    assert_eq!(s.config.secret_values()["SECRET"], "v19");
    second.stop().await;
}

/// Another process writing to the SQLite file (an admin command, say) while
/// the server handles concurrent writes: no request fails with "database is
/// busy", because write transactions take the lock up front.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writes_survive_an_outside_writer() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, SqliteConnection};

    let w = World::new(Backend::Sqlite).await;
    let path = w.server.db.sqlite_path().unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let outside = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
            conn.batch_execute("PRAGMA busy_timeout = 10000").unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                conn.batch_execute("UPDATE users SET is_active = is_active WHERE name = 'bob'")
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    let alice = Arc::new(w.alice.clone());
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let c = alice.clone();
            tokio::spawn(async move {
                c.create_server(&stdio(&format!("s{i}"), &[]), false)
                    .await?;
                let body: UpdateServer =
                    serde_json::from_value(json!({"description": "x"})).unwrap();
                c.update_server(&format!("s{i}"), &body, false).await
            })
        })
        .collect();
    for t in tasks {
        t.await
            .unwrap()
            .expect("no write fails while another connection writes");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(outside.join().unwrap() > 0, "the outside writer ran");
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        60
    );
}
