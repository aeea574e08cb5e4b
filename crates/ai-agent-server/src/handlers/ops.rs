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

/// Readiness: the database answers too.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(),
    responses((status = 200), (status = 503, body = mcp_model::api::ErrorBody)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    blocking(move || state.db.ping()).await?;
    Ok(HttpResponse::Ok().json(json!({"status": "ready"})))
}
