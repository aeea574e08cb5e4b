//! A typed client for `/api/v1`. Errors keep the server's `detail` so that the
//! CLI can show it as it is.

use std::time::Duration;

use mcp_model::api::{
    ApproveTools, AuditList, CreateServer, ErrorBody, ExportList, HealthCheckResult, ImportResult,
    McpServer, Me, SKIPPED_HEADER, ServerList, TemplateList, ToolsDiff, UpdateServer,
    WITHHELD_HEADER,
};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

/// Why a call failed; `Api` keeps the server's own `detail` for the CLI to print as it is.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid API URL '{url}': {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot reach the ai-agent server at {url}: {reason}")]
    Connect { url: String, reason: String },
    /// The server answered with an error body.
    #[error("{detail}")]
    Api { status: u16, detail: String },
    #[error("unexpected response from {url}: {reason}")]
    Protocol { url: String, reason: String },
}

impl ClientError {
    /// The HTTP status of an API error, for callers that treat 404 or 409 specially.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, ClientError>;

/// Filters of `GET /mcp-servers`.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    /// Sent as given, so the server's own validation names a bad value.
    pub server_type: Option<String>,
    pub enabled: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// A listing's `next_cursor`.
    pub after: Option<String>,
    pub reveal: bool,
    /// Ask for a listing computed now (`Cache-Control: no-cache`) rather
    /// than the one the server computed at the current data version.
    pub fresh: bool,
}

/// Options of `GET /mcp-servers/export`.
#[derive(Debug, Clone, Default)]
pub struct ExportParams {
    pub selection: ExportSelection,
    pub format: Option<String>,
}

/// Which servers an export takes.
#[derive(Debug, Clone, Default)]
pub struct ExportSelection {
    /// Sent explicitly: the server's default is `true`.
    pub include_global: bool,
    pub servers: Vec<String>,
    /// Leave out servers whose tools are not approved.
    pub approved_only: bool,
}

/// An exported client config and the secrets the server withheld from it.
#[derive(Debug, Clone)]
pub struct Export {
    pub body: String,
    /// `server.KEY` of each secret left as a `${KEY}` placeholder.
    pub withheld: Vec<String>,
    /// `name: why` of each server the export left out.
    pub skipped: Vec<String>,
}

