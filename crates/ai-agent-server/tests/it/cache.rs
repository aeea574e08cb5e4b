//! The listing cache: every write through the server shows in the next
//! listing, on this instance at once and through another instance over
//! PostgreSQL within moments; a change made behind every server's back is
//! only bounded by the cache's age, and `Cache-Control: no-cache` skips it.

use std::time::{Duration, Instant};

use ai_agent::client::ListParams;
use mcp_model::api::UpdateServer;
use serde_json::json;

use crate::both_backends;
use crate::support::*;

both_backends!(
    every_write_shows_in_the_next_listing,
    a_listing_is_served_again_until_the_data_changes
);

fn names(list: &mcp_model::api::ServerList) -> Vec<(String, Option<String>, bool)> {
    list.items
        .iter()
        .map(|s| (s.name.clone(), s.description.clone(), s.is_enabled))
        .collect()
}

async fn listing(c: &Client, fresh: bool) -> Vec<(String, Option<String>, bool)> {
    let p = ListParams {
        fresh,
        ..Default::default()
    };
    names(&c.list_servers(&p).await.unwrap())
}

/// After each kind of write (own and global servers, by their owner and by
/// an admin, an import, a health check), the listing answered twice in a
/// row equals one computed now.
async fn every_write_shows_in_the_next_listing(b: Backend) {
    let w = World::new(b).await;
    let fixture = ai_agent_server::testing::fixture_bin().unwrap();
    let check = |w: &World| {
        let alice = w.alice.clone();
        let bob = w.bob.clone();
        async move {
            for c in [&alice, &bob] {
                let first = listing(c, false).await;
                assert_eq!(first, listing(c, false).await);
                assert_eq!(
                    first,
                    listing(c, true).await,
                    "a cached listing is out of date"
                );
            }
        }
    };
    check(&w).await;
    w.alice
        .create_server(&stdio("a", &[]), false)
        .await
        .unwrap();
    check(&w).await;
    let mut g = stdio("g", &[]);
    g.is_global = true;
    w.admin.create_server(&g, false).await.unwrap();
    check(&w).await;
    let describe: UpdateServer = serde_json::from_value(json!({"description": "new"})).unwrap();
    w.admin.update_server("g", &describe, false).await.unwrap();
    check(&w).await;
    let disable: UpdateServer = serde_json::from_value(json!({"is_enabled": false})).unwrap();
    w.admin.update_server("g", &disable, false).await.unwrap();
    check(&w).await;
    w.alice.update_server("a", &describe, false).await.unwrap();
    check(&w).await;
    let file = json!({"mcpServers": {"imported": {"command": "uvx", "args": ["x"]}}});
    w.bob
        .import(file.to_string().into_bytes(), None, false)
        .await
        .unwrap();
    check(&w).await;
    let fx =
        json!({"name": "fx", "config": {"command": fixture, "args": ["--transport", "stdio"]}});
    w.alice
        .create_server(&serde_json::from_value(fx).unwrap(), false)
        .await
        .unwrap();
    let before = w.alice.list_servers(&ListParams::default()).await.unwrap();
    w.alice.health_check("fx").await.unwrap();
    let after = w.alice.list_servers(&ListParams::default()).await.unwrap();
    let status = |l: &mcp_model::api::ServerList| {
        l.items
            .iter()
            .find(|s| s.name == "fx")
            .map(|s| s.health_status)
    };
    assert_ne!(status(&before), status(&after), "the check's verdict shows");
    w.alice.delete_server("a").await.unwrap();
    check(&w).await;
}

/// A change written to the database behind the server's back (as an
/// operator's hand edit would be) is not seen by a cached listing until
/// the next write through the server, or at once with `no-cache`; a
/// listing with revealed secrets is never cached.
async fn a_listing_is_served_again_until_the_data_changes(b: Backend) {
    let w = World::new(b).await;
    wait_until_listening(&w.server).await;
    w.alice
        .create_server(&stdio("a", &[]), false)
        .await
        .unwrap();
    let cached = listing(&w.alice, false).await;
    assert_eq!(cached[0].1, None);

    by_hand(
        &w.server,
        "UPDATE mcp_servers SET description = 'by hand' WHERE name = 'a'",
    );

    let started = Instant::now();
    let again = listing(&w.alice, false).await;
    if started.elapsed() < ai_agent_server::listing_cache::MAX_AGE {
        assert_eq!(again, cached, "served from the cache");
    }
    let revealed = w
        .alice
        .list_servers(&ListParams {
            reveal: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        revealed.items[0].description.as_deref(),
        Some("by hand"),
        "never cached"
    );

    // Any write through the server makes every cached listing out of date.
    w.bob.create_server(&stdio("b", &[]), false).await.unwrap();
    assert_eq!(
        listing(&w.alice, false).await[0].1.as_deref(),
        Some("by hand")
    );

    by_hand(
        &w.server,
        "UPDATE mcp_servers SET description = 'again' WHERE name = 'a'",
    );
    let fresh = listing(&w.alice, true).await;
    assert_eq!(
        fresh[0].1.as_deref(),
        Some("again"),
        "no-cache computes it now"
    );
}

/// Over PostgreSQL, a write through one instance reaches another
/// instance's cached listings through NOTIFY within moments; when the
/// connection that hears them is lost, nothing cached is served until it is
/// back, so a change made meanwhile is not missed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_instances_writes_reach_the_cache() {
    if !postgres_or_skip() {
        return;
    }
    let w = World::new(Backend::Postgres).await;
    let second = w.server.another_instance().await.unwrap();
    let alice2 = client(&second, &w.alice_token);
    wait_until_listening(&second).await;
    assert!(listing(&alice2, false).await.is_empty());

    w.alice
        .create_server(&stdio("a", &[]), false)
        .await
        .unwrap();
    let started = Instant::now();
    while listing(&alice2, false).await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the other instance's write did not reach this one's cache"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }

    // Cached on the second instance; then both listeners lose their
    // connection, and a change is made behind every server's back.
    assert_eq!(listing(&alice2, false).await[0].1, None);
    by_hand(
        &w.server,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'ai-agent-listen'",
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    by_hand(
        &w.server,
        "UPDATE mcp_servers SET description = 'by hand' WHERE name = 'a'",
    );
    assert_eq!(
        listing(&alice2, false).await[0].1.as_deref(),
        Some("by hand"),
        "a cached listing was served while its instance heard nothing"
    );
    // The listener comes back, and with it the cache.
    wait_until_listening(&second).await;
    wait_until_listening(&w.server).await;
}

fn by_hand(server: &TestServer, sql: &str) {
    server.by_hand(sql).unwrap();
}

/// Waits (at most 5 s) until the instance hears other instances' writes.
async fn wait_until_listening(server: &TestServer) {
    let started = Instant::now();
    while server.state.db.version().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the change listener did not connect"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
