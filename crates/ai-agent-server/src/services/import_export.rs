//! Exporting servers as an MCP client's config file, and the built-in
//! templates. (Importing is [`super::import`].)

use std::collections::HashSet;

use mcp_model::api::{ExportLeftOut, ExportList, Template, TemplateList, ToolsStatus};
use mcp_model::formats::client::placeholder;
use mcp_model::formats::{self, ExportServer, Format};
use mcp_model::{ServerConfig, templates};

use super::Actor;
use super::servers::row_config;
use crate::crypto::SecretKey;
use crate::db::Database;
use crate::error::AppError;
use crate::repository::servers::ServerRow;
use crate::repository::{self};

/// An export: the file's text, the `server.KEY` secrets it withholds, and
/// the servers the client cannot take, with why.
#[derive(Debug, Clone)]
pub struct Exported {
    pub body: String,
    pub withheld: Vec<String>,
    pub skipped: Vec<(String, String)>,
}

/// Which servers an export takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The enabled global servers the caller does not shadow too.
    pub include_global: bool,
    /// Only these names, when it names any.
    pub only: Vec<String>,
    /// Leave out servers whose tools are not approved: changed since their
    /// approval, or never pinned by a healthy check.
    pub approved_only: bool,
}

/// The caller's enabled servers (and, with `include_global`, the enabled
/// global servers they do not shadow), sorted by name, `only` those when it
/// names any. The caller's own secrets are given as they are; those of a
/// global server owned by someone else are replaced by placeholders and
/// listed.
pub fn exportable(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    selection: &Selection,
) -> Result<ExportList, AppError> {
    let Selection {
        include_global,
        only,
        approved_only,
    } = selection;
    let include_global = *include_global;
    let me = actor.id_str();
    let rows = db.read(|conn| {
        Ok(repository::visible::list_exportable(
            conn,
            &me,
            include_global,
        )?)
    })?;
    let mut names = HashSet::new();
    let rows: Vec<ServerRow> = rows
        .into_iter()
        .filter(|r| names.insert(r.name.clone()))
        .collect();
    for name in only {
        if !names.contains(name) {
            return Err(AppError::NotFound(format!(
                "no enabled MCP server named '{}' to export{}",
                name.escape_debug(),
                if include_global {
                    ""
                } else {
                    " (global servers are excluded: include_global=false)"
                }
            )));
        }
    }
    let mut withheld = Vec::new();
    let mut servers = Vec::new();
    let mut unapproved = Vec::new();
    for row in rows {
        if !only.is_empty() && !only.contains(&row.name) {
            continue;
        }
        if *approved_only && row.tools_status.0 != ToolsStatus::Approved {
            unapproved.push(ExportLeftOut {
                name: row.name,
                tools_status: row.tools_status.0,
            });
            continue;
        }
        let owned = row.user_id == me;
        let mut config: ServerConfig = row_config(key, &row, owned)?;
        if !owned {
            config.for_each_secret_mut(|slot, v| {
                // A bare `?value` has no name to make a variable of.
                let name = Some(slot.name())
                    .filter(|n| !n.is_empty())
                    .unwrap_or("QUERY");
                *v = placeholder(name);
                withheld.push(format!("{}.{}", row.name, slot.name()));
            });
        }
        servers.push(ExportServer {
            server_type: row.server_type.0,
            name: row.name,
            config,
        });
    }
    servers.sort_by(|a, b| a.name.cmp(&b.name));
    withheld.sort();
    unapproved.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ExportList {
        servers,
        withheld,
        unapproved,
    })
}

/// [`exportable`] written as `format`'s config file.
pub fn export(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    selection: &Selection,
    format: Format,
) -> Result<Exported, AppError> {
    if !format.descriptor().writable {
        return Err(AppError::BadRequest(format!(
            "cannot export as {format}: {} is a format servers are read from only",
            format.descriptor().display
        )));
    }
    let list = exportable(db, key, actor, selection)?;
    let rendered = formats::render(format, &list.servers).map_err(AppError::BadRequest)?;
    let mut skipped = rendered.skipped;
    skipped.extend(list.unapproved.into_iter().map(|u| {
        let why = match u.tools_status {
            ToolsStatus::Changed => "its tools changed since they were approved",
            _ => "its tools were never approved (no healthy check yet)",
        };
        (u.name, why.to_string())
    }));
    Ok(Exported {
        body: rendered.text,
        withheld: list.withheld,
        skipped,
    })
}

/// The built-in templates, or the one named `name`.
pub fn templates(name: Option<&str>) -> Result<TemplateList, AppError> {
    let list: Vec<Template> = match name {
        None => templates::all(),
        Some(n) => vec![templates::find(n).ok_or_else(|| {
            AppError::NotFound(format!(
                "no template named '{}' (known templates: {})",
                n.escape_debug(),
                templates::names().join(", ")
            ))
        })?],
    };
    Ok(TemplateList {
        total: list.len(),
        templates: list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_variable_names() {
        assert_eq!(placeholder("GITHUB_TOKEN"), "${GITHUB_TOKEN}");
        assert_eq!(placeholder("X-Api-Key"), "${X_API_KEY}");
        assert_eq!(placeholder("Authorization"), "${AUTHORIZATION}");
    }

    #[test]
    fn templates_by_name() {
        assert_eq!(templates(None).expect("all").total, 5);
        assert_eq!(
            templates(Some("github")).expect("one").templates[0].name,
            "github"
        );
        let e = templates(Some("nope")).expect_err("unknown").to_string();
        assert!(e.contains("kubernetes, filesystem"), "{e}");
    }
}
