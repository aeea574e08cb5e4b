use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use super::blocking;
use crate::error::AppError;
use crate::openapi::responses::ServiceUnavailable;
use crate::state::AppState;

/// `{"status": "ok"}` from `/healthz`, `{"status": "ready"}` from `/readyz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Status {
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", security(), responses((status = 200, body = Status)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// Readiness: the database answers and takes writes (probed at most every
/// few seconds); a 503's detail is generic, the cause is in the log.
#[utoipa::path(tag = "operations", security(),
    responses((status = 200, body = Status), ServiceUnavailable))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    // Not ready is 503 whatever the cause (a full disk is 507 elsewhere).
    blocking(move || state.db.ready())
        .await
        .map_err(|e| match e {
            AppError::InsufficientStorage(d) => AppError::Unavailable(d),
            other => other,
        })?;
    Ok(HttpResponse::Ok().json(Status { status: "ready" }))
}
