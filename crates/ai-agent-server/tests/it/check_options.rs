//! A server's own check settings, against the fixture: a startup timeout
//! apart from the request timeout, a tool call that must succeed, and the
//! switch that keeps a server out of background checks.

use std::time::Duration;

use mcp_model::api::{CheckOptions, HealthStatus, ToolCall, UpdateServer};
use serde_json::json;

use crate::both_backends;
use crate::health::fixture_stdio;
use crate::support::*;

both_backends!(
    a_slow_start_gets_the_startup_timeout_not_the_request_one,
    a_check_can_call_a_tool,
    background_checks_skip_servers_kept_out,
    options_are_validated_and_replaced_whole,
);

fn with_check(
    mut s: mcp_model::api::CreateServer,
    check: CheckOptions,
) -> mcp_model::api::CreateServer {
    s.check = Some(check);
    s
}

async fn a_slow_start_gets_the_startup_timeout_not_the_request_one(b: Backend) {
    let w = World::new(b).await;
    let slow = || fixture_stdio("slow", &[("FIXTURE_SLOW_START_MS", "2500")]);
    // Two seconds per request, but ten to start: healthy.
    let patient = CheckOptions {
        startup_timeout_secs: Some(10),
        request_timeout_secs: Some(2),
        ..CheckOptions::default()
    };
    w.alice
        .create_server(&with_check(slow(), patient), false)
        .await
        .unwrap();
    let r = w.alice.health_check("slow").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy, "{r:?}");
    assert!(r.report.latency_ms >= 2500, "{r:?}");

    // One second to start: the start's limit is what the report names.
    let hasty = CheckOptions {
        startup_timeout_secs: Some(1),
        ..CheckOptions::default()
    };
    let mut req = with_check(slow(), hasty);
    req.name = "hasty".into();
    w.alice.create_server(&req, false).await.unwrap();
    let r = w.alice.health_check("hasty").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Unhealthy);
    assert_eq!(
        r.report.error.as_deref(),
        Some(
            "timed out after 1s during initialize (the startup timeout, check.startup_timeout_secs)"
        )
    );
    assert_eq!(r.report.phase.as_deref(), Some("initialize"));
}

async fn a_check_can_call_a_tool(b: Backend) {
    let w = World::new(b).await;
    let call = |name: &str, arguments: serde_json::Value| CheckOptions {
        call_tool: Some(ToolCall {
            name: name.into(),
            arguments: arguments.as_object().cloned().unwrap_or_default(),
        }),
        ..CheckOptions::default()
    };
    for (server, options) in [
        ("calls", call("echo", json!({"text": "hi"}))),
        ("fails", call("echo", json!({"text": "boom", "fail": true}))),
        ("missing", call("no-such-tool", json!({}))),
    ] {
        w.alice
            .create_server(&with_check(fixture_stdio(server, &[]), options), false)
            .await
            .unwrap();
    }
    let ok = w.alice.health_check("calls").await.unwrap();
    assert_eq!(ok.health_status, HealthStatus::Healthy, "{ok:?}");

    let failed = w.alice.health_check("fails").await.unwrap();
    assert_eq!(failed.health_status, HealthStatus::Unhealthy);
    assert_eq!(failed.report.phase.as_deref(), Some("tools/call"));
    assert_eq!(
        failed.report.error.as_deref(),
        Some("the tool 'echo' answered with an error: failed as asked: boom")
    );
    // What the check learned before the call stays in the report.
    assert_eq!(failed.report.tools.len(), 3);

    let missing = w.alice.health_check("missing").await.unwrap();
    assert_eq!(missing.health_status, HealthStatus::Unhealthy);
    assert!(
        missing
            .report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("'no-such-tool' is not among the tools")),
        "{missing:?}"
    );
}

async fn background_checks_skip_servers_kept_out(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&fixture_stdio("on", &[]), false)
        .await
        .unwrap();
    let quiet = CheckOptions {
        background: false,
        ..CheckOptions::default()
    };
    w.alice
        .create_server(&with_check(fixture_stdio("quiet", &[]), quiet), false)
        .await
        .unwrap();
    let state = w.server.state.clone();
    let n = ai_agent_server::services::health::background_round(&state, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        w.alice.last_health("on").await.unwrap().health_status,
        HealthStatus::Healthy
    );
    assert_eq!(status(w.alice.last_health("quiet").await), 404);
    // On demand it is checked as any other.
    let r = w.alice.health_check("quiet").await.unwrap();
    assert_eq!(r.health_status, HealthStatus::Healthy);
}

async fn options_are_validated_and_replaced_whole(b: Backend) {
    let w = World::new(b).await;
    let bad = CheckOptions {
        startup_timeout_secs: Some(601),
        ..CheckOptions::default()
    };
    let e = w
        .alice
        .create_server(&with_check(fixture_stdio("fx", &[]), bad), false)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert!(e.to_string().contains("check.startup_timeout_secs"), "{e}");
    // Unknown fields are refused, not dropped.
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers"))
        .bearer_auth(&w.alice_token)
        .json(&json!({"name": "fx", "config": {"command": "x"}, "check": {"retries": 3}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);

    let created = w
        .alice
        .create_server(&fixture_stdio("fx", &[]), false)
        .await
        .unwrap();
    assert!(created.check.is_default());
    let set = CheckOptions {
        request_timeout_secs: Some(5),
        background: false,
        ..CheckOptions::default()
    };
    let patch = UpdateServer {
        check: Some(set.clone()),
        ..UpdateServer::default()
    };
    let updated = w.alice.update_server("fx", &patch, false).await.unwrap();
    assert_eq!(updated.check, set);
    let got = w.alice.get_server("fx", false).await.unwrap();
    assert_eq!(got.check, set);
    // `{}` puts every setting back to the server's defaults.
    let reset = UpdateServer {
        check: Some(CheckOptions::default()),
        ..UpdateServer::default()
    };
    let back = w.alice.update_server("fx", &reset, false).await.unwrap();
    assert!(back.check.is_default());
}
