//! `mcp update`: the fields given, a config changed in part or replaced
//! (from an argument, a file or stdin), and the check settings merged.

use std::io::Read;

use mcp_model::ServerConfig;
use mcp_model::api::{McpServer, UpdateServer};
use serde_json::Value;

use super::create::{parse_env, parse_headers, split_args};
use super::servers::parse_type;
use super::suggest::unknown_server;
use super::{Ctx, ok};
use crate::cli::{ConfigEditArgs, UpdateArgs};
use crate::exit::{CliError, CliResult};

pub(crate) async fn update(ctx: &Ctx, a: &UpdateArgs) -> CliResult {
    let client = ctx.client()?;
    // The API replaces the config and the check settings whole: flags that
    // change part of them start from the server's current ones (secret
    // values masked, which the server keeps as stored).
    let current = if a.check.given() || a.edit.edits() {
        match client.get_server(&a.server.server, false).await {
            Ok(s) => Some(s),
            Err(e) => return Err(unknown_server(&client, &a.server.server, e).await),
        }
    } else {
        None
    };
    let req = update_request(a, current)?;
    let s = match client.update_server(&a.server.server, &req, false).await {
        Ok(s) => s,
        Err(e) => return Err(unknown_server(&client, &a.server.server, e).await),
    };
    if ctx.out.json() {
        ctx.out.print_json(&s)?;
    } else {
        ctx.out.print(&ctx.out.server(&s))?;
    }
    ok()
}

/// The PATCH body for the flags given; an empty description clears it.
fn update_request(a: &UpdateArgs, current: Option<McpServer>) -> CliResult<UpdateServer> {
    let config = match (&a.edit.config, &current) {
        (Some(text), _) => Some(read_config(text)?),
        (None, Some(s)) if a.edit.edits() => Some(edited(&a.edit, s.config.clone())?),
        _ => None,
    };
    let check = match current {
        Some(s) if a.check.given() => Some(a.check.options(s.check)?),
        _ => None,
    };
    let req = UpdateServer {
        name: a.name.clone(),
        description: a
            .description
            .as_ref()
            .map(|d| Some(d.clone()).filter(|d| !d.is_empty())),
        server_type: a.server_type.as_deref().map(parse_type).transpose()?,
        config,
        is_enabled: a.enabled,
        is_global: a.global,
        check,
    };
    if req.is_empty() {
        return Err(CliError::usage(
            "nothing to update: give --name, --description, a config flag (--config, --env, --header, …), --enabled, --global or a health-check flag",
        ));
    }
    Ok(req)
}

/// `--config`: JSON as given, `@FILE`, or `-` for stdin.
fn read_config(arg: &str) -> CliResult<Value> {
    let (text, from) = if arg == "-" {
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read --config from stdin: {e}")))?;
        (buf, "stdin".to_string())
    } else if let Some(path) = arg.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read --config @{path}: {e}")))?;
        (text, path.to_string())
    } else {
        (arg.to_string(), "--config".to_string())
    };
    serde_json::from_str(&text).map_err(|e| {
        CliError::usage(format!("the config in {from} is not valid JSON: {e}"))
            .with_hint("give a JSON object, @FILE to read one from a file, or - for stdin")
    })
}

