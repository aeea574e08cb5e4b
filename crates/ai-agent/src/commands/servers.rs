//! list / get / update / delete.

use std::str::FromStr;

use mcp_model::ServerType;
use mcp_model::api::{CheckOptions, UpdateServer};

use super::suggest::unknown_server;
use super::{Ctx, ok};
use crate::cli::{DeleteArgs, GetArgs, ListArgs, UpdateArgs};
use crate::client::ListParams;
use crate::exit::{CliError, CliResult, Code};

/// Lists every matching server, following pages, so that the table and the
/// JSON both hold all of them; or, with `--limit` or `--after`, one page,
/// and the cursor of the next.
pub async fn list(ctx: &Ctx, a: &ListArgs) -> CliResult {
    if let Some(t) = &a.server_type {
        parse_type(t)?;
    }
    let client = ctx.client()?;
    let p = ListParams {
        server_type: a.server_type.clone(),
        enabled: a.enabled,
        limit: a.limit,
        offset: None,
        after: a.after.clone(),
        reveal: a.reveal,
    };
    let list = if a.limit.is_some() || a.after.is_some() {
        client.list_servers(&p).await?
    } else {
        client.list_matching(&p).await?
    };
    if ctx.out.json() {
        ctx.out.print_json(&list)?;
    } else {
        ctx.out.print(&ctx.out.servers(&list.items))?;
        if let Some(next) = &list.next_cursor {
            eprintln!("ai-agent: more servers follow: ai-agent mcp list --after {next}");
        }
    }
    ok()
}

pub(crate) async fn get(ctx: &Ctx, a: &GetArgs) -> CliResult {
    let client = ctx.client()?;
    let s = match client.get_server(&a.server.server, a.reveal).await {
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

pub(crate) async fn update(ctx: &Ctx, a: &UpdateArgs) -> CliResult {
    let client = ctx.client()?;
    // The API replaces the check settings whole: the flags change the
    // server's current ones.
    let check = if a.check.given() {
        let current = match client.get_server(&a.server.server, false).await {
            Ok(s) => s.check,
            Err(e) => return Err(unknown_server(&client, &a.server.server, e).await),
        };
        Some(a.check.options(current)?)
    } else {
        None
    };
    let req = update_request(a, check)?;
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
fn update_request(a: &UpdateArgs, check: Option<CheckOptions>) -> CliResult<UpdateServer> {
    let config = match &a.config {
        Some(text) => Some(
            serde_json::from_str(text)
                .map_err(|e| CliError::usage(format!("--config is not valid JSON: {e}")))?,
        ),
        None => None,
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
            "nothing to update: give --name, --description, --config, --type, --enabled, --global or a health-check flag",
        ));
    }
    Ok(req)
}

/// Deletes each named server in turn. A person at a terminal is asked
/// first (unless `--yes`); a script is not, as `rm` does not ask one. A name
/// that fails is reported and the rest still go; the exit code is the first
/// failure's.
pub(crate) async fn delete(ctx: &Ctx, a: &DeleteArgs) -> CliResult {
    let client = ctx.client()?;
    if !a.yes && crate::prompt::interactive() {
        let question = match a.servers.as_slice() {
            [one] => format!("Delete MCP server '{one}'?"),
            many => format!("Delete {} MCP servers ({})?", many.len(), many.join(", ")),
        };
        if crate::prompt::for_stdin().select(&question, &["no", "yes"], 0)? != 1 {
            return Err(CliError::generic("nothing deleted"));
        }
    }
    let mut first_failure = None;
    for server in &a.servers {
        match client.delete_server(server).await {
            Ok(()) => {
                if !ctx.out.json() {
                    ctx.out.print(&format!("Deleted MCP server '{server}'."))?;
                }
            }
            Err(e) => {
                let e = unknown_server(&client, server, e).await;
                if a.servers.len() == 1 {
                    return Err(e);
                }
                eprintln!("{e}");
                first_failure.get_or_insert(e.code);
            }
        }
    }
    Ok(first_failure.unwrap_or(Code::Success))
}

pub(crate) fn parse_type(s: &str) -> CliResult<ServerType> {
    ServerType::from_str(s).map_err(|e| CliError::usage(format!("--type: {}", e.message)))
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
    }

    #[test]
    fn check_flags_change_the_current_settings() {
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
        assert!(
            Cli::try_parse_from([
                "ai-agent",
                "mcp",
                "update",
                "x",
                "--no-check-tool",
                "--check-tool",
                "t"
            ])
            .is_err()
        );
    }
}
