//! Test support shared by this crate's and the CLI's integration tests: a real
//! server on `127.0.0.1:0` over a fresh database of its own, on SQLite or on
//! PostgreSQL (`AI_AGENT_TEST_POSTGRES_URL`), so that tests run in parallel.

use std::path::PathBuf;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use mcp_model::api::Role;

use crate::app;
use crate::db::DatabaseUrl;
use crate::error::{AppError, StartupError};
use crate::services;
use crate::settings::Settings;
use crate::state::AppState;

/// The environment variable naming the PostgreSQL server tests may use.
pub const TEST_POSTGRES_ENV: &str = "AI_AGENT_TEST_POSTGRES_URL";

/// The database a test runs on; `both_backends!` instantiates each test for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The PostgreSQL URL for tests, if set. When it is set, a test on
    /// PostgreSQL that cannot reach it fails rather than skips.
    pub fn postgres_url() -> Option<String> {
        std::env::var(TEST_POSTGRES_ENV)
            .ok()
            .filter(|s| !s.is_empty())
    }

    /// Whether tests of this backend can run here.
    pub fn available(self) -> bool {
        match self {
            Backend::Sqlite => true,
            Backend::Postgres => Self::postgres_url().is_some(),
        }
    }
}

/// A database made for one test and dropped after it.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh, empty database (a new PostgreSQL database per test), dropped with the value.
    pub fn new(backend: Backend) -> Result<Self, StartupError> {
        let dir = tempfile::tempdir().map_err(AppError::internal)?;
        match backend {
            Backend::Sqlite => Ok(TestDatabase {
                url: dir.path().join("test.db").to_string_lossy().into_owned(),
                dir,
                pg: None,
            }),
            Backend::Postgres => {
                let admin_url = Backend::postgres_url().ok_or_else(|| {
                    StartupError::Config(format!("{TEST_POSTGRES_ENV} is not set"))
                })?;
                let name = format!("aia_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = diesel::PgConnection::establish(&admin_url).map_err(|e| {
                    StartupError::Config(format!(
                        "cannot reach PostgreSQL at {TEST_POSTGRES_ENV}: {e}"
                    ))
                })?;
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .map_err(AppError::internal)?;
                let mut url = url::Url::parse(&admin_url).map_err(AppError::internal)?;
                url.set_path(&format!("/{name}"));
                Ok(TestDatabase {
                    url: url.to_string(),
                    dir,
                    pg: Some((admin_url, name)),
                })
            }
        }
    }

    /// Another handle on the same database, for a second server instance; it
    /// has its own state directory and drops nothing.
    pub fn share(&self) -> Result<Self, StartupError> {
        Ok(TestDatabase {
            url: self.url.clone(),
            dir: tempfile::tempdir().map_err(AppError::internal)?,
            pg: None,
        })
    }

    /// The test's own state directory, for tests that place files beside the database.
    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Settings for a server over this database, sized down for tests and with stdio
    /// checks allowed for every user (the policy's own tests set it back).
    pub fn settings(&self) -> Result<Settings, StartupError> {
        let mut s = Settings::new(Some(&self.url), Some(self.dir.path()))?;
        s.state_dir = self.dir.path().to_path_buf();
        s.workers = 1;
        s.pool_size = 4;
        // Tests check stdio fixtures owned by plain users; the policy itself
        // is tested by setting it back.
        s.health.stdio = crate::health::StdioPolicy::On;
        // The fixtures listen on loopback; the address policy's own tests set it back.
        s.health.allow_private = true;
        Ok(s)
    }

    /// The plans of the listing's queries over this database, by query
    /// (see `repository::explain`).
    pub fn visibility_plans(&self) -> Result<Vec<(&'static str, String)>, StartupError> {
        let db = crate::db::Database::open(&DatabaseUrl::parse(&self.url)?, 1)?;
        Ok(db.read(|conn| Ok(crate::repository::explain::visibility_plans(conn)?))?)
    }

    /// The SQLite file's path, for tests that read the raw bytes.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match DatabaseUrl::parse(&self.url) {
            Ok(DatabaseUrl::Sqlite(p)) => Some(p),
            _ => None,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg
            && let Ok(mut conn) = diesel::PgConnection::establish(admin_url)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A running server over its own database.
