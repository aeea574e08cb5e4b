//! Encryption of secret values at rest (XChaCha20-Poly1305), and API tokens.
//!
//! Each server's secrets are sealed together, bound to the server's id as
//! associated data, so that a ciphertext copied onto another row fails to open.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{AppError, StartupError};

const VERSION: &str = "v1";

/// The key that seals every secret. Every instance over one database needs the same.
#[derive(Clone)]
pub struct SecretKey {
    cipher: XChaCha20Poly1305,
    fingerprint: String,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// A key from its base64 text (32 bytes).
    pub fn from_base64(text: &str) -> Result<Self, StartupError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|e| StartupError::Config(format!("secret key is not valid base64: {e}")))?;
        if bytes.len() != 32 {
            return Err(StartupError::Config(format!(
                "secret key must be 32 bytes, found {}",
                bytes.len()
            )));
        }
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes)
            .map_err(|_| StartupError::Config("secret key has the wrong length".into()))?;
        Ok(SecretKey {
            cipher,
            fingerprint: fingerprint(&bytes),
        })
    }

    /// Names the key without revealing it: the database records it, so
    /// that a start with another key (or none) fails instead of sealing new
    /// secrets with a key the old ones do not open.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The key in `path`, which must exist: for a database that already
    /// holds secrets, a missing key file is an error, never a new key.
    pub fn load(path: &Path) -> Result<Self, StartupError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            StartupError::Config(format!(
                "cannot read secret key file {}: {e}",
                path.display()
            ))
        })?;
        Self::from_base64(&text)
    }

    /// A new random key, as base64 text.
    pub fn generate_base64() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        STANDARD.encode(bytes)
    }

    /// Reads the key file, creating it (mode 0600) with a new key when absent.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), StartupError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((Self::from_base64(&text)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let text = Self::generate_base64();
                write_private_file(path, &format!("{text}\n"))?;
                Ok((Self::from_base64(&text)?, true))
            }
            Err(e) => Err(StartupError::Config(format!(
                "cannot read secret key file {}: {e}",
                path.display()
            ))),
        }
    }

    /// Seals a map of secret values for the row `owner_id`.
    pub fn seal(
        &self,
        owner_id: &str,
        secrets: &BTreeMap<String, String>,
    ) -> Result<String, AppError> {
        let plaintext = serde_json::to_vec(secrets).map_err(AppError::internal)?;
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plaintext,
                    aad: owner_id.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("encryption failed"))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ciphertext);
        Ok(format!("{VERSION}:{}", STANDARD.encode(blob)))
    }

    /// Opens what [`seal`](Self::seal) produced for the same row.
    pub fn open(&self, owner_id: &str, sealed: &str) -> Result<BTreeMap<String, String>, AppError> {
        let fail = || {
            AppError::internal(format!(
                "cannot decrypt the secrets of {owner_id}: wrong key or corrupted data"
            ))
        };
        let body = sealed.strip_prefix("v1:").ok_or_else(fail)?;
        let blob = STANDARD.decode(body).map_err(|_| fail())?;
        if blob.len() < 24 {
            return Err(fail());
        }
        let (nonce, ciphertext) = blob.split_at(24);
        let plaintext = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner_id.as_bytes(),
                },
            )
            .map_err(|_| fail())?;
        serde_json::from_slice(&plaintext).map_err(|_| fail())
    }
}

/// A domain-separated hash of the key's bytes, 16 hex digits.
fn fingerprint(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"ai-agent secrets key fingerprint v1\0");
    h.update(bytes);
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a file readable by its owner only, refusing to replace one; a
/// folder it creates is private too.
pub fn write_private_file(path: &Path, contents: &str) -> Result<(), StartupError> {
    let err =
        |e: std::io::Error| StartupError::Config(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(dir)
            .map_err(err)?;
    }
    // Written whole beside it, then linked into place: a crash or a full
    // disk never leaves a half-written key, and linking (unlike renaming)
    // refuses to replace a file that appeared meanwhile.
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    written.map_err(err)
}

/// Prefix of every API token, so that leaked tokens are easy to scan for.
pub const TOKEN_PREFIX: &str = "aia_";
/// How many leading characters of a token are stored in clear to name it.
pub const TOKEN_VISIBLE_LEN: usize = 12;

/// A new API token: the secret text (shown once) and its SHA-256 hash (stored).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_token(&token);
    (token, hash)
}

/// Tokens carry 256 random bits, so a fast unsalted hash is enough: there is
/// nothing to brute-force.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn token_visible_prefix(token: &str) -> String {
    token.chars().take(TOKEN_VISIBLE_LEN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let key = SecretKey::from_base64(&SecretKey::generate_base64()).expect("key");
        let secrets: BTreeMap<_, _> = [("A".to_string(), "s3cret".to_string())].into();
        let sealed = key.seal("row-1", &secrets).expect("seal");
        assert!(!sealed.contains("s3cret"));
        assert_eq!(key.open("row-1", &sealed).expect("open"), secrets);
        assert!(key.open("row-2", &sealed).is_err(), "bound to its row");
        let other = SecretKey::from_base64(&SecretKey::generate_base64()).expect("key");
        assert!(other.open("row-1", &sealed).is_err(), "bound to its key");
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(SecretKey::from_base64("nope!").is_err());
        assert!(SecretKey::from_base64(&STANDARD.encode([0u8; 16])).is_err());
    }

    #[test]
    fn tokens_are_prefixed_and_hashed() {
        let (t, h) = new_token();
        assert!(t.starts_with(TOKEN_PREFIX));
        assert_eq!(h, hash_token(&t));
        assert_eq!(h.len(), 64);
        assert_ne!(new_token().0, t);
    }
}
