//! import / export of MCP client config files. Export writes the file as the
//! server made it, so `ai-agent mcp export | ai-agent mcp import -` round-trips.

use std::io::Read;
use std::path::PathBuf;

use mcp_model::api::ImportResult;
use mcp_model::formats::edit::{self, Change};
use mcp_model::formats::{Format, Scope};
use serde::Serialize;

use super::{Ctx, ok};
use crate::cli::{ExportArgs, ImportArgs};
use crate::client::ExportParams;
use crate::exit::{CliError, CliResult, Code};
use crate::files;
use crate::sync;

pub(crate) async fn import(ctx: &Ctx, a: &ImportArgs) -> CliResult {
    let file = match (&a.from, &a.file) {
        (Some(format), _) => return import_from(ctx, a, *format).await,
        (None, Some(file)) => file,
        (None, None) => {
            return Err(CliError::usage(
                "give a FILE, - for stdin, or --from CLIENT",
            ));
        }
    };
    let bytes = if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::generic(format!("cannot read stdin: {e}")))?;
        buf
    } else {
        std::fs::read(file).map_err(|e| CliError::usage(format!("cannot read {file}: {e}")))?
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

/// One client file read by `import --from` and what its import did.
#[derive(Debug, Serialize)]
struct FromFile {
    scope: &'static str,
    path: PathBuf,
    result: ImportResult,
}

/// `import --from CLIENT`: the server map of each of the client's files,
/// sent on its own (not the whole file: `~/.claude.json`'s user scope is not
/// its projects'). Without `--scope`, every scope the client has here, the
/// one the client lets win sent so that it wins here too: first without
/// `--override` (later names are skipped), last with it.
async fn import_from(ctx: &Ctx, a: &ImportArgs, format: Format) -> CliResult {
    let d = format.descriptor();
    let dirs = sync::dirs(a.place.project.as_deref())?;
    let mut scopes: Vec<Scope> = match a.place.scope {
        Some(s) => vec![s],
        None => d.scopes.to_vec(),
    };
    scopes.sort();
    if !a.override_existing {
        scopes.reverse();
    }
    // Every file is read before anything is imported: a broken one stops
    // the command before it has changed the registry.
    let section: Vec<String> = d.section.iter().map(|s| s.to_string()).collect();
    let mut looked = Vec::new();
    let mut docs = Vec::new();
    for scope in scopes {
        let loc = d.location(scope, &dirs).map_err(CliError::usage)?;
        let file = files::read(&loc.path)?;
        looked.push(file.path.display().to_string());
        let Some(text) = &file.text else { continue };
        let entries = edit::entries(format, text, &loc.section)
            .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?;
        if entries.is_empty() {
            continue;
        }
        let puts: Vec<Change> = entries
            .into_iter()
            .map(|(k, v)| Change::Put(k, v))
            .collect();
        let doc = edit::apply(format, None, &section, &puts)
            .map_err(|e| CliError::generic(format!("{}: {e}", file.path.display())))?;
        docs.push((scope, file.path, doc));
    }
    if docs.is_empty() {
        return Err(CliError::new(
            Code::NotFound,
            format!(
                "no {} MCP servers found in {}",
                d.display,
                looked.join(", ")
            ),
        )
        .with_hint("give the file itself: ai-agent mcp import FILE"));
    }
    let client = ctx.client()?;
    let mut done = Vec::new();
    for (scope, path, doc) in docs {
        let result = client
            .import(doc.into_bytes(), Some(format.as_str()), a.override_existing)
            .await?;
        done.push(FromFile {
            scope: scope.as_str(),
            path,
            result,
        });
    }
    if ctx.out.json() {
        ctx.out.print_json(&done)?;
    } else {
        for f in &done {
            ctx.out
                .print(&format!("{} ({} scope):", f.path.display(), f.scope))?;
            ctx.out.print(&ctx.out.import(&f.result))?;
        }
    }
    let partial: Vec<String> = done
        .iter()
        .filter(|f| !f.result.errors.is_empty())
        .map(|f| format!("{} (from {})", partial_line(&f.result), f.path.display()))
        .collect();
    if partial.is_empty() {
        ok()
    } else {
        partial.iter().for_each(|l| eprintln!("{l}"));
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
            selection: a.select.selection(),
            format: a.format.clone(),
        })
        .await?;
    if let Some(w) = withheld_warning(&e.withheld) {
        eprintln!("{w}");
    }
    if !e.skipped.is_empty() {
        eprintln!(
            "ai-agent: warning: {} MCP server(s) left out: {}",
            e.skipped.len(),
            e.skipped.join("; ")
        );
    }
    ctx.out.print(&e.body)?;
    ok()
}

/// The stderr line about secrets the server left out of an export (those of
/// global servers the caller does not own), so the user knows to fill them in.
pub(super) fn withheld_warning(withheld: &[String]) -> Option<String> {
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
