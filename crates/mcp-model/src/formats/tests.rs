use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::config::normalize;
use crate::{ServerConfig, ServerType};

fn names(p: &ParsedFile) -> Vec<(&str, bool)> {
    p.entries
        .iter()
        .map(|e| (e.name.as_str(), e.request.is_ok()))
        .collect()
}

fn req<'a>(p: &'a ParsedFile, name: &str) -> &'a CreateServer {
    p.entries
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.request.as_ref().ok())
        .unwrap_or_else(|| panic!("{name} not mapped in {p:?}"))
}

fn err<'a>(p: &'a ParsedFile, name: &str) -> &'a str {
    p.entries
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.request.as_ref().err())
        .unwrap_or_else(|| panic!("{name} has no error in {p:?}"))
}

#[test]
fn format_names() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
    }
    assert_eq!("VSCode".parse::<Format>(), Ok(Format::Vscode));
    assert_eq!("claude_code".parse::<Format>(), Ok(Format::ClaudeCode));
    let e = "gemini-x".parse::<Format>().expect_err("unknown");
    assert!(e.contains("claude-desktop, claude-code"), "{e}");
}

#[test]
fn claude_desktop_spec_example() {
    let text = r#"{
      "mcpServers": {
        "kubernetes": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"], "env": {"KUBECONFIG": "/path/to/kubeconfig"}},
        "remote-server": {"type": "sse", "url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer token"}}
      }
    }"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::ClaudeDesktop);
    assert_eq!(names(&p), [("kubernetes", true), ("remote-server", true)]);
    let k = req(&p, "kubernetes");
    assert_eq!(k.server_type, Some(ServerType::Stdio));
    assert_eq!(k.config["env"]["KUBECONFIG"], "/path/to/kubeconfig");
    let r = req(&p, "remote-server");
    assert_eq!(r.server_type, Some(ServerType::Sse));
    assert_eq!(
        r.config,
        json!({"url": "https://mcp.example.com/sse", "headers": {"Authorization": "Bearer token"}})
    );
    assert!(p.ignored.is_empty());
}

#[test]
fn claude_code_types_placeholders_and_flat_maps() {
    let text = r#"{"mcpServers": {
        "a": {"type": "stdio", "command": "x", "env": {"T": "${TOKEN:-dflt}"}},
        "b": {"type": "http", "url": "https://h/mcp", "headers": {"Authorization": "Bearer ${K}"}, "headersHelper": "x"},
        "c": {"url": "https://u/mcp"}
    }}"#;
    let p = parse(text, Some(Format::ClaudeCode)).expect("parses");
    assert_eq!(p.format, Format::ClaudeCode);
    assert_eq!(req(&p, "a").config["env"]["T"], "${TOKEN:-dflt}");
    assert_eq!(
        req(&p, "b").config["headers"]["Authorization"],
        "Bearer ${K}"
    );
    assert_eq!(req(&p, "c").server_type, Some(ServerType::Http));
    assert_eq!(
        p.ignored,
        [IgnoredField {
            name: "b".into(),
            field: "headersHelper".into()
        }]
    );
    // Plugins write the server map without the wrapper.
    let p = parse(
        r#"{"$schema": "x", "srv": {"command": "c", "args": ["${CLAUDE_PROJECT_DIR}"]}}"#,
        None,
    )
    .expect("flat map");
    assert_eq!(p.format, Format::ClaudeCode);
    assert_eq!(names(&p), [("srv", true)]);
    assert_eq!(p.ignored[0].field, "$schema");
}

#[test]
fn cursor_env_placeholders_and_disabled() {
    let text = r#"{"mcpServers": {
        "gh": {"url": "${env:GH_URL}", "command": null, "headers": {"Authorization": "Bearer ${env:T}"}},
        "off": {"command": "x", "disabled": true, "autoApprove": ["t"]}
    }}"#;
    let p = parse(text, Some(Format::Cursor)).expect("parses");
    assert_eq!(req(&p, "gh").config["url"], "${env:GH_URL}");
    assert!(!req(&p, "off").is_enabled);
    assert_eq!(p.ignored[0].field, "autoApprove");
}

