//! HTTP handlers: parse, authorize, call a service, respond. Also the
//! extractor configs that turn every malformed request into a JSON error.

pub mod audit;
pub mod health;
pub mod import_export;
pub mod me;
pub mod ops;
pub mod servers;
pub mod tools;

use actix_web::dev::{Payload, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use mcp_model::api::ErrorBody;

use crate::error::AppError;
use crate::routes::RouteTable;
use crate::services::{self, Actor};
use crate::state::AppState;

/// Runs blocking database work off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    services::off_thread(f).await
}

/// Runs blocking database work that writes, in its turn among writers
/// (`db` is a handle: the work itself usually takes the state along).
pub(crate) async fn blocking_write<T: Send + 'static>(
    db: crate::db::Database,
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    services::off_thread_writing(&db, f).await
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let token = token?;
            let hash = crate::crypto::hash_token(&token);
            // A token confirmed moments ago needs neither the database nor a
            // hop to a blocking thread.
            let actor = match services::users::cached(&state.auth, &hash) {
                Some(actor) => actor,
                None => {
                    let (db, auth, key) = (state.db.clone(), state.auth.clone(), hash.clone());
                    blocking(move || services::users::authenticate_hash(&db, &auth, &key)).await?
                }
            };
            // Counted per token once it is known to be one, so that made-up
            // tokens cannot fill the limiter's table.
            if let Some(rate) = &state.limits.rate {
                rate.take(&hash)?;
            }
            Ok(actor)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, AppError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        AppError::Unauthorized("missing Authorization header (expected 'Bearer <token>')".into())
    })?;
    let text = value
        .to_str()
        .map_err(|_| AppError::Unauthorized("malformed Authorization header".into()))?;
    match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(AppError::Unauthorized(
            "malformed Authorization header (expected 'Bearer <token>')".into(),
        )),
    }
}

/// A JSON body that must be an object. Read straight into `T`, serde would
/// also take an array (`[null, null]`) and fill the fields by position.
#[derive(Debug)]
pub(crate) struct JsonObject<T>(pub T);

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Size, content type and syntax are checked as for any JSON body (see `json_config`).
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let value = value.await?.into_inner();
            let invalid = |m: String| AppError::Invalid(mcp_model::ValidationError::new("body", m));
            if !value.is_object() {
                return Err(invalid("must be a JSON object".into()).into());
            }
            serde_json::from_value(value)
                .map(JsonObject)
                .map_err(|e| invalid(e.to_string()).into())
        })
    }
}

pub(crate) fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            let e = match &err {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => AppError::PayloadTooLarge(format!(
                    "request body is larger than the limit: {err}"
                )),
                JsonPayloadError::ContentType => AppError::UnsupportedMediaType(
                    "expected a JSON body with Content-Type: application/json".into(),
                ),
                JsonPayloadError::Deserialize(de) if de.is_data() => {
                    AppError::Invalid(mcp_model::ValidationError::new("body", de.to_string()))
                }
                JsonPayloadError::Deserialize(de) => {
                    AppError::BadRequest(format!("malformed JSON: {de}"))
                }
                other => AppError::BadRequest(format!("cannot read request body: {other}")),
            };
            e.into()
        })
}

pub(crate) fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let detail = match &err {
            QueryPayloadError::Deserialize(de) => format!("invalid query string: {de}"),
            other => format!("invalid query string: {other}"),
        };
        AppError::BadRequest(detail).into()
    })
}

pub(crate) fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        let detail = match &err {
            PathError::Deserialize(de) => format!("invalid path: {de}"),
            other => format!("invalid path: {other}"),
        };
        AppError::BadRequest(detail).into()
    })
}

/// What no route took: a 405 on a served path, else a 404.
pub(crate) async fn not_found(req: HttpRequest) -> Result<HttpResponse, AppError> {
    if let Some(resp) = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|routes| routes.unmatched(&req))
    {
        return Ok(resp);
    }
    Err(AppError::NotFound(format!(
        "no route for {} {}",
        req.method(),
        req.path()
    )))
}

/// Gives every error response that is not already JSON the standard body
/// (405s, payload errors raised outside our handlers, and the like).
pub fn json_error_body<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match status.as_u16() {
        405 => format!(
            "method {} is not allowed on {}",
            res.request().method(),
            res.request().path()
        ),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let body = serde_json::to_string(&ErrorBody {
        status: status.as_u16(),
        detail,
    })
    .unwrap_or_else(|_| String::from("{}"));
    let (req, mut response) = res.into_parts();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let res = ServiceResponse::new(req, response.set_body(body))
        .map_into_boxed_body()
        .map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

/// The `{id}` of a server's path: its id, or its name (names never look like ids).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ServerPath {
    /// Server id or name.
    #[param(
        min_length = 1,
        max_length = 64,
        pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    )]
    pub id: String,
}

/// `?reveal=true`: show the caller's own secret values.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevealQuery {
    /// Show the real secret values, if the caller owns the server.
    #[serde(default)]
    pub reveal: bool,
}

pub(crate) fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}
