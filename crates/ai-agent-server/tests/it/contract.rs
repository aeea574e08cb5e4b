//! The OpenAPI document against the running server: every documented
//! operation reaches a handler, every other method on a documented path is a
//! 405 naming the documented ones, and the document served is the committed one.
//!
//! Routes are registered only through utoipa-actix-web, which builds the
//! document from those registrations; these tests check the router agrees
//! (order, fixed paths before `{id}`, the 405 fallbacks).

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

const METHODS: [&str; 6] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

fn documented(doc: &Value) -> Vec<(String, BTreeSet<String>, Value)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .map(|m| m.to_uppercase())
                .collect();
            (path.clone(), methods, item.clone())
        })
        .collect()
}

/// A remote server whose health check fails fast, to stand in for `{id}`.
async fn a_server(w: &World) -> String {
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers"))
        .bearer_auth(&w.alice_token)
        .json(
            &json!({"name": format!("probe-{}", uuid::Uuid::new_v4().simple()),
            "server_type": "http", "config": {"url": "http://127.0.0.1:1/mcp"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// True for the router's own answers: no route (404 "no route for …") or a
/// method the path does not have (405).
fn is_routing_answer(status: u16, body: &Value) -> bool {
    status == 405
        || (status == 404
            && body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("no route for")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_served_and_nothing_else_on_its_path() {
    let w = World::new(Backend::Sqlite).await;
    let doc: Value = serde_json::from_str(&ai_agent_server::openapi::document()).unwrap();
    let http = w.raw();
    let mut probed = 0;
    for (path, methods, item) in documented(&doc) {
        for method in METHODS {
            let concrete = if path.contains("{id}") {
                path.replace("{id}", &a_server(&w).await)
            } else {
                path.clone()
            };
            let mut req = http
                .request(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    w.url(&concrete),
                )
                .bearer_auth(&w.alice_token);
            if matches!(method, "POST" | "PUT" | "PATCH") {
                req = req.header("content-type", "application/json").body("{}");
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            let allow = resp
                .headers()
                .get("allow")
                .map(|v| v.to_str().unwrap().to_string());
            let body: Value = if method == "HEAD" {
                Value::Null
            } else {
                resp.json().await.unwrap_or(Value::Null)
            };
            let what = format!("{method} {concrete} -> {status} {body}");
            if methods.contains(method) {
                assert!(!is_routing_answer(status, &body), "not served: {what}");
                let op = &item[method.to_lowercase()];
                assert!(
                    op["responses"].get(status.to_string()).is_some(),
                    "undocumented status: {what}"
                );
                probed += 1;
            } else {
                assert_eq!(status, 405, "served but not documented: {what}");
                let allowed: BTreeSet<String> = allow
                    .unwrap_or_default()
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .filter(|m| !m.is_empty())
                    .collect();
                assert_eq!(allowed, methods, "Allow of {what}");
            }
        }
    }
    assert!(probed >= 15, "only {probed} operations probed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_paths_are_never_taken_as_names() {
    let w = World::new(Backend::Sqlite).await;
    for name in ["import", "export", "templates"] {
        let resp = w
            .raw()
            .delete(w.url(&format!("/api/v1/mcp-servers/{name}")))
            .bearer_auth(&w.alice_token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 405, "{name}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["status"], 405);
        assert!(
            body["detail"].as_str().unwrap().contains("DELETE"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_document_is_the_committed_one() {
    let w = World::new(Backend::Sqlite).await;
    let resp = w
        .raw()
        .get(w.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.text().await.unwrap(),
        ai_agent_server::openapi::document()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_is_served_from_the_binary() {
    let w = World::new(Backend::Sqlite).await;
    for path in ["/docs/", "/docs"] {
        let resp = w.raw().get(w.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("swagger-ui"), "{path}: {html}");
    }
    let init = w
        .raw()
        .get(w.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(init.status(), 200);
    assert!(
        init.text().await.unwrap().contains("/api/v1/openapi.json"),
        "the UI reads the served document"
    );
}

/// serde reads a struct from an array too, by position: `[null, null]` was a
/// PATCH that cleared the description.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_bodies_must_be_objects() {
    let w = World::new(Backend::Sqlite).await;
    let id = a_server(&w).await;
    for (method, path) in [
        (Method::POST, "/api/v1/mcp-servers".to_string()),
        (Method::PATCH, format!("/api/v1/mcp-servers/{id}")),
    ] {
        let resp = w
            .raw()
            .request(method.clone(), w.url(&path))
            .bearer_auth(&w.alice_token)
            .header("content-type", "application/json")
            .body(r#"["x", null]"#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422, "{method} {path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["detail"], "body: must be a JSON object", "{body}");
    }
}
