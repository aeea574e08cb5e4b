use actix_web::{HttpResponse, get, post, web};
use mcp_model::api::HealthCheckResult;
use serde::Deserialize;

use super::{ServerPath, blocking};
use crate::error::AppError;
use crate::openapi::responses::{
    BadRequest, Conflict, Forbidden, InsufficientStorage, NotFound, ServiceUnavailable,
    TooManyRequests, Unauthorized,
};
use crate::services::Actor;
use crate::services::health;
use crate::services::servers::ServerRef;
use crate::state::AppState;

/// Query string of a health check; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// Overrides the server's default timeout for this check, in seconds.
    #[param(minimum = 1, maximum = 300)]
    pub timeout_secs: Option<u64>,
}

/// `POST /api/v1/mcp-servers/{id}/health-check`: runs a real MCP conversation.
#[utoipa::path(operation_id = "health_check", tag = "mcp-servers", params(ServerPath, CheckParams),
    responses((status = 200, body = HealthCheckResult,
            links(("LastHealth" = (operation_id = "last_health", parameters(("id" = "$request.path.id")))))),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict,
        TooManyRequests, ServiceUnavailable, InsufficientStorage))]
#[post("/mcp-servers/{id}/health-check")]
pub async fn check(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
    q: web::Query<CheckParams>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let result = health::check(&state, actor, server, q.timeout_secs).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// `GET /api/v1/mcp-servers/{id}/health`: the last stored result.
#[utoipa::path(operation_id = "last_health", tag = "mcp-servers", params(ServerPath),
    responses((status = 200, body = HealthCheckResult), BadRequest, Unauthorized, NotFound, Conflict,
        TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/{id}/health")]
pub async fn last(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let result = blocking(move || health::last(&state.db, &actor, &server)).await?;
    Ok(HttpResponse::Ok().json(result))
}
