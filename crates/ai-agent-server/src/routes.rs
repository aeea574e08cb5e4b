//! Every route of the API, in one place.

use actix_web::web;

use crate::handlers::{audit, health, import_export, me, ops, servers};
use crate::openapi;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(ops::healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .service(
            web::scope("/api/v1")
                .route("/openapi.json", web::get().to(openapi::serve))
                .route("/me", web::get().to(me::me))
                .route("/audit-logs", web::get().to(audit::list))
                .service(
                    web::resource("/mcp-servers")
                        .route(web::get().to(servers::list))
                        .route(web::post().to(servers::create)),
                )
                // Fixed paths before /mcp-servers/{id}, which would take them as names.
                .service(
                    web::resource("/mcp-servers/import")
                        .route(web::post().to(import_export::import)),
                )
                .service(
                    web::resource("/mcp-servers/export")
                        .route(web::get().to(import_export::export)),
                )
                .service(
                    web::resource("/mcp-servers/templates")
                        .route(web::get().to(import_export::templates)),
                )
                .route(
                    "/mcp-servers/{id}/health-check",
                    web::post().to(health::check),
                )
                .route("/mcp-servers/{id}/health", web::get().to(health::last))
                .service(
                    web::resource("/mcp-servers/{id}")
                        .route(web::get().to(servers::get))
                        .route(web::patch().to(servers::update))
                        .route(web::delete().to(servers::delete)),
                ),
        );
}
