//! The legacy HTTP+SSE transport (protocol 2024-11-05), which rmcp's client
//! does not have: GET opens an event stream whose first `endpoint` event
//! names where to POST; replies come back as `message` events on the stream.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use mcp_model::RemoteConfig;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

use super::channel::{ChannelTransport, parse_message};
use super::remote::{Target, headers, needs_auth};
use super::{Failure, Findings, Handshake, MAX_LINE_BYTES, Phase, Plan, conv_failure, converse};

/// One server-sent event.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Event {
    pub event: String,
    pub data: String,
}

/// An incremental SSE parser that never buffers more than one bounded event.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for an event's end, so that a long
    /// event arriving in many chunks is scanned once, not once per chunk.
    scanned: usize,
}

impl Parser {
    /// Where the first event in the buffer ends (after its blank line).
    fn event_end(&mut self) -> Option<usize> {
        let from = self.scanned.saturating_sub(1);
        match self.buf[from..].windows(2).position(|w| w == b"\n\n") {
            Some(at) => {
                self.scanned = 0;
                Some(from + at + 2)
            }
            None => {
                self.scanned = self.buf.len();
                None
            }
        }
    }

    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<Vec<Event>, String> {
        self.buf
            .extend(chunk.iter().copied().filter(|b| *b != b'\r'));
        let mut events = Vec::new();
        while let Some(end) = self.event_end() {
            let raw: Vec<u8> = self.buf.drain(..end).collect();
            let text = String::from_utf8_lossy(&raw);
            let mut ev = Event {
                event: "message".into(),
                data: String::new(),
            };
            let mut data_lines = Vec::new();
            for line in text.lines() {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => ev.event = value.to_string(),
                    "data" => data_lines.push(value),
                    _ => {}
                }
            }
            if !data_lines.is_empty() {
                ev.data = data_lines.join("\n");
                events.push(ev);
            }
        }
        if self.buf.len() > MAX_LINE_BYTES {
            return Err(format!(
                "invalid JSON-RPC from the server: an event is longer than {} MiB",
                MAX_LINE_BYTES / (1024 * 1024)
            ));
        }
        Ok(events)
    }
}

/// Aborts the transport's tasks however the check ends.
#[derive(Debug, Default)]
struct Tasks(Vec<JoinHandle<()>>);

impl Drop for Tasks {
    fn drop(&mut self) {
        for t in &self.0 {
            t.abort();
        }
    }
}

type Fault = Arc<Mutex<Option<Failure>>>;

fn set(fault: &Fault, f: Failure) {
    if let Ok(mut slot) = fault.lock() {
        slot.get_or_insert(f);
    }
}

pub(crate) async fn check(
    target: Target,
    c: &RemoteConfig,
    plan: &Plan,
    phase: &Phase,
    handshake: Handshake,
) -> Result<Findings, Failure> {
    phase.set("connect");
    let client = target.client()?;
    let headers: HeaderMap = headers(c)?.into_iter().collect();
    let fault: Fault = Arc::default();
    let mut tasks = Tasks::default();
    let work = run(
        client,
        &target.url,
        headers,
        phase,
        (handshake, plan),
        &fault,
        &mut tasks,
    );
    let result = tokio::time::timeout(plan.timeouts.overall(), work).await;
    drop(tasks);
    let fault = fault.lock().ok().and_then(|mut f| f.take());
    match result {
        Ok(Ok(f)) => Ok(f),
        Ok(Err(e)) => Err(fault.unwrap_or(e)),
        Err(_) => Err(plan.timeouts.overall_timed_out(phase)),
    }
}

fn http_failure(phase: &'static str, what: &str, status: reqwest::StatusCode) -> Failure {
    if matches!(status.as_u16(), 401 | 403) {
        needs_auth(
            phase,
            format!("the server requires authorization: {what} answered HTTP {status}"),
        )
    } else {
        Failure::unhealthy(phase, format!("{what} answered HTTP {status}"))
    }
}