#[test]
fn vscode_jsonc_servers_inputs() {
    let text = "{\n  // the servers\n  \"inputs\": [{\"id\": \"key\", \"type\": \"promptString\", \"password\": true},],\n  \"servers\": {\n    \"s\": {\"type\": \"stdio\", \"command\": \"npx\", \"env\": {\"K\": \"${input:key}\"},},\n    /* off */\n    \"h\": {\"type\": \"http\", \"url\": \"https://${input:host}/mcp\"}\n  },\n}\n";
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::Vscode);
    assert_eq!(req(&p, "s").config["env"]["K"], "${input:key}");
    assert_eq!(req(&p, "h").config["url"], "https://${input:host}/mcp");
    assert_eq!(
        p.ignored,
        [IgnoredField {
            name: "*".into(),
            field: "inputs".into()
        }]
    );
    // Servers as an array of named objects, and VS Code settings.json nesting.
    let p = parse(
        r#"{"servers": [{"name": "a", "command": "x"}, {"command": "y"}]}"#,
        None,
    )
    .expect("array");
    assert_eq!(names(&p), [("a", true), ("servers[1]", false)]);
    let p = parse(r#"{"mcp": {"servers": {"a": {"command": "x"}}}}"#, None).expect("nested");
    assert_eq!(p.format, Format::Vscode);
    assert_eq!(names(&p), [("a", true)]);
}

#[test]
fn windsurf_server_url() {
    let text = r#"{"mcpServers": {"w": {"serverUrl": "https://w/mcp", "disabled": true, "metadata": {}}, "s": {"command": "x"}}}"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::Windsurf);
    let w = req(&p, "w");
    assert_eq!(w.config, json!({"url": "https://w/mcp"}));
    assert!(!w.is_enabled);
}

