//! import / export of MCP client config files. Export writes the file as the
//! server made it, so `ai-agent mcp export | ai-agent mcp import -` round-trips.

use std::io::Read;

use mcp_model::api::ImportResult;

use super::{Ctx, ok};
use crate::cli::{ExportArgs, ImportArgs};
use crate::client::ExportParams;
use crate::exit::{CliError, CliResult, Code};

pub(crate) async fn import(ctx: &Ctx, a: &ImportArgs) -> CliResult {
    let bytes = if a.file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::generic(format!("cannot read stdin: {e}")))?;
        buf
    } else {
        std::fs::read(&a.file)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", a.file)))?
    };
    let r = ctx
        .client()?
        .import(bytes, a.format.as_deref(), a.override_existing)
        .await?;
    if ctx.out.json() {
        ctx.out.print_json(&r)?;
    } else {
        ctx.out.print(&ctx.out.import(&r))?;
    }
    if r.errors.is_empty() {
        ok()
    } else {
        eprintln!("{}", partial_line(&r));
        Ok(Code::PartialImport)
    }
}

/// The stderr line of an import in which some servers failed: how many, and which.
fn partial_line(r: &ImportResult) -> String {
    let failed: Vec<&str> = r.errors.iter().map(|e| e.name.as_str()).collect();
    format!(
        "ai-agent: {} of {} MCP servers failed to import: {}",
        failed.len(),
        failed.len() + r.imported.len() + r.skipped.len(),
        failed.join(", ")
    )
}

pub(crate) async fn export(ctx: &Ctx, a: &ExportArgs) -> CliResult {
    let e = ctx
        .client()?
        .export(&ExportParams {
            include_global: !a.no_global,
            format: a.format.clone(),
            servers: a.servers.clone(),
        })
        .await?;
    if let Some(w) = withheld_warning(&e.withheld) {
        eprintln!("{w}");
    }
    ctx.out.print(&e.body)?;
    ok()
}

/// The stderr line about secrets the server left out of an export (those of
/// global servers the caller does not own), so the user knows to fill them in.
fn withheld_warning(withheld: &[String]) -> Option<String> {
    (!withheld.is_empty()).then(|| {
        format!(
            "ai-agent: warning: {} secret(s) withheld and replaced by ${{NAME}} placeholders: {}",
            withheld.len(),
            withheld.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_about_withheld_secrets() {
        assert_eq!(withheld_warning(&[]), None);
        assert_eq!(
            withheld_warning(&["github.GITHUB_TOKEN".into(), "search.BRAVE_API_KEY".into()])
                .as_deref(),
            Some(
                "ai-agent: warning: 2 secret(s) withheld and replaced by ${NAME} placeholders: \
                 github.GITHUB_TOKEN, search.BRAVE_API_KEY"
            )
        );
    }
}
