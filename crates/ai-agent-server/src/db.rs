//! The database: one connection type over SQLite or PostgreSQL, chosen by the
//! URL's scheme, a pool of them, and the embedded migrations of each backend.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::changes::DataVersion;
use crate::error::{AppError, StartupError};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A connection to either backend; queries written once run on both.
#[allow(missing_debug_implementations)] // diesel connections do not implement Debug
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

/// Where the data lives, parsed from a database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a bare path selects SQLite.
    pub fn parse(raw: &str) -> Result<Self, StartupError> {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_string()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.is_empty() || path == ":memory:" || path.contains("mode=memory") {
            return Err(StartupError::Config(format!(
                "database URL '{raw}': an in-memory SQLite database cannot be shared by a connection pool; give a file path"
            )));
        }
        if let Some((scheme, _)) = raw.split_once("://")
            && scheme != "sqlite"
        {
            return Err(StartupError::Config(format!(
                "database URL '{raw}': unsupported scheme '{scheme}' (use postgres:// or a SQLite file path)"
            )));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, DatabaseUrl::Postgres(_))
    }

    /// The URL with any password hidden, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => match url::Url::parse(u) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    parsed.to_string()
                }
                Err(_) => "postgres://(unparsable)".to_string(),
            },
        }
    }
}

/// Opens connections itself rather than through `DbConnection::establish`,
/// which tries each backend in turn and hides the real error; it also sets the
/// SQLite pragmas every connection needs.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    fn connect_sqlite(path: &Path) -> Result<DbConnection, diesel::ConnectionError> {
        let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
        // A page cache of 512 KiB per connection rather than SQLite's 2 MB:
        // each pooled connection fills its own, and eight of them grew a
        // server by 16 MB under a listing load over 30,000 rows, for no
        // measurable speed (the operating system caches the file as well).
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -512;",
        )
        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
        Ok(DbConnection::Sqlite(conn))
    }

    fn connect_postgres(url: &str) -> Result<DbConnection, diesel::ConnectionError> {
        Self::connect_pg(url).map(DbConnection::Pg)
    }

    fn connect_pg(url: &str) -> Result<diesel::PgConnection, diesel::ConnectionError> {
        // libpq waits for ever on an unreachable host unless told otherwise;
        // a request should learn of an outage within about two seconds.
        let url = if url.contains("connect_timeout=") {
            url.to_string()
        } else if url.contains('?') {
            format!("{url}&connect_timeout=2")
        } else {
            format!("{url}?connect_timeout=2")
        };
        diesel::PgConnection::establish(&url)
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(p) => Self::connect_sqlite(p),
            DatabaseUrl::Postgres(u) => Self::connect_postgres(u),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    /// As diesel's own manager: a connection dropped while its thread
    /// panics, or still inside a transaction (a `BEGIN IMMEDIATE` left open
    /// would hold SQLite's write lock for ever), never returns to the pool.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub(crate) type Pool = r2d2::Pool<Manager>;
pub(crate) type PooledConn = r2d2::PooledConnection<Manager>;

/// The pool, plus what makes SQLite safe under concurrent writers.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    url: DatabaseUrl,
    /// SQLite allows one writer; a transaction that reads and then writes can
    /// fail at once with SQLITE_BUSY when another writer got in between, no
    /// matter the busy timeout. Serializing write transactions in the process
    /// avoids that. PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// Turns at the lock, waited for by async callers before they take a
    /// blocking thread (see [`write_turn`](Self::write_turn)).
    write_turns: Option<Arc<tokio::sync::Semaphore>>,
    /// When the readiness probe's write last succeeded.
    probed: Arc<Mutex<Option<std::time::Instant>>>,
    /// The writes committed so far, which cached answers are checked against.
    version: Arc<DataVersion>,
}

/// How many of this process's async writers may hold a blocking thread at
/// once on SQLite: one writing, and the next waiting at the lock, which it
/// takes the moment the first lets go. With one turn, each write waited for
/// the hand-off through the async runtime: creates at 32 connections 20 %
/// slower (3,920 against 4,600 req/s, `cargo xtask bench --quick`).
pub const WRITE_TURNS: usize = 2;

/// How long a successful readiness write is trusted.
pub const PROBE_TTL: Duration = Duration::from_secs(5);

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("url", &self.url.redacted())
            .finish()
    }
}

