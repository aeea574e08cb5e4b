use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use ai_agent::client::{ExportParams, ExportSelection};
use ai_agent_server::testing::TestDatabase;
use diesel::connection::SimpleConnection;
use mcp_model::api::{ImportResult, WITHHELD_HEADER};
use serde_json::{Value, json};

use crate::both_backends;
use crate::support::*;

async fn import(c: &Client, text: &str, format: Option<&str>, ovr: bool) -> ImportResult {
    c.import(text.as_bytes().to_vec(), format, ovr)
        .await
        .unwrap_or_else(|e| panic!("import failed: {e}"))
}

async fn export(c: &Client, format: Option<&str>, include_global: bool) -> String {
    c.export(&ExportParams {
        selection: ExportSelection {
            include_global,
            ..Default::default()
        },
        format: format.map(str::to_string),
    })
    .await
    .unwrap()
    .body
}

async fn import_audits(c: &Client) -> Vec<Value> {
    c.audit_logs(None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.action == "mcp_server_import")
        .map(|e| e.details)
        .collect()
}

const SPEC_FILE: &str = r#"{
  "mcpServers": {
    "kubernetes": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
      "env": {
        "KUBECONFIG": "/path/to/kubeconfig"
      }
    },
    "remote-server": {
      "type": "sse",
      "url": "https://mcp.example.com/sse",
      "headers": {
        "Authorization": "Bearer token"
      }
    }
  }
}"#;

both_backends!(import_spec_example_then_export);

async fn import_spec_example_then_export(b: Backend) {
    let w = World::new(b).await;
    let r = import(&w.alice, SPEC_FILE, None, false).await;
    assert_eq!(r.format, "claude-desktop");
    assert_eq!(r.imported, ["kubernetes", "remote-server"]);
    assert!(r.skipped.is_empty() && r.errors.is_empty() && r.ignored.is_empty());
    assert_eq!(r.summary, "Imported 2, skipped 0, errors 0");

    let k = w.alice.get_server("kubernetes", true).await.unwrap();
    assert_eq!(
        k.description.as_deref(),
        Some("Imported from Claude Desktop config")
    );
    assert_eq!(
        k.config.secret_values()["KUBECONFIG"],
        "/path/to/kubeconfig"
    );
    let masked = w.alice.get_server("remote-server", false).await.unwrap();
    assert_eq!(masked.server_type, mcp_model::ServerType::Sse);
    assert_eq!(masked.config.secret_values()["Authorization"], "***");

    let audits = import_audits(&w.alice).await;
    assert_eq!(audits.len(), 2);
    assert!(
        audits
            .contains(&json!({"name": "kubernetes", "server_type": "stdio", "overridden": false}))
    );

    // The spec's export: the same servers, `type` only for non-stdio.
    let out = export(&w.alice, None, true).await;
    let expected: Value = serde_json::from_str(SPEC_FILE).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), expected);
    assert!(out.ends_with("}\n"));
    let resp = w
        .raw()
        .get(w.url("/api/v1/mcp-servers/export"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert!(resp.headers().get(WITHHELD_HEADER).is_none());
    assert_eq!(resp.text().await.unwrap(), out);
}

both_backends!(multipart_upload_and_body_types);

async fn multipart_upload_and_body_types(b: Backend) {
    let w = World::new(b).await;
    let form = reqwest::multipart::Form::new()
        .text("note", "ignored")
        .part(
            "file",
            reqwest::multipart::Part::bytes(SPEC_FILE.as_bytes().to_vec())
                .file_name("claude_desktop_config.json"),
        );
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers/import"))
        .bearer_auth(&w.alice_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let r: ImportResult = resp.json().await.unwrap();
    assert_eq!(r.imported.len(), 2);

    // A multipart upload without the field, and bodies of other types.
    let form = reqwest::multipart::Form::new().text("other", "x");
    let resp = w
        .raw()
        .post(w.url("/api/v1/mcp-servers/import"))
        .bearer_auth(&w.alice_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("'file'"));

    let carol = w.server.user("carol", Role::User).unwrap();
    for (ct, expected) in [
        ("text/plain; charset=utf-8", 200),
        ("application/octet-stream", 200),
        ("application/xml", 415),
    ] {
        let resp = w
            .raw()
            .post(w.url("/api/v1/mcp-servers/import?override=true"))
            .bearer_auth(&carol)
            .header("content-type", ct)
            .body(SPEC_FILE)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), expected, "{ct}");
        let body: Value = resp.json().await.unwrap();
        if expected == 415 {
            assert_eq!(body["status"], 415);
            assert!(body["detail"].as_str().unwrap().contains("multipart"));
        } else {
            assert_eq!(body["imported"].as_array().unwrap().len(), 2);
        }
    }

    let anon = Client::new(&w.server.url, None).unwrap();
    assert_eq!(
        status(
            anon.import(SPEC_FILE.as_bytes().to_vec(), None, false)
                .await
        ),
        401
    );
}

