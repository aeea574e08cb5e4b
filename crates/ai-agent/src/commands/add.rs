//! `mcp add` and `mcp add-json`: a server registered in one line, in the
//! shapes `claude mcp add` and `claude mcp add-json` take, for people who
//! have those commands in their fingers.

use std::io::Read;

use mcp_model::ServerType;
use mcp_model::api::CreateServer;
use serde_json::{Value, json};

use super::Ctx;
use super::create::{parse_env, parse_headers, submit};
use crate::cli::{AddArgs, AddJsonArgs};
use crate::exit::{CliError, CliResult};

pub(crate) async fn add(ctx: &Ctx, a: &AddArgs) -> CliResult {
    submit(ctx, &ctx.client()?, &add_request(a)?, a.reveal).await
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// The create request `add`'s flags describe.
fn add_request(a: &AddArgs) -> CliResult<CreateServer> {
    let target: Vec<String> = a.command_or_url.iter().chain(&a.args).cloned().collect();
    let (first, rest) = match target.split_first() {
        Some((f, r)) => (Some(f.as_str()), r),
        None => (None, &[][..]),
    };
    let transport = match a.transport.as_deref() {
        Some(t) => t
            .parse::<ServerType>()
            .map_err(|e| CliError::usage(e.to_string()))?,
        None if a.url.is_some() || first.is_some_and(is_url) => ServerType::Http,
        None => ServerType::Stdio,
    };
    let config = match transport {
        ServerType::Stdio => {
            if a.url.is_some() || !a.header.is_empty() {
                return Err(CliError::usage(
                    "--url and -H are for http and sse servers; a stdio server takes -e and a command after --",
                ));
            }
            let command = first.ok_or_else(|| {
                CliError::usage("give the server's command after --, e.g. `ai-agent mcp add fs -- npx -y @modelcontextprotocol/server-filesystem /tmp`")
            })?;
            json!({"command": command, "args": rest, "env": parse_env(&a.env)?})
        }
        ServerType::Sse | ServerType::Http => {
            if !a.env.is_empty() {
                return Err(CliError::usage(
                    "-e is for stdio servers; send a remote server's secrets as headers with -H 'Name: value'",
                ));
            }
            let url = match (&a.url, first) {
                (Some(u), None) => u.as_str(),
                (None, Some(u)) if rest.is_empty() => u,
                _ => {
                    return Err(CliError::usage(
                        "give a remote server's URL once, e.g. `ai-agent mcp add --transport http docs https://mcp.example.com/mcp`",
                    ));
                }
            };
            json!({"url": url, "headers": parse_headers(None, &a.header)?})
        }
    };
    Ok(CreateServer {
        name: a.name.clone(),
        description: a.description.clone(),
        server_type: Some(transport),
        config,
        is_global: a.global,
        is_enabled: !a.disabled,
        check: a.check.options()?,
    })
}

pub(crate) async fn add_json(ctx: &Ctx, a: &AddJsonArgs) -> CliResult {
    let text = if a.json == "-" {
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .map_err(|e| CliError::generic(format!("cannot read stdin: {e}")))?;
        buf
    } else {
        a.json.clone()
    };
    let mut req = json_request(&a.name, &text, a.description.as_deref(), a.global)?;
    req.check = a.check.options()?;
    submit(ctx, &ctx.client()?, &req, a.reveal).await
}

/// A server's config as Claude Code's `add-json` takes it (`type` and the
/// fields of that type); the server checks it and names a field it refuses.
fn json_request(
    name: &str,
    text: &str,
    description: Option<&str>,
    global: bool,
) -> CliResult<CreateServer> {
    let config: Value = serde_json::from_str(text).map_err(|e| {
        CliError::usage(format!("the server's config is not valid JSON: {e}")).with_hint(
            r#"give an object such as '{"type":"stdio","command":"npx","args":["-y","pkg"]}' or '{"type":"http","url":"https://…"}'"#,
        )
    })?;
    if !config.is_object() {
        return Err(CliError::usage("the server's config must be a JSON object"));
    }
    Ok(CreateServer {
        name: name.to_string(),
        description: description.map(str::to_string),
        server_type: None,
        config,
        is_global: global,
        is_enabled: true,
        check: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, McpCommand};
    use clap::Parser;

    fn request(argv: &[&str]) -> CliResult<CreateServer> {
        let cli =
            Cli::try_parse_from(["ai-agent", "mcp", "add"].iter().chain(argv)).expect("parses");
        match cli.command {
            Command::Mcp(McpCommand::Add(a)) => add_request(&a),
            other => panic!("not add: {other:?}"),
        }
    }

    #[test]
    fn stdio_takes_the_command_after_the_dashes() {
        let r = request(&["fs", "-e", "K=v", "--", "npx", "-y", "@pkg", "--flag"]).expect("ok");
        assert_eq!(r.server_type, Some(ServerType::Stdio));
        assert_eq!(
            r.config,
            json!({"command": "npx", "args": ["-y", "@pkg", "--flag"], "env": {"K": "v"}})
        );
    }

    #[test]
    fn remote_servers_by_transport_or_by_url() {
        let r = request(&[
            "--transport",
            "sse",
            "ev",
            "https://x.test/sse",
            "-H",
            "X-Key: k",
        ])
        .expect("ok");
        assert_eq!(r.server_type, Some(ServerType::Sse));
        assert_eq!(
            r.config,
            json!({"url": "https://x.test/sse", "headers": {"X-Key": "k"}})
        );
        let r = request(&["docs", "https://x.test/mcp"]).expect("ok");
        assert_eq!(r.server_type, Some(ServerType::Http));
        let r = request(&["docs", "--url", "https://x.test/mcp"]).expect("ok");
        assert_eq!(r.config["url"], "https://x.test/mcp");
    }

    #[test]
    fn mixed_up_flags_are_usage_errors() {
        for argv in [
            &["fs"][..],
            &["fs", "-H", "A: b", "--", "npx"],
            &["web", "https://x.test/mcp", "-e", "K=v"],
            &["web", "--url", "https://a.test", "https://b.test"],
        ] {
            let e = request(argv).expect_err("refused");
            assert_eq!(e.code, crate::exit::Code::Usage, "{argv:?}: {e}");
        }
    }

    #[test]
    fn add_json_needs_an_object() {
        assert!(json_request("a", "[1]", None, false).is_err());
        assert!(json_request("a", "{", None, false).is_err());
        let r = json_request(
            "a",
            r#"{"type": "http", "url": "https://x.test"}"#,
            None,
            false,
        )
        .expect("ok");
        assert_eq!(
            r.server_type, None,
            "the server reads the type from the config"
        );
    }
}
