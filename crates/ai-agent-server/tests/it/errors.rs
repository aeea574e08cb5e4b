//! Every failure is a JSON `{"status", "detail"}` body, never a 5xx.

use mcp_model::api::ErrorBody;
use serde_json::json;

use crate::both_backends;
use crate::support::*;

both_backends!(
    malformed_requests_get_json_errors,
    oversized_body_is_413,
    odd_ids_and_names
);

async fn expect_error(resp: reqwest::Response, code: u16) -> String {
    assert_eq!(resp.status().as_u16(), code);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "JSON error body"
    );
    let body: ErrorBody = resp.json().await.expect("error body parses");
    assert_eq!(body.status, code);
    assert!(!body.detail.is_empty());
    body.detail
}

async fn malformed_requests_get_json_errors(b: Backend) {
    let w = World::new(b).await;
    let http = w.raw();
    let t = &w.alice_token;
    let servers = w.url("/api/v1/mcp-servers");

    let d = expect_error(
        http.get(w.url("/api/v1/nope"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert!(d.contains("/api/v1/nope"));
    expect_error(http.get(w.url("/nope")).send().await.unwrap(), 404).await;
    let d = expect_error(http.put(&servers).bearer_auth(t).send().await.unwrap(), 405).await;
    assert!(d.contains("PUT"));
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(d.contains("malformed JSON"), "{d}");
    expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .header("content-type", "application/json")
            .body("")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap(),
        415,
    )
    .await;
    assert!(d.contains("application/json"));
    expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .body("{}")
            .send()
            .await
            .unwrap(),
        415,
    )
    .await;
    // Well-formed JSON of the wrong shape names the problem.
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .json(&json!({"name": 3, "config": {}}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(d.contains("body"), "{d}");
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .json(&json!({"name": "a", "config": {"command": "x"}, "colour": 1}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(d.contains("colour"), "{d}");
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .json(&json!([1, 2]))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(d.contains("body"), "{d}");
    let d = expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .json(&json!({"name": "a", "server_type": "ws", "config": {}}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(d.contains("ws"), "{d}");
    expect_error(
        http.get(format!("{servers}?reveal=maybe"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    // Odd bytes and deep nesting.
    expect_error(
        http.post(&servers)
            .bearer_auth(t)
            .header("content-type", "application/json")
            .body(vec![0xff, 0xfe, 0x00])
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let resp = http
        .post(&servers)
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error());
    // None of this stored anything.
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn oversized_body_is_413(b: Backend) {
    let w = World::new(b).await;
    let big =
        json!({"name": "a", "config": {"command": "x", "args": ["y".repeat(2 * 1024 * 1024)]}});
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers"))
        .bearer_auth(&w.alice_token)
        .json(&big)
        .send()
        .await
        .unwrap();
    expect_error(resp, 413).await;
}

async fn odd_ids_and_names(b: Backend) {
    let w = World::new(b).await;
    let http = w.raw();
    let t = &w.alice_token;
    for (path, code) in [
        ("%20", 400),
        ("a%2Fb", 400),
        ("x%00y", 400),
        ("%F0%9F%92%A9", 400),
        ("-leading-dash", 400),
        ("valid-but-absent", 404),
        ("00000000-0000-0000-0000-000000000000", 404),
    ] {
        let resp = http
            .get(w.url(&format!("/api/v1/mcp-servers/{path}")))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        let d = expect_error(resp, code).await;
        assert!(!d.is_empty(), "{path}");
        let resp = http
            .delete(w.url(&format!("/api/v1/mcp-servers/{path}")))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        expect_error(resp, code).await;
    }
}
