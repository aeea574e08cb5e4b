//! `ai-agent audit`: the audit log, newest first.

use comfy_table::Cell;
use mcp_model::api::AuditEntry;

use super::{Ctx, ok};
use crate::cli::AuditArgs;
use crate::exit::CliResult;

pub(crate) async fn audit(ctx: &Ctx, a: &AuditArgs) -> CliResult {
    let client = ctx.client()?;
    // The log is kept by server id: a name is looked up first.
    let resource = match &a.server {
        Some(s) => match client.get_server(s, false).await {
            Ok(found) => Some(found.id.to_string()),
            Err(e) => return Err(super::suggest::unknown_server(&client, s, e).await),
        },
        None => None,
    };
    let page = client
        .audit_page(resource.as_deref(), Some(a.limit))
        .await?;
    if ctx.out.json() {
        ctx.out.print_json(&page)?;
        return ok();
    }
    if page.items.is_empty() {
        ctx.out.print("No audit entries.")?;
        return ok();
    }
    let mut t = ctx.out.table();
    t.set_header(["TIME", "ACTION", "SERVER", "DETAILS"]);
    for e in &page.items {
        t.add_row([
            Cell::new(e.created_at.format("%Y-%m-%d %H:%M:%S")),
            Cell::new(&e.action),
            Cell::new(subject(e)),
            Cell::new(details(e)),
        ]);
    }
    let shown = page.items.len();
    let more = if i64::try_from(shown).unwrap_or(i64::MAX) < page.total {
        format!("\n{shown} of {} entries; --limit shows more.", page.total)
    } else {
        String::new()
    };
    ctx.out.print(&format!("{t}{more}"))?;
    ok()
}

/// The server an entry is about: its name when the entry recorded one.
fn subject(e: &AuditEntry) -> String {
    e.details
        .get("name")
        .and_then(|n| n.as_str())
        .map_or_else(|| e.resource_id.clone(), str::to_string)
}

/// The rest of the entry's details, compact.
fn details(e: &AuditEntry) -> String {
    match &e.details {
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(k, _)| k.as_str() != "name")
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}