impl Database {
    /// Opens the pool and runs pending migrations. Fails within a few seconds,
    /// with the backend's own message, when the database cannot be reached.
    pub fn open(url: &DatabaseUrl, max_size: u32) -> Result<Self, StartupError> {
        // A `file:` URI (e.g. `?mode=ro`) is SQLite's to interpret.
        if let DatabaseUrl::Sqlite(path) = url
            && !path.to_string_lossy().starts_with("file:")
        {
            private_sqlite_file(path)?;
        }
        let manager = Manager { url: url.clone() };
        // Connect once up front so that a bad URL fails with its real error
        // rather than r2d2's generic timeout.
        let mut first = r2d2::ManageConnection::connect(&manager).map_err(|e| {
            StartupError::Config(format!("cannot open database {}: {e}", url.redacted()))
        })?;
        run_migrations(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            // No idle connections kept ready: r2d2 would open them on its own
            // threads at any time, and a process exiting while one of them is
            // inside libpq's connect crashes in OpenSSL's exit handlers
            // (diesel-rs/diesel#3441). Connections open when first needed.
            .min_idle(Some(0))
            // SQLite waits out its busy timeout inside a connection; a
            // PostgreSQL outage should answer 503 quickly instead.
            .connection_timeout(Duration::from_secs(if url.is_postgres() { 2 } else { 10 }))
            .build(manager)
            .map_err(|e| {
                StartupError::Config(format!("cannot open database {}: {e}", url.redacted()))
            })?;
        let db = Database {
            pool,
            url: url.clone(),
            write_lock: (!url.is_postgres()).then(|| Arc::new(Mutex::new(()))),
            write_turns: (!url.is_postgres())
                .then(|| Arc::new(tokio::sync::Semaphore::new(WRITE_TURNS))),
            probed: Arc::default(),
            version: if url.is_postgres() {
                DataVersion::shared()
            } else {
                DataVersion::local()
            },
        };
        db.probe_write().map_err(|e| {
            StartupError::Config(format!(
                "the database {} does not take writes ({e}); check that its file and folder are writable and the disk has space",
                url.redacted()
            ))
        })?;
        Ok(db)
    }

    pub(crate) fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The version of the data as this process knows it, `None` when it
    /// cannot know (see [`crate::changes`]): what a cached answer must match.
    pub fn version(&self) -> Option<u64> {
        self.version.current()
    }

    /// On PostgreSQL, starts hearing the writes of other instances, so that
    /// [`version`](Self::version) is known; a server calls this once.
    pub(crate) fn listen_for_changes(&self) -> Result<(), StartupError> {
        let DatabaseUrl::Postgres(url) = &self.url else {
            return Ok(());
        };
        // Named, so that an operator can tell it in pg_stat_activity.
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}application_name=ai-agent-listen");
        crate::changes::listen(&self.version, move || Manager::connect_pg(&url))
            .map_err(|e| StartupError::Config(format!("cannot start the change listener: {e}")))
    }

    /// A pooled connection. When none can be had, the driver's text (host,
    /// port, database name) goes to the log only: the answer is generic.
    pub(crate) fn conn(&self) -> Result<PooledConn, AppError> {
        self.pool.get().map_err(|e| {
            tracing::warn!(error = %e, "no database connection");
            AppError::Unavailable("the database is unavailable; try again shortly".into())
        })
    }

