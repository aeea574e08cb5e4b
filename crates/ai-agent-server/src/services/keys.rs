//! Which secrets key a database takes, failing closed: the database records
//! the fingerprint of the key that sealed it, and a start with another key,
//! or without the key file, is refused rather than met with a new key (which
//! would seal new secrets that the old key cannot open, and the old ones
//! that the new key cannot).

use std::path::PathBuf;

use crate::crypto::{self, SecretKey};
use crate::db::Database;
use crate::error::StartupError;
use crate::repository::{meta, servers};

/// Where the key comes from, for loading and for messages.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// The environment variable's value.
    Env(String),
    /// A key file, created only for a database that holds no secrets yet.
    File(PathBuf),
}

impl KeySource {
    fn describe(&self) -> String {
        match self {
            KeySource::Env(_) => crate::settings::SECRET_KEY_ENV.to_string(),
            KeySource::File(p) => p.display().to_string(),
        }
    }
}

/// The key for `db` from `source`, checked against the database's record;
/// says whether it created a key file. A new database records the key's
/// fingerprint; one that holds secrets but no record yet (written by an
/// earlier version) records it once the key has opened a stored secret.
pub fn load_for(
    db: &Database,
    source: &KeySource,
) -> Result<(SecretKey, Option<PathBuf>), StartupError> {
    let (recorded, sample) = db.read(|c| {
        Ok((
            meta::get(c, meta::KEY_FINGERPRINT)?,
            servers::any_sealed(c)?,
        ))
    })?;
    let where_ = db.url().redacted();
    let (key, created) = match source {
        KeySource::Env(text) => (SecretKey::from_base64(text)?, None),
        KeySource::File(path) if path.exists() => (SecretKey::load(path)?, None),
        KeySource::File(path) if recorded.is_some() || sample.is_some() => {
            return Err(StartupError::Config(format!(
                "the secrets key file {} is missing, but the database {where_} holds secrets sealed with key {}: restore the key file from your backup (or set {}); a new key would not open them",
                path.display(),
                recorded.as_deref().unwrap_or("(unrecorded)"),
                crate::settings::SECRET_KEY_ENV
            )));
        }
        KeySource::File(path) => {
            let text = SecretKey::generate_base64();
            crypto::write_private_file(path, &format!("{text}\n"))?;
            (SecretKey::from_base64(&text)?, Some(path.clone()))
        }
    };
    let bound = bind(db, source, &key, recorded, sample.as_ref(), &where_);
    if bound.is_err()
        && let Some(p) = &created
    {
        // A key made for this start that the database did not take.
        let _ = std::fs::remove_file(p);
    }
    bound.map(|()| (key, created))
}

/// Checks `key` against the database's record, recording it when there is
/// none yet (see [`load_for`]).
fn bind(
    db: &Database,
    source: &KeySource,
    key: &SecretKey,
    recorded: Option<String>,
    sample: Option<&(String, String)>,
    where_: &str,
) -> Result<(), StartupError> {
    let refuse = |theirs: &str| {
        StartupError::Config(format!(
            "the secrets key from {} (fingerprint {}) is not the key that sealed the database {where_} ({theirs}): start with the right key file or {}",
            source.describe(),
            key.fingerprint(),
            crate::settings::SECRET_KEY_ENV
        ))
    };
    match recorded {
        Some(fp) if fp == key.fingerprint() => {}
        Some(fp) => return Err(refuse(&format!("fingerprint {fp}"))),
        None => {
            if let Some((id, sealed)) = sample
                && key.open(id, sealed).is_err()
            {
                return Err(refuse("its stored secrets do not open with it"));
            }
            if !db.read(|c| {
                Ok(meta::insert_new(
                    c,
                    meta::KEY_FINGERPRINT,
                    key.fingerprint(),
                )?)
            })? {
                // Another instance recorded its key first.
                let theirs = db.read(|c| Ok(meta::get(c, meta::KEY_FINGERPRINT)?))?;
                if theirs.as_deref() != Some(key.fingerprint()) {
                    return Err(refuse(&format!(
                        "fingerprint {}",
                        theirs.unwrap_or_default()
                    )));
                }
            }
        }
    }
    Ok(())
}
