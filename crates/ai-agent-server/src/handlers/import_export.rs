//! `POST /mcp-servers/import`, `GET /mcp-servers/export`, `GET /mcp-servers/export/servers`,
//! `GET /mcp-servers/templates`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use mcp_model::api::{SKIPPED_HEADER, WITHHELD_HEADER};
use mcp_model::formats::Format;
use serde::Deserialize;

use super::blocking;
use crate::error::AppError;
use crate::openapi::responses::{
    BadRequest, Conflict, Forbidden, InsufficientStorage, NotFound, PayloadTooLarge,
    ServiceUnavailable, TooManyRequests, Unauthorized, UnsupportedMediaType,
};
use crate::services::Actor;
use crate::services::import_export::{self, Selection};
use crate::state::AppState;

/// The largest import file accepted. An import needs more than the JSON
/// limit of other requests: 10,000 servers are a few MiB.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimit(pub usize);

/// Query string of an import; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Replace the caller's servers of the same name instead of skipping them.
    #[serde(rename = "override", default)]
    #[param(rename = "override")]
    pub override_existing: bool,
    /// The client whose file this is (default: detected).
    #[param(value_type = Option<Format>)]
    pub format: Option<String>,
}

fn parse_format(raw: Option<&str>) -> Result<Option<Format>, AppError> {
    raw.filter(|f| !f.is_empty())
        .map(|f| f.parse().map_err(AppError::BadRequest))
        .transpose()
}

fn too_large(limit: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "the import file is larger than the limit of {} bytes ({} MiB)",
        limit,
        limit / (1024 * 1024)
    ))
}

/// Reads a stream of chunks up to `limit` bytes.
async fn read_limited<S, E>(mut stream: S, limit: usize) -> Result<Vec<u8>, AppError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("cannot read the upload: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The file of an import: the `file` field of a multipart upload (as the
/// spec's CLI sends it), or the raw request body.
async fn read_file(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, AppError> {
    if let Some(len) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && len > limit
    {
        return Err(too_large(limit));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("").to_ascii_lowercase());
    let essence = content_type
        .as_deref()
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_string());
    let file = match essence.as_deref() {
        Some("multipart/form-data") => {
            let mut form = actix_multipart::Multipart::new(req.headers(), payload);
            let mut file = None;
            while let Some(field) = form.next().await {
                let field = field.map_err(|e| {
                    AppError::BadRequest(format!("malformed multipart upload: {e}"))
                })?;
                if field.name() == Some("file") {
                    file = Some(read_limited(field, limit).await?);
                    break;
                }
                // Other fields are drained and ignored.
                read_limited(field, limit).await?;
            }
            file.ok_or_else(|| {
                AppError::BadRequest("the multipart upload has no 'file' field".into())
            })?
        }
        None
        | Some(
            "application/json" | "text/plain" | "application/octet-stream" | "application/jsonc",
        ) => read_limited(payload, limit).await?,
        Some(other) => {
            return Err(AppError::UnsupportedMediaType(format!(
                "cannot import a body of type '{other}': send the file as multipart/form-data (field 'file') or as a raw body with Content-Type application/json, text/plain or application/octet-stream"
            )));
        }
    };
    if file.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest(
            "cannot import: the file is empty".into(),
        ));
    }
    Ok(file)
}

/// The multipart form of an import; other fields are ignored.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)] // only its OpenAPI description is used
pub struct ImportUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Imports an MCP client's config file, given as a multipart upload (field
/// `file`) or as the raw body (JSON or JSONC), in one transaction.
#[utoipa::path(operation_id = "import_servers", tag = "import-export",
    params(ImportParams),
    request_body(description = "The config file (JSON or JSONC), as the raw body or as the `file` field of a multipart upload; \
            a raw body may also be sent as text/plain or application/octet-stream",
        content(
            (Object = "application/json"),
            (ImportUpload = "multipart/form-data"),
        )),
    responses((status = 200, body = mcp_model::api::ImportResult), BadRequest, Unauthorized, Forbidden, Conflict,
        PayloadTooLarge, UnsupportedMediaType, TooManyRequests, ServiceUnavailable, InsufficientStorage))]
