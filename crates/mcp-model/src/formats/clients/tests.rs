use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use super::super::client::{Dirs, Os, Scope, Vars};
use super::super::{Format, edit, parse};
use super::*;
use crate::ServerType;
use crate::config::normalize;

fn dirs(os: Os) -> Dirs {
    Dirs {
        os,
        home: PathBuf::from("/h"),
        config: PathBuf::from("/cfg"),
        project: PathBuf::from("/p"),
        codex_home: None,
    }
}

fn server(t: ServerType, raw: serde_json::Value) -> ExportServer {
    ExportServer {
        name: "s".into(),
        server_type: t,
        config: normalize(t, &raw).expect("valid"),
    }
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn default_locations() {
    let at = |f: Format, scope, os| {
        let l = f.descriptor().location(scope, &dirs(os)).expect("has it");
        (l.path.to_string_lossy().into_owned(), l.section.join("."))
    };
    assert_eq!(
        at(Format::ClaudeCode, Scope::User, Os::Linux),
        ("/h/.claude.json".into(), "mcpServers".into())
    );
    assert_eq!(
        at(Format::ClaudeCode, Scope::Local, Os::Linux),
        ("/h/.claude.json".into(), "projects./p.mcpServers".into())
    );
    assert_eq!(
        at(Format::ClaudeCode, Scope::Project, Os::Linux).0,
        "/p/.mcp.json"
    );
    assert_eq!(
        at(Format::ClaudeDesktop, Scope::User, Os::MacOs).0,
        "/cfg/Claude/claude_desktop_config.json"
    );
    assert_eq!(
        at(Format::Vscode, Scope::User, Os::Linux).0,
        "/cfg/Code/User/mcp.json"
    );
    assert_eq!(
        at(Format::Vscode, Scope::Project, Os::Linux),
        ("/p/.vscode/mcp.json".into(), "servers".into())
    );
    assert_eq!(
        at(Format::Zed, Scope::User, Os::MacOs).0,
        "/h/.config/zed/settings.json"
    );
    assert_eq!(
        at(Format::Zed, Scope::User, Os::Windows).0,
        "/cfg/Zed/settings.json"
    );
    assert_eq!(
        at(Format::Gemini, Scope::Project, Os::Linux).0,
        "/p/.gemini/settings.json"
    );
    assert_eq!(
        at(Format::Codex, Scope::User, Os::Linux),
        ("/h/.codex/config.toml".into(), "mcp_servers".into())
    );
    let mut d = dirs(Os::Linux);
    d.codex_home = Some(PathBuf::from("/ch"));
    assert_eq!(
        Format::Codex
            .descriptor()
            .location(Scope::User, &d)
            .expect("has")
            .path,
        PathBuf::from("/ch/config.toml")
    );
    let e = Format::Windsurf
        .descriptor()
        .location(Scope::Project, &dirs(Os::Linux))
        .expect_err("user only");
    assert!(
        e.contains("Windsurf has no project scope (it has: user)"),
        "{e}"
    );
}

#[test]
fn every_client_reads_what_it_writes_into_a_file() {
    let servers = [
        server(
            ServerType::Stdio,
            json!({"command": "npx", "args": ["-y", "p"], "env": {"K": "v"}}),
        ),
        server(
            ServerType::Http,
            json!({"url": "https://h/mcp", "headers": {"A": "b"}}),
        ),
    ];
    for f in Format::clients() {
        let d = f.descriptor();
        for s in &servers {
            let entry = (d.entry)(s, &Vars::new()).expect("writes");
            let section: Vec<String> = d.section.iter().map(|k| k.to_string()).collect();
            let text = edit::apply(f, None, &section, &[edit::Change::Put("s".into(), entry)])
                .expect("edits");
            let p = parse(&text, Some(f)).expect("parses");
            let r = p.entries[0].request.as_ref().expect("maps");
            assert_eq!(r.server_type, Some(s.server_type), "{f}");
            assert_eq!(
                normalize(s.server_type, &r.config).expect("valid"),
                s.config,
                "{f}"
            );
        }
    }
}

#[test]
fn references_in_each_clients_syntax() {
    let s = server(
        ServerType::Http,
        json!({"url": "https://h/mcp?key=k1", "headers": {"Authorization": "Bearer t", "X-K": "x"}}),
    );
    let v = vars(&[
        ("header:Authorization", "S_AUTHORIZATION"),
        ("header:X-K", "S_X_K"),
    ]);
    let cc = (Format::ClaudeCode.descriptor().entry)(&s, &v).expect("writes");
    assert_eq!(
        cc["headers"],
        json!({"Authorization": "Bearer ${S_AUTHORIZATION}", "X-K": "${S_X_K}"})
    );
    let vs = (Format::Vscode.descriptor().entry)(&s, &v).expect("writes");
    assert_eq!(vs["headers"]["X-K"], "${env:S_X_K}");
    let cx = (Format::Codex.descriptor().entry)(&s, &v).expect("writes");
    assert_eq!(
        cx,
        json!({"url": "https://h/mcp?key=k1", "bearer_token_env_var": "S_AUTHORIZATION", "env_http_headers": {"X-K": "S_X_K"}})
    );
    let e = (Format::ClaudeDesktop.descriptor().entry)(&s, &v).expect_err("no references");
    assert!(e.contains("write the secrets inline"), "{e}");
    let q = vars(&[("query:0", "S_KEY")]);
    assert_eq!(
        (Format::ClaudeCode.descriptor().entry)(&s, &q).expect("writes")["url"],
        "https://h/mcp?key=${S_KEY}"
    );
    for f in [Format::Gemini, Format::Codex] {
        let e = (f.descriptor().entry)(&s, &q).expect_err("no references in URLs");
        assert!(e.contains("inline"), "{f}: {e}");
    }
    let stdio = server(
        ServerType::Stdio,
        json!({"command": "c", "env": {"TOKEN": "t", "PLAIN": "p"}}),
    );
    let cx = (Format::Codex.descriptor().entry)(&stdio, &vars(&[("env:TOKEN", "TOKEN")]))
        .expect("writes");
    assert_eq!(
        cx,
        json!({"command": "c", "args": [], "env": {"PLAIN": "p"}, "env_vars": ["TOKEN"]})
    );
    let sse = server(ServerType::Sse, json!({"url": "https://h/sse"}));
    let e = (Format::Codex.descriptor().entry)(&sse, &Vars::new()).expect_err("no sse");
    assert!(e.contains("no SSE transport"), "{e}");
}

#[test]
fn codex_files_read_into_servers() {
    let text = "model = \"o3\"\n[mcp_servers.fs]\ncommand = \"npx\"\nargs = [\"-y\", \"p\"]\nenv_vars = [\"TOKEN\"]\nstartup_timeout_sec = 20\n[mcp_servers.fs.env]\nA = \"b\"\n\n[mcp_servers.web]\nurl = \"https://h/mcp\"\nbearer_token_env_var = \"TOK\"\nenabled = false\nhttp_headers = { \"X-K\" = \"v\" }\n";
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::Codex);
    let fs = p.entries[0].request.as_ref().expect("fs");
    assert_eq!(fs.config["env"], json!({"A": "b", "TOKEN": "${TOKEN}"}));
    assert!(
        p.ignored
            .iter()
            .any(|i| i.name == "fs" && i.field == "startup_timeout_sec")
    );
    let web = p.entries[1].request.as_ref().expect("web");
    assert_eq!(web.server_type, Some(ServerType::Http));
    assert!(!web.is_enabled);
    assert_eq!(
        web.config["headers"],
        json!({"X-K": "v", "Authorization": "Bearer ${TOK}"})
    );
    let e = parse("[mcp_servers.x\n", Some(Format::Codex)).expect_err("broken");
    assert!(e.0.contains("not valid TOML"), "{e}");
}