both_backends!(file_level_errors);

async fn file_level_errors(b: Backend) {
    let w = World::new(b).await;
    for (body, format, needle) in [
        (
            "# comment\n{\"mcpServers\": {}}",
            None,
            "not valid JSON or JSONC",
        ),
        (
            "{\"mcpServers\": {\"a\": {",
            None,
            "not valid JSON or JSONC",
        ),
        ("{\"tools\": []}", None, "no MCP server map"),
        ("[1]", None, "top level"),
        ("   \n", None, "empty"),
        (
            "{\"mcpServers\": {}}",
            Some("sublime"),
            "unknown format 'sublime'",
        ),
    ] {
        let e = w
            .alice
            .import(body.as_bytes().to_vec(), format, false)
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(400), "{body}");
        assert!(e.to_string().contains(needle), "{body}: {e}");
    }
    let e = w
        .alice
        .import(vec![b'{', 0xff, b'}'], None, false)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
    let e = w
        .alice
        .export(&ExportParams {
            format: Some("nano".into()),
            ..ExportParams::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(
        e.to_string()
            .contains("claude-desktop, claude-code, cursor")
    );
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        0
    );
}

both_backends!(import_limit_is_413_json);

async fn import_limit_is_413_json(b: Backend) {
    let db = TestDatabase::new(b).unwrap();
    let mut settings = db.settings().unwrap();
    settings.max_import_bytes = 4096;
    let server = TestServer::start_with(db, settings).await.unwrap();
    let token = server.user("alice", Role::User).unwrap();
    let alice = client(&server, &token);
    // Above the 1 MiB limit of other requests is fine by default...
    let big = format!(
        "{{\"mcpServers\": {{\"a\": {{\"command\": \"x\"}}}}, \"pad\": \"{}\"}}",
        "x".repeat(2048)
    );
    assert_eq!(
        alice
            .import(big.as_bytes().to_vec(), None, false)
            .await
            .unwrap()
            .imported,
        ["a"]
    );
    // ...and above the import limit is a JSON 413.
    let huge = big.replace("\"pad\": \"", &format!("\"pad\": \"{}", "y".repeat(8192)));
    let e = alice
        .import(huge.as_bytes().to_vec(), None, false)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(413));
    assert!(e.to_string().contains("4096 bytes"), "{e}");
}

both_backends!(default_limit_takes_more_than_json_limit);

