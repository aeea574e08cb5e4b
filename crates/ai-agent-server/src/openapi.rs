//! The OpenAPI description of the API: the operations come from the route
//! registrations (see `routes`), the rest from here. Served at
//! `/api/v1/openapi.json`, browsable at `/docs/`, and checked into
//! `docs/openapi.json` (a test keeps the two equal).

pub(crate) mod responses;

use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::{App, HttpResponse, get, web};
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "ai-agent API", description = "Register, share, health-check, import and export MCP server configurations."),
    components(schemas(
        mcp_model::api::ErrorBody,
        mcp_model::api::ImportResult,
        mcp_model::api::TemplateList,
        mcp_model::api::HealthCheckResult,
        mcp_model::formats::Format,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document as served and as committed in `docs/openapi.json`: pretty,
/// with a final newline.
#[derive(Debug, Clone)]
pub(crate) struct Document(pub(crate) String);

/// Adds every route to `app` and returns it with the document that describes
/// exactly those routes.
pub(crate) fn with_routes<T>(app: App<T>) -> (App<T>, utoipa::openapi::OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, mut doc) = app
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    require_a_field(&mut doc, "UpdateServer");
    // The version comes from Cargo and would otherwise churn the snapshot on every release bump.
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    (app, doc)
}

/// An empty PATCH is refused (it would change nothing); utoipa 5's
/// `min_properties` attribute writes `maxProperties`, hence by hand.
fn require_a_field(doc: &mut utoipa::openapi::OpenApi, schema: &str) {
    use utoipa::openapi::{RefOr, schema::Schema};
    if let Some(RefOr::T(Schema::Object(object))) = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut(schema))
    {
        object.min_properties = Some(1);
    }
}

pub(crate) fn render(doc: &utoipa::openapi::OpenApi) -> String {
    let mut value = serde_json::to_value(doc).unwrap_or_else(|e| json!({"error": e.to_string()}));
    fix_link_keys(&mut value);
    tie_config_to_type(&mut value);
    constrain_configs(&mut value);
    let mut text =
        serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// A create's `config` must fit its `server_type` (stdio needs `command`, sse
/// and http a `url`); the Rust type keeps `config` raw so that the server can
/// name the offending field, so the document splits the body in two here.
fn tie_config_to_type(doc: &mut Value) {
    let Some(create) = doc.pointer_mut("/components/schemas/CreateServer") else {
        return;
    };
    let variant = |types: &[&str], config: &str| {
        let mut v = create.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("description");
        }
        v["properties"]["server_type"] = json!({
            "description": "Optional when `config` tells: a `type` field, a `command` (stdio) or a `url` (http).",
            "type": ["string", "null"],
            "enum": types.iter().map(|t| json!(t)).chain([Value::Null]).collect::<Vec<_>>(),
        });
        v["properties"]["config"]["$ref"] = json!(format!("#/components/schemas/{config}"));
        v
    };
    let split = json!({
        "description": create.get("description").cloned().unwrap_or(Value::Null),
        "oneOf": [variant(&["stdio"], "StdioConfig"), variant(&["sse", "http"], "RemoteConfig")],
    });
    *create = split;
}

/// What `args`, `env` and `headers` may hold (see mcp-model's `config`);
/// utoipa has no attribute for `propertyNames` nor for the items of a `Vec`.
fn constrain_configs(doc: &mut Value) {
    if let Some(args) = doc
        .pointer_mut("/components/schemas/StdioConfig/properties/args")
        .and_then(Value::as_object_mut)
    {
        args.insert("maxItems".into(), json!(1024));
        args.insert(
            "items".into(),
            json!({"type": "string", "maxLength": 32768,
                "pattern": r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$"}),
        );
    }
    let maps = [
        (
            "/components/schemas/StdioConfig/properties/env",
            r"^[A-Za-z_][A-Za-z0-9_]*$",
            r"^[^\u0000]*$",
        ),
        (
            "/components/schemas/RemoteConfig/properties/headers",
            r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$",
        ),
    ];
    for (pointer, key, value) in maps {
        if let Some(map) = doc.pointer_mut(pointer).and_then(Value::as_object_mut) {
            map.insert("maxProperties".into(), json!(256));
            map.insert(
                "propertyNames".into(),
                json!({"pattern": key, "maxLength": 256}),
            );
            map.insert(
                "additionalProperties".into(),
                json!({"type": "string", "maxLength": 32768, "pattern": value}),
            );
        }
    }
}

/// utoipa 5 writes a link's fields in snake case (`operation_id`), which no
/// OpenAPI tool reads; the spec spells them in camel case.
fn fix_link_keys(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let responses = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut))
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(links) = response.get_mut("links").and_then(Value::as_object_mut) else {
            continue;
        };
        for link in links.values_mut().filter_map(Value::as_object_mut) {
            for (snake, camel) in [
                ("operation_id", "operationId"),
                ("operation_ref", "operationRef"),
                ("request_body", "requestBody"),
            ] {
                if let Some(v) = link.remove(snake) {
                    link.insert(camel.to_string(), v);
                }
            }
        }
    }
}

/// The document as committed in `docs/openapi.json`.
pub fn document() -> String {
    render(&with_routes(App::new()).1)
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(operation_id = "get_openapi", tag = "operations", security(),
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
pub(crate) async fn serve(doc: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}
