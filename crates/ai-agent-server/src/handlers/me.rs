use actix_web::{HttpResponse, get};

use crate::openapi::responses::{ServiceUnavailable, TooManyRequests, Unauthorized};
use crate::services::{self, Actor};

/// Who the token belongs to; the CLI's `login` checks tokens with it.
#[utoipa::path(operation_id = "get_me", tag = "users",
    responses((status = 200, body = mcp_model::api::Me), Unauthorized, TooManyRequests, ServiceUnavailable))]
#[get("/me")]
pub async fn me(actor: Actor) -> HttpResponse {
    HttpResponse::Ok().json(services::users::me_of(&actor))
}