async fn default_limit_takes_more_than_json_limit(b: Backend) {
    let w = World::new(b).await;
    assert!(w.server.settings.max_import_bytes >= 32 * 1024 * 1024);
    let big = format!(
        "{{\"mcpServers\": {{\"a\": {{\"command\": \"x\"}}}}, \"pad\": \"{}\"}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let r = import(&w.alice, &big, None, false).await;
    assert_eq!(r.imported, ["a"]);
}

both_backends!(per_server_errors_and_ignored_fields);

async fn per_server_errors_and_ignored_fields(b: Backend) {
    let w = World::new(b).await;
    let file = r#"{
      "mcpServers": {
        "good": {"command": "npx", "args": ["-y", "x"], "cwd": "/tmp", "disabled": true, "autoApprove": ["t"]},
        "bad name": {"command": "npx"},
        "bad-url": {"type": "http", "url": "ftp://x"},
        "no-command": {"type": "stdio", "args": []},
        "nothing": {"link": "https://x"},
        "bad-env": {"command": "x", "env": {"A B": "v"}},
        "remote": {"url": "https://r.example/mcp", "timeout": 30, "description": "R"}
      }
    }"#;
    let r = import(&w.alice, file, Some("claude-code"), false).await;
    assert_eq!(r.format, "claude-code");
    assert_eq!(r.imported, ["good", "remote"]);
    let errs: BTreeMap<&str, &str> = r
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(errs.len(), 5, "{errs:?}");
    assert!(errs["bad name"].starts_with("name:"), "{errs:?}");
    assert!(errs["bad-url"].contains("config.url"), "{errs:?}");
    assert!(
        errs["no-command"].contains("requires 'command'"),
        "{errs:?}"
    );
    assert!(errs["nothing"].contains("neither"), "{errs:?}");
    assert!(errs["bad-env"].contains("config.env.A B"), "{errs:?}");
    assert_eq!(r.summary, "Imported 2, skipped 0, errors 5");
    let ignored: Vec<(String, String)> = r
        .ignored
        .iter()
        .map(|i| (i.name.clone(), i.field.clone()))
        .collect();
    assert_eq!(
        ignored,
        [
            ("good".to_string(), "cwd".to_string()),
            ("good".to_string(), "autoApprove".to_string()),
            ("remote".to_string(), "timeout".to_string()),
        ]
    );
    let good = w.alice.get_server("good", false).await.unwrap();
    assert!(!good.is_enabled, "disabled: true maps to is_enabled=false");
    let remote = w.alice.get_server("remote", false).await.unwrap();
    assert_eq!(remote.description.as_deref(), Some("R"));
    assert_eq!(remote.server_type, mcp_model::ServerType::Http);
    // Disabled servers are not exported.
    let out: Value = serde_json::from_str(&export(&w.alice, None, true).await).unwrap();
    assert_eq!(
        out,
        json!({"mcpServers": {"remote": {"type": "http", "url": "https://r.example/mcp", "headers": {}}}})
    );
}

both_backends!(override_versus_skip);

async fn override_versus_skip(b: Backend) {
    let w = World::new(b).await;
    let before = import(&w.alice, SPEC_FILE, None, false).await;
    assert_eq!(before.imported.len(), 2);
    let id = w.alice.get_server("kubernetes", false).await.unwrap().id;
    w.alice
        .update_server(
            "kubernetes",
            &serde_json::from_value(json!({"description": "mine"})).unwrap(),
            false,
        )
        .await
        .unwrap();

    let changed = SPEC_FILE
        .replace("/path/to/kubeconfig", "/new/kubeconfig")
        .replace("\"type\": \"sse\"", "\"type\": \"http\"");
    let changed = changed.replace(
        "\"mcpServers\": {",
        "\"mcpServers\": {\"fresh\": {\"command\": \"uvx\"},",
    );
    let skip = import(&w.alice, &changed, None, false).await;
    assert_eq!(skip.imported, ["fresh"]);
    assert_eq!(skip.skipped, ["kubernetes", "remote-server"]);
    assert_eq!(skip.summary, "Imported 1, skipped 2, errors 0");
    let k = w.alice.get_server("kubernetes", true).await.unwrap();
    assert_eq!(
        k.config.secret_values()["KUBECONFIG"],
        "/path/to/kubeconfig"
    );

    let over = import(&w.alice, &changed, None, true).await;
    assert_eq!(over.imported, ["fresh", "kubernetes", "remote-server"]);
    assert!(over.skipped.is_empty());
    // "fresh" existed by now, so it was overridden too.
    let k = w.alice.get_server("kubernetes", true).await.unwrap();
    assert_eq!(k.id, id, "an override keeps the server's identity");
    assert_eq!(k.config.secret_values()["KUBECONFIG"], "/new/kubeconfig");
    assert_eq!(k.description.as_deref(), Some("mine"));
    let r = w.alice.get_server("remote-server", true).await.unwrap();
    assert_eq!(r.server_type, mcp_model::ServerType::Http);
    assert_eq!(r.config.secret_values()["Authorization"], "Bearer token");
    assert_eq!(
        w.alice
            .list_servers(&Default::default())
            .await
            .unwrap()
            .total,
        3
    );
    let audits = import_audits(&w.alice).await;
    assert_eq!(audits.len(), 2 + 1 + 3);
    assert_eq!(
        audits
            .iter()
            .filter(|d| d["overridden"] == json!(true))
            .count(),
        3
    );
}

