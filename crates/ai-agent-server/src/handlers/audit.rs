use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::blocking;
use crate::app::AppState;
use crate::error::AppError;
use crate::services::{self, Actor};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub resource_id: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// `GET /api/v1/audit-logs`: the caller's own actions (an admin's: everyone's).
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(AppError::BadRequest(
            "limit must be 1..=1000 and offset not negative".into(),
        ));
    }
    let list = blocking(move || {
        services::audit::list(
            &state.db,
            &actor,
            q.resource_id.as_deref(),
            limit,
            q.offset.unwrap_or(0),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
