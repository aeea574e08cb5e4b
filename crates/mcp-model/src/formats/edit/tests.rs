use serde_json::json;

use super::*;

fn section(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

const VSCODE: &str = "// my settings\r\n{\r\n    \"inputs\": [],  // none yet\r\n    \"servers\": {\r\n        /* hand-written */\r\n        \"mine\": {\"type\": \"stdio\", \"command\": \"x\"},\r\n        \"old\": {\"type\": \"stdio\", \"command\": \"y\"},\r\n    },\r\n    \"other\": true,\r\n}\r\n";

#[test]
fn jsonc_edit_changes_only_the_named_entries() {
    let out = apply(
        Format::Vscode,
        Some(VSCODE),
        &section(&["servers"]),
        &[
            Change::Put(
                "new".into(),
                json!({"type": "http", "url": "https://h/mcp"}),
            ),
            Change::Remove("old".into()),
        ],
    )
    .expect("edits");
    for kept in [
        "// my settings\r\n",
        "\"inputs\": [],  // none yet\r\n",
        "/* hand-written */\r\n",
        "\"mine\": {\"type\": \"stdio\", \"command\": \"x\"},\r\n",
        "\"other\": true,\r\n",
    ] {
        assert!(out.contains(kept), "lost {kept:?} in\n{out}");
    }
    assert!(!out.contains("\"old\""), "{out}");
    assert!(
        out.contains("        \"new\": {\r\n"),
        "indent and line ends follow the file:\n{out}"
    );
    assert!(
        !out.replace("\r\n", "").contains('\n'),
        "a bare LF in a CRLF file:\n{out:?}"
    );
    let got = entries(Format::Vscode, &out, &section(&["servers"])).expect("reads");
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["mine", "new"]);
    assert_eq!(got[1].1, json!({"type": "http", "url": "https://h/mcp"}));
}

#[test]
fn replacing_an_entry_keeps_its_place() {
    let text = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"1\"},\n    \"b\": {\"command\": \"2\"}\n  },\n  \"z\": 1\n}\n";
    let out = apply(
        Format::Cursor,
        Some(text),
        &section(&["mcpServers"]),
        &[Change::Put("a".into(), json!({"command": "3"}))],
    )
    .expect("edits");
    assert!(
        out.find("\"a\"").expect("a") < out.find("\"b\"").expect("b"),
        "{out}"
    );
    assert!(out.contains("\"b\": {\"command\": \"2\"}"), "{out}");
    assert!(out.ends_with("\"z\": 1\n}\n"), "{out}");
}

#[test]
fn a_missing_file_or_section_is_made() {
    let out = apply(
        Format::ClaudeCode,
        None,
        &section(&["projects", "/home/u/p", "mcpServers"]),
        &[Change::Put(
            "t".into(),
            json!({"type": "stdio", "command": "c"}),
        )],
    )
    .expect("edits");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        v["projects"]["/home/u/p"]["mcpServers"]["t"]["command"],
        "c"
    );
    let kept = apply(
        Format::ClaudeCode,
        Some("{\"numStartups\": 4, \"projects\": {\"/home/u/p\": {\"allowedTools\": []}}}"),
        &section(&["projects", "/home/u/p", "mcpServers"]),
        &[Change::Put(
            "t".into(),
            json!({"type": "stdio", "command": "c"}),
        )],
    )
    .expect("edits");
    let v: serde_json::Value = serde_json::from_str(&kept).expect("json");
    assert_eq!(v["numStartups"], 4);
    assert_eq!(v["projects"]["/home/u/p"]["allowedTools"], json!([]));
    assert_eq!(
        v["projects"]["/home/u/p"]["mcpServers"]["t"]["type"],
        "stdio"
    );
}

