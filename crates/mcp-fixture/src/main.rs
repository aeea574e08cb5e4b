//! `mcp-fixture`: a small MCP server for the health-check tests. It speaks
//! stdio, streamable HTTP (both through rmcp) and the legacy HTTP+SSE
//! transport (hand-written here: rmcp has no server for it), offers a few
//! tools, and misbehaves on command so that every verdict of a health check
//! can be produced on purpose.

mod handler;
mod http;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use rmcp::ServiceExt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    Stdio,
    Http,
    Sse,
}

/// Every knob is a flag and an environment variable, so a stdio server
/// registration can turn them on through its `env`.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "mcp-fixture",
    version,
    about = "An MCP server that misbehaves on command"
)]
pub struct Opts {
    #[arg(long, env = "FIXTURE_TRANSPORT", value_enum, default_value = "stdio")]
    pub transport: Transport,
    /// Address for http/sse; the bound address is printed on stdout's first line.
    #[arg(long, env = "FIXTURE_BIND", default_value = "127.0.0.1:0")]
    pub bind: String,
    /// Write this process's pid here on start.
    #[arg(long, env = "FIXTURE_PID_FILE")]
    pub pid_file: Option<PathBuf>,
    /// Write this process's environment (JSON object) here on start.
    #[arg(long, env = "FIXTURE_ENV_FILE")]
    pub env_file: Option<PathBuf>,
    /// Number of tools offered.
    #[arg(long, env = "FIXTURE_TOOLS", default_value_t = 3)]
    pub tools: usize,
    /// Tools per tools/list page (0: all on one page).
    #[arg(long, env = "FIXTURE_PAGE_SIZE", default_value_t = 0)]
    pub page_size: usize,
    /// Answer tools/list with a JSON-RPC error.
    #[arg(long, env = "FIXTURE_FAIL_TOOLS_LIST")]
    pub fail_tools_list: bool,
    /// Behave like a pre-2026 server: answer server/discover with -32601.
    #[arg(long, env = "FIXTURE_LEGACY")]
    pub legacy: bool,
    /// Never answer anything.
    #[arg(long, env = "FIXTURE_HANG")]
    pub hang: bool,
    /// Exit at once with this code (after a line on stderr).
    #[arg(long, env = "FIXTURE_EXIT_CODE")]
    pub exit_code: Option<u8>,
    /// Answer with bytes that are not JSON-RPC.
    #[arg(long, env = "FIXTURE_GARBAGE")]
    pub garbage: bool,
    /// http/sse: answer every request with this HTTP status (e.g. 401).
    #[arg(long, env = "FIXTURE_STATUS")]
    pub status: Option<u16>,
    /// Wait this long before serving.
    #[arg(long, env = "FIXTURE_SLOW_START_MS", default_value_t = 0)]
    pub slow_start_ms: u64,
    /// Write this many lines to stderr before serving.
    #[arg(long, env = "FIXTURE_STDERR_FLOOD", default_value_t = 0)]
    pub stderr_flood: usize,
    /// Reflect what the client sent, as a hostile or careless server would:
    /// http/sse answer every request with its URI and headers as plain
    /// text; stdio writes its environment to stderr and stdout, then exits 1.
    #[arg(long, env = "FIXTURE_ECHO")]
    pub echo: bool,
    /// Appended to the first tool's description (e.g. hidden characters).
    #[arg(long, env = "FIXTURE_TOOL_NOTE", default_value = "")]
    pub tool_note: String,
    /// A JSON file, `{"tools": N, "note": "…"}` (each optional), read at
    /// every session's start in place of --tools and --tool-note: a test
    /// edits it between checks, as a server changing its tools would.
    #[arg(long, env = "FIXTURE_TOOLS_FILE")]
    pub tools_file: Option<PathBuf>,
}

fn main() -> ExitCode {
    let opts = Opts::parse();
    if let Some(path) = &opts.pid_file
        && let Err(e) = std::fs::write(path, std::process::id().to_string())
    {
        eprintln!("mcp-fixture: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    if let Some(path) = &opts.env_file {
        let env: serde_json::Map<String, serde_json::Value> = std::env::vars()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        if let Err(e) = std::fs::write(path, serde_json::Value::Object(env).to_string()) {
            eprintln!("mcp-fixture: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if opts.stderr_flood > 0 {
        let mut err = std::io::stderr().lock();
        for i in 0..opts.stderr_flood {
            let _ = writeln!(err, "mcp-fixture: flood line {i} {}", "x".repeat(64));
        }
    }
    if opts.echo && matches!(opts.transport, Transport::Stdio) {
        for (k, v) in std::env::vars() {
            eprintln!("mcp-fixture env: {k}={v}");
            println!("not JSON-RPC: {k}={v}");
        }
        return ExitCode::FAILURE;
    }
    if let Some(code) = opts.exit_code {
        eprintln!("mcp-fixture: exiting with code {code} as asked");
        return ExitCode::from(code);
    }
    // A stdio server answers one client in turn: one thread starts sooner
    // and answers without hand-offs between threads.
    let mut builder = match opts.transport {
        Transport::Stdio => tokio::runtime::Builder::new_current_thread(),
        Transport::Http | Transport::Sse => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        }
    };
    let rt = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mcp-fixture: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(run(opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mcp-fixture: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(opts: Opts) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match opts.transport {
        Transport::Stdio => {
            tokio::time::sleep(Duration::from_millis(opts.slow_start_ms)).await;
            serve_stdio(opts).await
        }
        Transport::Http | Transport::Sse => http::serve(opts).await,
    }
}

async fn serve_stdio(opts: Opts) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    if opts.hang {
        // Read and ignore everything, answer nothing, for ever.
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while lines.next_line().await?.is_some() {}
        std::future::pending::<()>().await;
    }
    if opts.garbage {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        let mut out = tokio::io::stdout();
        while lines.next_line().await?.is_some() {
            out.write_all(b"this is not JSON-RPC at all\n").await?;
            out.flush().await?;
        }
        return Ok(());
    }
    let service = handler::Fixture::new(&opts)
        .serve(rmcp::transport::stdio())
        .await?;
    service.waiting().await?;
    Ok(())
}
