//! An rmcp client transport over two channels, for the transports written
//! here (stdio, legacy SSE): a writer task drains `outgoing`, a reader task
//! fills `incoming`, and when the reader ends the conversation sees EOF.
//!
//! It also drops the late answer to an abandoned `server/discover`. rmcp's
//! automatic lifecycle gives `server/discover` 10 s, then sends `initialize`
//! on the same stream; a server that starts slowly (an `npx` download, a
//! `sleep`) then reads both and answers discover first, which rmcp would take
//! for the answer to initialize and give up on a healthy server.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use rmcp::RoleClient;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use tokio::sync::mpsc;

#[derive(Debug)]
pub(crate) struct ChannelTransport {
    pub outgoing: mpsc::Sender<ClientJsonRpcMessage>,
    pub incoming: mpsc::Receiver<ServerJsonRpcMessage>,
    discover: Arc<Mutex<Discover>>,
}

impl ChannelTransport {
    pub(crate) fn new(
        outgoing: mpsc::Sender<ClientJsonRpcMessage>,
        incoming: mpsc::Receiver<ServerJsonRpcMessage>,
    ) -> Self {
        ChannelTransport {
            outgoing,
            incoming,
            discover: Arc::default(),
        }
    }
}

/// The ids of `server/discover` requests: unanswered, and abandoned (an
/// `initialize` was sent after them), whose answers are dropped.
#[derive(Debug, Default)]
pub(crate) struct Discover {
    unanswered: HashSet<String>,
    abandoned: HashSet<String>,
}

/// A message's method and id, as text, for the two the filter looks at.
fn method_and_id(v: &serde_json::Value) -> (Option<&str>, Option<String>) {
    (
        v.get("method").and_then(|m| m.as_str()),
        v.get("id").map(|id| id.to_string()),
    )
}

#[derive(Debug, thiserror::Error)]
#[error("the connection to the MCP server is closed")]
pub(crate) struct Closed;

impl Transport<RoleClient> for ChannelTransport {
    type Error = Closed;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleClient>,
    ) -> impl Future<Output = Result<(), Closed>> + Send + 'static {
        if let Ok(v) = serde_json::to_value(&item) {
            let mut d = self.discover.lock().unwrap_or_else(PoisonError::into_inner);
            match method_and_id(&v) {
                (Some("server/discover"), Some(id)) => {
                    d.unanswered.insert(id);
                }
                (Some("initialize"), _) => {
                    let late: Vec<String> = d.unanswered.drain().collect();
                    d.abandoned.extend(late);
                }
                _ => {}
            }
        }
        let tx = self.outgoing.clone();
        async move { tx.send(item).await.map_err(|_| Closed) }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleClient>> {
        loop {
            let msg = self.incoming.recv().await?;
            let watching = {
                let d = self.discover.lock().unwrap_or_else(PoisonError::into_inner);
                !d.unanswered.is_empty() || !d.abandoned.is_empty()
            };
            if !watching {
                return Some(msg);
            }
            // Only answers (no method); a server's own request has ids of its own.
            let id = serde_json::to_value(&msg)
                .ok()
                .and_then(|v| match method_and_id(&v) {
                    (None, id) => id,
                    _ => None,
                });
            let mut d = self.discover.lock().unwrap_or_else(PoisonError::into_inner);
            match id {
                Some(id) if d.abandoned.remove(&id) => continue,
                Some(id) => {
                    d.unanswered.remove(&id);
                    return Some(msg);
                }
                None => return Some(msg),
            }
        }
    }

    async fn close(&mut self) -> Result<(), Closed> {
        self.incoming.close();
        Ok(())
    }
}

/// What the reader of a hand-written transport makes of one message's text:
/// a message for rmcp, something to skip, or a protocol fault that ends the
/// conversation with a clear reason.
pub(crate) fn parse_message(text: &str) -> Result<Option<ServerJsonRpcMessage>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "invalid JSON-RPC from the server (not JSON: {e}): {}",
            snippet(text)
        )
    })?;
    if value.get("jsonrpc").and_then(|v| v.as_str()) != Some("2.0") {
        return Err(format!(
            "invalid JSON-RPC from the server (no \"jsonrpc\": \"2.0\"): {}",
            snippet(text)
        ));
    }
    match serde_json::from_value::<ServerJsonRpcMessage>(value.clone()) {
        Ok(m) => Ok(Some(m)),
        // A notification of a kind rmcp does not know is harmless.
        Err(_) if value.get("id").is_none() => Ok(None),
        Err(e) => Err(format!(
            "invalid JSON-RPC from the server ({e}): {}",
            snippet(text)
        )),
    }
}

fn snippet(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}
