//! Importing an MCP client's config file into the caller's account.
//!
//! An import is one transaction: every server of the file is stored, or
//! (when the database fails, or the file would take the caller past their
//! limit) none is. Servers that break a rule are not a failure of the
//! import: they are reported by name, and the rest go in.
//!
//! The file's entries are read, validated, sealed and written a chunk at a
//! time (`formats::read` parses a plain JSON file's servers one by one), so
//! that what an import holds at once is the file's text and one chunk, not
//! a tree of the whole file and every validated server (a 10,000-server
//! file held 25 MB that way); each chunk is a handful of statements (one
//! `COPY` on PostgreSQL), not one per server.

use std::collections::HashMap;

use mcp_model::api::{ImportError, ImportResult};
use mcp_model::formats::{self, Entry, Format};
use serde_json::json;
use uuid::Uuid;

use super::Actor;
use super::servers::{NewServer, new_row, seal_config, validate_create};
use crate::crypto::SecretKey;
use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::limits::Limits;
use crate::repository::audit::AuditRow;
use crate::repository::servers::{ServerOverride, ServerRow};
use crate::repository::{self};

/// The audit action of each imported server.
pub const IMPORT_ACTION: &str = "mcp_server_import";

/// Entries validated and written together.
const CHUNK: usize = 500;

/// What the import did with the file's entries, by name.
#[derive(Debug, Default)]
struct Outcome {
    imported: Vec<String>,
    skipped: Vec<String>,
    errors: Vec<ImportError>,
    /// New servers stored, for the caller's limit.
    added: u64,
}

/// One chunk's writes.
#[derive(Debug, Default)]
struct Writes {
    inserts: Vec<ServerRow>,
    overrides: Vec<ServerOverride>,
    audit: Vec<AuditRow>,
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
    let mut reader = formats::read(text, format)
        .map_err(|e| AppError::BadRequest(format!("cannot import: {e}")))?;
    let file_format = reader.format;
    let importer = Importer {
        key,
        actor,
        file_format,
        override_existing,
    };
    let outcome = db.write(|conn| {
        let existing: HashMap<String, String> =
            repository::servers::own_names(conn, &actor.id_str(), override_existing)?
                .into_iter()
                .map(|(id, name)| (name, id))
                .collect();
        let mut outcome = Outcome::default();
        loop {
            let chunk: Vec<Entry> = reader.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let writes = importer.chunk(chunk, &existing, &mut outcome);
            write(conn, &writes)?;
        }
        // Checked once the file is read whole, so that the message says how
        // many it would add; a refusal rolls every chunk back.
        limits.check_servers(existing.len() as u64, outcome.added)?;
        Ok(outcome)
    })?;
    Ok(ImportResult {
        format: file_format.as_str().to_string(),
        summary: format!(
            "Imported {}, skipped {}, errors {}",
            outcome.imported.len(),
            outcome.skipped.len(),
            outcome.errors.len()
        ),
        imported: outcome.imported,
        skipped: outcome.skipped,
        errors: outcome.errors,
        ignored: reader.into_ignored(),
    })
}

/// The rules an import applies to each entry.
struct Importer<'a> {
    key: &'a SecretKey,
    actor: &'a Actor,
    file_format: Format,
    override_existing: bool,
}

impl Importer<'_> {
    /// Validates and seals a chunk of entries: the rows to write, and the
    /// names and errors into `outcome`.
    fn chunk(
        &self,
        chunk: Vec<Entry>,
        existing: &HashMap<String, String>,
        outcome: &mut Outcome,
    ) -> Writes {
        let mut writes = Writes {
            inserts: Vec::with_capacity(chunk.len()),
            overrides: Vec::new(),
            audit: Vec::with_capacity(chunk.len()),
        };
        let now = repository::now();
        for entry in chunk {
            let name = entry.name;
            let stored = entry
                .request
                .map_err(AppError::BadRequest)
                .and_then(|req| self.validated(req))
                .and_then(|(new, from_file)| {
                    match existing.get(&new.name) {
                        Some(_) if !self.override_existing => Ok(None),
                        Some(id) => {
                            let (config, secrets) = seal_config(self.key, id, &new.config)?;
                            writes.overrides.push(ServerOverride {
                                id: id.clone(),
                                server_type: new.server_type.into(),
                                config,
                                secrets,
                                is_enabled: new.is_enabled,
                                // An override keeps the stored description
                                // unless the file has one.
                                description: new.description.filter(|_| from_file),
                                updated_at: now,
                            });
                            Ok(Some((id.clone(), new.server_type, true, new.name)))
                        }
                        None => {
                            let row = new_row(self.key, self.actor, &new)?;
                            let id = row.id.clone();
                            writes.inserts.push(row);
                            Ok(Some((id, new.server_type, false, new.name)))
                        }
                    }
                });
            match stored {
                Ok(Some((id, server_type, overridden, name))) => {
                    writes.audit.push(AuditRow {
                        id: Uuid::now_v7().to_string(),
                        user_id: self.actor.id_str(),
                        action: IMPORT_ACTION.to_string(),
                        resource_type: "mcp_server".to_string(),
                        resource_id: id,
                        details: json!({
                            "name": name,
                            "server_type": server_type,
                            "overridden": overridden,
                        })
                        .to_string(),
                        created_at: now,
                    });
                    outcome.imported.push(name);
                }
                Ok(None) => outcome.skipped.push(name),
                Err(e) => outcome.errors.push(ImportError {
                    name,
                    detail: e.to_string(),
                }),
            }
        }
        outcome.added += writes.inserts.len() as u64;
        writes
    }

    /// An entry's request validated as a create would be, with the file's
    /// name for a description when it has none; and whether the file gave one.
    fn validated(
        &self,
        mut req: mcp_model::api::CreateServer,
    ) -> Result<(NewServer, bool), AppError> {
        let from_file = req.description.is_some();
        if !from_file {
            req.description = Some(format!(
                "Imported from {} config",
                self.file_format.descriptor().display
            ));
        }
        Ok((validate_create(self.actor, req)?, from_file))
    }
}

/// Writes one chunk: new rows, replaced rows, their audit entries.
fn write(conn: &mut DbConnection, writes: &Writes) -> Result<(), AppError> {
    repository::servers::insert_many(conn, &writes.inserts).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => AppError::Conflict(
            "a server of the same name was created while importing; please retry".into(),
        ),
        other => other.into(),
    })?;
    // Replaced rows were locked up front (`own_names`), in one order.
    let updated = repository::servers::update_many(conn, &writes.overrides)?;
    if updated != writes.overrides.len() {
        return Err(AppError::Conflict(
            "a server was deleted while importing; please retry".into(),
        ));
    }
    repository::audit::insert_many(conn, &writes.audit)?;
    Ok(())
}
