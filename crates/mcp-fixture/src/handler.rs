//! The MCP side of the fixture: its tools, pages and refusals.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, DiscoverRequestMethod,
    DiscoverResult, Implementation, InitializeResult, ListToolsResult, PaginatedRequestParams,
    ProtocolVersion, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};

use crate::Opts;

#[derive(Debug, Clone)]
pub struct Fixture {
    tools: Arc<Vec<Tool>>,
    page_size: usize,
    fail_tools_list: bool,
    legacy: bool,
}

impl Fixture {
    pub fn new(opts: &Opts) -> Self {
        let schema: Arc<rmcp::model::JsonObject> = Arc::new(
            serde_json::json!({"type": "object", "properties": {"text": {"type": "string"}}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        let (count, note) = tool_settings(opts);
        let tools = (0..count)
            .map(|i| {
                let name = if i == 0 {
                    "echo".to_string()
                } else {
                    format!("tool-{i}")
                };
                let note = if i == 0 { note.as_str() } else { "" };
                Tool::new(
                    name,
                    format!("Fixture tool number {i}{note}"),
                    schema.clone(),
                )
            })
            .collect();
        Fixture {
            tools: Arc::new(tools),
            page_size: opts.page_size,
            fail_tools_list: opts.fail_tools_list,
            legacy: opts.legacy,
        }
    }
}

/// The number of tools and the first one's note: from --tools-file when it
/// is given (a missing or broken file is a failure to start: the test that
/// wrote it wants to know), else from the flags.
fn tool_settings(opts: &Opts) -> (usize, String) {
    let Some(path) = &opts.tools_file else {
        return (opts.tools, opts.tool_note.clone());
    };
    let file: serde_json::Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| {
            eprintln!("mcp-fixture: cannot read {} as JSON", path.display());
            std::process::exit(2)
        });
    let count = file["tools"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(opts.tools);
    let note = file["note"].as_str().unwrap_or(&opts.tool_note).to_string();
    (count, note)
}

impl ServerHandler for Fixture {
    fn get_info(&self) -> ServerConfig {
        InitializeResult::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "mcp-fixture",
                env!("CARGO_PKG_VERSION"),
            ))
    }

    async fn discover(
        &self,
        _context: RequestContext<RoleServer>,
    ) -> Result<DiscoverResult, McpError> {
        // A pre-2026 server does not know the method at all.
        if self.legacy {
            return Err(McpError::method_not_found::<DiscoverRequestMethod>());
        }
        Ok(DiscoverResult::from_server_info(
            ProtocolVersion::KNOWN_VERSIONS.to_vec(),
            self.get_info(),
        ))
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        if self.fail_tools_list {
            return Err(McpError::internal_error(
                "tools/list is broken on purpose",
                None,
            ));
        }
        if self.page_size == 0 {
            return Ok(ListToolsResult::with_all_items((*self.tools).clone()));
        }
        let start = match request.and_then(|r| r.cursor) {
            None => 0,
            Some(c) => c
                .parse::<usize>()
                .map_err(|_| McpError::invalid_params(format!("unknown cursor {c:?}"), None))?,
        };
        let end = (start + self.page_size).min(self.tools.len());
        let page = self
            .tools
            .get(start..end)
            .map(<[Tool]>::to_vec)
            .unwrap_or_default();
        let mut result = ListToolsResult::with_all_items(page);
        if end < self.tools.len() {
            result.next_cursor = Some(end.to_string());
        }
        Ok(result)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        if !self.tools.iter().any(|t| t.name == request.name) {
            // The method exists; the tool named in its params does not (the
            // MCP spec: unknown tools are invalid params, -32602).
            return Err(McpError::invalid_params(
                format!("unknown tool: {}", request.name),
                None,
            ));
        }
        let arg = |k: &str| request.arguments.as_ref().and_then(|a| a.get(k));
        let text = arg("text")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        // `"fail": true` makes the call answer as a failing tool does.
        let result = if arg("fail").and_then(|f| f.as_bool()) == Some(true) {
            CallToolResult::error(vec![ContentBlock::text(format!("failed as asked: {text}"))])
        } else {
            CallToolResult::success(vec![ContentBlock::text(text)])
        };
        Ok(CallToolResponse::Complete(result))
    }
}
