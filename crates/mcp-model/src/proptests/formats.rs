//! The format parsers read files users upload, so no text may crash them;
//! and export then import must give back the same servers, or a round trip
//! through a client's file would quietly change a team's configs.

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{any_json, raw_remote, raw_stdio, typed_raw};
use crate::config::normalize;
use crate::formats::client::Syntax;
use crate::formats::{ExportServer, Format, ParsedFile, parse, render};
use crate::{ServerConfig, ServerType};

/// Server names as keys in files: ours, and the odd ones real files hold.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z0-9._-]{0,10}",
        1 => "[_$][a-z]{0,4}",
        1 => "\\PC{0,6}",
        1 => Just("mcpServers".to_string()),
    ]
}

/// One entry in any client's spelling, with the fields clients add around it.
fn entry() -> impl Strategy<Value = Value> {
    let windsurf = raw_remote(ServerType::Http, true).prop_map(|mut v| {
        if let Some(o) = v.as_object_mut()
            && let Some(u) = o.remove("url")
        {
            o.insert("serverUrl".into(), u);
        }
        v
    });
    let zed = raw_stdio(true).prop_map(|v| {
        let mut cmd = v.as_object().cloned().unwrap_or_default();
        cmd.remove("type");
        if let Some(c) = cmd.remove("command") {
            cmd.insert("path".into(), c);
        }
        json!({"source": "custom", "command": cmd})
    });
    let base = prop_oneof![
        // Mostly valid, so that most files have servers to round-trip.
        6 => typed_raw(false).prop_map(|(_, v)| v),
        3 => typed_raw(true).prop_map(|(_, v)| v),
        2 => windsurf,
        2 => zed,
        1 => any_json(),
    ];
    let extra = prop_oneof![
        Just(None),
        any::<bool>().prop_map(|b| Some(("disabled", json!(b)))),
        "\\PC{0,8}".prop_map(|d| Some(("description", json!(d)))),
        Just(Some(("cwd", json!("/tmp")))),
        Just(Some(("autoApprove", json!([])))),
    ];
    (base, extra).prop_map(|(mut v, extra)| {
        if let (Some(o), Some((k, x))) = (v.as_object_mut(), extra) {
            o.insert(k.into(), x);
        }
        v
    })
}

/// A whole client file: one of the wrappers (or none), servers, and what
/// else such files hold.
fn file() -> impl Strategy<Value = Value> {
    (0u8..7, btree_map(name(), entry(), 0..5), any::<bool>()).prop_map(|(shape, servers, more)| {
        let map = Value::Object(servers.clone().into_iter().collect::<Map<_, _>>());
        let mut top = match shape {
            0 => json!({"mcpServers": map}),
            1 => json!({"servers": map, "inputs": [{"type": "promptString", "id": "t"}]}),
            2 => json!({"context_servers": map, "theme": "One Dark"}),
            3 => json!({"mcp": {"servers": map}}),
            4 => json!({"servers": servers
                .into_iter()
                .map(|(n, mut v)| {
                    if let Some(o) = v.as_object_mut() {
                        o.insert("name".into(), json!(n));
                    }
                    v
                })
                .collect::<Vec<_>>()}),
            5 => json!({"mcpServers": map, "servers": {"other": {"command": "x"}}}),
            _ => map,
        };
        if more && let Some(o) = top.as_object_mut() {
            o.insert("$schema".into(), json!("https://example.invalid/s.json"));
        }
        top
    })
}

/// A file's text, sometimes in the JSONC clients also write.
fn file_text() -> impl Strategy<Value = String> {
    (file(), 0u8..4).prop_map(|(v, style)| {
        let pretty = serde_json::to_string_pretty(&v).expect("serializes");
        match style {
            0 => pretty,
            1 => serde_json::to_string(&v).expect("serializes"),
            2 => format!("// exported by hand\n{}", pretty.replacen("\n}", ",\n}", 1)),
            _ => format!("\u{feff}/* a */ {pretty}"),
        }
    })
}

/// The servers a parse would import: the entries that map and validate.
fn accepted(p: &ParsedFile) -> BTreeMap<String, (ServerType, ServerConfig)> {
    p.entries
        .iter()
        .filter_map(|e| {
            let r = e.request.as_ref().ok()?;
            let t = r.server_type?;
            let c = normalize(t, &r.config).ok()?;
            Some((e.name.clone(), (t, c)))
        })
        .collect()
}

fn export(servers: &BTreeMap<String, (ServerType, ServerConfig)>) -> Vec<ExportServer> {
    servers
        .iter()
        .map(|(name, (server_type, config))| ExportServer {
            name: name.clone(),
            server_type: *server_type,
            config: config.clone(),
        })
        .collect()
}

