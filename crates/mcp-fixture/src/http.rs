//! The fixture's HTTP transports: streamable HTTP through rmcp's tower
//! service, and the legacy HTTP+SSE transport (2024-11-05) written here.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{RoleServer, ServiceExt};
use tokio::sync::mpsc;

use crate::handler::Fixture;
use crate::{Opts, Transport as Kind};

type Body = BoxBody<Bytes, Infallible>;
type Sessions = Arc<Mutex<HashMap<String, mpsc::Sender<ClientJsonRpcMessage>>>>;

struct Shared {
    opts: Opts,
    streamable: StreamableHttpService<Fixture, LocalSessionManager>,
    sessions: Sessions,
}

pub async fn serve(opts: Opts) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let listener = tokio::net::TcpListener::bind(&opts.bind).await?;
    // Tests read this line to learn the port.
    println!("listening on http://{}", listener.local_addr()?);
    tokio::time::sleep(Duration::from_millis(opts.slow_start_ms)).await;
    // One per session, so that a changed --tools-file shows in the next one.
    let per_session = opts.clone();
    let streamable = StreamableHttpService::new(
        move || Ok(Fixture::new(&per_session)),
        Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default(),
    );
    let shared = Arc::new(Shared {
        opts,
        streamable,
        sessions: Arc::default(),
    });
    loop {
        let (stream, _) = listener.accept().await?;
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(route(shared, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn full(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut resp = Response::new(Full::new(body.into()).boxed());
    *resp.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    resp
}

async fn route(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Body> {
    let opts = &shared.opts;
    if opts.hang {
        std::future::pending::<()>().await;
    }
    if opts.echo {
        let mut text = format!("{} {}\n", req.method(), req.uri());
        for (k, v) in req.headers() {
            text.push_str(&format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())));
        }
        // JSON by its content type, so that a client reads the body.
        return full(StatusCode::OK, "application/json", text);
    }
    if let Some(code) = opts.status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = full(status, "text/plain", format!("status {code} as asked\n"));
        if code == 401
            && let Ok(v) = "Bearer realm=\"mcp-fixture\"".parse()
        {
            resp.headers_mut()
                .insert(hyper::header::WWW_AUTHENTICATE, v);
        }
        return resp;
    }
    match opts.transport {
        Kind::Http => {
            if opts.garbage {
                return full(StatusCode::OK, "application/json", "this is not JSON-RPC");
            }
            shared.streamable.handle(req).await
        }
        _ => match (req.method().as_str(), req.uri().path()) {
            ("GET", "/sse") => open_sse(&shared),
            ("POST", "/message") => post_message(&shared, req).await,
            _ => full(StatusCode::NOT_FOUND, "text/plain", "not found\n"),
        },
    }
}

fn sse_event(event: &str, data: &str) -> Result<Frame<Bytes>, Infallible> {
    Ok(Frame::data(Bytes::from(format!(
        "event: {event}\ndata: {data}\n\n"
    ))))
}

/// `GET /sse`: announces the POST endpoint, then carries every reply.
fn open_sse(shared: &Shared) -> Response<Body> {
    let session = uuid::Uuid::new_v4().simple().to_string();
    let (to_server, from_client) = mpsc::channel::<ClientJsonRpcMessage>(64);
    let (to_client, from_server) = mpsc::channel::<ServerJsonRpcMessage>(64);
    if let Ok(mut map) = shared.sessions.lock() {
        map.insert(session.clone(), to_server);
    }
    let garbage = shared.opts.garbage;
    if !garbage {
        let transport = ServerChannels {
            tx: to_client,
            rx: from_client,
        };
        let fixture = Fixture::new(&shared.opts);
        let sessions = shared.sessions.clone();
        let id = session.clone();
        tokio::spawn(async move {
            if let Ok(running) = fixture.serve(transport).await {
                let _ = running.waiting().await;
            }
            if let Ok(mut map) = sessions.lock() {
                map.remove(&id);
            }
        });
    } else {
        // Accept every POST, answer only garbage on the stream.
        drop(to_client);
        let mut from_client = from_client;
        tokio::spawn(async move { while from_client.recv().await.is_some() {} });
    }
    let first = futures_util::stream::once(async move {
        sse_event("endpoint", &format!("/message?sessionId={session}"))
    });
    let rest =
        futures_util::stream::unfold((from_server, garbage), |(mut rx, garbage)| async move {
            if garbage {
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Some((sse_event("message", "this is not JSON-RPC"), (rx, false)));
            }
            let msg = rx.recv().await?;
            let data = serde_json::to_string(&msg).unwrap_or_default();
            Some((sse_event("message", &data), (rx, false)))
        });
    let body = StreamBody::new(futures_util::StreamExt::chain(first, rest));
    let mut resp = Response::new(BodyExt::boxed(body));
    if let Ok(v) = "text/event-stream".parse() {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    resp
}

/// `POST /message?sessionId=…`: hands one message to the session; the reply
/// goes out on the SSE stream.
async fn post_message(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let session = req
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|kv| kv.strip_prefix("sessionId="))
        .unwrap_or_default()
        .to_string();
    let sender = shared
        .sessions
        .lock()
        .ok()
        .and_then(|m| m.get(&session).cloned());
    let Some(sender) = sender else {
        return full(StatusCode::NOT_FOUND, "text/plain", "unknown session\n");
    };
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return full(StatusCode::BAD_REQUEST, "text/plain", "unreadable body\n"),
    };
    let msg: ClientJsonRpcMessage = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(e) => return full(StatusCode::BAD_REQUEST, "text/plain", format!("{e}\n")),
    };
    if sender.send(msg).await.is_err() {
        return full(StatusCode::GONE, "text/plain", "session closed\n");
    }
    full(StatusCode::ACCEPTED, "text/plain", "")
}

/// An rmcp server transport over two channels: POSTs in, SSE events out.
struct ServerChannels {
    tx: mpsc::Sender<ServerJsonRpcMessage>,
    rx: mpsc::Receiver<ClientJsonRpcMessage>,
}

#[derive(Debug)]
struct Closed;

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the SSE stream is closed")
    }
}

impl std::error::Error for Closed {}

impl Transport<RoleServer> for ServerChannels {
    type Error = Closed;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Closed>> + Send + 'static {
        let tx = self.tx.clone();
        async move { tx.send(item).await.map_err(|_| Closed) }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        self.rx.recv().await
    }

    async fn close(&mut self) -> Result<(), Closed> {
        self.rx.close();
        Ok(())
    }
}
