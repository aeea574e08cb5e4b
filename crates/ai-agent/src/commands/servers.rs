//! list / get / update / delete.

use std::str::FromStr;

use mcp_model::ServerType;
use mcp_model::api::{HealthStatus, McpServer, ToolsStatus};

use super::suggest::unknown_server;
use super::{Ctx, ok};
use crate::cli::{DeleteArgs, GetArgs, ListArgs, SortKey};
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
        fresh: a.fresh,
    };
    let mut list = if a.limit.is_some() || a.after.is_some() {
        client.list_servers(&p).await?
    } else {
        client.list_matching(&p).await?
    };
    narrow(&mut list.items, a);
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

/// The filters and the order the API does not apply (within the page, with
/// `--limit`): name pattern, health, scope.
fn narrow(items: &mut Vec<McpServer>, a: &ListArgs) {
    items.retain(|s| {
        a.pattern.as_deref().is_none_or(|p| glob(p, &s.name))
            && a.health
                .as_deref()
                .is_none_or(|h| s.health_status.as_str() == h)
            && (!a.global || s.is_global)
            && (!a.own || !s.is_global)
    });
    match a.sort {
        Some(SortKey::Name) => items.sort_by(|x, y| x.name.cmp(&y.name)),
        Some(SortKey::Created) => items.sort_by_key(|s| (s.created_at, s.id)),
        Some(SortKey::Health) => items.sort_by_key(|s| (severity(s), s.name.clone())),
        None => {}
    }
}

/// Failing first: what needs attention.
fn severity(s: &McpServer) -> u8 {
    match (s.health_status, s.tools_status) {
        (HealthStatus::Unhealthy, _) => 0,
        (HealthStatus::NeedsAuth, _) => 1,
        (HealthStatus::Healthy, ToolsStatus::Changed) => 2,
        (HealthStatus::Unknown, _) => 3,
        (HealthStatus::Healthy, _) => 4,
    }
}

/// Whether `name` matches `pattern`: `*` any run, `?` one character, case
/// ignored.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    // The classic two-pointer match with one star remembered.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
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
        // Why it is (un)healthy, without a new check.
        let last = match s.last_health_check_at {
            Some(_) => client.last_health(&s.id.to_string()).await.ok(),
            None => None,
        };
        ctx.out.print(&ctx.out.server_with(&s, last.as_ref()))?;
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

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn name_patterns() {
        assert!(glob("git*", "github"));
        assert!(glob("GIT*", "github"));
        assert!(glob("*hub", "github"));
        assert!(glob("g?t*b", "github"));
        assert!(glob("*", ""));
        assert!(glob("fs", "FS"));
        assert!(!glob("git", "github"));
        assert!(!glob("*x*", "github"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
    }
}
