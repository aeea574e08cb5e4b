//! Where the CLI finds its server and token: flags, then the environment
//! (both handled by clap), then the file `ai-agent login` writes, then the
//! default URL. The file holds a token, so it is written readable by its
//! owner only.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::{CliError, CliResult};

pub(crate) const DEFAULT_API_URL: &str = "http://127.0.0.1:8080";

/// What `ai-agent login` stores.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The settings file: the one given (`--config` / `AI_AGENT_CONFIG`), else
/// `<config dir>/ai-agent/config.json`.
pub fn config_path(explicit: Option<&Path>) -> CliResult<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    dirs::config_dir()
        .map(|d| d.join("ai-agent").join("config.json"))
        .ok_or_else(|| {
            CliError::generic("cannot find a configuration directory; set AI_AGENT_CONFIG")
        })
}

/// The stored settings; an absent file is an empty one.
pub fn load(path: &Path) -> CliResult<StoredConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            CliError::generic(format!("{}: not a valid config file: {e}", path.display()))
                .with_hint("fix it or remove it with `ai-agent logout`")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StoredConfig::default()),
        Err(e) => Err(CliError::generic(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Writes the settings atomically (temp file + rename) with mode 0600.
pub fn save(path: &Path, config: &StoredConfig) -> CliResult<()> {
    let mut text = serde_json::to_string_pretty(config)
        .map_err(|e| CliError::generic(format!("cannot encode the config: {e}")))?;
    text.push('\n');
    crate::files::write_private(path, &text)
}

/// Removes the settings file; whether there was one.
pub fn remove(path: &Path) -> CliResult<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(CliError::generic(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
    }
}

/// The connection settings a command uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub api_url: String,
    pub token: Option<String>,
}

/// Flags/environment (already merged by clap) beat the file, which beats the default.
pub fn resolve(
    flag_url: Option<&str>,
    flag_token: Option<&str>,
    stored: &StoredConfig,
) -> Connection {
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    Connection {
        api_url: nonempty(flag_url)
            .or_else(|| nonempty(stored.api_url.as_deref()))
            .unwrap_or_else(|| DEFAULT_API_URL.to_string()),
        token: nonempty(flag_token).or_else(|| nonempty(stored.token.as_deref())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beat_default() {
        let stored = StoredConfig {
            api_url: Some("http://file:1".into()),
            token: Some("file-token".into()),
        };
        let c = resolve(Some("http://flag:1"), Some("flag-token"), &stored);
        assert_eq!(c.api_url, "http://flag:1");
        assert_eq!(c.token.as_deref(), Some("flag-token"));
        let c = resolve(None, None, &stored);
        assert_eq!(c.api_url, "http://file:1");
        assert_eq!(c.token.as_deref(), Some("file-token"));
        let c = resolve(None, None, &StoredConfig::default());
        assert_eq!(c.api_url, DEFAULT_API_URL);
        assert_eq!(c.token, None);
    }

    #[test]
    fn save_load_remove_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("config.json");
        assert_eq!(load(&path).expect("absent"), StoredConfig::default());
        let c = StoredConfig {
            api_url: Some("http://x:1".into()),
            token: Some("t".into()),
        };
        save(&path, &c).expect("save");
        assert_eq!(load(&path).expect("load"), c);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(remove(&path).expect("remove"));
        assert!(!remove(&path).expect("again"));
    }
}
