//! CRUD of MCP servers: the spec's sections 1–4.

use mcp_model::api::{CreateServer, UpdateServer};
use mcp_model::{MASK, ServerType};
use serde_json::json;

use crate::both_backends;
use crate::support::*;

both_backends!(
    create_get_list_update_delete,
    create_remote_and_infer_type,
    duplicate_name_is_409_and_reuse_after_delete,
    invalid_configs_name_the_field,
    list_filters_and_pagination,
    global_servers_and_precedence,
    only_admins_create_globals,
    cross_user_isolation,
    admin_can_view_but_not_modify,
    update_rules,
    masked_values_kept_on_update,
    audit_rows_per_change,
);

fn upd(v: serde_json::Value) -> UpdateServer {
    serde_json::from_value(v).expect("update body")
}

fn create(v: serde_json::Value) -> CreateServer {
    serde_json::from_value(v).expect("create body")
}

async fn create_get_list_update_delete(b: Backend) {
    let w = World::new(b).await;
    let mut req = stdio("k8s", &[("KUBECONFIG", "/secret/kc")]);
    req.description = Some("My K8s cluster".into());
    let created = w.alice.create_server(&req, false).await.unwrap();
    assert_eq!(created.name, "k8s");
    assert_eq!(created.server_type, ServerType::Stdio);
    assert_eq!(created.health_status.as_str(), "unknown");
    assert!(created.is_enabled);
    assert!(!created.is_global);
    assert_eq!(created.config.secret_values()["KUBECONFIG"], MASK);
    assert_eq!(created.user_id, w.alice.me().await.unwrap().id);

    let revealed = w
        .alice
        .create_server(&stdio("other", &[("K", "v")]), true)
        .await
        .unwrap();
    assert_eq!(revealed.config.secret_values()["K"], "v");

    let got = w.alice.get_server("k8s", true).await.unwrap();
    assert_eq!(got.config.secret_values()["KUBECONFIG"], "/secret/kc");
    let by_id = w
        .alice
        .get_server(&created.id.to_string(), false)
        .await
        .unwrap();
    assert_eq!(by_id.id, created.id);
    assert_eq!(by_id.config.secret_values()["KUBECONFIG"], MASK);

    let list = w.alice.list_servers(&Default::default()).await.unwrap();
    assert_eq!(list.total, 2);
    assert_eq!(list.items[0].name, "other", "newest first");
    assert!(
        list.items
            .iter()
            .all(|s| s.config.secret_values().values().all(|v| v == MASK))
    );

    let updated = w
        .alice
        .update_server(
            &created.id.to_string(),
            &upd(json!({"description": "Updated description"})),
            false,
        )
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("Updated description"));
    assert!(updated.updated_at > created.updated_at);
    let cleared = w
        .alice
        .update_server("k8s", &upd(json!({"description": null})), false)
        .await
        .unwrap();
    assert_eq!(cleared.description, None);
    let disabled = w
        .alice
        .update_server("k8s", &upd(json!({"is_enabled": false})), false)
        .await
        .unwrap();
    assert!(!disabled.is_enabled);

    w.alice.delete_server("k8s").await.unwrap();
    assert_eq!(status(w.alice.get_server("k8s", false).await), 404);
    assert_eq!(
        status(w.alice.get_server(&created.id.to_string(), false).await),
        404
    );
    assert_eq!(status(w.alice.delete_server("k8s").await), 404);
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        1
    );
}

async fn create_remote_and_infer_type(b: Backend) {
    let w = World::new(b).await;
    let sse = w
        .alice
        .create_server(
            &create(json!({"name": "remote-mcp", "server_type": "sse", "config": {"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer token"}}})),
            true,
        )
        .await
        .unwrap();
    assert_eq!(sse.server_type, ServerType::Sse);
    assert_eq!(
        serde_json::to_value(&sse.config).unwrap(),
        json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer token"}})
    );
    let inferred = w
        .alice
        .create_server(
            &create(json!({"name": "h", "config": {"url": "http://localhost:9000/mcp"}})),
            false,
        )
        .await
        .unwrap();
    assert_eq!(inferred.server_type, ServerType::Http);
    let typed = w
        .alice
        .create_server(
            &create(
                json!({"name": "t", "config": {"type": "sse", "url": "http://localhost:9000/sse"}}),
            ),
            false,
        )
        .await
        .unwrap();
    assert_eq!(typed.server_type, ServerType::Sse);
    let stdio = w
        .alice
        .create_server(
            &create(json!({"name": "s", "config": {"command": "uvx"}})),
            false,
        )
        .await
        .unwrap();
    assert_eq!(stdio.server_type, ServerType::Stdio);
    assert_eq!(
        serde_json::to_value(&stdio.config).unwrap(),
        json!({"command": "uvx", "args": [], "env": {}})
    );
    let err = w
        .alice
        .create_server(&create(json!({"name": "x", "config": {}})), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().contains("server_type"), "{err}");
}