both_backends!(duplicates_in_one_file);

async fn duplicates_in_one_file(b: Backend) {
    let w = World::new(b).await;
    let file = r#"{"mcpServers": {
        "a": {"command": "first"},
        "b": {"command": "x"},
        "a": {"command": "second"}
    }}"#;
    let r = import(&w.alice, file, None, false).await;
    assert_eq!(r.imported, ["a", "b"]);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].name, "a");
    assert!(r.errors[0].detail.contains("more than once"));
    let a = w.alice.get_server("a", false).await.unwrap();
    assert_eq!(serde_json::to_value(&a.config).unwrap()["command"], "first");
}

/// Makes the database refuse any audit entry of a server named `boom`, so
/// that an import fails after its servers were written.
fn install_failure(w: &World, b: Backend) {
    let sql = match b {
        Backend::Sqlite => {
            "CREATE TRIGGER boom BEFORE INSERT ON audit_logs WHEN NEW.details LIKE '%\"boom\"%' \
             BEGIN SELECT RAISE(ABORT, 'forced failure'); END;"
        }
        Backend::Postgres => {
            "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN \
               IF NEW.details LIKE '%\"boom\"%' THEN RAISE EXCEPTION 'forced failure'; END IF; \
               RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER boom BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION boom();"
        }
    };
    w.server
        .state
        .db
        .write(|c| c.batch_execute(sql).map_err(Into::into))
        .unwrap();
}

both_backends!(import_is_all_or_nothing);

async fn import_is_all_or_nothing(b: Backend) {
    let w = World::new(b).await;
    import(&w.alice, SPEC_FILE, None, false).await;
    let audits_before = import_audits(&w.alice).await.len();
    install_failure(&w, b);
    let file = SPEC_FILE
        .replace("/path/to/kubeconfig", "/changed")
        .replace(
            "\"mcpServers\": {",
            "\"mcpServers\": {\"one\": {\"command\": \"x\"}, \"boom\": {\"command\": \"y\"}, \"two\": {\"command\": \"z\"},",
        );
    let e = w
        .alice
        .import(file.into_bytes(), None, true)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(500));
    assert_eq!(e.to_string(), "internal error", "causes are not sent");
    let names: Vec<String> = w
        .alice
        .list_all_servers(true)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let k = w.alice.get_server("kubernetes", true).await.unwrap();
    assert_eq!(
        k.config.secret_values()["KUBECONFIG"],
        "/path/to/kubeconfig",
        "the override was rolled back"
    );
    assert_eq!(import_audits(&w.alice).await.len(), audits_before);
}

