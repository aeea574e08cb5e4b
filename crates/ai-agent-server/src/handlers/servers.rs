use actix_web::{HttpResponse, web};
use mcp_model::ServerType;
use mcp_model::api::{CreateServer, UpdateServer};
use serde::Deserialize;

use super::{RevealQuery, blocking, no_content};
use crate::app::AppState;
use crate::error::AppError;
use crate::repository::servers::ListFilter;
use crate::services::Actor;
use crate::services::servers::{self, ListQuery, ServerRef};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(alias = "type")]
    pub server_type: Option<ServerType>,
    pub enabled: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    #[serde(default)]
    pub reveal: bool,
}

/// `GET /api/v1/mcp-servers`
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let p = q.into_inner();
    let query = ListQuery {
        filter: ListFilter {
            server_type: p.server_type.map(|t| t.as_str().to_string()),
            is_enabled: p.enabled,
        },
        limit: p.limit,
        offset: p.offset,
        reveal: p.reveal,
    };
    let list = blocking(move || servers::list(&state.db, &state.key, &actor, query)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// `POST /api/v1/mcp-servers`
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<RevealQuery>,
    body: web::Json<CreateServer>,
) -> Result<HttpResponse, AppError> {
    let reveal = q.reveal;
    let server =
        blocking(move || servers::create(&state.db, &state.key, &actor, body.into_inner(), reveal))
            .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/mcp-servers/{}", server.id)))
        .json(server))
}

/// `GET /api/v1/mcp-servers/{id}`; a name works in place of the id.
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    q: web::Query<RevealQuery>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path)?;
    let reveal = q.reveal;
    let found =
        blocking(move || servers::get(&state.db, &state.key, &actor, &server, reveal)).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// `PATCH /api/v1/mcp-servers/{id}`
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    q: web::Query<RevealQuery>,
    body: web::Json<UpdateServer>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path)?;
    let reveal = q.reveal;
    let updated = blocking(move || {
        servers::update(
            &state.db,
            &state.key,
            &actor,
            &server,
            body.into_inner(),
            reveal,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// `DELETE /api/v1/mcp-servers/{id}`: soft delete; the name is free again.
pub async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path)?;
    blocking(move || servers::delete(&state.db, &actor, &server)).await?;
    Ok(no_content())
}