async fn run(
    client: reqwest::Client,
    url: &url::Url,
    headers: HeaderMap,
    phase: &Phase,
    (handshake, plan): (Handshake, &Plan),
    fault: &Fault,
    tasks: &mut Tasks,
) -> Result<Findings, Failure> {
    let resp = client
        .get(url.clone())
        .headers(headers.clone())
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|e| {
            Failure::unhealthy(
                "connect",
                super::reasons::connect_failure(&e).unwrap_or_else(|| {
                    format!("cannot connect to {url}: {}", super::error_chain(&e))
                }),
            )
        })?;
    if !resp.status().is_success() {
        let status = resp.status();
        let mut f = http_failure("connect", &format!("GET {url}"), status);
        // What the server says about it, bounded in time and size.
        let body = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            super::reasons::body_start(resp),
        )
        .await
        .unwrap_or_default();
        if let Some(excerpt) = super::reasons::body_excerpt(&body) {
            f.error = format!("{}: {excerpt}", f.error);
        }
        return Err(f);
    }
    let ct = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if !ct.starts_with("text/event-stream") {
        return Err(Failure::unhealthy(
            "connect",
            format!("GET {url} answered '{ct}', not an event stream (is this an SSE server?)"),
        ));
    }
    let mut stream = resp.bytes_stream();
    let mut parser = Parser::default();
    let mut pending = std::collections::VecDeque::new();
    let endpoint = 'found: loop {
        let Some(chunk) = stream.next().await else {
            return Err(Failure::unhealthy(
                "connect",
                "the event stream ended before the 'endpoint' event",
            ));
        };
        let chunk = chunk
            .map_err(|e| Failure::unhealthy("connect", format!("reading the event stream: {e}")))?;
        let events = parser
            .push(&chunk)
            .map_err(|e| Failure::unhealthy("connect", e))?;
        let mut it = events.into_iter();
        while let Some(ev) = it.next() {
            if ev.event == "endpoint" {
                pending.extend(it);
                break 'found ev.data;
            }
        }
    };
    let endpoint = url.join(endpoint.trim()).map_err(|e| {
        Failure::unhealthy("connect", format!("the 'endpoint' event is not a URL: {e}"))
    })?;
    if endpoint.origin() != url.origin() {
        return Err(Failure::unhealthy(
            "connect",
            format!(
                "the 'endpoint' event points to another origin ({endpoint}); refusing to post there"
            ),
        ));
    }

    let (in_tx, in_rx) = mpsc::channel::<ServerJsonRpcMessage>(32);
    let (out_tx, mut out_rx) = mpsc::channel::<ClientJsonRpcMessage>(32);
    let stop = Arc::new(Notify::new());

    let reader_fault = fault.clone();
    let reader_stop = stop.clone();
    tasks.0.push(tokio::spawn(async move {
        let deliver = |ev: Event| -> Result<Option<ServerJsonRpcMessage>, String> {
            if ev.event != "message" {
                return Ok(None);
            }
            parse_message(&ev.data)
        };
        for ev in pending {
            match deliver(ev) {
                Ok(Some(m)) => {
                    if in_tx.send(m).await.is_err() {
                        return;
                    }
                }
                Ok(None) => {}
                Err(e) => return set(&reader_fault, Failure::unhealthy("initialize", e)),
            }
        }
        loop {
            let chunk = tokio::select! {
                c = stream.next() => c,
                () = reader_stop.notified() => return,
            };
            let Some(Ok(chunk)) = chunk else { return };
            let events = match parser.push(&chunk) {
                Ok(e) => e,
                Err(e) => return set(&reader_fault, Failure::unhealthy("initialize", e)),
            };
            for ev in events {
                match deliver(ev) {
                    Ok(Some(m)) => {
                        if in_tx.send(m).await.is_err() {
                            return;
                        }
                    }
                    Ok(None) => {}
                    Err(e) => return set(&reader_fault, Failure::unhealthy("initialize", e)),
                }
            }
        }
    }));

    let writer_fault = fault.clone();
    let what = format!("POST {endpoint}");
    tasks.0.push(tokio::spawn(async move {
        while let Some(msg) = out_rx.recv().await {
            let sent = client
                .post(endpoint.clone())
                .headers(headers.clone())
                .json(&msg)
                .send()
                .await;
            let failure = match sent {
                Ok(r) if r.status().is_success() => continue,
                Ok(r) => http_failure("initialize", &what, r.status()),
                Err(e) => Failure::unhealthy(
                    "initialize",
                    format!("{what} failed: {}", super::error_chain(&e)),
                ),
            };
            set(&writer_fault, failure);
            stop.notify_one();
            return;
        }
    }));

    let transport = ChannelTransport::new(out_tx, in_rx);
    converse(transport, phase, handshake, plan)
        .await
        .map_err(conv_failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_splits_events_across_chunks() {
        let mut p = Parser::default();
        assert!(
            p.push(b"event: endpoint\r\ndata: /m?s=1")
                .unwrap()
                .is_empty()
        );
        let evs = p
            .push(b"\r\n\r\n: comment\n\ndata: {\"a\":\ndata: 1}\n\n")
            .unwrap();
        assert_eq!(
            evs,
            vec![
                Event {
                    event: "endpoint".into(),
                    data: "/m?s=1".into()
                },
                Event {
                    event: "message".into(),
                    data: "{\"a\":\n1}".into()
                },
            ]
        );
    }

    #[test]
    fn parser_finds_an_end_split_across_chunks_and_scans_once() {
        let mut p = Parser::default();
        assert!(p.push(b"data: a\n").unwrap().is_empty());
        assert_eq!(p.scanned, p.buf.len(), "what was searched is remembered");
        let evs = p.push(b"\ndata: b\n\n").unwrap();
        assert_eq!(evs.len(), 2);
        assert_eq!((evs[0].data.as_str(), evs[1].data.as_str()), ("a", "b"));
        assert!(p.buf.is_empty());
    }

    #[test]
    fn parser_bounds_an_event() {
        let mut p = Parser::default();
        let big = vec![b'x'; MAX_LINE_BYTES + 1];
        assert!(p.push(&big).is_err());
    }
}