/// Servers of every kind, created through the API.
async fn populate(c: &Client) {
    let servers = [
        json!({"name": "kubernetes", "server_type": "stdio", "config": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"], "env": {"KUBECONFIG": "/home/a/.kube/config", "TOKEN": "${TOKEN:-none}"}}}),
        json!({"name": "remote-sse", "server_type": "sse", "config": {"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer s3cret"}}}),
        json!({"name": "remote-http", "server_type": "http", "config": {"url": "https://mcp.example.org/${input:tenant}/mcp", "headers": {"X-Api-Key": "${input:key}"}}}),
        json!({"name": "plain", "config": {"command": "/usr/local/bin/mcp server", "args": []}}),
        json!({"name": "off", "config": {"command": "x"}, "is_enabled": false}),
    ];
    for s in servers {
        c.create_server(&serde_json::from_value(s).unwrap(), false)
            .await
            .unwrap();
    }
}

both_backends!(every_format_round_trips);

async fn every_format_round_trips(b: Backend) {
    let w = World::new(b).await;
    populate(&w.alice).await;
    // The JSON clients; Codex's TOML is checked in mcp-model's tests.
    let json_clients = mcp_model::formats::Format::clients()
        .filter(|f| f.descriptor().syntax != mcp_model::formats::client::Syntax::Toml);
    for (i, format) in json_clients.enumerate() {
        let f = format.as_str();
        let first = export(&w.alice, Some(f), false).await;
        let parsed: Value = serde_json::from_str(&first).unwrap();
        let map = match f {
            "vscode" => &parsed["servers"],
            "zed" => &parsed["context_servers"],
            _ => &parsed["mcpServers"],
        };
        let names: Vec<&String> = map.as_object().unwrap().keys().collect();
        assert_eq!(
            names,
            ["kubernetes", "plain", "remote-http", "remote-sse"],
            "{f}: sorted, enabled only"
        );
        assert_eq!(map["kubernetes"]["env"]["TOKEN"], "${TOKEN:-none}", "{f}");
        assert_eq!(
            map["remote-sse"]["headers"]["Authorization"], "Bearer s3cret",
            "{f}: the owner's own secrets"
        );
        // Import into an empty account, export again: the same bytes.
        let token = w.server.user(&format!("empty{i}"), Role::User).unwrap();
        let empty = client(&w.server, &token);
        let r = import(&empty, &first, None, false).await;
        assert_eq!(r.imported.len(), 4, "{f}: {r:?}");
        assert!(r.errors.is_empty(), "{f}: {r:?}");
        // Cursor's and Gemini CLI's files are in Claude Desktop's shape.
        let detected = if matches!(f, "cursor" | "gemini") {
            "claude-desktop"
        } else {
            f
        };
        assert_eq!(r.format, detected, "{f}: detected");
        let second = export(&empty, Some(f), false).await;
        assert_eq!(second, first, "{f}: round trip");
    }
    // Client-specific shapes.
    let vscode: Value =
        serde_json::from_str(&export(&w.alice, Some("vscode"), false).await).unwrap();
    assert_eq!(vscode["servers"]["plain"]["type"], "stdio");
    let ids: Vec<&str> = vscode["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["key", "tenant"]);
    let windsurf: Value =
        serde_json::from_str(&export(&w.alice, Some("windsurf"), false).await).unwrap();
    assert_eq!(
        windsurf["mcpServers"]["remote-sse"]["serverUrl"],
        "https://mcp.example.com/sse"
    );
    let zed: Value = serde_json::from_str(&export(&w.alice, Some("zed"), false).await).unwrap();
    assert_eq!(zed["context_servers"]["plain"]["source"], "custom");
    let code: Value =
        serde_json::from_str(&export(&w.alice, Some("claude-code"), false).await).unwrap();
    assert_eq!(code["mcpServers"]["plain"]["type"], "stdio");
}

both_backends!(import_client_files);

async fn import_client_files(b: Backend) {
    let w = World::new(b).await;
    let vscode = "{\n  // VS Code\n  \"inputs\": [{\"type\": \"promptString\", \"id\": \"tok\", \"password\": true}],\n  \"servers\": {\n    \"gh\": {\"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\", \"headers\": {\"Authorization\": \"Bearer ${input:tok}\"},},\n    \"fs\": {\"type\": \"stdio\", \"command\": \"npx\", \"args\": [\"${workspaceFolder}\"], \"envFile\": \"${workspaceFolder}/.env\"},\n  },\n}\n";
    let r = import(&w.alice, vscode, None, false).await;
    assert_eq!(r.format, "vscode");
    assert_eq!(r.imported, ["gh", "fs"]);
    assert_eq!(r.ignored.len(), 2, "{r:?}");
    let gh = w.alice.get_server("gh", true).await.unwrap();
    assert_eq!(
        gh.config.secret_values()["Authorization"],
        "Bearer ${input:tok}"
    );

    let windsurf = r#"{"mcpServers": {"ws": {"serverUrl": "https://w.example/mcp", "headers": {"Accept": "text/event-stream"}}}}"#;
    let r = import(&w.alice, windsurf, None, false).await;
    assert_eq!(r.format, "windsurf");
    assert_eq!(
        w.alice.get_server("ws", false).await.unwrap().server_type,
        mcp_model::ServerType::Http
    );

    let zed = r#"{"theme": "One Dark", "context_servers": {
        "z-old": {"command": {"path": "node", "args": ["s.js"], "env": {"K": "v"}}, "settings": {}},
        "z-new": {"source": "custom", "command": "uvx", "args": ["mcp-server-git"]},
        "z-ext": {"source": "extension", "enabled": true, "settings": {}}
    }}"#;
    let r = import(&w.alice, zed, None, false).await;
    assert_eq!(r.format, "zed");
    assert_eq!(r.imported, ["z-old", "z-new"]);
    assert_eq!(r.errors[0].name, "z-ext");
    let old = w.alice.get_server("z-old", true).await.unwrap();
    assert_eq!(old.config.secret_values()["K"], "v");

    let cursor = r#"{"mcpServers": {"c": {"url": "${env:URL}", "command": null}, "c2": {"transport": "http", "url": "http://127.0.0.1:3845/mcp"}}}"#;
    let r = import(&w.alice, cursor, Some("cursor"), false).await;
    assert_eq!(r.format, "cursor");
    assert_eq!(r.imported, ["c", "c2"], "{r:?}");
    // Placeholders are stored verbatim, even where a URL's host goes.
    let c = w.alice.get_server("c", false).await.unwrap();
    assert_eq!(
        serde_json::to_value(&c.config).unwrap()["url"],
        "${env:URL}"
    );
    let bad = r#"{"mcpServers": {"u": {"url": "ftp://${HOST}/x"}}}"#;
    let r = import(&w.alice, bad, None, false).await;
    assert!(r.errors[0].detail.contains("config.url"), "{r:?}");
}

