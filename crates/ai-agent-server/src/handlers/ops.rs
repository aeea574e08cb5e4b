use actix_web::{HttpResponse, web};
use serde_json::json;

use super::blocking;
use crate::app::AppState;
use crate::error::AppError;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(), responses((status = 200)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Readiness: the database answers and takes writes (probed at most every
/// few seconds); a 503's detail is generic, the cause is in the log.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(),
    responses((status = 200), (status = 503, body = mcp_model::api::ErrorBody)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    // Not ready is 503 whatever the cause (a full disk is 507 elsewhere).
    blocking(move || state.db.ready())
        .await
        .map_err(|e| match e {
            AppError::InsufficientStorage(d) => AppError::Unavailable(d),
            other => other,
        })?;
    Ok(HttpResponse::Ok().json(json!({"status": "ready"})))
}
