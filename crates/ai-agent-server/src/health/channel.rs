//! An rmcp client transport over two channels, for the transports written
//! here (stdio, legacy SSE): a writer task drains `outgoing`, a reader task
//! fills `incoming`, and when the reader ends the conversation sees EOF.

use rmcp::RoleClient;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use tokio::sync::mpsc;

#[derive(Debug)]
pub(crate) struct ChannelTransport {
    pub outgoing: mpsc::Sender<ClientJsonRpcMessage>,
    pub incoming: mpsc::Receiver<ServerJsonRpcMessage>,
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
        let tx = self.outgoing.clone();
        async move { tx.send(item).await.map_err(|_| Closed) }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleClient>> {
        self.incoming.recv().await
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
