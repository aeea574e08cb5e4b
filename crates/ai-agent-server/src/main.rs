//! `ai-agent-server`: runs the API (`serve`, the default) and the operator's
//! admin commands, which act on the database directly.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use ai_agent_server::app;
use ai_agent_server::crypto::SecretKey;
use ai_agent_server::db::{Database, DatabaseUrl};
use ai_agent_server::error::StartupError;
use ai_agent_server::health::{HealthSettings, StdioPolicy};
use ai_agent_server::services::{self, maintenance, users};
use ai_agent_server::settings::{DEFAULT_BIND, SECRET_KEY_ENV, Settings};
use clap::{Parser, Subcommand};
use mcp_model::api::Role;

#[derive(Debug, Parser)]
#[command(
    name = "ai-agent-server",
    version,
    about = "Serve the ai-agent REST API for MCP server configurations"
)]
struct Cli {
    /// Database URL: a SQLite file path (default: DATA_DIR/ai-agent.db) or postgres://…
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Directory for the default SQLite database, the secrets key file and the first admin's token.
    #[arg(long, env = "AI_AGENT_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// File holding the secrets key (base64, 32 bytes); created if absent. AI_AGENT_SECRET_KEY takes precedence.
    #[arg(long, env = "AI_AGENT_SECRET_KEY_FILE", global = true)]
    secret_key_file: Option<PathBuf>,
    /// `serve` is the default command: its options work without the word.
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The options of `serve`, also accepted without the word.
#[derive(Debug, Clone, clap::Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the startup line says which).
    #[arg(long, env = "AI_AGENT_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    /// Worker threads (default: one per CPU).
    #[arg(long, env = "AI_AGENT_WORKERS")]
    workers: Option<usize>,
    /// Requests per minute one API token may make; more get a 429 with Retry-After (0: no limit, the default).
    #[arg(long, env = "AI_AGENT_RATE_LIMIT", default_value_t = 0)]
    rate_limit: u32,
    /// Servers one user may own (0: no limit, the default).
    #[arg(long, env = "AI_AGENT_MAX_SERVERS_PER_USER", default_value_t = 0)]
    max_servers_per_user: u64,
    /// Seconds a token the database confirmed is trusted without asking it
    /// again: a revoked token or a disabled user is refused within this time,
    /// on every instance (0: ask on every request)
    #[arg(long, env = "AI_AGENT_AUTH_CACHE_SECS", default_value_t = 5)]
    auth_cache_secs: u64,
    /// KiB of computed listings kept to answer the same listing again until
    /// the data changes (0: compute every listing)
    #[arg(long, env = "AI_AGENT_LIST_CACHE_KIB", default_value_t = 4096)]
    list_cache_kib: usize,
    /// Database connections this instance keeps open at most (default: 8 on
    /// SQLite; on PostgreSQL four per CPU, from 8 to 32)
    #[arg(long, env = "AI_AGENT_DB_POOL", value_parser = clap::value_parser!(u32).range(1..=1024))]
    db_pool: Option<u32>,
    #[command(flatten)]
    health: HealthArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (the default; its options also work without `serve`).
    Serve(ServeArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Copy everything (users, tokens, servers with their sealed secrets, audit
    /// log) into another, empty database, e.g. from SQLite to PostgreSQL.
    /// The target keeps working with the same secrets key.
    MigrateTo {
        /// The target database URL (postgres://… or a SQLite path).
        target: String,
    },
    /// Print the OpenAPI document (as docs/openapi.json holds it) and exit.
    #[command(hide = true)]
    Openapi,
    /// Re-encrypt every stored secret under a new key, in one transaction.
    RotateKey {
        /// File for the new key: read if it exists, else created with a new
        /// random key (default: the current key file + ".new").
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
}

/// Health-check bounds and policy; see docs/health-checks.md for the risks.
#[derive(Debug, Clone, clap::Args)]
struct HealthArgs {
    /// Seconds each request of a health check after the handshake may take,
    /// unless the server has its own (check.request_timeout_secs); a request
    /// may ask for up to 300 (`?timeout_secs=`, which bounds the start too).
    #[arg(long, env = "AI_AGENT_HEALTH_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
    health_timeout: u64,
    /// Seconds a server has to start and answer the handshake, unless it
    /// has its own (check.startup_timeout_secs); `npx -y` downloads first.
    #[arg(long, env = "AI_AGENT_HEALTH_STARTUP_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600))]
    health_startup_timeout: u64,
    /// Health checks running at once; more wait for a slot.
    #[arg(long, env = "AI_AGENT_HEALTH_MAX_CONCURRENT", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1024))]
    health_max_concurrent: u64,
    /// Health checks one user may run at once (at most one less than the
    /// total, so no user can take every slot); more wait, then get a 429.
    #[arg(long, env = "AI_AGENT_HEALTH_MAX_PER_USER", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=1024))]
    health_max_per_user: u64,
    /// Which stdio servers a check may spawn: admins (servers owned by an
    /// admin), on (any), off, or allow:npx,uvx,… (these commands, any owner).
    #[arg(long, env = "AI_AGENT_HEALTH_STDIO", default_value = "admins")]
    health_stdio: StdioPolicy,
    /// Whether every user's remote checks may reach loopback, private,
    /// link-local and reserved addresses (default: only for servers an admin owns).
    #[arg(long, env = "AI_AGENT_HEALTH_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    health_allow_private: bool,
    /// Whether remote (http/sse) checks run at all (on or off).
    #[arg(long, env = "AI_AGENT_HEALTH_REMOTE", default_value = "on", value_parser = ["on", "off"])]
    health_remote: String,
    /// Check every enabled server this often, in seconds (0: never, the default).
    #[arg(long, env = "AI_AGENT_HEALTH_INTERVAL_SECS", default_value_t = 0)]
    health_interval_secs: u64,
}

impl HealthArgs {
    fn settings(self) -> HealthSettings {
        HealthSettings {
            timeout: Duration::from_secs(self.health_timeout),
            startup_timeout: Duration::from_secs(self.health_startup_timeout),
            max_concurrent: usize::try_from(self.health_max_concurrent).unwrap_or(8),
            max_per_user: usize::try_from(self.health_max_per_user).unwrap_or(2),
            stdio: self.health_stdio,
            allow_private: self.health_allow_private,
            remote: self.health_remote == "on",
            interval: (self.health_interval_secs > 0)
                .then(|| Duration::from_secs(self.health_interval_secs)),
        }
    }
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user and print their first API token (only the token, on stdout).
    Create {
        #[arg(long)]
        name: String,
        /// Make the user an admin (may manage global servers).
        #[arg(long)]
        admin: bool,
    },
    /// List users and their live token prefixes.
    List,
    /// Disable a user: their tokens stop working at once.
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create another API token for a user and print it.
    Create {
        #[arg(long)]
        user: String,
    },
    /// Revoke the token whose visible prefix (e.g. aia_Ab12Cd34) is given.
    Revoke { prefix: String },
}

fn main() -> ExitCode {
    ai_agent_server::malloc::limit_arenas();
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ai-agent-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every log line goes through the redaction of running checks' secrets
/// (whichever crate logs it); colour only on a terminal, never with NO_COLOR.
fn init_tracing() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    // AI_AGENT_LOG, else the ecosystem's RUST_LOG, else info.
    let filter = EnvFilter::try_from_env("AI_AGENT_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("AI_AGENT_LOG_FORMAT").is_ok_and(|f| f == "json");
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(ai_agent_server::redact::ScrubbingWriter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn run(cli: Cli) -> Result<(), StartupError> {
    let mut settings = Settings::new(cli.database_url.as_deref(), cli.data_dir.as_deref())?;
    settings.secret_key_file = cli.secret_key_file;
    let command = cli.command.unwrap_or(Command::Serve(cli.serve));
    match command {
        Command::Serve(ServeArgs {
            bind,
            workers,
            rate_limit,
            max_servers_per_user,
            auth_cache_secs,
            list_cache_kib,
            db_pool,
            health,
        }) => {
            if let Some(n) = db_pool {
                settings.pool_size = n;
            }
            settings.auth_cache_ttl = std::time::Duration::from_secs(auth_cache_secs);
            settings.list_cache_bytes = list_cache_kib.saturating_mul(1024);
            if let Some(w) = workers {
                settings.workers = w.max(1);
            }
            settings.rate_limit_per_minute = (rate_limit > 0).then_some(rate_limit);
            settings.max_servers_per_user =
                (max_servers_per_user > 0).then_some(max_servers_per_user);
            settings.health = health.settings();
            serve(settings, &bind)
        }
        Command::User(cmd) => {
            let state = app::open(&settings)?;
            match cmd {
                UserCommand::Create { name, admin } => {
                    let role = if admin { Role::Admin } else { Role::User };
                    let (_, token) = users::create_user(&state.db, &name, role)?;
                    println!("{token}");
                }
                UserCommand::List => {
                    for (u, tokens) in users::list_users(&state.db)? {
                        println!(
                            "{}\t{}\t{}\t{}",
                            u.name,
                            u.role.as_str(),
                            if u.is_active { "active" } else { "disabled" },
                            tokens.join(",")
                        );
                    }
                }
                UserCommand::Disable { name } => {
                    users::set_active(&state.db, &name, false)?;
                    eprintln!("user '{name}' disabled");
                }
                UserCommand::Enable { name } => {
                    users::set_active(&state.db, &name, true)?;
                    eprintln!("user '{name}' enabled");
                }
            }
            Ok(())
        }
        Command::MigrateTo { target } => migrate_to(&settings, &target),
        Command::Openapi => {
            print!("{}", ai_agent_server::openapi::document());
            Ok(())
        }
        Command::RotateKey { new_key_file } => rotate_key(&settings, new_key_file),
        Command::Token(cmd) => {
            let state = app::open(&settings)?;
            match cmd {
                TokenCommand::Create { user } => {
                    println!("{}", users::create_token(&state.db, &user)?)
                }
                TokenCommand::Revoke { prefix } => {
                    users::revoke_token(&state.db, &prefix)?;
                    eprintln!("token {prefix}… revoked");
                }
            }
            Ok(())
        }
    }
}

fn migrate_to(settings: &Settings, target: &str) -> Result<(), StartupError> {
    let source = app::open(settings)?;
    let target_url = DatabaseUrl::parse(target)?;
    if target_url == settings.database {
        return Err(StartupError::Config(
            "the target is the source database".into(),
        ));
    }
    let target_db = Database::open(&target_url, 2)?;
    let n = maintenance::copy_database(&source.db, &target_db)?;
    eprintln!(
        "copied {} users, {} tokens, {} servers and {} audit entries from {} to {}",
        n.users,
        n.tokens,
        n.servers,
        n.audit_logs,
        settings.database.redacted(),
        target_url.redacted()
    );
    eprintln!(
        "start the server with --database-url pointing at the target and the same secrets key"
    );
    Ok(())
}

fn rotate_key(settings: &Settings, new_key_file: Option<PathBuf>) -> Result<(), StartupError> {
    let state = app::open(settings)?;
    let from_env = std::env::var(SECRET_KEY_ENV).is_ok();
    let key_file = settings.key_file();
    let new_path = new_key_file.unwrap_or_else(|| {
        let mut p = key_file.clone().into_os_string();
        p.push(".new");
        PathBuf::from(p)
    });
    let (new_key, _) = SecretKey::load_or_create(&new_path)?;
    let n = maintenance::rotate_key(&state.db, &state.key, &new_key)?;
    eprintln!(
        "re-encrypted the secrets of {n} servers under the key in {}",
        new_path.display()
    );
    if from_env {
        eprintln!(
            "{SECRET_KEY_ENV} holds the old key: set it to the contents of {} on every instance and restart them",
            new_path.display()
        );
    } else if new_path != key_file {
        let mut old = key_file.clone().into_os_string();
        old.push(".old");
        let old = PathBuf::from(old);
        std::fs::rename(&key_file, &old)
            .and_then(|()| std::fs::rename(&new_path, &key_file))
            .map_err(|e| StartupError::Config(format!("secrets were re-encrypted, but moving the key files failed ({e}): the new key is in {}", new_path.display())))?;
        eprintln!(
            "{} now holds the new key; the old one is in {}: restart every instance, then destroy it",
            key_file.display(),
            old.display()
        );
    }
    Ok(())
}

fn serve(settings: Settings, bind: &str) -> Result<(), StartupError> {
    let state = app::open(&settings)?;
    tracing::info!(database = %settings.database.redacted(), "database ready");
    if let Some(path) = app::bootstrap(&state, &settings)? {
        tracing::warn!(path = %path.display(), "created the first admin user 'admin'; its API token is in this file (mode 0600)");
        eprintln!(
            "ai-agent-server: first start: admin token written to {}",
            path.display()
        );
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| StartupError::Config(format!("cannot start the runtime: {e}")))?;
    let checker = state.health.clone();
    let result = rt.block_on(async move {
        if let Some(interval) = settings.health.interval {
            tracing::info!(seconds = interval.as_secs(), "background health checks on");
            tokio::spawn(services::health::background_loop(state.clone(), interval));
        }
        let running = app::start(state, &settings, bind, true)?;
        for addr in &running.addrs {
            // Scripts read this line to learn the port chosen for port 0.
            println!("ai-agent-server listening on http://{addr}");
        }
        running
            .server
            .await
            .map_err(|e| StartupError::Config(format!("server error: {e}")))
    });
    // No check's child outlives the server.
    checker.shutdown();
    result
}