/// Windsurf and Zed have no way to say sse: their remote servers read back
/// as http. Codex has no SSE transport: its export leaves them out.
fn as_written(
    f: Format,
    servers: &BTreeMap<String, (ServerType, ServerConfig)>,
) -> BTreeMap<String, (ServerType, ServerConfig)> {
    let lossy = matches!(f, Format::Windsurf | Format::Zed);
    servers
        .iter()
        .filter(|(_, (t, _))| !(f == Format::Codex && *t == ServerType::Sse))
        .map(|(n, (t, c))| {
            let t = if lossy && *t == ServerType::Sse {
                ServerType::Http
            } else {
                *t
            };
            (n.clone(), (t, c.clone()))
        })
        .collect()
}

fn round_trip(text: &str) -> Result<(), TestCaseError> {
    let Ok(first) = parse(text, None) else {
        return Ok(());
    };
    // A hint of another syntax (Codex's TOML) or of server.json reads another kind of file.
    for f in Format::clients().filter(|f| f.descriptor().syntax != Syntax::Toml) {
        let p = parse(text, Some(f)).expect("a format hint never fails a file that parses");
        prop_assert_eq!(
            &p.entries,
            &first.entries,
            "the hint {} changed the entries",
            f
        );
    }
    for f in Format::clients() {
        let servers = accepted(&first);
        let out = render(f, &export(&servers))
            .expect("a client format renders")
            .text;
        let back = parse(&out, Some(f)).expect("a rendered file parses");
        prop_assert_eq!(back.format, f);
        prop_assert!(
            back.entries.iter().all(|e| e.request.is_ok())
                && back.ignored.iter().all(|i| i.field == "inputs"),
            "{} rendered what it cannot read: {:?}\n{}",
            f,
            back,
            out
        );
        let again = accepted(&back);
        prop_assert_eq!(
            again.len(),
            back.entries.len(),
            "{} lost a server:\n{}",
            f,
            out
        );
        prop_assert_eq!(
            &again,
            &as_written(f, &servers),
            "{} changed a server:\n{}",
            f,
            out
        );
        prop_assert_eq!(
            render(f, &export(&again)).expect("renders").text,
            out.clone(),
            "{} is not stable",
            f
        );
        let detected = parse(&out, None).expect("a rendered file parses without a hint");
        prop_assert_eq!(accepted(&detected), again, "detection changed {}", f);
    }
    Ok(())
}

/// The nesting depth of JSONC text as the parser itself sees it.
fn parsed_depth(text: &str) -> Option<usize> {
    fn depth(v: &jsonc_parser::ast::Value<'_>) -> usize {
        use jsonc_parser::ast::Value as V;
        match v {
            V::Object(o) => {
                1 + o
                    .properties
                    .iter()
                    .map(|p| depth(&p.value))
                    .max()
                    .unwrap_or(0)
            }
            V::Array(a) => 1 + a.elements.iter().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).ok()?;
    parsed.value.as_ref().map(depth)
}

/// Values whose quotes, escapes and comments a depth count could misread.
fn tricky_value() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        r#"'"'"#,
        r#""'""#,
        r#""\"""#,
        r#"'\''"#,
        r#""\\""#,
        "/* \" */ 1",
        "// \"\n 1",
        r#""/*""#,
        r#"'//'"#,
        "'['",
        r#""{""#,
        "1",
    ])
}

fn never_panics(text: &str) {
    let _ = parse(text, None);
    for f in Format::ALL {
        let _ = parse(text, Some(f));
    }
}

proptest! {
    #[test]
    fn generated_files_round_trip_in_every_format(text in file_text()) {
        round_trip(&text)?;
    }

    #[test]
    fn parsers_never_panic_on_any_text(text in prop_oneof![
        any::<String>(),
        "[\\[\\]{}\"':,/*\\\\ \na-z0-9.-]{0,80}",
    ]) {
        never_panics(&text);
    }

    #[test]
    fn parsers_never_panic_on_damaged_files(text in file_text(), cut in any::<prop::sample::Index>(), junk in vec("[\\[\\]{}\"'/*,]", 0..4)) {
        // Cut at a char boundary and splice in stray syntax.
        let at = text.char_indices().map(|(i, _)| i).nth(cut.index(text.chars().count().max(1))).unwrap_or(0);
        let damaged = format!("{}{}{}", &text[..at], junk.concat(), &text[at..]);
        never_panics(&damaged);
        round_trip(&damaged)?;
    }

    #[test]
    fn files_nested_too_deep_are_refused(values in vec(tricky_value(), 1..4), n in 60usize..72) {
        // The parser recurses, so its depth guard must see brackets exactly as it does.
        let text = format!(
            "{{\"a\": [{}], \"b\": {}{}}}",
            values.join(", "),
            "[".repeat(n),
            "]".repeat(n)
        );
        if let Some(d) = parsed_depth(&text)
            && d > 64
        {
            let refused = parse(&text, None).is_err_and(|e| e.0.contains("nested more than"));
            prop_assert!(refused, "nested {} deep, yet not refused for it: {}", d, text);
        }
    }

    #[test]
    fn entries_of_any_json_never_panic(v in any_json()) {
        let text = json!({"mcpServers": {"s": v.clone()}, "servers": [v.clone()], "context_servers": {"z": v}}).to_string();
        never_panics(&text);
        round_trip(&text)?;
    }
}