#[post("/mcp-servers/import")]
pub async fn import(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    q: web::Query<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let params = q.into_inner();
    let format = parse_format(params.format.as_deref())?;
    let limit = req
        .app_data::<ImportLimit>()
        .map_or(crate::settings::DEFAULT_IMPORT_LIMIT, |l| l.0);
    let file = read_file(&req, payload, limit).await?;
    let bulk = state.bulk.clone();
    let result = bulk
        .run(move || {
            crate::services::import::import(
                &state.db,
                &state.key,
                &state.limits,
                &actor,
                &file,
                format,
                params.override_existing,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Query string of an export; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Include the enabled global servers the caller does not shadow (default true).
    pub include_global: Option<bool>,
    /// The client whose file to write (default claude-desktop).
    #[param(value_type = Option<Format>)]
    pub format: Option<String>,
    /// Comma-separated server names.
    pub servers: Option<String>,
    /// Leave out servers whose tools are not approved (changed since, or never pinned).
    pub approved_only: Option<bool>,
}

/// The caller's enabled servers as a client's config file (the body is the
/// file itself); secrets the caller may not see are `${KEY}` placeholders,
/// listed in the `x-ai-agent-withheld-secrets` header.
#[utoipa::path(operation_id = "export_servers", tag = "import-export",
    params(ExportParams),
    responses((status = 200, description = "The config file", content_type = "application/json", body = Object,
            headers(("x-ai-agent-withheld-secrets" = String, description = "server.KEY, comma-separated"),
                ("x-ai-agent-skipped-servers" = String, description = "servers the client cannot take, `name: why`, `; `-separated"))),
        BadRequest, Unauthorized, NotFound, TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/export")]
pub async fn export(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let params = q.into_inner();
    let format = parse_format(params.format.as_deref())?.unwrap_or(Format::ClaudeDesktop);
    let selection = Selection {
        include_global: params.include_global.unwrap_or(true),
        only: names_param(params.servers.as_deref()),
        approved_only: params.approved_only.unwrap_or(false),
    };
    let exported =
        blocking(move || import_export::export(&state.db, &state.key, &actor, &selection, format))
            .await?;
    let mut resp = HttpResponse::Ok();
    resp.content_type("application/json");
    if !exported.withheld.is_empty() {
        resp.insert_header((WITHHELD_HEADER, exported.withheld.join(",")));
    }
    if !exported.skipped.is_empty() {
        let skipped: Vec<String> = exported
            .skipped
            .iter()
            .map(|(name, why)| format!("{name}: {why}"))
            .collect();
        resp.insert_header((SKIPPED_HEADER, skipped.join("; ")));
    }
    Ok(resp.body(exported.body))
}

/// Query string of the export list; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportListParams {
    /// Include the enabled global servers the caller does not shadow (default true).
    pub include_global: Option<bool>,
    /// Comma-separated server names.
    pub servers: Option<String>,
    /// Leave out servers whose tools are not approved (changed since, or never pinned).
    pub approved_only: Option<bool>,
}

/// The servers an export would write, as JSON rather than as one client's
/// file: what `ai-agent mcp sync` merges into the files clients already have.
#[utoipa::path(operation_id = "export_server_list", tag = "import-export",
    params(ExportListParams),
    responses((status = 200, body = mcp_model::api::ExportList),
        BadRequest, Unauthorized, NotFound, TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/export/servers")]
pub async fn export_list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ExportListParams>,
) -> Result<HttpResponse, AppError> {
    let params = q.into_inner();
    let selection = Selection {
        include_global: params.include_global.unwrap_or(true),
        only: names_param(params.servers.as_deref()),
        approved_only: params.approved_only.unwrap_or(false),
    };
    let list =
        blocking(move || import_export::exportable(&state.db, &state.key, &actor, &selection))
            .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The names of a comma-separated `servers` parameter, each once.
fn names_param(raw: Option<&str>) -> Vec<String> {
    let mut only: Vec<String> = Vec::new();
    for name in raw.unwrap_or("").split(',') {
        let name = name.trim();
        if !name.is_empty() && !only.iter().any(|n| n == name) {
            only.push(name.to_string());
        }
    }
    only
}

/// Query string of the template listing; unknown parameters are refused, not ignored.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateParams {
    /// Only this template (404 listing the known names if there is none).
    pub name: Option<String>,
}

/// The built-in templates of known MCP servers.
#[utoipa::path(operation_id = "list_templates", tag = "import-export",
    params(TemplateParams),
    responses((status = 200, body = mcp_model::api::TemplateList), BadRequest, Unauthorized, NotFound,
        TooManyRequests, ServiceUnavailable))]
#[get("/mcp-servers/templates")]
pub async fn templates(
    _actor: Actor,
    q: web::Query<TemplateParams>,
) -> Result<HttpResponse, AppError> {
    let list = import_export::templates(q.name.as_deref())?;
    Ok(HttpResponse::Ok().json(list))
}
