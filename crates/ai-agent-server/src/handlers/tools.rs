//! Tool pinning: what changed since the tools were approved, and approving.

use actix_web::{HttpResponse, get, post, web};
use mcp_model::api::{ApproveTools, ToolsDiff};

use super::{JsonObject, ServerPath, blocking, blocking_write};
use crate::error::AppError;
use crate::openapi::responses::{
    BadRequest, Conflict, Forbidden, InsufficientStorage, NotFound, PayloadTooLarge,
    ServiceUnavailable, TooManyRequests, Unauthorized, Unprocessable, UnsupportedMediaType,
};
use crate::services::Actor;
use crate::services::servers::ServerRef;
use crate::services::tools;
use crate::state::AppState;

/// `GET /api/v1/mcp-servers/{id}/tools/diff`: the approved tools against the
/// last healthy check's (empty lists when they agree).
#[utoipa::path(operation_id = "tools_diff", tag = "mcp-servers", params(ServerPath),
    responses((status = 200, body = ToolsDiff), BadRequest, Unauthorized, NotFound, Conflict,
        TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/{id}/tools/diff")]
pub async fn diff(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let changes = blocking(move || tools::diff(&state.db, &actor, &server)).await?;
    Ok(HttpResponse::Ok().json(changes))
}

/// `POST /api/v1/mcp-servers/{id}/tools/approve`: pins the last healthy
/// check's tools as the approved set (409 when there is none, or when
/// `fingerprint` names another set than the last check's).
#[utoipa::path(operation_id = "approve_tools", tag = "mcp-servers", params(ServerPath),
    request_body = ApproveTools,
    responses((status = 200, body = ToolsDiff), BadRequest, Unauthorized, Forbidden, NotFound, Conflict,
        PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests, ServiceUnavailable,
        InsufficientStorage))]
#[post("/mcp-servers/{id}/tools/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
    body: JsonObject<ApproveTools>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let approved = blocking_write(state.db.clone(), move || {
        tools::approve(&state.db, &actor, &server, &body.0)
    })
    .await?;
    Ok(HttpResponse::Ok().json(approved))
}