#[test]
fn zed_context_servers() {
    let text = r#"{
      // Zed settings
      "theme": "One Dark",
      "context_servers": {
        "old": {"command": {"path": "node", "args": ["a.js"], "env": {}}, "settings": {}},
        "new": {"source": "custom", "command": "uvx", "args": ["x"], "enabled": false},
        "ext": {"source": "extension", "enabled": true, "settings": {"key": ""}},
        "remote": {"url": "https://r/mcp"},
      },
    }"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::Zed);
    assert_eq!(req(&p, "old").config["command"], "node");
    assert!(!req(&p, "new").is_enabled);
    assert!(err(&p, "ext").contains("extension"));
    assert_eq!(req(&p, "remote").server_type, Some(ServerType::Http));
    // A settings file without servers is a Zed file with none, but not a
    // file of unknown shape when the format was not given.
    let p = parse(r#"{"theme": "x"}"#, Some(Format::Zed)).expect("empty");
    assert!(p.entries.is_empty());
    assert!(parse(r#"{"theme": "x"}"#, None).is_err());
}

#[test]
fn duplicates_are_errors_for_the_later_one() {
    let text = r#"{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}, "b": {"command": "z", "env": {"K": "1", "K": "2"}}}, "servers": {"a": {"command": "w"}}}"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(req(&p, "a").config["command"], "x");
    assert!(err(&p, "b").contains("'env.K' more than once"));
    let dup_errors = p
        .entries
        .iter()
        .filter(|e| e.name == "a" && e.request.is_err())
        .count();
    assert_eq!(dup_errors, 2, "{p:?}");
}

#[test]
fn servers_outside_the_wrapper_are_reported() {
    let text = r#"{"mcpServers": {"in": {"command": "x"}}, "out": {"command": "y"}, "preferences": {"a": 1}}"#;
    let p = parse(text, None).expect("parses");
    assert!(req(&p, "in").is_enabled);
    assert!(err(&p, "out").contains("outside 'mcpServers'"));
    assert_eq!(p.entries.len(), 2);
}

#[test]
fn file_level_errors_are_clear() {
    for (text, needle) in [
        ("# comment\n{\"mcpServers\": {}}", "not valid JSON or JSONC"),
        ("{\"mcpServers\": {\"a\": {", "not valid JSON or JSONC"),
        ("\"mcp\": {\"servers\": {}}", "not valid JSON or JSONC"),
        ("", "empty"),
        ("[]", "found an array"),
        ("{\"tools\": []}", "no MCP server map"),
        ("{\"mcpServers\": []}", "'mcpServers' must be an object"),
    ] {
        let e = parse(text, None).expect_err(text);
        assert!(e.0.contains(needle), "{text}: {e}");
    }
    let p = parse("\u{feff}{\"mcpServers\": {}}\r\n", None).expect("BOM and CRLF");
    assert!(p.entries.is_empty());
}

fn sample() -> Vec<ExportServer> {
    let n = |t: ServerType, v: serde_json::Value| normalize(t, &v).expect("valid");
    vec![
        ExportServer {
            name: "remote".into(),
            server_type: ServerType::Sse,
            config: n(
                ServerType::Sse,
                json!({"url": "https://m.example/sse", "headers": {"Authorization": "Bearer ${input:tok}"}}),
            ),
        },
        ExportServer {
            name: "kubernetes".into(),
            server_type: ServerType::Stdio,
            config: n(
                ServerType::Stdio,
                json!({"command": "npx", "args": ["-y", "k8s"], "env": {"Z": "2", "KUBECONFIG": "/k"}}),
            ),
        },
        ExportServer {
            name: "http".into(),
            server_type: ServerType::Http,
            config: n(ServerType::Http, json!({"url": "https://h.example/mcp"})),
        },
    ]
}

#[test]
fn renders_claude_desktop_as_the_spec() {
    let text = render(Format::ClaudeDesktop, &sample())
        .expect("renders")
        .text;
    assert!(text.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        v,
        json!({"mcpServers": {
            "http": {"type": "http", "url": "https://h.example/mcp", "headers": {}},
            "kubernetes": {"command": "npx", "args": ["-y", "k8s"], "env": {"KUBECONFIG": "/k", "Z": "2"}},
            "remote": {"type": "sse", "url": "https://m.example/sse", "headers": {"Authorization": "Bearer ${input:tok}"}}
        }})
    );
    // Sorted servers and keys, type first.
    let k = text.find("\"kubernetes\"").expect("k");
    assert!(text.find("\"http\"").expect("h") < k && k < text.find("\"remote\"").expect("r"));
    assert!(text.contains("{\n      \"type\": \"sse\",\n      \"url\""));
}

#[test]
fn renders_each_client_shape() {
    let s = sample();
    let v = |f| -> serde_json::Value {
        serde_json::from_str(&render(f, &s).expect("renders").text).expect("json")
    };
    assert_eq!(
        v(Format::ClaudeCode)["mcpServers"]["kubernetes"]["type"],
        "stdio"
    );
    assert_eq!(v(Format::Cursor), v(Format::ClaudeDesktop));
    let vs = v(Format::Vscode);
    assert_eq!(vs["servers"]["kubernetes"]["type"], "stdio");
    assert_eq!(
        vs["inputs"],
        json!([{"type": "promptString", "id": "tok", "description": "tok", "password": true}])
    );
    let w = v(Format::Windsurf);
    assert_eq!(
        w["mcpServers"]["http"],
        json!({"serverUrl": "https://h.example/mcp", "headers": {}})
    );
    assert!(w["mcpServers"]["kubernetes"].get("type").is_none());
    let z = v(Format::Zed);
    assert_eq!(z["context_servers"]["kubernetes"]["source"], "custom");
    assert_eq!(
        z["context_servers"]["remote"],
        json!({"url": "https://m.example/sse", "headers": {"Authorization": "Bearer ${input:tok}"}})
    );
}

/// What a parsed file would store, to compare with what was rendered.
fn stored(p: &ParsedFile) -> BTreeMap<String, (ServerType, ServerConfig)> {
    p.entries
        .iter()
        .map(|e| {
            let r = e.request.as_ref().expect("mapped");
            let t = r.server_type.expect("typed");
            (e.name.clone(), (t, normalize(t, &r.config).expect("valid")))
        })
        .collect()
}

#[test]
fn every_format_reads_back_what_it_writes() {
    for f in Format::clients() {
        let text = render(f, &sample()).expect("renders").text;
        let p = parse(&text, None).expect("parses");
        let again: Vec<ExportServer> = stored(&p)
            .into_iter()
            .map(|(name, (server_type, config))| ExportServer {
                name,
                server_type,
                config,
            })
            .collect();
        assert_eq!(render(f, &again).expect("renders").text, text, "{f}");
        let p = parse(&text, Some(f)).expect("parses as itself");
        assert_eq!(p.format, f);
        // The lossless formats keep sse apart from http.
        if !matches!(f, Format::Windsurf | Format::Zed | Format::Codex) {
            assert_eq!(stored(&p)["remote"].0, ServerType::Sse, "{f}");
        }
    }
}

/// Plain JSON is read lazily (each server's text parsed when its turn
/// comes), JSONC whole; the same file must read the same either way. A
/// comment after the value makes a file JSONC.
pub(crate) fn assert_lazy_reads_as_whole(text: &str, format: Option<Format>) {
    let lazy = parse(text, format);
    let whole = parse(&format!("{text}\n// made JSONC"), format);
    assert_eq!(lazy, whole, "{text}");
}

#[test]
fn lazy_and_whole_reading_agree() {
    for text in [
        r#"{"mcpServers": {"a": {"command": "x", "args": ["1"]}, "b": {"url": "https://h/mcp"}}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}, "b": {"command": "z", "env": {"K": "1", "K": "2"}}}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}}, "mcpServers": {"b": {"command": "y"}}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}}, "stray": {"command": "y"}, "_c": "note"}"#,
        r#"{"mcpServers": {"$schema": "s", "_note": "n", "a": {"command": "x", "cwd": "/"}}}"#,
        r#"{"servers": [{"name": "a", "command": "x"}, {"command": "nameless"}, {"name": "a", "command": "y"}]}"#,
        r#"{"servers": {"a": {"type": "stdio", "command": "x"}}, "inputs": [{"id": "k"}]}"#,
        r#"{"mcpServers": {"g": {"httpUrl": "https://h/mcp"}}}"#,
        r#"{"mcpServers": {"w": {"serverUrl": "https://h/mcp"}}}"#,
        r#"{"mcpServers": {"c": {"type": "stdio", "type": "http", "command": "x"}}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}}, "projects": {"/p": {"mcpServers": {"b": {"command": "y"}, "a": {"command": "z"}}}}}"#,
        r#"{"mcp": {"servers": {"a": {"command": "x"}}, "inputs": []}}"#,
        r#"{"mcp": {"allowed": ["a"]}, "mcpServers": {"a": {"command": "x"}}}"#,
        r#"{"context_servers": {"z": {"command": {"path": "x", "args": []}}}}"#,
        r#"{"a": {"command": "x"}, "$schema": "s"}"#,
        r#"{"mcpServers": 5}"#,
        r#"{"mcpServers": []}"#,
        r#"{"mcpServers": {"a": 5, "b": null, "c": []}}"#,
        r#"{"servers": {"a": {"command": "x"}}, "mcpServers": {"a": {"command": "y"}}}"#,
        r#"{"name": "io.github.x/y", "packages": [{"registryType": "npm", "identifier": "y", "transport": {"type": "stdio"}}]}"#,
        r#"{"other": true}"#,
        r#"[1, 2]"#,
        r#"{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y", "command": "z"}}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}}, "mcpServers": {"a": {"command": "y", "env": {"K": "1", "K": "2"}}}}"#,
        r#"{"servers": [["a"], {"name": "a", "command": "x"}]}"#,
        r#"{"servers": [{"name": "a", "name": "b", "command": "x"}]}"#,
        r#"{"mcpServers": {"a": {"command": "\ud800"}}}"#,
    ] {
        assert_lazy_reads_as_whole(text, None);
        for format in Format::ALL {
            assert_lazy_reads_as_whole(text, Some(format));
        }
    }
}

#[test]
fn a_dropped_duplicate_does_not_taint_the_entry_kept() {
    let p = parse(
        r#"{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y", "command": "z"}}}"#,
        None,
    )
    .expect("reads");
    assert_eq!(names(&p), [("a", true), ("a", false)]);
    assert_eq!(req(&p, "a").config["command"], "x");
    let lone = parse(r#"{"mcpServers": {"a": {"command": "\ud800"}}}"#, None);
    assert!(lone.is_err(), "a lone surrogate fails the file: {lone:?}");
    // A pair is a character (which jsonc-parser, for JSONC, refuses).
    let pair = parse(
        r#"{"mcpServers": {"a": {"command": "\ud83d\ude00"}}}"#,
        None,
    )
    .expect("reads");
    assert_eq!(req(&pair, "a").config["command"], "\u{1f600}");
}

#[test]
fn entries_are_read_as_they_are_taken() {
    let text = r#"{"mcpServers": {"a": {"command": "x"}, "b": {"command": "y", "cwd": "/"}}}"#;
    let mut reader = read(text, None).expect("reads");
    assert_eq!(reader.format, Format::ClaudeDesktop);
    let first = reader.next().expect("a");
    assert_eq!(first.name, "a");
    let rest: Vec<Entry> = reader.by_ref().collect();
    assert_eq!(rest.len(), 1);
    let ignored = reader.into_ignored();
    assert_eq!(ignored.len(), 1, "b's cwd, noted once b was read");
}
