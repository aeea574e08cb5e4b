//! Operator tasks over a whole database: copying it to another backend, and
//! re-encrypting every secret under a new key.

use mcp_model::ServerConfig;

use crate::crypto::SecretKey;
use crate::db::Database;
use crate::error::AppError;
pub use crate::repository::copy::CopyCounts;
use crate::repository::{self, copy, meta, servers};
use crate::services::servers::seal_config;

/// Copies users, tokens, servers (their sealed secrets as they are, so the
/// same key opens them) and the audit log from `from` into the empty `to`,
/// in one transaction on the target: all or nothing.
pub fn copy_database(from: &Database, to: &Database) -> Result<CopyCounts, AppError> {
    to.write(|dst| {
        let existing = repository::users::count(dst)?;
        if existing > 0 {
            return Err(AppError::Conflict(format!(
                "the target database {} already has {existing} users; copy only into an empty database",
                to.url().redacted()
            )));
        }
        // The target takes the same key: record it as the source does.
        if let Some(fp) = from.read(|c| Ok(meta::get(c, meta::KEY_FINGERPRINT)?))? {
            meta::set(dst, meta::KEY_FINGERPRINT, &fp)?;
        }
        copy::copy_tables(from, dst)
    })
}

/// Opens every server's secrets with `old` and seals them with `new`, in one
/// transaction: if any row cannot be opened, nothing changes. Deleted rows are
/// re-sealed too, so that the old key can be destroyed.
pub fn rotate_key(db: &Database, old: &SecretKey, new: &SecretKey) -> Result<usize, AppError> {
    db.write(|conn| {
        let rows = servers::all_sealed(conn)?;
        for (id, sealed) in &rows {
            let secrets = old.open(id, sealed).map_err(|_| {
                AppError::Conflict(format!(
                    "the current key cannot decrypt the secrets of server {id}: is it the key this database was written with?"
                ))
            })?;
            let resealed = new.seal(id, &secrets)?;
            servers::set_sealed(conn, id, &resealed)?;
        }
        meta::set(conn, meta::KEY_FINGERPRINT, new.fingerprint())?;
        Ok(rows.len())
    })
}

/// Earlier versions kept URL query values (`?api_key=…`) in the stored
/// config, in clear. Moves them into each row's sealed secrets, once: the
/// meta table records that it was done. Returns how many rows changed.
pub fn seal_query_values(db: &Database, key: &SecretKey) -> Result<usize, AppError> {
    if db
        .read(|c| Ok(meta::get(c, meta::QUERY_SECRETS_SEALED)?))?
        .is_some()
    {
        return Ok(0);
    }
    db.write(|conn| {
        let mut moved = 0;
        for (id, stored, sealed) in servers::all_stored_configs(conn)? {
            let Ok(mut config) = serde_json::from_str::<ServerConfig>(&stored) else {
                continue;
            };
            if !matches!(config, ServerConfig::Remote(_)) {
                continue;
            }
            config.restore_secrets(&key.open(&id, &sealed)?);
            let (masked, resealed) = seal_config(key, &id, &config)?;
            if masked != stored {
                servers::set_stored_config(conn, &id, &masked, &resealed)?;
                moved += 1;
            }
        }
        meta::set(conn, meta::QUERY_SECRETS_SEALED, "1")?;
        Ok(moved)
    })
}
