//! The OpenAPI description of the API, generated from the handlers and the
//! shared types, served at `/api/v1/openapi.json` and checked into
//! `docs/openapi.json` (a test keeps the two equal).

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers;

#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "ai-agent API", description = "Register, share, health-check, import and export MCP server configurations."),
    paths(
        handlers::ops::healthz,
        handlers::ops::readyz,
        handlers::me::me,
        handlers::audit::list,
        handlers::servers::list,
        handlers::servers::create,
        handlers::servers::get,
        handlers::servers::update,
        handlers::servers::delete,
        handlers::health::check,
        handlers::health::last,
        handlers::import_export::import,
        handlers::import_export::export,
        handlers::import_export::templates,
    ),
    components(schemas(
        mcp_model::api::ErrorBody,
        mcp_model::api::ImportResult,
        mcp_model::api::TemplateList,
        mcp_model::api::HealthCheckResult,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub(crate) struct ApiDoc;

#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document as committed in `docs/openapi.json`: pretty, with a final newline.
pub fn document() -> String {
    let mut doc = ApiDoc::openapi();
    // The version comes from Cargo and would otherwise churn the snapshot on every release bump.
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    let mut text = doc
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

pub(crate) async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document())
}
