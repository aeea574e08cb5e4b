//! The listing's queries read only the caller's rows and the global ones,
//! through indexes: the plans are read on both backends, so that a change
//! that makes one scan the whole table fails here rather than in a
//! benchmark of a big database.

use crate::both_backends;
use crate::support::Backend;
use ai_agent_server::testing::TestDatabase;

async fn listing_queries_use_their_indexes(backend: Backend) {
    let db = TestDatabase::new(backend).expect("database");
    let plans = tokio::task::spawn_blocking(move || db.visibility_plans())
        .await
        .expect("join")
        .expect("plans");
    assert_eq!(plans.len(), 9);
    for (query, plan) in &plans {
        match backend {
            Backend::Sqlite => {
                for line in plan.lines() {
                    // A scan is fine only of the partial index of global rows.
                    assert!(
                        !line.starts_with("SCAN") || line.contains("mcp_servers_global_order"),
                        "{query} scans: {plan}"
                    );
                }
                if query.contains("page") {
                    assert!(!plan.contains("TEMP B-TREE"), "{query} sorts: {plan}");
                }
            }
            Backend::Postgres => {
                assert!(!plan.contains("Seq Scan"), "{query} scans: {plan}");
                if query.contains("page") {
                    assert!(!plan.contains("Sort"), "{query} sorts: {plan}");
                }
            }
        }
        // Both global indexes hold global rows only.
        let index = match *query {
            q if q.starts_with("global") => "mcp_servers_global_",
            q if q.contains("total") => "mcp_servers_owner",
            _ => "mcp_servers_owner_order",
        };
        assert!(
            plan.contains(index),
            "{query} does not use {index}…: {plan}"
        );
    }
}

both_backends!(listing_queries_use_their_indexes);
