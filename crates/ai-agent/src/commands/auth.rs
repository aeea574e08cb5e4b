//! login / logout / whoami: the connection settings and who they log in as.

use super::{Ctx, ok};
use crate::client::Client;
use crate::config::{self, StoredConfig};
use crate::exit::{CliError, CliResult};
use crate::prompt;

/// Verifies the URL and token against `/api/v1/me` before storing them, so
/// that a typo is caught now rather than at the next command.
pub async fn login(ctx: &Ctx) -> CliResult {
    let path = ctx.config_path()?;
    let conn = ctx.connection()?;
    let token = match conn.token {
        Some(t) => t,
        None => prompt::for_stdin().secret("API token")?,
    };
    let client = Client::new(&conn.api_url, Some(token.clone()))?;
    let me = client.me().await?;
    config::save(
        &path,
        &StoredConfig {
            api_url: Some(conn.api_url.clone()),
            token: Some(token),
        },
    )?;
    if ctx.out.json() {
        ctx.out.print_json(&me)?;
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
        ctx.out.print_json(&me)?;
    } else {
        ctx.out.print(&ctx.out.me(&me, &conn.api_url))?;
    }
    ok()
}
