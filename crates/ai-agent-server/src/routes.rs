//! Every route of the API, in one place. Each handler is registered once: its
//! actix route macro gives the path and method, its `#[utoipa::path]` the
//! operation, and utoipa-actix-web collects the OpenAPI document from these
//! same registrations, so the document cannot list a route that is not served
//! or miss one that is.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::PathItem;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{OpenApiFactory, scope};

use crate::handlers::{audit, health, import_export, me, ops, servers, tools};
use crate::openapi;

pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(scope::scope("/api/v1").configure(api));
}

fn api(cfg: &mut ServiceConfig) {
    cfg.service(openapi::serve)
        .service(me::me)
        .service(audit::list)
        .service(servers::list)
        .service(servers::create);
    // Fixed paths before /mcp-servers/{id}, which would take them as names.
    fixed(cfg, import_export::import);
    fixed(cfg, import_export::export);
    fixed(cfg, import_export::export_list);
    fixed(cfg, import_export::templates);
    cfg.service(health::check)
        .service(health::last)
        .service(tools::diff)
        .service(tools::approve)
        .service(servers::get)
        .service(servers::update)
        .service(servers::delete);
}

/// Registers an operation on a fixed path, then answers 405 there for every
/// other method: without that, `GET /mcp-servers/import` would fall through
/// to `GET /mcp-servers/{id}` and look for a server named "import".
fn fixed<F>(cfg: &mut ServiceConfig, operation: F)
where
    F: actix_web::dev::HttpServiceFactory + OpenApiFactory + 'static,
{
    let paths = operation.paths();
    cfg.service(operation);
    for (path, item) in paths.paths {
        let allow = allow_header(&methods(&item));
        cfg.map(|c| {
            c.service(web::resource(path).to(move || {
                let allow = allow.clone();
                async move { method_not_allowed(allow) }
            }))
        });
    }
}

/// The methods an OpenAPI path item documents.
fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::DELETE, item.delete.is_some()),
        (Method::OPTIONS, item.options.is_some()),
        (Method::HEAD, item.head.is_some()),
        (Method::PATCH, item.patch.is_some()),
        (Method::TRACE, item.trace.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}

fn allow_header(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An empty 405; `handlers::json_error_body` gives it the standard body.
fn method_not_allowed(allow: String) -> HttpResponse {
    let mut resp = HttpResponse::MethodNotAllowed();
    if let Ok(v) = HeaderValue::from_str(&allow) {
        resp.insert_header((header::ALLOW, v));
    }
    resp.finish()
}

/// The documented paths and their methods, for telling a 405 (known path,
/// other method) from a 404 where no route matched.
#[derive(Debug, Clone)]
pub struct RouteTable(Vec<(ResourceDef, String)>);

impl RouteTable {
    pub(crate) fn new(doc: &OpenApi) -> Self {
        let mut routes: Vec<(ResourceDef, String)> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                (
                    ResourceDef::new(path.as_str()),
                    allow_header(&methods(item)),
                )
            })
            .collect();
        // Fixed paths first, as in the router.
        routes.sort_by_key(|(def, _)| def.pattern().is_some_and(|p| p.contains('{')));
        Self(routes)
    }

    /// The answer for a request no route took: 405 if its path is served.
    pub(crate) fn unmatched(&self, req: &HttpRequest) -> Option<HttpResponse> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(req.path()))
            .map(|(_, allow)| method_not_allowed(allow.clone()))
    }
}
