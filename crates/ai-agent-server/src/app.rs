//! Assembles the application: opens the database and key, and builds and
//! starts the HTTP server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::middleware::{ErrorHandlers, Logger};
use actix_web::{App, HttpServer, web};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::crypto;
use crate::db::Database;
use crate::error::StartupError;
use crate::health::Checker;
use crate::limits::{Limits, RateLimiter};
use crate::settings::Settings;
pub use crate::state::AppState;
use crate::{handlers, openapi, routes, services};

/// Opens the database (running migrations) and the secrets key that
/// database was sealed with (see [`services::keys`]).
pub fn open(settings: &Settings) -> Result<AppState, StartupError> {
    let db = Database::open(&settings.database, settings.pool_size)?;
    let (key, created) = services::keys::load_for(&db, &settings.key_source())?;
    if let Some(path) = created {
        tracing::info!(path = %path.display(), "created a new secrets key file for this new database; back it up: without it stored secrets cannot be decrypted");
    }
    let moved = services::maintenance::seal_query_values(&db, &key)?;
    if moved > 0 {
        tracing::info!(
            servers = moved,
            "moved URL query values into the sealed secrets"
        );
    }
    Ok(AppState {
        db,
        key,
        health: Arc::new(Checker::new(settings.health.clone())),
        limits: Arc::new(Limits {
            rate: settings.rate_limit_per_minute.map(RateLimiter::new),
            max_servers_per_user: settings.max_servers_per_user,
        }),
        auth: Arc::new(crate::auth_cache::AuthCache::new(settings.auth_cache_ttl)),
        listings: Arc::new(crate::listing_cache::ListingCache::new(
            settings.list_cache_bytes,
        )),
        bulk: crate::bulk::BulkWorker::start()?,
    })
}

/// On an empty database, creates the first admin and writes its token to a
/// private file, both or neither; returns that file's path when it did.
/// An existing token file (another database's first admin) is never
/// replaced: the token then goes to a file named for this database.
pub fn bootstrap(state: &AppState, settings: &Settings) -> Result<Option<PathBuf>, StartupError> {
    let path = settings.admin_token_file();
    let path = if path.exists() {
        let digest = crypto::hash_token(&settings.database.redacted());
        path.with_file_name(format!("admin-token-{}", &digest[..8]))
    } else {
        path
    };
    services::users::bootstrap_admin(
        &state.db,
        |token| {
            crypto::write_private_file(&path, &format!("{token}\n"))?;
            Ok::<_, StartupError>(path.clone())
        },
        |written| {
            let _ = std::fs::remove_file(written);
        },
    )
}

/// A started server and the address it really bound (useful with port 0).
pub struct Running {
    pub server: actix_web::dev::Server,
    pub addrs: Vec<SocketAddr>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("addrs", &self.addrs)
            .finish()
    }
}

/// Binds `bind` and returns the server, not yet awaited. `handle_signals`
/// makes SIGINT/SIGTERM shut it down gracefully (the binary wants that; tests
/// running many servers in one process do not).
pub fn start(
    state: AppState,
    settings: &Settings,
    bind: &str,
    handle_signals: bool,
) -> Result<Running, StartupError> {
    let max_body = settings.max_body_bytes;
    let import_limit = handlers::import_export::ImportLimit(settings.max_import_bytes);
    state.db.listen_for_changes()?;
    tokio::spawn(crate::services::users::record_token_uses(state.clone()));
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let (app, doc) = openapi::with_routes(
            App::new()
                .app_data(data.clone())
                .app_data(handlers::json_config(max_body))
                .app_data(handlers::query_config())
                .app_data(handlers::path_config())
                .app_data(web::PayloadConfig::new(max_body))
                .app_data(import_limit),
        );
        app.app_data(web::Data::new(routes::RouteTable::new(&doc)))
            .app_data(web::Data::new(openapi::Document(openapi::render(&doc))))
            // The UI's assets are compiled in (utoipa-swagger-ui's `vendored`); it reads the served document.
            .service(
                SwaggerUi::new("/docs/{_:.*}").config(SwaggerConfig::new(["/api/v1/openapi.json"])),
            )
            .service(web::redirect("/docs", "/docs/"))
            .default_service(web::to(handlers::not_found))
            .wrap(ErrorHandlers::new().default_handler(handlers::json_error_body))
            // The default format logs the path and query but never headers or bodies, where secrets live.
            .wrap(Logger::new("%r %s %b %Dms").log_target("ai_agent_server::http"))
    })
    .workers(settings.workers)
    // A client gets 10 s to send its request head and 5 s to close; an
    // idle keep-alive connection is dropped after 75 s. A slow client can
    // hold a connection no longer than that.
    .client_request_timeout(std::time::Duration::from_secs(10))
    .client_disconnect_timeout(std::time::Duration::from_secs(5))
    .keep_alive(std::time::Duration::from_secs(75))
    .shutdown_timeout(10)
    // Each worker runs as many database calls at once as the pool has
    // connections: a call holds one, and a thread more would only wait for
    // it, keeping its stack and heap (72 threads and a 43 MB peak under the
    // bench's loads on PostgreSQL, unbounded). SQLite's writers wait for
    // their turn before they take a thread (`Database::write_turn`), so a
    // queue of them cannot hold the threads that reads need
    // (`pool::reads_go_on_beside_a_long_write`).
    .worker_max_blocking_threads(
        usize::try_from(settings.pool_size)
            .unwrap_or(usize::MAX)
            .max(1),
    )
    .bind(bind)
    .map_err(|e| StartupError::Config(format!("cannot listen on {bind}: {e}")))?;
    if !handle_signals {
        server = server.disable_signals();
    }
    let addrs = server.addrs();
    Ok(Running {
        server: server.run(),
        addrs,
    })
}
