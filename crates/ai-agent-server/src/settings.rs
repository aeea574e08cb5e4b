//! Where the server keeps its state and how it listens, gathered from flags
//! and the environment by `main.rs` (and built directly by tests).

use std::path::{Path, PathBuf};

use crate::db::DatabaseUrl;
use crate::error::StartupError;
use crate::health::HealthSettings;

/// The environment variable holding the secrets key (base64 of 32 bytes).
/// Read directly, never through clap, so that it cannot show up in `--help`.
pub const SECRET_KEY_ENV: &str = "AI_AGENT_SECRET_KEY";

/// Loopback by default, so that a fresh server is not reachable from the network.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub(crate) const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// The largest import file by default (10,000 servers fit well within it).
pub(crate) const DEFAULT_IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// The default of [`Settings::auth_cache_ttl`].
pub const DEFAULT_AUTH_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Built once at start-up (by `main.rs` or by tests) and read-only afterwards.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    /// Holds the key file and the first admin's token (by default, beside the
    /// SQLite database).
    pub state_dir: PathBuf,
    /// Overrides `<state_dir>/secret.key`; ignored when `AI_AGENT_SECRET_KEY` is set.
    pub secret_key_file: Option<PathBuf>,
    /// Upper bound of the database connection pool.
    pub pool_size: u32,
    /// The JSON body limit of every request except imports; larger bodies get a 413.
    pub max_body_bytes: usize,
    /// The largest file `POST /mcp-servers/import` accepts.
    pub max_import_bytes: usize,
    /// actix worker threads; tests use one.
    pub workers: usize,
    /// Health-check bounds and policy (docs/health-checks.md).
    pub health: HealthSettings,
    /// Requests per minute per API token; `None`: no limit.
    pub rate_limit_per_minute: Option<u32>,
    /// Servers one user may own; `None`: no limit.
    pub max_servers_per_user: Option<u64>,
    /// How long a token the database confirmed is trusted without asking it
    /// again: the bound on how late a revocation or `user disable` takes
    /// effect (zero: ask every time).
    pub auth_cache_ttl: std::time::Duration,
    /// Bytes of computed listings kept (`listing_cache`); zero: none.
    pub list_cache_bytes: usize,
}

impl Settings {
    /// Settings for `database_url`, or the default SQLite file under
    /// `data_dir` (itself defaulting to the user's data directory).
    pub fn new(database_url: Option<&str>, data_dir: Option<&Path>) -> Result<Self, StartupError> {
        let data_dir = match data_dir {
            Some(d) => d.to_path_buf(),
            None => dirs::data_dir()
                .map(|d| d.join("ai-agent"))
                .ok_or_else(|| {
                    StartupError::Config(
                        "cannot find a data directory: set --data-dir or AI_AGENT_DATA_DIR".into(),
                    )
                })?,
        };
        let database = match database_url {
            Some(url) => DatabaseUrl::parse(url)?,
            None => DatabaseUrl::Sqlite(data_dir.join("ai-agent.db")),
        };
        let state_dir = match (&database, database_url.is_some()) {
            (DatabaseUrl::Sqlite(p), true) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            _ => data_dir,
        };
        // SQLite has one writer and cheap connections; a PostgreSQL
        // connection is a server process and, over TLS, some memory here,
        // and more of them than the cores can run only queue.
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let pool_size = if database.is_postgres() {
            u32::try_from((4 * cores).clamp(8, 32)).unwrap_or(8)
        } else {
            8
        };
        Ok(Settings {
            database,
            state_dir,
            secret_key_file: None,
            pool_size,
            max_body_bytes: DEFAULT_MAX_BODY,
            max_import_bytes: DEFAULT_IMPORT_LIMIT,
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            health: HealthSettings::default(),
            rate_limit_per_minute: None,
            max_servers_per_user: None,
            auth_cache_ttl: DEFAULT_AUTH_CACHE_TTL,
            list_cache_bytes: crate::listing_cache::DEFAULT_BYTES,
        })
    }

    /// Where the secrets key lives unless the environment supplies it; `rotate-key`
    /// and tests sharing a key between instances need the same path.
    pub fn key_file(&self) -> PathBuf {
        self.secret_key_file
            .clone()
            .unwrap_or_else(|| self.state_dir.join("secret.key"))
    }

    pub(crate) fn admin_token_file(&self) -> PathBuf {
        self.state_dir.join("admin-token")
    }

    /// Where the secrets key comes from: the environment, else the key file.
    pub fn key_source(&self) -> crate::services::keys::KeySource {
        use crate::services::keys::KeySource;
        match std::env::var(SECRET_KEY_ENV) {
            Ok(text) => KeySource::Env(text),
            Err(_) => KeySource::File(self.key_file()),
        }
    }
}