    /// Runs `f` in one transaction that may write, and counts the write in
    /// [`version`](Self::version) once committed (on PostgreSQL, other
    /// instances hear of it through the `NOTIFY` it ends with).
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`: it takes the
    /// write lock up front (waiting for it under the busy timeout), so that a
    /// transaction that reads before it writes cannot fail half-way with
    /// SQLITE_BUSY because another connection — in this process or another,
    /// such as an admin command — wrote in between.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        // The lock first: writers waiting for it must not hold pooled
        // connections that readers and authentication need meanwhile.
        let _guard = self.write_lock.as_ref().map(|lock| {
            lock.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        });
        let mut conn = self.conn()?;
        let conn: &mut DbConnection = &mut conn;
        let result = match conn {
            DbConnection::Pg(_) => conn.transaction(|c| {
                let value = f(c)?;
                c.batch_execute(&self.version.notify_sql())?;
                Ok(value)
            }),
            DbConnection::Sqlite(_) => sqlite_immediate(conn, f),
        };
        // Counted even when it seems to have failed: a commit can succeed on
        // PostgreSQL while the answer to it is lost, and a count too many
        // only costs cached listings a recomputation.
        self.version.bump();
        // A write that failed for want of space or access makes readiness
        // probe again rather than trust its last success.
        if let Err(AppError::InsufficientStorage(_) | AppError::Unavailable(_)) = &result
            && let Ok(mut at) = self.probed.lock()
        {
            *at = None;
        }
        result
    }

    /// Waits, on SQLite, for one of [`WRITE_TURNS`] turns at the write lock:
    /// held while a write runs on a blocking thread, it keeps the writers
    /// queued behind it off the threads, which reads need (a writer on a
    /// thread would wait there for [`write`](Self::write)'s lock). `None` on
    /// PostgreSQL, whose writers do not wait for one another here.
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let turns = Arc::clone(self.write_turns.as_ref()?);
        // The semaphore is never closed.
        turns.acquire_owned().await.ok()
    }

    /// Like [`write`](Self::write), but gives up at once (`Ok(None)`) when
    /// another writer of this process holds the write lock: for best-effort
    /// bookkeeping, such as a token's last use, that must never make a
    /// request wait behind an import. Such bookkeeping is in no cached
    /// answer, so it does not count as a change.
    pub fn try_write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<Option<T>, AppError> {
        let Some(lock) = &self.write_lock else {
            let mut conn = self.conn()?;
            let conn: &mut DbConnection = &mut conn;
            return conn.transaction(f).map(Some);
        };
        let _guard = match lock.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
        };
        let mut conn = self.conn()?;
        sqlite_immediate(&mut conn, f).map(Some)
    }

    /// Whether the database answers and takes a write, for the readiness
    /// probe: a read-only file or a full disk answers reads but loses every
    /// change. The answer is checked on every probe; the write (one small
    /// row) at most every [`PROBE_TTL`], and again after any failed write.
    pub fn ready(&self) -> Result<(), AppError> {
        self.read(|conn| {
            conn.batch_execute("SELECT 1").map_err(|e| {
                tracing::warn!(error = %e, "readiness: the database does not answer");
                AppError::Unavailable("the database is unavailable; try again shortly".into())
            })
        })?;
        let fresh = self
            .probed
            .lock()
            .ok()
            .and_then(|at| *at)
            .is_some_and(|at| at.elapsed() < PROBE_TTL);
        if fresh {
            return Ok(());
        }
        self.probe_write()
    }

    fn probe_write(&self) -> Result<(), AppError> {
        // A writer holding the lock is itself proof that writes work: the
        // probe does not wait behind it (an import can take a while).
        let wrote = self.try_write(|conn| {
            let now = crate::repository::now().to_string();
            Ok(crate::repository::meta::set(
                conn,
                crate::repository::meta::READY_PROBE,
                &now,
            )?)
        });
        if let Err(e) = wrote {
            if let Ok(mut at) = self.probed.lock() {
                *at = None;
            }
            return Err(e);
        }
        if let Ok(mut at) = self.probed.lock() {
            *at = Some(std::time::Instant::now());
        }
        Ok(())
    }

    /// Runs `f` on a connection without a transaction, for reads.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }
}

/// A transaction begun with `BEGIN IMMEDIATE` on the SQLite connection inside
/// `conn`, through the same transaction manager diesel uses, so that its
/// bookkeeping stays right.
fn sqlite_immediate<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    fn inner(conn: &mut DbConnection) -> Result<&mut diesel::SqliteConnection, AppError> {
        match conn {
            DbConnection::Sqlite(c) => Ok(c),
            DbConnection::Pg(_) => Err(AppError::internal("not a SQLite connection")),
        }
    }
    AnsiTransactionManager::begin_transaction_sql(inner(conn)?, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(inner(conn)?)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(inner(conn)?) {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Any number, the same in every instance: the advisory lock that makes
/// instances starting together over one PostgreSQL migrate one at a time
/// (diesel's `run_pending_migrations` is not safe to run concurrently).
const MIGRATION_LOCK: i64 = 0x6169_6167_656e_7431;

fn run_migrations(conn: &mut DbConnection) -> Result<(), StartupError> {
    let fail =
        |e: &dyn std::fmt::Display| StartupError::Config(format!("database migration failed: {e}"));
    match conn {
        // SQLite migrations run inside a transaction that takes the file's
        // write lock; that serializes them.
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(drop)
            .map_err(|e| fail(&e)),
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .map_err(|e| fail(&e))?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(drop)
                .map_err(|e| fail(&e));
            let unlocked = c
                .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                .map_err(|e| fail(&e));
            result.and(unlocked)
        }
    }
}

/// The SQLite file and its folder, private to this user: the file is
/// created 0600 before SQLite opens it (SQLite gives its `-wal` and `-shm`
/// files the database file's mode), and files left looser by an earlier
/// version are tightened.
fn private_sqlite_file(path: &Path) -> Result<(), StartupError> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let err = |what: &Path, e: std::io::Error| {
        StartupError::Config(format!("cannot prepare {}: {e}", what.display()))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| err(dir, e))?;
    }
    if !path.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(|e| err(path, e))?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if let Ok(meta) = std::fs::metadata(&p)
            && meta.permissions().mode() & 0o077 != 0
        {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| err(&p, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Integer;

    /// The bundled SQLite is built with the query planner's stability
    /// guarantee (`.cargo/config.toml`): without it every cached statement
    /// with a bound LIMIT is planned again each time it runs.
    #[test]
    fn sqlite_plans_do_not_depend_on_bound_values() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").expect("sqlite");
        let on: i32 = diesel::select(diesel::dsl::sql::<Integer>(
            "sqlite_compileoption_used('ENABLE_QPSG')",
        ))
        .get_result(&mut conn)
        .expect("query");
        assert_eq!(on, 1, "SQLite was built without SQLITE_ENABLE_QPSG");
    }
}
