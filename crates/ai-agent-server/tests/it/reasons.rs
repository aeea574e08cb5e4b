//! One readable reason per class of remote failure, against the fixture and
//! addresses where nothing answers: refused, DNS, TLS, an HTTP status with
//! the start of what the server said, and never a Rust type name.

use mcp_model::ServerType;
use mcp_model::api::HealthStatus;

use crate::both_backends;
use crate::health::{RemoteFixture, remote};
use crate::support::*;

both_backends!(remote_failures_say_what_happened);

async fn reason(w: &World, name: &str, t: ServerType, url: &str) -> (String, String) {
    w.alice
        .create_server(&remote(name, t, url), false)
        .await
        .unwrap();
    let r = w.alice.health_check(name).await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy, "{r:?}");
    let error = r.report.error.clone().unwrap();
    assert!(
        !error.contains("::") && !error.contains("Some("),
        "a type shows: {error}"
    );
    (r.report.phase.clone().unwrap(), error)
}

async fn remote_failures_say_what_happened(b: Backend) {
    let w = World::new(b).await;
    for (t, path) in [(ServerType::Http, "mcp"), (ServerType::Sse, "sse")] {
        let n = t.as_str();
        let (phase, e) = reason(
            &w,
            &format!("{n}-refused"),
            t,
            &format!("http://127.0.0.1:1/{path}"),
        )
        .await;
        assert_eq!(phase, "connect");
        assert_eq!(
            e,
            "connection refused by 127.0.0.1:1 (nothing listens there)"
        );

        let (phase, e) = reason(
            &w,
            &format!("{n}-dns"),
            t,
            &format!("http://no-such-host.invalid/{path}"),
        )
        .await;
        assert_eq!(phase, "connect");
        assert!(
            e.starts_with("cannot resolve no-such-host.invalid: "),
            "{e}"
        );

        // TLS spoken to a port that answers plain HTTP.
        let plain = RemoteFixture::start(n, &[]);
        let tls = plain.url.replacen("http://", "https://", 1);
        let (phase, e) = reason(&w, &format!("{n}-tls"), t, &tls).await;
        assert_eq!(phase, "connect");
        assert!(e.starts_with("TLS handshake with 127.0.0.1:"), "{e}");
    }

    let fx = RemoteFixture::start("http", &["--status", "500"]);
    let (phase, e) = reason(&w, "http-500", ServerType::Http, &fx.url).await;
    assert_eq!(phase, "initialize");
    assert_eq!(
        e,
        "the server answered HTTP 500 Internal Server Error to the handshake: status 500 as asked"
    );
    let fx = RemoteFixture::start("http", &["--status", "404"]);
    let (_, e) = reason(&w, "http-404", ServerType::Http, &fx.url).await;
    assert!(e.contains("HTTP 404"), "{e}");
    let fx = RemoteFixture::start("sse", &["--status", "404"]);
    let (phase, e) = reason(&w, "sse-404", ServerType::Sse, &fx.url).await;
    assert_eq!(phase, "connect");
    assert!(
        e.ends_with("answered HTTP 404 Not Found: status 404 as asked"),
        "{e}"
    );
}
