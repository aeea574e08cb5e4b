//! Property: whatever validates is stored exactly as normalized. Sealing,
//! storage and revealing each rewrite the secret values, and the example
//! tests use tame ones; generated configs (unicode, numbers and booleans as
//! values, placeholders, ports, query strings) look for a value that does not
//! come back.
//!
//! One server serves every case so that the test stays fast; names are
//! unique per case because shrinking replays cases against the same database.

use std::sync::atomic::{AtomicUsize, Ordering};

use mcp_model::api::CreateServer;
use mcp_model::config::normalize;
use mcp_model::{MASK, ServerType};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

use crate::both_backends;
use crate::support::*;

both_backends!(valid_configs_round_trip_unchanged);

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ./:_=@-]{0,16}",
        "\\PC{0,12}",
        Just("Bearer ${input:token}".to_string()),
    ]
}

/// Secret values as files hold them; `***` is the mask, refused as a value.
fn secret() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => text().prop_filter("the mask", |s| s != MASK).prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => (-1.0e6f64..1.0e6).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
    ]
}

fn object(m: std::collections::BTreeMap<String, Value>) -> Value {
    Value::Object(m.into_iter().collect::<Map<_, _>>())
}

fn stdio() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            "[a-z][a-z0-9._-]{0,10}",
            "/[a-z]{1,5}(/[a-z0-9é]{1,5}){0,3}"
        ],
        vec(text(), 0..4),
        btree_map("[A-Za-z_][A-Za-z0-9_]{0,12}", secret(), 0..4),
    )
        .prop_map(
            |(command, args, env)| json!({"command": command, "args": args, "env": object(env)}),
        )
}

fn remote() -> impl Strategy<Value = Value> {
    let host = prop_oneof![
        "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?(\\.[a-z][a-z0-9]{0,5}){0,2}",
        Just("localhost".to_string()),
        Just("[::1]".to_string()),
        "\\$\\{input:[a-z]{1,6}\\}",
    ];
    let segment = prop_oneof![
        "[a-zA-Z0-9._~-]{1,8}",
        "%[0-9A-F]{2}",
        "\\$\\{[A-Z_]{1,6}\\}",
        "[é✓]{1,2}"
    ];
    // Parameter names steer clear of credential-like ones (token, key), a rule of their own.
    let param = (
        prop::sample::select(vec!["page", "v", "lang", "region"]),
        "[a-z0-9]{0,6}",
    )
        .prop_map(|(k, v)| format!("{k}={v}"));
    (
        prop_oneof![Just("https"), Just("http")],
        host,
        proptest::option::of(1u16..),
        vec(segment, 0..4),
        vec(param, 0..3),
        btree_map("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}", secret(), 0..4),
    )
        .prop_map(|(scheme, host, port, path, query, headers)| {
            let mut url = format!("{scheme}://{host}");
            if let Some(p) = port {
                url.push_str(&format!(":{p}"));
            }
            for s in path {
                url.push('/');
                url.push_str(&s);
            }
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query.join("&"));
            }
            json!({"url": url, "headers": object(headers)})
        })
}

/// A create request for a valid config, sometimes leaving the type to be inferred.
fn request() -> impl Strategy<Value = (ServerType, Value, Option<String>, bool)> {
    (
        prop_oneof![
            stdio().prop_map(|c| (ServerType::Stdio, c)),
            remote().prop_map(|c| (ServerType::Sse, c)),
            remote().prop_map(|c| (ServerType::Http, c)),
        ],
        proptest::option::of("\\PC{0,20}(\n\\PC{0,8})?"),
        any::<bool>(),
    )
        .prop_map(|((t, c), description, infer)| (t, c, description, infer))
}

async fn valid_configs_round_trip_unchanged(b: Backend) {
    let w = World::new(b).await;
    let handle = tokio::runtime::Handle::current();
    let next = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    });
    let result = tokio::task::block_in_place(|| {
        runner
            .run(&request(), |(t, config, description, infer)| {
                let expected = normalize(t, &config).expect("the generator makes valid configs");
                let name = format!("p{}", next.fetch_add(1, Ordering::Relaxed));
                // Only sse cannot be told from the config itself.
                let server_type = (!infer || t == ServerType::Sse).then_some(t);
                let req = CreateServer {
                    name: name.clone(),
                    description: description.clone(),
                    server_type,
                    config: config.clone(),
                    is_global: false,
                    is_enabled: true,
                    check: None,
                };
                let (created, got) = handle.block_on(async {
                    let created = w.alice.create_server(&req, false).await;
                    (created, w.alice.get_server(&name, true).await)
                });
                let created = created.map_err(|e| TestCaseError::fail(format!("create: {e}")))?;
                let got = got.map_err(|e| TestCaseError::fail(format!("get: {e}")))?;
                prop_assert_eq!(&created.config, &expected.masked());
                prop_assert_eq!(got.server_type, t);
                prop_assert_eq!(&got.config, &expected, "stored differently: {}", config);
                prop_assert_eq!(got.description, description);
                Ok(())
            })
            // A message, not the failing case itself, so the closure's result stays small.
            .map_err(|e| e.to_string())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
