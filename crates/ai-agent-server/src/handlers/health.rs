use actix_web::{HttpResponse, web};
use mcp_model::api::{ErrorBody, HealthCheckResult};
use serde::Deserialize;

use super::blocking;
use crate::app::AppState;
use crate::error::AppError;
use crate::services::Actor;
use crate::services::health;
use crate::services::servers::ServerRef;

/// Query string of a health check; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// Overrides the server's default timeout for this check (1..=300).
    pub timeout_secs: Option<u64>,
}

/// `POST /api/v1/mcp-servers/{id}/health-check`: runs a real MCP conversation.
#[utoipa::path(post, path = "/api/v1/mcp-servers/{id}/health-check", operation_id = "health_check", tag = "mcp-servers",
    params(("id" = String, Path, description = "Server id or name"), CheckParams),
    responses((status = 200, body = HealthCheckResult), (status = 403, body = ErrorBody, description = "refused by the health-check policy"),
        (status = 404, body = ErrorBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn check(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    q: web::Query<CheckParams>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path)?;
    let result = health::check(&state, actor, server, q.timeout_secs).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// `GET /api/v1/mcp-servers/{id}/health`: the last stored result.
#[utoipa::path(get, path = "/api/v1/mcp-servers/{id}/health", operation_id = "last_health", tag = "mcp-servers",
    params(("id" = String, Path, description = "Server id or name")),
    responses((status = 200, body = HealthCheckResult), (status = 404, body = ErrorBody, description = "unknown server, or never checked"),
        (status = 401, body = ErrorBody)))]
pub async fn last(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path)?;
    let result = blocking(move || health::last(&state.db, &actor, &server)).await?;
    Ok(HttpResponse::Ok().json(result))
}
