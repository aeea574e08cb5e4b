//! Server names completed from the API, for the shells' dynamic completion
//! (`source <(COMPLETE=bash ai-agent)`): whatever the current settings can
//! see, fetched within a second, and nothing at all when that fails, so that
//! a shell never hangs or prints an error on TAB.

use std::ffi::OsStr;
use std::time::Duration;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::client::{Client, ListParams};
use crate::config;

/// The completer of an `ID|NAME` argument.
pub(crate) fn server_names() -> ArgValueCompleter {
    ArgValueCompleter::new(complete)
}

fn complete(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let Some(servers) = fetch() else {
        return Vec::new();
    };
    servers
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix.as_ref()))
        .map(|(name, about)| CompletionCandidate::new(name).help(about.map(Into::into)))
        .collect()
}

/// Every server the current settings can see, with its description.
fn fetch() -> Option<Vec<(String, Option<String>)>> {
    // As the command line would resolve them, from the environment and the
    // settings file (no flags are parsed while completing).
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let settings = var("AI_AGENT_CONFIG").map(std::path::PathBuf::from);
    let stored = config::load(&config::config_path(settings.as_deref()).ok()?).ok()?;
    let conn = config::resolve(
        var("AI_AGENT_API_URL").as_deref(),
        var("AI_AGENT_TOKEN").as_deref(),
        &stored,
    );
    let client = Client::new(&conn.api_url, conn.token).ok()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let list = rt.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(1),
            client.list_matching(&ListParams::default()),
        )
        .await
    });
    let items = list.ok()?.ok()?.items;
    Some(items.into_iter().map(|s| (s.name, s.description)).collect())
}
