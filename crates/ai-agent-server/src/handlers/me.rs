use actix_web::{HttpResponse, web};

use super::blocking;
use crate::app::AppState;
use crate::error::AppError;
use crate::services::{self, Actor};

/// `GET /api/v1/me`: who the token belongs to; the CLI's `login` checks tokens with it.
pub async fn me(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let me = blocking(move || services::users::get_me(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(me))
}