#[derive(Debug)]
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub settings: Settings,
    handle: actix_web::dev::ServerHandle,
    // Dropped last: the server must stop before its database goes.
    pub db: TestDatabase,
}

impl TestServer {
    /// Starts a server; must be called within a tokio runtime.
    pub async fn start(backend: Backend) -> Result<Self, StartupError> {
        Self::start_on(TestDatabase::new(backend)?).await
    }

    pub(crate) async fn start_on(db: TestDatabase) -> Result<Self, StartupError> {
        let settings = db.settings()?;
        Self::start_with(db, settings).await
    }

    /// Starts a server with settings the test changed; the server stops when the value drops.
    pub async fn start_with(db: TestDatabase, settings: Settings) -> Result<Self, StartupError> {
        let state = app::open(&settings)?;
        let running = app::start(state.clone(), &settings, "127.0.0.1:0", false)?;
        let addr = running
            .addrs
            .first()
            .copied()
            .ok_or_else(|| AppError::internal("server bound no address"))?;
        let handle = running.server.handle();
        tokio::spawn(running.server);
        Ok(TestServer {
            url: format!("http://{addr}"),
            state,
            settings,
            handle,
            db,
        })
    }

    /// A second instance over the same database and secrets key, as a load
    /// balancer would have behind it.
    pub async fn another_instance(&self) -> Result<TestServer, StartupError> {
        let db = self.db.share()?;
        let mut settings = db.settings()?;
        settings.secret_key_file = Some(self.settings.key_file());
        Self::start_with(db, settings).await
    }

    /// Creates a user and returns their token.
    pub fn user(&self, name: &str, role: Role) -> Result<String, AppError> {
        services::users::create_user(&self.state.db, name, role).map(|(_, t)| t)
    }

    /// Runs `sql` on the server's database as an operator's hand edit would:
    /// outside the server, in a statement of its own, telling no instance.
    pub fn by_hand(&self, sql: &str) -> Result<(), StartupError> {
        let db = crate::db::Database::open(&DatabaseUrl::parse(&self.db.url)?, 1)?;
        Ok(db.read(|c| Ok(c.batch_execute(sql)?))?)
    }

    /// Stops the server gracefully, for tests of what happens when it goes away.
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

impl Drop for TestServer {
    /// Stops the server's worker threads, so that a test binary does not
    /// accumulate servers (and their database connections) until it exits.
    fn drop(&mut self) {
        // The stop command is sent when `stop` is called; awaiting the
        // returned future would only wait for it to complete.
        drop(self.handle.stop(false));
    }
}

/// The `mcp-fixture` binary of the build running the tests, built once per
/// test process: in the test executable's own target folder and profile
/// (`target/debug`, `target/release`, or a custom profile's), so that
/// `cargo test --release` tests against a release fixture.
pub fn fixture_bin() -> Result<&'static std::path::Path, StartupError> {
    static BIN: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    BIN.get_or_init(build_fixture)
        .as_ref()
        .map(PathBuf::as_path)
        .map_err(|e| StartupError::Config(e.clone()))
}

fn build_fixture() -> Result<PathBuf, String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the test executable: {e}"))?;
    // target/<profile>/deps/<test executable>
    let profile_dir = exe
        .parent()
        .and_then(std::path::Path::parent)
        .ok_or_else(|| format!("{} is not in a target folder", exe.display()))?;
    let target = profile_dir
        .parent()
        .ok_or_else(|| format!("{} has no target folder", profile_dir.display()))?;
    let profile = profile_dir
        .file_name()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.args(["build", "--quiet", "-p", "mcp-fixture"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env("CARGO_TARGET_DIR", target);
    match profile.as_str() {
        "debug" => {}
        "release" => {
            cmd.arg("--release");
        }
        other => {
            cmd.args(["--profile", other]);
        }
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo to build mcp-fixture: {e}"))?;
    if !status.success() {
        return Err(format!("building mcp-fixture failed: {status}"));
    }
    let bin = profile_dir.join("mcp-fixture");
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!("{} is missing after building it", bin.display()))
    }
}