both_backends!(export_withholds_others_secrets);

async fn export_withholds_others_secrets(b: Backend) {
    let w = World::new(b).await;
    let global = json!({"name": "shared", "is_global": true, "config": {"command": "npx", "args": ["gh"], "env": {"GITHUB_TOKEN": "admin-secret", "OTHER_KEY": "k"}}});
    w.admin
        .create_server(&serde_json::from_value(global).unwrap(), false)
        .await
        .unwrap();
    let remote_global = json!({"name": "shared-remote", "is_global": true, "config": {"type": "http", "url": "https://g.example/mcp", "headers": {"X-Api-Key": "admin-key"}}});
    w.admin
        .create_server(&serde_json::from_value(remote_global).unwrap(), false)
        .await
        .unwrap();
    w.bob
        .create_server(&stdio("bobs", &[("B", "bob-secret")]), false)
        .await
        .unwrap();
    w.alice
        .create_server(&stdio("mine", &[("A", "alice-secret")]), false)
        .await
        .unwrap();

    let out = w.alice.export(&ExportParams::default()).await.unwrap();
    // ExportParams::default() sends include_global=false.
    assert!(!out.body.contains("shared"));
    let out = w
        .alice
        .export(&ExportParams {
            selection: all(),
            ..ExportParams::default()
        })
        .await
        .unwrap();
    assert!(!out.body.contains("admin-secret") && !out.body.contains("admin-key"));
    assert!(!out.body.contains("bob"), "never another user's servers");
    let v: Value = serde_json::from_str(&out.body).unwrap();
    assert_eq!(v["mcpServers"]["mine"]["env"]["A"], "alice-secret");
    assert_eq!(
        v["mcpServers"]["shared"]["env"],
        json!({"GITHUB_TOKEN": "${GITHUB_TOKEN}", "OTHER_KEY": "${OTHER_KEY}"})
    );
    assert_eq!(
        v["mcpServers"]["shared-remote"]["headers"]["X-Api-Key"],
        "${X_API_KEY}"
    );
    assert_eq!(
        out.withheld,
        [
            "shared-remote.X-Api-Key",
            "shared.GITHUB_TOKEN",
            "shared.OTHER_KEY"
        ]
    );
    // The owner sees their own values.
    let own = w
        .admin
        .export(&ExportParams {
            selection: all(),
            ..ExportParams::default()
        })
        .await
        .unwrap();
    assert!(own.body.contains("admin-secret"));
    assert!(own.withheld.is_empty());

    // A server of one's own shadows the global of that name.
    w.alice
        .create_server(&stdio("shared", &[("MINE", "1")]), false)
        .await
        .unwrap();
    let sub = w
        .alice
        .export(&ExportParams {
            selection: ExportSelection {
                servers: vec!["shared".into(), "shared-remote".into()],
                ..all()
            },
            format: None,
        })
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&sub.body).unwrap();
    let keys: Vec<&String> = v["mcpServers"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["shared", "shared-remote"]);
    assert_eq!(v["mcpServers"]["shared"]["env"], json!({"MINE": "1"}));
    assert_eq!(sub.withheld, ["shared-remote.X-Api-Key"]);

    let e = w
        .alice
        .export(&ExportParams {
            selection: ExportSelection {
                servers: vec!["mine".into(), "bobs".into()],
                ..all()
            },
            format: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(e.to_string().contains("'bobs'"), "{e}");
}

both_backends!(ten_thousand_servers);

async fn ten_thousand_servers(b: Backend) {
    let w = World::new(b).await;
    let mut servers = serde_json::Map::new();
    for i in 0..10_000 {
        let entry = if i % 3 == 0 {
            json!({"type": "http", "url": format!("https://mcp{i}.example.com/mcp"), "headers": {"Authorization": format!("Bearer t{i}")}})
        } else {
            json!({"command": "npx", "args": ["-y", format!("@example/server-{i}")], "env": {"API_KEY": format!("key-{i}")}})
        };
        servers.insert(format!("server-{i:05}"), entry);
    }
    let file = serde_json::to_string_pretty(&json!({ "mcpServers": servers })).unwrap();
    let started = Instant::now();
    let r = import(&w.alice, &file, None, false).await;
    eprintln!(
        "import of 10,000 servers ({} bytes) on {b:?}: {:?}",
        file.len(),
        started.elapsed()
    );
    assert_eq!(r.imported.len(), 10_000);
    assert_eq!(r.summary, "Imported 10000, skipped 0, errors 0");
    let list = w.alice.list_servers(&Default::default()).await.unwrap();
    assert_eq!(list.total, 10_000);
    assert_eq!(w.alice.audit_logs(None).await.unwrap().total, 10_000);

    let started = Instant::now();
    let r = import(&w.alice, &file, None, true).await;
    eprintln!(
        "override of 10,000 servers on {b:?}: {:?}",
        started.elapsed()
    );
    assert_eq!(r.imported.len(), 10_000);
    let s = w.alice.get_server("server-09998", true).await.unwrap();
    assert_eq!(s.config.secret_values()["API_KEY"], "key-9998");

    let started = Instant::now();
    let out = export(&w.alice, None, false).await;
    eprintln!("export of 10,000 servers on {b:?}: {:?}", started.elapsed());
    assert_eq!(
        out,
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(&out).unwrap()).unwrap() + "\n"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["mcpServers"]
            .as_object()
            .unwrap()
            .len(),
        10_000
    );
}

