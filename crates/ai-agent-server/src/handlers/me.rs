use actix_web::{HttpResponse, get, web};

use super::blocking;
use crate::error::AppError;
use crate::openapi::responses::{ServiceUnavailable, TooManyRequests, Unauthorized};
use crate::services::{self, Actor};
use crate::state::AppState;

/// Who the token belongs to; the CLI's `login` checks tokens with it.
#[utoipa::path(operation_id = "get_me", tag = "users",
    responses((status = 200, body = mcp_model::api::Me), Unauthorized, TooManyRequests, ServiceUnavailable))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let me = blocking(move || services::users::get_me(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(me))
}
