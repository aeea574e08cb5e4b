//! `mcp templates`: the server's templates, and creating a server from one.

use mcp_model::api::Template;

use super::create::{TemplateValues, submit, template_request};
use super::{Ctx, ok};
use crate::cli::TemplatesArgs;
use crate::exit::{CliError, CliResult, Code};
use crate::prompt;

pub(crate) async fn templates(ctx: &Ctx, a: &TemplatesArgs) -> CliResult {
    let client = ctx.client()?;
    let list = client.templates(a.name.as_deref()).await?;
    let Some(name) = &a.name else {
        if ctx.out.json() {
            ctx.out.print_json(&list)?;
        } else {
            ctx.out.print(&ctx.out.templates(&list.templates))?;
        }
        return ok();
    };
    let tpl: Template = list
        .templates
        .into_iter()
        .find(|t| &t.name == name)
        .ok_or_else(|| CliError::new(Code::NotFound, format!("no template named '{name}'")))?;
    if !a.create {
        if ctx.out.json() {
            ctx.out.print_json(&tpl)?;
        } else {
            ctx.out.print(&ctx.out.template(&tpl))?;
        }
        return ok();
    }
    let values = TemplateValues::from_flags(&a.env, None, &a.arg)?;
    let req = template_request(
        &tpl,
        a.server_name.as_deref(),
        None,
        values,
        prompt::for_stdin().as_mut(),
    )?;
    submit(ctx, &client, &req, false).await
}