/// The shared corpus of real client files, when this checkout has it;
/// under CI a missing corpus fails the test rather than skips it.
fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but ../shared/corpus is missing: the corpus test must run"
    );
    eprintln!("corpus not found: test not run");
    None
}

/// Per directory: files read, files refused as a whole, servers imported,
/// servers with errors.
type Counts = BTreeMap<String, (usize, usize, usize, usize)>;

/// Every JSON file of the corpus reads the same whether it is read lazily
/// (plain JSON: each server parsed when its turn comes) or whole (JSONC: a
/// comment after the value makes it so).
#[test]
fn corpus_reads_the_same_lazily_and_whole() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut read = 0;
    for format in mcp_model::formats::Format::ALL {
        let Ok(listing) = std::fs::read_dir(dir.join(format.as_str())) else {
            continue;
        };
        for path in listing.map(|e| e.unwrap().path()) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "toml") {
                continue;
            }
            for f in [None, Some(format)] {
                let lazy = mcp_model::formats::parse(&text, f);
                let whole = mcp_model::formats::parse(&format!("{text}\n// made JSONC"), f);
                assert_eq!(lazy, whole, "{}", path.display());
            }
            read += 1;
        }
    }
    assert!(read > 10, "only {read} corpus files read");
}

both_backends!(real_corpus);

