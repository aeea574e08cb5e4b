use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use mcp_model::ServerType;
use mcp_model::api::{CreateServer, McpServer, ServerList, UpdateServer};
use serde::Deserialize;

use super::{JsonObject, RevealQuery, ServerPath, blocking, blocking_write, no_content};
use crate::error::AppError;
use crate::openapi::responses::{
    BadRequest, Conflict, Forbidden, InsufficientStorage, NotFound, PayloadTooLarge,
    ServiceUnavailable, TooManyRequests, Unauthorized, Unprocessable, UnsupportedMediaType,
};
use crate::services::Actor;
use crate::services::listing::{self, ListQuery};
use crate::services::servers::{self, ServerRef};
use crate::state::AppState;

/// Query string of the server listing; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only servers of this type (also accepted as `type`).
    #[serde(alias = "type")]
    pub server_type: Option<ServerType>,
    /// Only enabled (true) or disabled (false) servers.
    pub enabled: Option<bool>,
    /// Page size (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Items to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// The `next_cursor` of the previous page: the page after it, as cheap
    /// however deep it is (not with `offset`).
    pub after: Option<String>,
    /// Show the real secret values of the caller's own servers.
    #[serde(default)]
    pub reveal: bool,
}

/// The caller's servers plus the enabled global servers they do not shadow
/// with one of their own of the same name.
///
/// A listing is computed once and answered again until the data changes
/// (within this instance at once; through another instance over the same
/// PostgreSQL within milliseconds). `Cache-Control: no-cache` asks for one
/// computed now.
#[utoipa::path(operation_id = "list_servers", tag = "mcp-servers", params(ListParams,
        ("Cache-Control" = Option<String>, Header, description = "`no-cache`: compute the listing now rather than answer the one computed at the current data version")),
    responses((status = 200, body = ServerList), BadRequest, Unauthorized, Unprocessable, TooManyRequests,
        ServiceUnavailable))]
#[get("/mcp-servers")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let p = q.into_inner();
    let query = ListQuery {
        server_type: p.server_type,
        is_enabled: p.enabled,
        limit: p.limit,
        offset: p.offset,
        after: p.after,
        reveal: p.reveal,
    };
    let cached = (!no_cache(&req))
        .then(|| listing::cached(&state.listings, &state.db, &actor, &query))
        .flatten();
    let body = match cached {
        Some(body) => body,
        None => listing::compute(&state, actor, query).await?,
    };
    Ok(HttpResponse::Ok()
        .insert_header(ContentType::json())
        .body(body))
}

/// Whether the request asks for an answer computed now (`Cache-Control: no-cache`).
fn no_cache(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::CACHE_CONTROL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|d| d.trim().eq_ignore_ascii_case("no-cache"))
}

/// Registers a server; the name must be new among the caller's servers.
#[utoipa::path(operation_id = "create_server", tag = "mcp-servers", params(RevealQuery), request_body = CreateServer,
    responses(
        (status = 201, body = McpServer, headers(("Location" = String, description = "The new server's URL")),
            links(
                ("GetServer" = (operation_id = "get_server", parameters(("id" = "$response.body#/id")))),
                ("UpdateServer" = (operation_id = "update_server", parameters(("id" = "$response.body#/id")))),
                ("DeleteServer" = (operation_id = "delete_server", parameters(("id" = "$response.body#/id")))),
                ("CheckServer" = (operation_id = "health_check", parameters(("id" = "$response.body#/id")))),
            )),
        BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable,
        TooManyRequests, ServiceUnavailable, InsufficientStorage))]
#[post("/mcp-servers")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<RevealQuery>,
    body: JsonObject<CreateServer>,
) -> Result<HttpResponse, AppError> {
    let reveal = q.reveal;
    let server = blocking_write(state.db.clone(), move || {
        servers::create(&state.db, &state.key, &state.limits, &actor, body.0, reveal)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/mcp-servers/{}", server.id)))
        .json(server))
}

/// One server the caller may see; a name works in place of the id.
#[utoipa::path(operation_id = "get_server", tag = "mcp-servers", params(ServerPath, RevealQuery),
    responses((status = 200, body = McpServer), BadRequest, Unauthorized, NotFound, Conflict,
        TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
    q: web::Query<RevealQuery>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let reveal = q.reveal;
    let found =
        blocking(move || servers::get(&state.db, &state.key, &actor, &server, reveal)).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Changes the caller's own server; validated as on create.
#[utoipa::path(operation_id = "update_server", tag = "mcp-servers", params(ServerPath, RevealQuery),
    request_body = UpdateServer,
    responses((status = 200, body = McpServer), BadRequest, Unauthorized, Forbidden, NotFound, Conflict,
        PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests, ServiceUnavailable,
        InsufficientStorage))]
#[patch("/mcp-servers/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
    q: web::Query<RevealQuery>,
    body: JsonObject<UpdateServer>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    let reveal = q.reveal;
    let updated = blocking_write(state.db.clone(), move || {
        servers::update(&state.db, &state.key, &actor, &server, body.0, reveal)
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Soft-deletes the caller's own server; its name is free again.
#[utoipa::path(operation_id = "delete_server", tag = "mcp-servers", params(ServerPath),
    responses((status = 204, description = "Deleted"), BadRequest, Unauthorized, Forbidden, NotFound,
        TooManyRequests, ServiceUnavailable, InsufficientStorage))]
#[delete("/mcp-servers/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<ServerPath>,
) -> Result<HttpResponse, AppError> {
    let server = ServerRef::parse(&path.id)?;
    blocking_write(state.db.clone(), move || {
        servers::delete(&state.db, &actor, &server)
    })
    .await?;
    Ok(no_content())
}
