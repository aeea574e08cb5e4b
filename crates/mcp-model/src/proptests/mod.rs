//! Property tests of the rules every other part trusts: normalization and the
//! client file formats. Example tests pin what we thought of; these look for
//! what we did not, by generating raw configs as users write them — valid,
//! nearly valid (one rule broken) and arbitrary JSON.
//!
//! The generators live here; the properties in `normalize` and `formats`.

mod formats;
mod normalize;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::{Map, Number, Value, json};

use crate::ServerType;

/// Any JSON value, a few levels deep: what a careless or hostile client may
/// send as `config`.
pub(crate) fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        // The keys normalization looks at, so that objects of them are common.
        prop_oneof![Just("command"), Just("url"), Just("stdio"), Just("sse")].prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            3 => prop_oneof![
                Just("command"), Just("args"), Just("env"), Just("url"),
                Just("headers"), Just("type"),
            ]
            .prop_map(str::to_string),
            1 => ".{0,8}",
        ];
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            btree_map(key, inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text without control characters, often beyond ASCII.
fn plain_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ./:_=@-]{0,16}",
        "\\PC{0,12}",
        Just("Bearer ${input:token}".to_string()),
        Just("${env:HOME}/x".to_string()),
    ]
}

/// A secret value as it appears in files: usually a string, sometimes a
/// number or a boolean, which normalization turns into its string form.
fn secret_value(near: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        6 => plain_text().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => (-1.0e6f64..1.0e6).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
    ];
    if near {
        prop_oneof![
            4 => valid,
            1 => "[a-z]{0,3}[\u{0}\r\n\u{7}][a-z]{0,3}".prop_map(Value::String),
            1 => Just(Value::Null),
            1 => Just(json!(["v"])),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

fn env_key(near: bool) -> BoxedStrategy<String> {
    let valid = "[A-Za-z_][A-Za-z0-9_]{0,12}";
    if near {
        prop_oneof![
            4 => valid.boxed(),
            1 => "[0-9][A-Z0-9_]{0,4}".boxed(),
            1 => "[A-Z]{1,3}[- .=É][A-Z]{0,3}".boxed(),
            1 => Just(String::new()).boxed(),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

fn header_name(near: bool) -> BoxedStrategy<String> {
    let valid = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}";
    if near {
        prop_oneof![
            4 => valid.boxed(),
            1 => "[A-Za-z]{1,4}[ :()\"é\n][A-Za-z]{0,4}".boxed(),
            1 => Just(String::new()).boxed(),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

fn map_of(key: BoxedStrategy<String>, value: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    btree_map(key, value, 0..4).prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()))
}

fn command(near: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        "[a-z][a-z0-9._-]{0,10}",
        "/[a-z]{1,5}(/[a-z0-9é ]{1,5}){0,3}",
        "\\PC{0,6}[a-z]",
    ]
    .prop_filter("no outer whitespace", |s| {
        !s.trim().is_empty() && s.trim() == s
    });
    if near {
        prop_oneof![
            4 => valid.boxed(),
            1 => " [a-z]{1,4}".boxed(),
            1 => "[a-z]{1,4}\u{0}".boxed(),
            1 => Just(String::new()).boxed(),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

/// A stdio config as users write it. `near` mixes in values that break one rule.
pub(crate) fn raw_stdio(near: bool) -> impl Strategy<Value = Value> {
    let arg = if near {
        prop_oneof![4 => plain_text(), 1 => "[a-z]{0,2}[\u{1}\u{1b}][a-z]{0,2}"].boxed()
    } else {
        plain_text().boxed()
    };
    (
        command(near),
        proptest::option::of(vec(arg, 0..4)),
        proptest::option::of(map_of(env_key(near), secret_value(near))),
        any::<bool>(),
    )
        .prop_map(|(command, args, env, typed)| {
            let mut o = Map::new();
            if typed {
                o.insert("type".into(), json!("stdio"));
            }
            o.insert("command".into(), json!(command));
            if let Some(a) = args {
                o.insert("args".into(), json!(a));
            }
            if let Some(e) = env {
                o.insert("env".into(), e);
            }
            Value::Object(o)
        })
}

/// Hosts as they appear in real URLs, placeholders included.
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        // One hyphen at most per label: `xn--` labels must be valid punycode.
        4 => "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?(\\.[a-z][a-z0-9]{0,5}){0,2}",
        1 => Just("localhost".to_string()),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| format!("10.{a}.{b}.1")),
        1 => Just("[::1]".to_string()),
        1 => "\\$\\{input:[a-z]{1,6}\\}",
        1 => "[a-z]{1,4}-\\$\\{TENANT\\}\\.example\\.com",
    ]
}

fn url_tail() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-zA-Z0-9._~-]{1,8}",
        "%[0-9A-F]{2}[a-z]{0,3}",
        "\\$\\{[A-Z_]{1,6}\\}",
        "[é✓]{1,2}",
    ];
    // Query parameters deliberately avoid credential-like names (token, key):
    // those are a rule of their own.
    let query = vec(("[a-z]{1,6}", "[a-zA-Z0-9%.-]{0,6}"), 1..3).prop_map(|ps| {
        let ps: Vec<String> = ps.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("?{}", ps.join("&"))
    });
    (
        proptest::option::of(1u16..),
        vec(segment, 0..4),
        proptest::option::of(query),
    )
        .prop_map(|(port, segs, query)| {
            let mut s = port.map(|p| format!(":{p}")).unwrap_or_default();
            for seg in segs {
                s.push('/');
                s.push_str(&seg);
            }
            s.push_str(&query.unwrap_or_default());
            s
        })
}

fn url(near: bool) -> BoxedStrategy<String> {
    let valid = (
        prop_oneof![Just("https"), Just("http"), Just("HTTPS")],
        host(),
        url_tail(),
    )
        .prop_map(|(scheme, host, tail)| format!("{scheme}://{host}{tail}"));
    let valid = prop_oneof![
        8 => valid,
        1 => "\\$\\{env:[A-Z_]{1,8}\\}(/[a-z]{1,4})?",
    ];
    if near {
        prop_oneof![
            6 => valid.boxed(),
            1 => (prop_oneof![Just("ftp"), Just("ws"), Just("file")], host())
                .prop_map(|(s, h)| format!("{s}://{h}/"))
                .boxed(),
            1 => host().prop_map(|h| format!("https://user:pw@{h}/")).boxed(),
            1 => "https://[a-z]{1,4} [a-z]{1,4}".boxed(),
            1 => "https://\\$\\{[a-z]{1,4}(/x)?".boxed(),
            1 => "https?:/?/?".boxed(),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

/// A remote config as users write it, with `type` matching `server_type` or absent.
pub(crate) fn raw_remote(server_type: ServerType, near: bool) -> impl Strategy<Value = Value> {
    let types: Vec<&'static str> = match server_type {
        ServerType::Sse => vec!["sse", "SSE"],
        _ => vec!["http", "streamable-http", "streamableHttp"],
    };
    (
        url(near),
        proptest::option::of(map_of(header_name(near), secret_value(near))),
        proptest::option::of(proptest::sample::select(types)),
    )
        .prop_map(|(url, headers, typed)| {
            let mut o = Map::new();
            if let Some(t) = typed {
                o.insert("type".into(), json!(t));
            }
            o.insert("url".into(), json!(url));
            if let Some(h) = headers {
                o.insert("headers".into(), h);
            }
            Value::Object(o)
        })
}

/// A raw config with the type it is meant for. Near-valid ones also get a
/// stray field or a type that does not fit now and then.
pub(crate) fn typed_raw(near: bool) -> impl Strategy<Value = (ServerType, Value)> {
    let base = prop_oneof![
        raw_stdio(near).prop_map(|v| (ServerType::Stdio, v)),
        raw_remote(ServerType::Sse, near).prop_map(|v| (ServerType::Sse, v)),
        raw_remote(ServerType::Http, near).prop_map(|v| (ServerType::Http, v)),
    ];
    if !near {
        return base.boxed();
    }
    (
        base,
        0u8..10,
        proptest::sample::select(ServerType::ALL.to_vec()),
    )
        .prop_map(|((t, mut v), twist, other)| {
            match (twist, v.as_object_mut()) {
                (0, Some(o)) => {
                    o.insert("evn".into(), json!({}));
                }
                (1, Some(o)) => {
                    o.insert("type".into(), json!(3));
                }
                (2, _) => return (other, v),
                _ => {}
            }
            (t, v)
        })
        .boxed()
}
