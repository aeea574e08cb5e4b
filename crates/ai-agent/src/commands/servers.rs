//! list / get / update / delete.

use std::str::FromStr;

use mcp_model::ServerType;

use super::suggest::unknown_server;
use super::{Ctx, ok};
use crate::cli::{DeleteArgs, GetArgs, ListArgs};
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
