//! Secrets at rest: the stored bytes never hold an env or header value.

use diesel::prelude::*;

use crate::both_backends;
use crate::support::*;

both_backends!(no_secret_in_the_database);

const MARKER: &str = "s3cr3t-value-7f1e9";

async fn no_secret_in_the_database(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&stdio("env", &[("API_KEY", MARKER)]), false)
        .await
        .unwrap();
    w.alice
        .create_server(
            &serde_json::from_value(serde_json::json!({"name": "hdr", "config": {"url": "https://a.b/mcp", "headers": {"Authorization": format!("Bearer {MARKER}")}}})).unwrap(),
            false,
        )
        .await
        .unwrap();
    w.alice.update_server("env", &serde_json::from_value(serde_json::json!({"config": {"command": "x", "env": {"API_KEY": format!("{MARKER}-2")}}})).unwrap(), false).await.unwrap();
    assert_eq!(
        w.alice
            .get_server("hdr", true)
            .await
            .unwrap()
            .config
            .secret_values()["Authorization"],
        format!("Bearer {MARKER}")
    );

    match w.server.db.sqlite_path() {
        Some(path) => {
            // Checkpoint so that everything is in the main file, then read every file's bytes.
            let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
            diesel::connection::SimpleConnection::batch_execute(
                &mut conn,
                "PRAGMA wal_checkpoint(TRUNCATE)",
            )
            .unwrap();
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{}{suffix}", path.display());
                if let Ok(bytes) = std::fs::read(&file) {
                    assert!(
                        !String::from_utf8_lossy(&bytes).contains(MARKER),
                        "{file} holds a secret"
                    );
                }
            }
        }
        None => {
            let mut conn = PgConnection::establish(&w.server.db.url).unwrap();
            #[derive(QueryableByName)]
            struct Dump {
                #[diesel(sql_type = diesel::sql_types::Text)]
                t: String,
            }
            let rows: Vec<Dump> = diesel::sql_query("SELECT row_to_json(s)::text AS t FROM mcp_servers s UNION ALL SELECT row_to_json(a)::text FROM audit_logs a")
                .load(&mut conn)
                .unwrap();
            assert!(rows.len() >= 4);
            assert!(rows.iter().all(|r| !r.t.contains(MARKER)));
        }
    }
}