/// Cheap to clone (it shares one connection pool); every call sends the bearer token, if any.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str, token: Option<String>) -> Result<Self> {
        let bad = |reason: String| ClientError::BadUrl {
            url: base.to_string(),
            reason,
        };
        let mut url = Url::parse(base).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https".into()));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("ai-agent/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Client {
            http,
            base: url,
            token,
        })
    }

    /// The normalized base (ending in `/`), for messages that name the server.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The URL of an API path given as segments (each one percent-encoded).
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["api", "v1"]).extend(segments);
        }
        url
    }

    fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut req = self.http.request(method, self.url(segments));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        req
    }

    async fn send(&self, req: RequestBuilder) -> Result<reqwest::Response> {
        let req = req.build().map_err(|e| ClientError::Protocol {
            url: self.base.to_string(),
            reason: e.to_string(),
        })?;
        let url = req.url().clone();
        let resp = self
            .http
            .execute(req)
            .await
            .map_err(|e| ClientError::Connect {
                url: self.base.as_str().trim_end_matches('/').to_string(),
                reason: root_cause(&e),
            })?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let detail = serde_json::from_str::<ErrorBody>(&text)
            .map(|b| b.detail)
            .unwrap_or_else(|_| {
                format!(
                    "{} {} ({})",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or(""),
                    url.path()
                )
            });
        Err(ClientError::Api {
            status: status.as_u16(),
            detail,
        })
    }

    async fn json<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let resp = self.send(req).await?;
        let url = resp.url().to_string();
        resp.json().await.map_err(|e| ClientError::Protocol {
            url,
            reason: e.to_string(),
        })
    }

    /// `GET /me`; `login` uses it to check a token before saving it.
    pub async fn me(&self) -> Result<Me> {
        self.json(self.request(Method::GET, &["me"])).await
    }

    /// `GET /mcp-servers`: one page; callers wanting all servers page through `total`.
    pub async fn list_servers(&self, p: &ListParams) -> Result<ServerList> {
        let mut q: Vec<(&str, String)> = Vec::new();
        if let Some(t) = &p.server_type {
            q.push(("type", t.clone()));
        }
        if let Some(e) = p.enabled {
            q.push(("enabled", e.to_string()));
        }
        if let Some(l) = p.limit {
            q.push(("limit", l.to_string()));
        }
        if let Some(o) = p.offset {
            q.push(("offset", o.to_string()));
        }
        if let Some(a) = &p.after {
            q.push(("after", a.clone()));
        }
        if p.reveal {
            q.push(("reveal", "true".into()));
        }
        let mut req = self.request(Method::GET, &["mcp-servers"]).query(&q);
        if p.fresh {
            req = req.header(reqwest::header::CACHE_CONTROL, "no-cache");
        }
        self.json(req).await
    }

    /// Every visible server, following pages.
    pub async fn list_all_servers(&self, reveal: bool) -> Result<Vec<McpServer>> {
        let p = ListParams {
            reveal,
            ..ListParams::default()
        };
        Ok(self.list_matching(&p).await?.items)
    }

    /// Every server matching `p`'s filters, page after page by cursor (so
    /// that a row created meanwhile neither repeats nor hides another).
    pub async fn list_matching(&self, p: &ListParams) -> Result<ServerList> {
        let mut p = ListParams {
            limit: Some(1000),
            offset: None,
            after: None,
            ..p.clone()
        };
        let mut all: Option<ServerList> = None;
        loop {
            let page = self.list_servers(&p).await?;
            let next = page.next_cursor.clone();
            match &mut all {
                None => all = Some(page),
                Some(list) => {
                    list.items.extend(page.items);
                    list.total = page.total;
                }
            }
            match next {
                Some(cursor) => p.after = Some(cursor),
                None => break,
            }
        }
        let mut list = all.unwrap_or_else(|| ServerList {
            items: Vec::new(),
            total: 0,
            limit: 0,
            offset: 0,
            next_cursor: None,
        });
        list.limit = list.items.len() as i64;
        list.next_cursor = None;
        Ok(list)
    }

    /// `POST /mcp-servers`; `reveal` returns the real secret values instead of `***`.
    pub async fn create_server(&self, req: &CreateServer, reveal: bool) -> Result<McpServer> {
        self.json(reveal_query(
            self.request(Method::POST, &["mcp-servers"]).json(req),
            reveal,
        ))
        .await
    }

    /// Accepts an id or a name, as every `{id}` path does.
    pub async fn get_server(&self, id_or_name: &str, reveal: bool) -> Result<McpServer> {
        self.json(reveal_query(
            self.request(Method::GET, &["mcp-servers", id_or_name]),
            reveal,
        ))
        .await
    }

    /// `PATCH`: only the fields set in `req` change; `***` secret values keep the stored ones.
    pub async fn update_server(
        &self,
        id_or_name: &str,
        req: &UpdateServer,
        reveal: bool,
    ) -> Result<McpServer> {
        self.json(reveal_query(
            self.request(Method::PATCH, &["mcp-servers", id_or_name])
                .json(req),
            reveal,
        ))
        .await
    }

    /// A soft delete on the server side; a second call gets a 404.
    pub async fn delete_server(&self, id_or_name: &str) -> Result<()> {
        self.send(self.request(Method::DELETE, &["mcp-servers", id_or_name]))
            .await
            .map(drop)
    }

    /// Runs a new check now; it can take as long as the server's check timeout.
    pub async fn health_check(&self, id_or_name: &str) -> Result<HealthCheckResult> {
        self.health_check_within(id_or_name, None).await
    }

    /// A check bounded by `timeout_secs` (its start and each request), not
    /// the server's own limits.
    pub async fn health_check_within(
        &self,
        id_or_name: &str,
        timeout_secs: Option<u64>,
    ) -> Result<HealthCheckResult> {
        let mut req = self.request(Method::POST, &["mcp-servers", id_or_name, "health-check"]);
        if let Some(s) = timeout_secs {
            req = req.query(&[("timeout_secs", s)]);
        }
        self.json(req).await
    }

    /// The result of the last health check, without running a new one.
    pub async fn last_health(&self, id_or_name: &str) -> Result<HealthCheckResult> {
        self.json(self.request(Method::GET, &["mcp-servers", id_or_name, "health"]))
            .await
    }

    /// The approved tools against the last healthy check's.
    pub async fn tools_diff(&self, id_or_name: &str) -> Result<ToolsDiff> {
        self.json(self.request(Method::GET, &["mcp-servers", id_or_name, "tools", "diff"]))
            .await
    }

    /// Approves the last healthy check's tools; with `fingerprint`, only if
    /// that is still the set (a 409 otherwise).
    pub async fn approve_tools(
        &self,
        id_or_name: &str,
        fingerprint: Option<String>,
    ) -> Result<ToolsDiff> {
        self.json(
            self.request(
                Method::POST,
                &["mcp-servers", id_or_name, "tools", "approve"],
            )
            .json(&ApproveTools { fingerprint }),
        )
        .await
    }

    /// Imports a client config file given as its raw bytes.
    pub async fn import(
        &self,
        file: Vec<u8>,
        format: Option<&str>,
        override_existing: bool,
    ) -> Result<ImportResult> {
        let mut q: Vec<(&str, String)> = vec![("override", override_existing.to_string())];
        if let Some(f) = format {
            q.push(("format", f.to_string()));
        }
        let req = self
            .request(Method::POST, &["mcp-servers", "import"])
            .query(&q)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(file);
        self.json(req).await
    }

    /// The body is the client config file itself, not JSON of ours; see [`Export`].
    pub async fn export(&self, p: &ExportParams) -> Result<Export> {
        let mut q = export_query(&p.selection);
        if let Some(f) = &p.format {
            q.push(("format", f.clone()));
        }
        let resp = self
            .send(
                self.request(Method::GET, &["mcp-servers", "export"])
                    .query(&q),
            )
            .await?;
        let header = |name: &str, sep: &str| -> Vec<String> {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| {
                    v.split(sep)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let withheld = header(WITHHELD_HEADER, ",");
        let skipped = header(SKIPPED_HEADER, "; ");
        let url = resp.url().to_string();
        let body = resp.text().await.map_err(|e| ClientError::Protocol {
            url,
            reason: e.to_string(),
        })?;
        Ok(Export {
            body,
            withheld,
            skipped,
        })
    }

    /// The servers an export would write, as data (what `sync` merges).
    pub async fn export_list(&self, selection: &ExportSelection) -> Result<ExportList> {
        let q = export_query(selection);
        self.json(
            self.request(Method::GET, &["mcp-servers", "export", "servers"])
                .query(&q),
        )
        .await
    }

    /// All templates, or only `name` (a 404 names the known ones).
    pub async fn templates(&self, name: Option<&str>) -> Result<TemplateList> {
        let mut req = self.request(Method::GET, &["mcp-servers", "templates"]);
        if let Some(n) = name {
            req = req.query(&[("name", n)]);
        }
        self.json(req).await
    }

    /// The caller's audit entries (an admin's: everyone's), optionally for one server.
    pub async fn audit_logs(&self, resource_id: Option<&str>) -> Result<AuditList> {
        self.audit_page(resource_id, None).await
    }

    /// The newest `limit` entries (the server's default page without one).
    pub async fn audit_page(
        &self,
        resource_id: Option<&str>,
        limit: Option<i64>,
    ) -> Result<AuditList> {
        let mut req = self.request(Method::GET, &["audit-logs"]);
        if let Some(r) = resource_id {
            req = req.query(&[("resource_id", r)]);
        }
        if let Some(l) = limit {
            req = req.query(&[("limit", l)]);
        }
        self.json(req).await
    }
}

/// The parameters both exports take.
fn export_query(s: &ExportSelection) -> Vec<(&'static str, String)> {
    let mut q = vec![("include_global", s.include_global.to_string())];
    if !s.servers.is_empty() {
        q.push(("servers", s.servers.join(",")));
    }
    if s.approved_only {
        q.push(("approved_only", "true".into()));
    }
    q
}

fn reveal_query(req: RequestBuilder, reveal: bool) -> RequestBuilder {
    if reveal {
        req.query(&[("reveal", "true")])
    } else {
        req
    }
}

/// The innermost cause of a transport error ("Connection refused"), which is
/// what a person needs to read.
fn root_cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    if e.is_timeout() {
        format!("timed out ({text})")
    } else {
        text
    }
}

/// Whether an error is the server saying "no such thing".
pub fn is_not_found(e: &ClientError) -> bool {
    e.status() == Some(StatusCode::NOT_FOUND.as_u16())
}