#[test]
fn gemini_settings_are_not_servers_and_url_type_is_read() {
    let text = r#"{"theme": "x", "mcp": {"allowed": ["a"], "excluded": []},
      "mcpServers": {"ev": {"url": "http://h/sse", "type": "sse"}, "web": {"httpUrl": "http://h/mcp"},
                     "bare": {"url": "http://h/mcp2"}, "fs": {"command": "c", "trust": true, "timeout": 5}}}"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::Gemini);
    let t: BTreeMap<&str, Option<ServerType>> = p
        .entries
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.request.as_ref().expect("maps").server_type,
            )
        })
        .collect();
    assert_eq!(t.len(), 4, "{p:?}");
    assert_eq!(t["ev"], Some(ServerType::Sse));
    assert_eq!(t["web"], Some(ServerType::Http));
    // Gemini CLI 0.61 tries streamable HTTP first for a `url` without `type`.
    assert_eq!(t["bare"], Some(ServerType::Http));
    assert_eq!(t["fs"], Some(ServerType::Stdio));
    let none = parse(r#"{"theme": "x"}"#, Some(Format::Gemini)).expect("no servers is no error");
    assert!(none.entries.is_empty());
}

#[test]
fn claude_json_reads_user_and_project_servers() {
    let text = r#"{"numStartups": 2, "mcpServers": {"u": {"type": "stdio", "command": "a"}},
      "projects": {"/p": {"mcpServers": {"l": {"type": "http", "url": "https://h"}}, "allowedTools": []},
                   "/q": {"mcpServers": {"u": {"type": "stdio", "command": "b"}}}}}"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::ClaudeCode);
    let names: Vec<(&str, bool)> = p
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.request.is_ok()))
        .collect();
    assert_eq!(names, [("u", true), ("l", true), ("u", false)]);
}