#[test]
fn what_is_not_a_map_of_servers_is_refused_not_replaced() {
    for (text, needle) in [
        ("{\"mcpServers\": [1]}", "'mcpServers' is an array"),
        ("[1]", "top level"),
        ("{\"a\": ", "not valid JSON"),
    ] {
        let e = apply(
            Format::ClaudeDesktop,
            Some(text),
            &section(&["mcpServers"]),
            &[],
        )
        .expect_err("refused");
        assert!(e.0.contains(needle), "{text}: {e}");
    }
    let e = apply(
        Format::Codex,
        Some("mcp_servers = 3\n"),
        &section(&["mcp_servers"]),
        &[],
    )
    .expect_err("refused");
    assert!(e.0.contains("'mcp_servers' is a number"), "{e}");
}

const CODEX: &str = "# my codex\nmodel = \"o3\"  # the model\n\n[mcp_servers.mine]\ncommand = \"x\" # hand-written\n\n[mcp_servers.old]\ncommand = \"y\"\n\n[profiles.fast]\nmodel = \"o4-mini\"\n";

#[test]
fn toml_edit_changes_only_the_named_tables() {
    let out = apply(
        Format::Codex,
        Some(CODEX),
        &section(&["mcp_servers"]),
        &[
            Change::Put(
                "new".into(),
                json!({"command": "npx", "args": ["-y", "p"], "env": {"K": "v"}}),
            ),
            Change::Remove("old".into()),
        ],
    )
    .expect("edits");
    for kept in [
        "# my codex\n",
        "model = \"o3\"  # the model\n",
        "command = \"x\" # hand-written\n",
        "[profiles.fast]\nmodel = \"o4-mini\"\n",
    ] {
        assert!(out.contains(kept), "lost {kept:?} in\n{out}");
    }
    assert!(!out.contains("[mcp_servers.old]"), "{out}");
    assert!(
        out.contains("[mcp_servers.new]\ncommand = \"npx\"\nargs = [\"-y\", \"p\"]\n\n[mcp_servers.new.env]\nK = \"v\"\n"),
        "{out}"
    );
    let got = entries(Format::Codex, &out, &section(&["mcp_servers"])).expect("reads");
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[1].1,
        json!({"command": "npx", "args": ["-y", "p"], "env": {"K": "v"}})
    );
    // Replacing keeps the table where it was.
    let again = apply(
        Format::Codex,
        Some(CODEX),
        &section(&["mcp_servers"]),
        &[Change::Put("mine".into(), json!({"command": "z"}))],
    )
    .expect("edits");
    assert!(
        again.find("mine").expect("m") < again.find("[mcp_servers.old]").expect("o"),
        "{again}"
    );
}

#[test]
fn one_server_in_two_spellings_is_the_same_server() {
    use crate::formats::same_server;
    let ours = json!({"type": "stdio", "command": "x", "args": [], "env": {}});
    assert!(same_server(
        Format::ClaudeCode,
        "a",
        &ours,
        &json!({"command": "x"})
    ));
    assert!(!same_server(
        Format::ClaudeCode,
        "a",
        &ours,
        &json!({"command": "y"})
    ));
    assert!(!same_server(
        Format::ClaudeCode,
        "a",
        &ours,
        &json!({"command": "x", "disabled": true})
    ));
    assert!(!same_server(
        Format::ClaudeCode,
        "a",
        &json!("junk"),
        &json!(["junk"])
    ));
    assert!(same_server(
        Format::Codex,
        "a",
        &json!({"url": "https://x.test/mcp", "bearer_token_env_var": "T"}),
        &json!({"url": "https://x.test/mcp", "http_headers": {"Authorization": "Bearer ${T}"}})
    ));
}

#[test]
fn a_key_given_twice_on_the_way_to_the_map_or_in_it_is_refused() {
    let section = vec!["mcpServers".to_string()];
    for text in [
        r#"{"mcpServers": {"a": {"command": "x"}}, "mcpServers": {}}"#,
        r#"{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}}}"#,
        r#"{"mcpServers": {"a": {"command": "x", "command": "y"}}}"#,
    ] {
        let e = entries(Format::ClaudeCode, text, &section).expect_err(text);
        assert!(e.0.contains("twice"), "{e}");
    }
    // Elsewhere in the file it is not sync's business.
    let ok = r#"{"theme": 1, "theme": 2, "mcpServers": {}}"#;
    assert!(entries(Format::ClaudeCode, ok, &section).is_ok());
}
