//! login / logout / whoami: the connection settings and who they log in as.

use super::{Ctx, ok};
use crate::client::Client;
use crate::config::{self, StoredConfig};
use crate::exit::{CliError, CliResult};
use crate::prompt;

/// Verifies the URL and token against `/api/v1/me` before storing them, so
/// that a typo is caught now rather than at the next command.
pub async fn login(ctx: &Ctx, with_token: bool) -> CliResult {
    let path = ctx.config_path()?;
    let conn = ctx.connection()?;
    let token = match conn.token {
        _ if with_token => token_from_stdin()?,
        Some(t) => t,
        None => prompt::for_stdin().secret("API token").map_err(|e| {
            e.with_hint("give it with --token or AI_AGENT_TOKEN, or pipe it: `ai-agent login --with-token < token.txt`")
        })?,
    };
    let client = Client::new(&conn.api_url, Some(token.clone()))?;
    let me = client.me().await.map_err(|e| {
        let refused = matches!(e, crate::client::ClientError::Api { status: 401, .. });
        let e = CliError::from(e);
        if refused {
            // Not "run login": this is login.
            e.with_hint("check the token; an operator makes a new one with `ai-agent-server token create --user NAME`")
        } else {
            e
        }
    })?;
    config::save(
        &path,
        &StoredConfig {
            api_url: Some(conn.api_url.clone()),
            token: Some(token),
        },
    )?;
    if ctx.out.json() {
        ctx.out.print_json(&with_url(&me, &conn.api_url)?)?;
    } else {
        ctx.out.print(&format!(
            "Logged in to {} as {} ({}). Settings saved to {}.",
            conn.api_url,
            me.name,
            me.role.as_str(),
            path.display()
        ))?;
    }
    ok()
}

/// The token piped in: its first line, trimmed.
fn token_from_stdin() -> CliResult<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_line(&mut text)
        .map_err(|e| CliError::usage(format!("--with-token: cannot read standard input: {e}")))?;
    let token = text.trim().to_string();
    if token.is_empty() {
        return Err(
            CliError::usage("--with-token read no token from standard input")
                .with_hint("pipe it in: `ai-agent login --with-token < token.txt`"),
        );
    }
    Ok(token)
}

/// Who the token belongs to, and on which server: a script reading the
/// JSON needs both, as a person reading the table does.
fn with_url(
    me: &mcp_model::api::Me,
    api_url: &impl std::fmt::Display,
) -> CliResult<serde_json::Value> {
    let mut v = serde_json::to_value(me)
        .map_err(|e| CliError::generic(format!("cannot encode the answer: {e}")))?;
    v["api_url"] = serde_json::Value::String(api_url.to_string());
    Ok(v)
}

pub(crate) fn logout(ctx: &Ctx) -> CliResult {
    let path = ctx.config_path()?;
    let removed = config::remove(&path)?;
    if !ctx.out.json() {
        ctx.out.print(&if removed {
            format!("Logged out: removed {}.", path.display())
        } else {
            format!("Not logged in: {} does not exist.", path.display())
        })?;
    }
    ok()
}

pub(crate) async fn whoami(ctx: &Ctx) -> CliResult {
    let conn = ctx.connection()?;
    if conn.token.is_none() {
        return Err(
            CliError::new(crate::exit::Code::Auth, "not logged in: no token").with_hint(
                "run `ai-agent login --api-url URL --token TOKEN` or set AI_AGENT_TOKEN",
            ),
        );
    }
    let me = ctx.client()?.me().await?;
    if ctx.out.json() {
        ctx.out.print_json(&with_url(&me, &conn.api_url)?)?;
    } else {
        ctx.out.print(&ctx.out.me(&me, &conn.api_url))?;
    }
    ok()
}
