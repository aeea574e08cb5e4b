use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use super::blocking;
use crate::error::AppError;
use crate::openapi::responses::{
    BadRequest, ServiceUnavailable, TooManyRequests, Unauthorized, Unprocessable,
};
use crate::services::{self, Actor};
use crate::state::AppState;

/// Query string of `GET /audit-logs`; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this resource (a server id).
    pub resource_id: Option<uuid::Uuid>,
    /// Page size (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Entries to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The caller's own actions, newest first (an admin sees everyone's).
#[utoipa::path(operation_id = "list_audit_logs", tag = "audit", params(AuditQuery),
    responses((status = 200, body = mcp_model::api::AuditList), BadRequest, Unauthorized, Unprocessable,
        TooManyRequests, ServiceUnavailable))]
#[get("/audit-logs")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = services::Page::new(q.limit, q.offset)?;
    let resource = q.resource_id.map(|id| id.to_string());
    let list =
        blocking(move || services::audit::list(&state.db, &actor, resource.as_deref(), page))
            .await?;
    Ok(HttpResponse::Ok().json(list))
}
