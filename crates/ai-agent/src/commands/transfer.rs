//! import / export of MCP client config files. Export writes the file as the
//! server made it, so `ai-agent mcp export | ai-agent mcp import -` round-trips.

use std::io::Read;

use super::{Ctx, ok};
use crate::cli::{ExportArgs, ImportArgs};
use crate::client::ExportParams;
use crate::exit::{CliError, CliResult, Code};

pub async fn import(ctx: &Ctx, a: &ImportArgs) -> CliResult {
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
        Ok(Code::PartialImport)
    }
}

pub async fn export(ctx: &Ctx, a: &ExportArgs) -> CliResult {
    let e = ctx
        .client()?
        .export(&ExportParams {
            include_global: !a.no_global,
            format: a.format.clone(),
            servers: a.servers.clone(),
        })
        .await?;
    if !e.withheld.is_empty() {
        eprintln!(
            "ai-agent: warning: {} secret(s) withheld and replaced by ${{NAME}} placeholders: {}",
            e.withheld.len(),
            e.withheld.join(", ")
        );
    }
    ctx.out.print(&e.body)?;
    ok()
}