/// The current config with the partial flags applied.
fn edited(e: &ConfigEditArgs, config: ServerConfig) -> CliResult<Value> {
    let wrong = |flags: &str, kind: &str| {
        CliError::usage(format!("{flags} are for {kind} servers; this one is not"))
            .with_hint("change the type with --type and --config")
    };
    let config = match config {
        ServerConfig::Stdio(mut c) => {
            if e.url.is_some() || !e.header.is_empty() || !e.unset_header.is_empty() {
                return Err(wrong("--url, --header and --unset-header", "remote"));
            }
            if let Some(command) = &e.command {
                c.command = command.clone();
            }
            if let Some(args) = &e.args {
                c.args = split_args(args)?;
            }
            c.env.extend(parse_env(&e.env)?);
            for k in &e.unset_env {
                if c.env.remove(k).is_none() {
                    return Err(CliError::usage(format!(
                        "the server has no env var '{k}' to unset"
                    )));
                }
            }
            ServerConfig::Stdio(c)
        }
        ServerConfig::Remote(mut c) => {
            if e.command.is_some()
                || e.args.is_some()
                || !e.env.is_empty()
                || !e.unset_env.is_empty()
            {
                return Err(wrong("--command, --args, --env and --unset-env", "stdio"));
            }
            if let Some(url) = &e.url {
                c.url = url.clone();
            }
            c.headers.extend(parse_headers(None, &e.header)?);
            for k in &e.unset_header {
                let found = c
                    .headers
                    .keys()
                    .find(|h| h.eq_ignore_ascii_case(k))
                    .cloned();
                match found {
                    Some(h) => {
                        c.headers.remove(&h);
                    }
                    None => {
                        return Err(CliError::usage(format!(
                            "the server has no header '{k}' to unset"
                        )));
                    }
                }
            }
            ServerConfig::Remote(c)
        }
    };
    serde_json::to_value(&config)
        .map_err(|e| CliError::generic(format!("cannot encode the config: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, McpCommand};
    use clap::Parser;
    use serde_json::json;

    fn args(flags: &[&str]) -> UpdateArgs {
        let argv = ["ai-agent", "mcp", "update", "x"]
            .into_iter()
            .chain(flags.iter().copied());
        match Cli::try_parse_from(argv).expect("parses").command {
            Command::Mcp(McpCommand::Update(a)) => *a,
            other => panic!("not update: {other:?}"),
        }
    }

    fn stdio() -> ServerConfig {
        serde_json::from_value(
            json!({"command": "npx", "args": ["-y", "pkg"], "env": {"A": "***", "B": "2"}}),
        )
        .expect("config")
    }

    #[test]
    fn update_body_follows_flags() {
        assert!(update_request(&args(&[]), None).is_err());
        let a = args(&[
            "--description",
            "",
            "--enabled",
            "false",
            "--config",
            r#"{"command": "npx"}"#,
        ]);
        let req = update_request(&a, None).expect("valid");
        assert_eq!(
            serde_json::to_value(&req).expect("json"),
            json!({"description": null, "is_enabled": false, "config": {"command": "npx"}})
        );
        let e = update_request(&args(&["--config", "{nope"]), None).expect_err("bad json");
        assert!(e.message.contains("--config"), "{}", e.message);
        assert!(Cli::try_parse_from(["ai-agent", "mcp", "update", "x", "--type", "http"]).is_err());
    }

    #[test]
    fn partial_flags_change_only_their_part() {
        let a = args(&["--env", "C=3", "--unset-env", "B", "--args", "-y other"]);
        assert_eq!(
            edited(&a.edit, stdio()).expect("edited"),
            json!({"command": "npx", "args": ["-y", "other"], "env": {"A": "***", "C": "3"}})
        );
        let e = edited(&args(&["--unset-env", "Z"]).edit, stdio()).expect_err("missing");
        assert!(e.message.contains("'Z'"), "{}", e.message);
        let e = edited(&args(&["--header", "X: y"]).edit, stdio()).expect_err("stdio");
        assert!(e.message.contains("remote"), "{}", e.message);
        let remote: ServerConfig = serde_json::from_value(
            json!({"url": "https://h/mcp", "headers": {"Authorization": "***", "X-Old": "1"}}),
        )
        .expect("config");
        let a = args(&["--header", "X-New: 2", "--unset-header", "x-old"]);
        assert_eq!(
            edited(&a.edit, remote).expect("edited"),
            json!({"url": "https://h/mcp", "headers": {"Authorization": "***", "X-New": "2"}})
        );
    }

    #[test]
    fn check_flags_change_the_current_settings() {
        use mcp_model::api::CheckOptions;
        let current = CheckOptions {
            startup_timeout_secs: Some(90),
            background: false,
            ..CheckOptions::default()
        };
        let a = args(&[
            "--request-timeout",
            "5",
            "--background-check",
            "--check-tool",
            "ping",
        ]);
        assert!(a.check.given());
        let o = a.check.options(current.clone()).expect("valid");
        assert_eq!(
            serde_json::to_value(&o).expect("json"),
            json!({"startup_timeout_secs": 90, "request_timeout_secs": 5, "call_tool": {"name": "ping"}})
        );
        let reset = args(&["--default-checks"])
            .check
            .options(current)
            .expect("valid");
        assert!(reset.is_default());
        let bad = args(&["--check-tool", "t", "--check-tool-args", "[1]"]);
        assert!(bad.check.options(CheckOptions::default()).is_err());
        let clash = [
            "ai-agent",
            "mcp",
            "update",
            "x",
            "--no-check-tool",
            "--check-tool",
            "t",
        ];
        assert!(Cli::try_parse_from(clash).is_err());
    }

    #[test]
    fn config_from_a_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("cfg.json");
        std::fs::write(&path, r#"{"url": "https://h/mcp"}"#).expect("write");
        let v = read_config(&format!("@{}", path.display())).expect("read");
        assert_eq!(v, json!({"url": "https://h/mcp"}));
        let e = read_config("@/no/such/file").expect_err("missing");
        assert!(e.message.contains("/no/such/file"), "{}", e.message);
    }
}