async fn duplicate_name_is_409_and_reuse_after_delete(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&stdio("my-kubernetes", &[]), false)
        .await
        .unwrap();
    let err = w
        .alice
        .create_server(&stdio("my-kubernetes", &[]), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(
        err.to_string(),
        "MCP server with name 'my-kubernetes' already exists"
    );
    // Another user may use the same name.
    w.bob
        .create_server(&stdio("my-kubernetes", &[]), false)
        .await
        .unwrap();
    // Renaming onto a taken name is a conflict too.
    w.alice
        .create_server(&stdio("second", &[]), false)
        .await
        .unwrap();
    assert_eq!(
        status(
            w.alice
                .update_server("second", &upd(json!({"name": "my-kubernetes"})), false)
                .await
        ),
        409
    );
    // After a delete the name is free again.
    w.alice.delete_server("my-kubernetes").await.unwrap();
    let again = w
        .alice
        .create_server(&stdio("my-kubernetes", &[]), false)
        .await
        .unwrap();
    assert_eq!(again.name, "my-kubernetes");
}

async fn invalid_configs_name_the_field(b: Backend) {
    let w = World::new(b).await;
    let cases = [
        (
            json!({"name": "a", "server_type": "stdio", "config": {}}),
            "config.command",
        ),
        (
            json!({"name": "a", "server_type": "stdio", "config": {"command": "x", "args": [1]}}),
            "config.args[0]",
        ),
        (
            json!({"name": "a", "server_type": "stdio", "config": {"command": "x", "env": {"BAD-KEY": "v"}}}),
            "config.env.BAD-KEY",
        ),
        (
            json!({"name": "a", "server_type": "stdio", "config": {"command": "x", "evn": {}}}),
            "config.evn",
        ),
        (
            json!({"name": "a", "server_type": "sse", "config": {"url": "ftp://x"}}),
            "config.url",
        ),
        (
            json!({"name": "a", "server_type": "http", "config": {"url": "not a url"}}),
            "config.url",
        ),
        (
            json!({"name": "a", "server_type": "http", "config": {"url": "https://x.y", "headers": {"X": "a\r\nB: c"}}}),
            "config.headers.X",
        ),
        (
            json!({"name": "bad name", "server_type": "stdio", "config": {"command": "x"}}),
            "name",
        ),
        (
            json!({"name": "", "server_type": "stdio", "config": {"command": "x"}}),
            "name",
        ),
        (
            json!({"name": "a", "description": "x".repeat(2000), "config": {"command": "x"}}),
            "description",
        ),
    ];
    for (body, field) in cases {
        let err = w
            .alice
            .create_server(&create(body.clone()), false)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(422), "{body}");
        assert!(
            err.to_string().starts_with(&format!("{field}:")),
            "{body}: {err}"
        );
    }
    // Nothing invalid was stored.
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn list_filters_and_pagination(b: Backend) {
    let w = World::new(b).await;
    for i in 0..5 {
        w.alice
            .create_server(&stdio(&format!("s{i}"), &[]), false)
            .await
            .unwrap();
    }
    w.alice
        .create_server(
            &create(
                json!({"name": "web", "config": {"url": "https://a.b/mcp"}, "is_enabled": false}),
            ),
            false,
        )
        .await
        .unwrap();
    let all = w.alice.list_servers(&Default::default()).await.unwrap();
    assert_eq!(all.total, 6);
    let page = w
        .alice
        .list_servers(&ai_agent::client::ListParams {
            limit: Some(2),
            offset: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (page.total, page.items.len(), page.limit, page.offset),
        (6, 2, 2, 1)
    );
    assert_eq!(page.items[0].id, all.items[1].id);
    let http = w
        .alice
        .list_servers(&ai_agent::client::ListParams {
            server_type: Some("http".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(http.total, 1);
    let disabled = w
        .alice
        .list_servers(&ai_agent::client::ListParams {
            enabled: Some(false),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        disabled
            .items
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["web"]
    );
    for bad in [
        ai_agent::client::ListParams {
            limit: Some(0),
            ..Default::default()
        },
        ai_agent::client::ListParams {
            limit: Some(5000),
            ..Default::default()
        },
        ai_agent::client::ListParams {
            offset: Some(-1),
            ..Default::default()
        },
    ] {
        let code = status(w.alice.list_servers(&bad).await);
        assert_eq!(code, 422);
    }
    let resp = w
        .raw()
        .get(w.url("/api/v1/mcp-servers?type=ws"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = w
        .raw()
        .get(w.url("/api/v1/mcp-servers?limt=3"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("limt"));
}

async fn global_servers_and_precedence(b: Backend) {
    let w = World::new(b).await;
    let mut github = stdio("github", &[("GITHUB_TOKEN", "admin-secret")]);
    github.is_global = true;
    let g = w.admin.create_server(&github, false).await.unwrap();
    assert!(g.is_global);
    let mut fs = stdio("filesystem", &[]);
    fs.is_global = true;
    fs.is_enabled = false;
    w.admin.create_server(&fs, false).await.unwrap();

    // Bob sees the enabled global, not the disabled one; values stay masked even with reveal.
    let list = w
        .bob
        .list_servers(&ai_agent::client::ListParams {
            reveal: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].name, "github");
    assert_eq!(list.items[0].config.secret_values()["GITHUB_TOKEN"], MASK);
    let got = w.bob.get_server("github", true).await.unwrap();
    assert_eq!(got.config.secret_values()["GITHUB_TOKEN"], MASK);

    // Alice's own server of the same name hides the global one.
    w.alice
        .create_server(&stdio("github", &[("GITHUB_TOKEN", "alice-secret")]), false)
        .await
        .unwrap();
    let list = w
        .alice
        .list_servers(&ai_agent::client::ListParams {
            reveal: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].user_id, w.alice.me().await.unwrap().id);
    assert_eq!(
        list.items[0].config.secret_values()["GITHUB_TOKEN"],
        "alice-secret"
    );
    let by_name = w.alice.get_server("github", true).await.unwrap();
    assert_eq!(
        by_name.config.secret_values()["GITHUB_TOKEN"],
        "alice-secret"
    );
    // The global one stays reachable by id.
    let by_id = w.alice.get_server(&g.id.to_string(), true).await.unwrap();
    assert_eq!(by_id.config.secret_values()["GITHUB_TOKEN"], MASK);

    // Disabling the global hides it from others.
    w.admin
        .update_server(&g.id.to_string(), &upd(json!({"is_enabled": false})), false)
        .await
        .unwrap();
    assert_eq!(
        w.bob.list_servers(&Default::default()).await.unwrap().total,
        0
    );
    // The admin, its owner, still sees both of theirs.
    assert_eq!(
        w.admin
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        2
    );
}

async fn only_admins_create_globals(b: Backend) {
    let w = World::new(b).await;
    let mut g = stdio("g", &[]);
    g.is_global = true;
    assert_eq!(status(w.alice.create_server(&g, false).await), 403);
    w.alice
        .create_server(&stdio("mine", &[]), false)
        .await
        .unwrap();
    assert_eq!(
        status(
            w.alice
                .update_server("mine", &upd(json!({"is_global": true})), false)
                .await
        ),
        403
    );
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert!(!w.alice.get_server("mine", false).await.unwrap().is_global);
}

async fn cross_user_isolation(b: Backend) {
    let w = World::new(b).await;
    let a = w
        .alice
        .create_server(&stdio("private", &[("SECRET", "alice-only")]), false)
        .await
        .unwrap();
    let id = a.id.to_string();
    assert_eq!(
        w.bob.list_servers(&Default::default()).await.unwrap().total,
        0
    );
    assert_eq!(status(w.bob.get_server(&id, true).await), 404);
    assert_eq!(status(w.bob.get_server("private", true).await), 404);
    assert_eq!(
        status(
            w.bob
                .update_server(&id, &upd(json!({"description": "pwned"})), false)
                .await
        ),
        404
    );
    assert_eq!(status(w.bob.delete_server(&id).await), 404);
    let hc = w
        .raw()
        .post(w.url(&format!("/api/v1/mcp-servers/{id}/health-check")))
        .bearer_auth(bob_token(&w))
        .send()
        .await
        .unwrap();
    assert_eq!(hc.status(), 404);
    let body = hc.text().await.unwrap();
    assert!(!body.contains("alice-only"));
    // Alice's server is untouched.
    let still = w.alice.get_server(&id, true).await.unwrap();
    assert_eq!(still.description, None);
    assert_eq!(still.config.secret_values()["SECRET"], "alice-only");
}

fn bob_token(w: &World) -> String {
    w.server.user("bob2", Role::User).expect("user")
}

async fn admin_can_view_but_not_modify(b: Backend) {
    let w = World::new(b).await;
    let a = w
        .alice
        .create_server(&stdio("private", &[("SECRET", "alice-only")]), false)
        .await
        .unwrap();
    let id = a.id.to_string();
    let seen = w.admin.get_server(&id, true).await.unwrap();
    assert_eq!(
        seen.config.secret_values()["SECRET"],
        MASK,
        "an admin never sees another user's secrets"
    );
    assert_eq!(
        status(
            w.admin
                .update_server(&id, &upd(json!({"description": "x"})), false)
                .await
        ),
        403
    );
    assert_eq!(status(w.admin.delete_server(&id).await), 403);
}

async fn update_rules(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&stdio("k", &[("A", "1")]), false)
        .await
        .unwrap();
    // Empty update.
    assert_eq!(
        status(
            w.alice
                .update_server("k", &UpdateServer::default(), false)
                .await
        ),
        400
    );
    // Invalid config for the existing type.
    let err = w
        .alice
        .update_server("k", &upd(json!({"config": {"url": "https://a.b"}})), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().starts_with("config."), "{err}");
    // Changing type needs a config.
    assert_eq!(
        status(
            w.alice
                .update_server("k", &upd(json!({"server_type": "http"})), false)
                .await
        ),
        422
    );
    let moved = w
        .alice
        .update_server("k", &upd(json!({"server_type": "http", "config": {"url": "https://a.b/mcp", "headers": {"X-Key": "v"}}})), true)
        .await
        .unwrap();
    assert_eq!(moved.server_type, ServerType::Http);
    assert_eq!(moved.config.secret_values()["X-Key"], "v");
    // Rename.
    let renamed = w
        .alice
        .update_server("k", &upd(json!({"name": "k2"})), false)
        .await
        .unwrap();
    assert_eq!(renamed.name, "k2");
    assert_eq!(status(w.alice.get_server("k", false).await), 404);
    assert_eq!(
        status(
            w.alice
                .update_server("k2", &upd(json!({"name": "bad name"})), false)
                .await
        ),
        422
    );
    // Unknown fields are rejected by name.
    let resp = w
        .raw()
        .patch(w.url("/api/v1/mcp-servers/k2"))
        .bearer_auth(&w.alice_token)
        .json(&json!({"enabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("enabled"));
}

async fn masked_values_kept_on_update(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&stdio("k", &[("A", "real-a"), ("B", "real-b")]), false)
        .await
        .unwrap();
    let masked = w.alice.get_server("k", false).await.unwrap();
    // Send the masked config back with one value changed and one added.
    let mut config = serde_json::to_value(&masked.config).unwrap();
    config["env"]["B"] = json!("new-b");
    config["env"]["C"] = json!("c");
    w.alice
        .update_server("k", &upd(json!({"config": config})), false)
        .await
        .unwrap();
    let got = w.alice.get_server("k", true).await.unwrap();
    let env = got.config.secret_values();
    assert_eq!(
        (env["A"].as_str(), env["B"].as_str(), env["C"].as_str()),
        ("real-a", "new-b", "c")
    );
    // A mask with no stored value to keep is refused.
    let err = w
        .alice
        .update_server(
            "k",
            &upd(json!({"config": {"command": "x", "env": {"Z": MASK}}})),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().contains("config.env.Z"));
}

async fn audit_rows_per_change(b: Backend) {
    let w = World::new(b).await;
    let s = w
        .alice
        .create_server(&stdio("k", &[("TOKEN", "audit-secret")]), false)
        .await
        .unwrap();
    w.alice
        .update_server(
            "k",
            &upd(json!({"description": "Updated description"})),
            false,
        )
        .await
        .unwrap();
    w.alice
        .update_server(
            "k",
            &upd(json!({"config": {"command": "y", "env": {"TOKEN": "audit-secret-2"}}})),
            false,
        )
        .await
        .unwrap();
    // Failed attempts write nothing.
    let _ = w
        .alice
        .create_server(&stdio("k", &[]), false)
        .await
        .unwrap_err();
    let _ = w.bob.delete_server(&s.id.to_string()).await.unwrap_err();
    w.alice.delete_server("k").await.unwrap();
    let log = w.alice.audit_logs(Some(&s.id.to_string())).await.unwrap();
    let actions: Vec<_> = log.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "mcp_server_delete",
            "mcp_server_update",
            "mcp_server_update",
            "mcp_server_create"
        ]
    );
    assert_eq!(
        log.items[3].details,
        json!({"name": "k", "server_type": "stdio", "is_global": false})
    );
    assert_eq!(log.items[2].details["description"], "Updated description");
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        !text.contains("audit-secret"),
        "audit details never hold secrets"
    );
    // Bob sees none of Alice's log; the admin sees all.
    assert_eq!(w.bob.audit_logs(None).await.unwrap().total, 0);
    assert_eq!(
        w.admin
            .audit_logs(Some(&s.id.to_string()))
            .await
            .unwrap()
            .total,
        4
    );
}

both_backends!(
    global_names_are_unique,
    disabled_globals_are_hidden_from_others
);

async fn global_names_are_unique(b: Backend) {
    let w = World::new(b).await;
    let admin2 = client(&w.server, &w.server.user("root2", Role::Admin).unwrap());
    let mut g = stdio("dup", &[]);
    g.is_global = true;
    w.admin.create_server(&g, false).await.unwrap();
    let err = admin2.create_server(&g, false).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    // A private server of that name is fine, and so is making it global once the other is gone.
    admin2
        .create_server(&stdio("dup", &[]), false)
        .await
        .unwrap();
    assert_eq!(
        status(
            admin2
                .update_server("dup", &upd(json!({"is_global": true})), false)
                .await
        ),
        409
    );
    w.admin.delete_server("dup").await.unwrap();
    assert!(
        admin2
            .update_server("dup", &upd(json!({"is_global": true})), false)
            .await
            .unwrap()
            .is_global
    );
    assert_eq!(
        w.bob.list_servers(&Default::default()).await.unwrap().total,
        1
    );
}

async fn disabled_globals_are_hidden_from_others(b: Backend) {
    let w = World::new(b).await;
    let mut g = stdio("gh", &[("TOKEN", "t")]);
    g.is_global = true;
    g.is_enabled = false;
    let s = w.admin.create_server(&g, false).await.unwrap();
    let id = s.id.to_string();
    assert_eq!(status(w.bob.get_server(&id, false).await), 404);
    assert_eq!(status(w.bob.health_check(&id).await), 404);
    assert_eq!(w.admin.get_server(&id, false).await.unwrap().name, "gh");
}

both_backends!(
    masks_and_id_like_names_are_refused,
    renames_racing_by_name_apply_once
);

async fn masks_and_id_like_names_are_refused(b: Backend) {
    let w = World::new(b).await;
    let err = w
        .alice
        .create_server(&stdio("m", &[("A", MASK)]), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().starts_with("config.env.A:"), "{err}");
    for name in [
        "deadbeefdeadbeefdeadbeefdeadbeef",
        "01a20f92-5fc1-7605-98e1-c535eea30bd1",
    ] {
        let err = w
            .alice
            .create_server(&stdio(name, &[]), false)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(422), "{name}");
        assert!(err.to_string().starts_with("name:"), "{err}");
    }
    w.alice
        .create_server(&stdio("ok", &[]), false)
        .await
        .unwrap();
    assert_eq!(
        status(
            w.alice
                .update_server(
                    "ok",
                    &upd(json!({"name": "deadbeefdeadbeefdeadbeefdeadbeef"})),
                    false
                )
                .await
        ),
        422
    );
    // Audit filters take ids only; anything else is a 400, never a database error.
    let resp = w
        .raw()
        .get(w.url("/api/v1/audit-logs?resource_id=%00"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        status(
            w.alice
                .list_servers(&ai_agent::client::ListParams {
                    limit: Some(0),
                    ..Default::default()
                })
                .await
        ),
        422
    );
    let resp = w
        .raw()
        .get(w.url("/api/v1/audit-logs?limit=0"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        422,
        "the same paging rules as the server list"
    );
}

async fn renames_racing_by_name_apply_once(b: Backend) {
    let w = World::new(b).await;
    w.alice
        .create_server(&stdio("race", &[]), false)
        .await
        .unwrap();
    let alice = std::sync::Arc::new(w.alice.clone());
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let c = alice.clone();
            tokio::spawn(async move {
                c.update_server("race", &upd(json!({"name": format!("race{i}")})), false)
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.status(), Some(404), "{e}"),
        }
    }
    assert_eq!(ok, 1, "only the first rename finds a server named 'race'");
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        1
    );
}