#[test]
fn server_json_packages_and_remotes() {
    let text = r#"{
      "$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
      "name": "io.github.acme/weather", "description": "Weather", "version": "1.2.0",
      "packages": [
        {"registryType": "npm", "identifier": "@acme/weather", "version": "1.2.0", "transport": {"type": "stdio"},
         "runtimeArguments": [{"type": "named", "name": "--node-options", "value": "x"}],
         "packageArguments": [{"type": "positional", "valueHint": "city"}],
         "environmentVariables": [
           {"name": "WEATHER_KEY", "isRequired": true, "isSecret": true, "default": "leak"},
           {"name": "UNITS", "default": "metric"},
           {"name": "OPTIONAL"}]},
        {"registry_type": "pypi", "identifier": "acme-weather", "version": "1.2.0"},
        {"registryType": "oci", "identifier": "docker.io/acme/weather", "version": "1.2.0",
         "environmentVariables": [{"name": "WEATHER_KEY", "isRequired": true, "isSecret": true}]},
        {"registryType": "nuget", "identifier": "Acme.Weather", "version": "1.2.0"}
      ],
      "remotes": [{"type": "streamable-http", "url": "https://w.acme.dev/mcp",
                   "headers": [{"name": "X-Api-Key", "isRequired": true, "isSecret": true}]},
                  {"type": "sse", "url": "https://w.acme.dev/sse"}]
    }"#;
    let p = parse(text, None).expect("parses");
    assert_eq!(p.format, Format::ServerJson);
    let got: Vec<(&str, Result<&serde_json::Value, &String>)> = p
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.request.as_ref().map(|r| &r.config)))
        .collect();
    assert_eq!(got[0].0, "weather");
    assert_eq!(
        got[0].1.expect("npm"),
        &json!({"command": "npx", "args": ["-y", "--node-options", "x", "@acme/weather@1.2.0", "${city}"],
                "env": {"WEATHER_KEY": "${WEATHER_KEY}", "UNITS": "metric"}})
    );
    assert_eq!(got[1].0, "weather-pypi");
    assert_eq!(
        got[1].1.expect("pypi")["args"],
        json!(["acme-weather==1.2.0"])
    );
    assert_eq!(
        got[2].1.expect("oci")["args"],
        json!([
            "run",
            "-i",
            "--rm",
            "-e",
            "WEATHER_KEY",
            "docker.io/acme/weather:1.2.0"
        ])
    );
    assert!(got[3].1.expect_err("nuget").contains("not supported"));
    assert_eq!(got[4].0, "weather-remote");
    assert_eq!(
        got[4].1.expect("http"),
        &json!({"url": "https://w.acme.dev/mcp", "headers": {"X-Api-Key": "${X_API_KEY}"}})
    );
    assert_eq!(got[5].0, "weather-remote-6");
    let sse = p.entries[5].request.as_ref().expect("sse");
    assert_eq!(sse.server_type, Some(ServerType::Sse));
    assert_eq!(
        p.entries[0]
            .request
            .as_ref()
            .expect("npm")
            .description
            .as_deref(),
        Some("Weather")
    );
    let e = crate::formats::render(Format::ServerJson, &[]).expect_err("read only");
    assert!(e.contains("read only"), "{e}");
}
