//! Arbitrary text as an uploaded client file: no parser may panic or recurse
//! without bound, and whatever a format accepts must survive being written in
//! that format and read again.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use mcp_model::config::normalize;
use mcp_model::formats::{ExportServer, Format, ParsedFile, parse, render};
use mcp_model::{ServerConfig, ServerType};

type Servers = BTreeMap<String, (ServerType, ServerConfig)>;

fn accepted(p: &ParsedFile) -> Servers {
    p.entries
        .iter()
        .filter_map(|e| {
            let r = e.request.as_ref().ok()?;
            let t = r.server_type?;
            Some((e.name.clone(), (t, normalize(t, &r.config).ok()?)))
        })
        .collect()
}

fn export(servers: &Servers) -> Vec<ExportServer> {
    servers
        .iter()
        .map(|(name, (server_type, config))| ExportServer {
            name: name.clone(),
            server_type: *server_type,
            config: config.clone(),
        })
        .collect()
}

/// The depth mcp-model refuses files beyond (`formats::jsonc::MAX_DEPTH`).
const MAX_DEPTH: usize = 64;

/// The nesting depth as the JSONC parser itself reads the text: the guard in
/// mcp-model counts brackets without parsing, and must agree with it.
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

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let detected = parse(&text, None);
    if parsed_depth(&text).is_some_and(|d| d > MAX_DEPTH) {
        let refused = matches!(&detected, Err(e) if e.0.contains("nested more than"));
        assert!(
            refused,
            "nested deeper than {MAX_DEPTH}, yet not refused for it"
        );
    }
    for f in Format::clients() {
        let Ok(p) = parse(&text, Some(f)) else {
            continue;
        };
        if let Ok(d) = &detected {
            assert_eq!(d.entries, p.entries, "the hint {f} changed the entries");
        }
        let servers = accepted(&p);
        let out = render(f, &export(&servers)).expect("a client format renders").text;
        let back = parse(&out, Some(f)).expect("a rendered file parses");
        let again = accepted(&back);
        assert_eq!(again.len(), back.entries.len(), "{f} lost a server:\n{out}");
        // Windsurf and Zed cannot say sse, Codex leaves sse out; everything else must come back as written.
        let expected: Servers = servers
            .into_iter()
            .filter(|(_, (t, _))| !(f == Format::Codex && *t == ServerType::Sse))
            .map(|(n, (t, c))| {
                let lossy = matches!(f, Format::Windsurf | Format::Zed) && t == ServerType::Sse;
                (n, (if lossy { ServerType::Http } else { t }, c))
            })
            .collect();
        assert_eq!(again, expected, "{f} changed a server:\n{out}");
    }
});
