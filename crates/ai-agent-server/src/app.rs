//! Assembles the application: opens the database and key, and builds and
//! starts the HTTP server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::middleware::{ErrorHandlers, Logger};
use actix_web::{App, HttpServer, web};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::crypto::{self, SecretKey};
use crate::db::Database;
use crate::error::AppError;
use crate::health::Checker;
use crate::settings::Settings;
use crate::{handlers, openapi, routes, services};

/// What every request handler needs.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub key: SecretKey,
    /// Runs health checks within their bounds; tracks their child processes.
    pub health: Arc<Checker>,
}

/// Opens the database (running migrations) and the secrets key.
pub fn open(settings: &Settings) -> Result<AppState, AppError> {
    let db = Database::open(&settings.database, settings.pool_size)?;
    let (key, created) = settings.load_key()?;
    if let Some(path) = created {
        tracing::info!(path = %path.display(), "created a new secrets key file; back it up: without it stored secrets cannot be decrypted");
    }
    Ok(AppState {
        db,
        key,
        health: Arc::new(Checker::new(settings.health.clone())),
    })
}

/// On an empty database, creates the first admin and writes its token to a
/// private file; returns that file's path when it did.
pub fn bootstrap(state: &AppState, settings: &Settings) -> Result<Option<PathBuf>, AppError> {
    match services::users::bootstrap_admin(&state.db)? {
        Some(token) => {
            let path = settings.admin_token_file();
            crypto::write_private_file(&path, &format!("{token}\n"))?;
            Ok(Some(path))
        }
        None => Ok(None),
    }
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
) -> Result<Running, AppError> {
    let max_body = settings.max_body_bytes;
    let import_limit = handlers::import_export::ImportLimit(settings.max_import_bytes);
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
    .shutdown_timeout(10)
    .bind(bind)
    .map_err(|e| AppError::Config(format!("cannot listen on {bind}: {e}")))?;
    if !handle_signals {
        server = server.disable_signals();
    }
    let addrs = server.addrs();
    Ok(Running {
        server: server.run(),
        addrs,
    })
}
