//! Importing MCP client config files and exporting servers as one, and the
//! built-in templates.
//!
//! An import is one transaction: every server of the file is stored, or
//! (when the database fails) none is. Servers that break a rule are not a
//! failure of the import: they are reported by name, and the rest go in.
//! Statements are batched so that a file of thousands of servers takes a
//! handful of round trips, not thousands.

use std::collections::{HashMap, HashSet};

use mcp_model::api::{
    ExportLeftOut, ExportList, ImportError, ImportResult, Template, TemplateList, ToolsStatus,
};
use mcp_model::formats::client::placeholder;
use mcp_model::formats::{self, ExportServer, Format};
use mcp_model::{ServerConfig, templates};
use serde_json::json;
use uuid::Uuid;

use super::Actor;
use super::servers::{NewServer, new_row, row_config, seal_config, validate_create};
use crate::crypto::SecretKey;
use crate::db::Database;
use crate::error::AppError;
use crate::limits::Limits;
use crate::repository::audit::AuditRow;
use crate::repository::servers::{ServerOverride, ServerRow};
use crate::repository::{self};

/// The audit action of each imported server.
pub const IMPORT_ACTION: &str = "mcp_server_import";

fn summary(imported: usize, skipped: usize, errors: usize) -> String {
    format!("Imported {imported}, skipped {skipped}, errors {errors}")
}

/// Imports the servers of a client config file into the caller's account.
/// Existing servers of the same name are skipped, or with `override_existing`
/// replaced (config, type, enabled state; the description only when the file
/// gives one), keeping their id.
pub fn import(
    db: &Database,
    key: &SecretKey,
    limits: &Limits,
    actor: &Actor,
    file: &[u8],
    format: Option<Format>,
    override_existing: bool,
) -> Result<ImportResult, AppError> {
    let text = std::str::from_utf8(file).map_err(|e| {
        AppError::BadRequest(format!(
            "cannot import: the file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let parsed = formats::parse(text, format)
        .map_err(|e| AppError::BadRequest(format!("cannot import: {e}")))?;

    let mut errors = Vec::new();
    // Sized up front: grown by doubling, a 10,000-server file's rows would
    // be copied over and over into a buffer of 16,384.
    let mut valid: Vec<(NewServer, ServerRow)> = Vec::with_capacity(parsed.entries.len());
    let file_format = parsed.format;
    for entry in parsed.entries {
        let checked = entry
            .request
            .map_err(AppError::BadRequest)
            .and_then(|mut req| {
                let from_file = req.description.is_some();
                if !from_file {
                    req.description = Some(format!(
                        "Imported from {} config",
                        file_format.descriptor().display
                    ));
                }
                let mut new = validate_create(actor, req)?;
                // Sealed now, outside the transaction, under a fresh id; an
                // override re-seals under the existing id.
                let row = new_row(key, actor, &new)?;
                // An override keeps the stored description unless the file has one.
                if !from_file {
                    new.description = None;
                }
                Ok((new, row))
            });
        match checked {
            Ok(v) => valid.push(v),
            Err(e) => errors.push(ImportError {
                name: entry.name,
                detail: e.to_string(),
            }),
        }
    }

    let (imported, skipped) = db.write(|conn| {
        let existing: HashMap<String, String> =
            repository::servers::own_names(conn, &actor.id_str())?
                .into_iter()
                .map(|(id, name)| (name, id))
                .collect();
        let now = repository::now();
        let mut imported = Vec::new();
        let mut skipped = Vec::new();
        let mut inserts = Vec::new();
        let mut overrides = Vec::new();
        let mut audit = Vec::new();
        for (new, row) in valid {
            let overridden = match existing.get(&new.name) {
                Some(_) if !override_existing => {
                    skipped.push(new.name);
                    continue;
                }
                Some(id) => {
                    let (config, secrets) = seal_config(key, id, &new.config)?;
                    overrides.push(ServerOverride {
                        id: id.clone(),
                        server_type: row.server_type,
                        config,
                        secrets,
                        is_enabled: new.is_enabled,
                        description: new.description.clone(),
                        updated_at: now,
                    });
                    Some(id.clone())
                }
                None => None,
            };
            audit.push(AuditRow {
                id: Uuid::now_v7().to_string(),
                user_id: actor.id_str(),
                action: IMPORT_ACTION.to_string(),
                resource_type: "mcp_server".to_string(),
                resource_id: overridden.clone().unwrap_or_else(|| row.id.clone()),
                details: json!({
                    "name": new.name,
                    "server_type": row.server_type.0,
                    "overridden": overridden.is_some(),
                })
                .to_string(),
                created_at: now,
            });
            imported.push(new.name);
            if overridden.is_none() {
                inserts.push(row);
            }
        }
        limits.check_servers(existing.len() as u64, inserts.len() as u64)?;
        repository::servers::insert_many(conn, &inserts).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => AppError::Conflict(
                "a server of the same name was created while importing; please retry".into(),
            ),
            other => other.into(),
        })?;
        // Rows locked in one order by every import cannot deadlock each other.
        overrides.sort_by(|a, b| a.id.cmp(&b.id));
        let updated = repository::servers::update_many(conn, &overrides)?;
        if updated != overrides.len() {
            return Err(AppError::Conflict(
                "a server was deleted while importing; please retry".into(),
            ));
        }
        repository::audit::insert_many(conn, &audit)?;
        Ok((imported, skipped))
    })?;

    Ok(ImportResult {
        format: parsed.format.as_str().to_string(),
        summary: summary(imported.len(), skipped.len(), errors.len()),
        imported,
        skipped,
        errors,
        ignored: parsed.ignored,
    })
}

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