async fn real_corpus(b: Backend) {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let w = World::new(b).await;
    let mut counts = Counts::new();
    let mut refused = Vec::new();
    let mut n = 0;
    for format in mcp_model::formats::Format::ALL {
        let f = format.as_str();
        // A format the corpus has no files of yet is not an error.
        let Ok(listing) = std::fs::read_dir(dir.join(f)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = listing.map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            n += 1;
            let token = w.server.user(&format!("corpus{n}"), Role::User).unwrap();
            let c = client(&w.server, &token);
            let bytes = std::fs::read(&path).unwrap();
            let c_entry = counts.entry(f.to_string()).or_default();
            match c.import(bytes, Some(f), false).await {
                Ok(r) => {
                    c_entry.0 += 1;
                    c_entry.2 += r.imported.len();
                    c_entry.3 += r.errors.len();
                    for e in &r.errors {
                        eprintln!("{}: {}: {}", path.display(), e.name, e.detail);
                    }
                    assert_eq!(r.format, f);
                    assert_eq!(
                        r.summary,
                        format!(
                            "Imported {}, skipped 0, errors {}",
                            r.imported.len(),
                            r.errors.len()
                        )
                    );
                    let total = c.list_servers(&Default::default()).await.unwrap().total;
                    assert_eq!(total as usize, r.imported.len(), "{}", path.display());
                }
                Err(e) => {
                    assert_eq!(e.status(), Some(400), "{}: {e}", path.display());
                    c_entry.1 += 1;
                    let name = format!("{f}/{}", path.file_name().unwrap().to_string_lossy());
                    eprintln!("{name}: {e}");
                    refused.push((name, e.to_string()));
                }
            }
        }
    }
    eprintln!("{counts:?}");
    let refused_names: Vec<&str> = refused.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        refused_names,
        [
            "claude-desktop/012.json",
            // Its `mcp` maps names to bare URLs: settings, not servers.
            "claude-desktop/044.json",
            "cursor/003.json",
            "cursor/030.json",
            "vscode/036.json"
        ]
    );
    for (name, detail) in &refused {
        let expected = if name == "cursor/003.json" || name == "claude-desktop/044.json" {
            "no MCP server map found"
        } else {
            "the file is not valid JSON or JSONC"
        };
        assert!(detail.contains(expected), "{name}: {detail}");
    }
    let expected: Counts = [
        ("claude-code", (60, 0, 140, 7)),
        ("claude-desktop", (58, 2, 128, 4)),
        ("cursor", (29, 2, 53, 4)),
        ("vscode", (49, 1, 94, 9)),
        ("windsurf", (9, 0, 35, 1)),
        ("zed", (5, 0, 6, 2)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(counts, expected);
}

both_backends!(deeply_nested_file_is_a_400_and_the_server_lives);

async fn deeply_nested_file_is_a_400_and_the_server_lives(b: Backend) {
    let w = World::new(b).await;
    let deep = format!(
        "{{\"mcpServers\":{{\"a\":{{\"command\":\"x\",\"args\":{}{}}}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = w
        .alice
        .import(deep.into_bytes(), None, false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("nested more than"), "{err}");
    assert_eq!(
        w.alice.me().await.unwrap().name,
        "alice",
        "the server is still up"
    );
}

/// Every server the caller can export, global ones too.
fn all() -> ExportSelection {
    ExportSelection {
        include_global: true,
        ..Default::default()
    }
}
