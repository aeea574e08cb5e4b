use actix_web::{HttpResponse, web};

use super::blocking;
use crate::app::AppState;
use crate::error::AppError;
use crate::services::{self, Actor};

/// Who the token belongs to; the CLI's `login` checks tokens with it.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "users",
    responses((status = 200, body = mcp_model::api::Me), (status = 401, body = mcp_model::api::ErrorBody)))]
pub async fn me(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let me = blocking(move || services::users::get_me(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(me))
}
