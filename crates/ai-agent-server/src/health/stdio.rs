//! The stdio transport: the configured command in its own process group,
//! over a cleared environment, with stdout read as bounded lines of JSON-RPC
//! and stderr kept in a small ring buffer for the report.

use std::collections::VecDeque;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use mcp_model::config::StdioConfig;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, LinesCodec, LinesCodecError};

use super::channel::{ChannelTransport, parse_message};
use super::procs::{GroupGuard, ProcessRegistry};
use super::{
    ConvError, Failure, Findings, Handshake, MAX_LINE_BYTES, Phase, Plan, conv_failure, converse,
};

/// Lines and bytes of stderr kept for the report.
pub const STDERR_LINES: usize = 50;
pub(crate) const STDERR_BYTES: usize = 16 * 1024;

pub(crate) async fn check(
    c: &StdioConfig,
    program: &std::path::Path,
    plan: &Plan,
    phase: &Phase,
    procs: &ProcessRegistry,
    handshake: Handshake,
) -> Result<Findings, Failure> {
    phase.set("spawn");
    let mut cmd = tokio::process::Command::new(program);
    // The program sees the name it was configured as, even when the
    // resolved, canonical file is what runs (multi-call binaries care).
    cmd.arg0(&c.command);
    cmd.args(&c.args)
        // Never the server's own variables (database URL, secrets key…):
        // only what a program needs to run, and the configured env.
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    for var in ["PATH", "HOME"] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd.envs(&c.env);
    let mut child = cmd.spawn().map_err(|e| spawn_failure(&c.command, &e))?;
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let mut guard = GroupGuard::new(child, procs);
    let (Some(stdin), Some(stdout), Some(stderr)) = (stdin, stdout, stderr) else {
        guard.finish().await;
        return Err(Failure::unhealthy(
            "spawn",
            "the child's pipes were not opened",
        ));
    };

    let tail = StderrTail::default();
    let stderr_task = tokio::spawn(tail.clone().drain(stderr));
    let fault: Arc<Mutex<Option<String>>> = Arc::default();
    let (out_tx, out_rx) = mpsc::channel(32);
    let (in_tx, in_rx) = mpsc::channel(32);
    let writer = tokio::spawn(write_loop(stdin, out_rx));
    let reader = tokio::spawn(read_loop(stdout, in_tx, fault.clone()));
    let transport = ChannelTransport::new(out_tx, in_rx);
    let result = tokio::time::timeout(
        plan.timeouts.overall(),
        converse(transport, phase, handshake, plan),
    )
    .await;

    // `None`: the check's whole time ran out.
    let failed = match result {
        Ok(Ok(findings)) => {
            // Healthy: nothing more is needed of the process. The guard
            // kills its group as it drops and reaps it in the background,
            // so the answer does not wait for the exit.
            writer.abort();
            reader.abort();
            stderr_task.abort();
            drop(guard);
            return Ok(findings);
        }
        Ok(Err(e)) => Some(e),
        Err(_) => None,
    };
    // Did the server end on its own? Give a dying one a moment to be seen.
    let mut exited: Option<ExitStatus> = None;
    if let Some(child) = guard.child_mut() {
        exited = child.try_wait().ok().flatten();
        if exited.is_none() && failed.is_some() {
            exited = tokio::time::timeout(Duration::from_millis(500), child.wait())
                .await
                .ok()
                .and_then(Result::ok);
        }
    }
    guard.finish().await;
    writer.abort();
    reader.abort();
    let _ = tokio::time::timeout(Duration::from_secs(1), stderr_task).await;
    let stderr_tail = tail.text();
    let fault = fault.lock().ok().and_then(|mut f| f.take());

    let Some(e) = failed else {
        return Err(Failure {
            stderr_tail,
            ..plan.timeouts.overall_timed_out(phase)
        });
    };
    // A JSON-RPC error is the cause even if the server then exited (as it
    // does when we close its stdin).
    let answered = matches!(
        e,
        ConvError::Tools(rmcp::ServiceError::McpError(_), _) | ConvError::Failed(_)
    );
    let mut f = conv_failure(e);
    if let Some(msg) = fault {
        f.error = msg;
    } else if let Some(status) = exited.filter(|_| !answered) {
        f.error = format!(
            "the server exited with {} during {}",
            describe_exit(status),
            f.phase
        );
    }
    f.stderr_tail = stderr_tail;
    Err(f)
}

fn spawn_failure(command: &str, e: &std::io::Error) -> Failure {
    let msg = match e.kind() {
        std::io::ErrorKind::NotFound => format!("command not found: {command}"),
        std::io::ErrorKind::PermissionDenied => {
            format!("permission denied: cannot execute {command}")
        }
        _ => format!("cannot start {command}: {e}"),
    };
    Failure::unhealthy("spawn", msg)
}

fn describe_exit(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(sig)) => format!("signal {sig}"),
        _ => "an unknown status".into(),
    }
}

async fn write_loop(
    mut stdin: impl AsyncWrite + Unpin,
    mut rx: mpsc::Receiver<ClientJsonRpcMessage>,
) {
    while let Some(msg) = rx.recv().await {
        let Ok(mut bytes) = serde_json::to_vec(&msg) else {
            break;
        };
        bytes.push(b'\n');
        if stdin.write_all(&bytes).await.is_err() || stdin.flush().await.is_err() {
            break;
        }
    }
}

async fn read_loop(
    stdout: impl AsyncRead + Unpin,
    tx: mpsc::Sender<ServerJsonRpcMessage>,
    fault: Arc<Mutex<Option<String>>>,
) {
    let mut lines = FramedRead::new(stdout, LinesCodec::new_with_max_length(MAX_LINE_BYTES));
    let set = |msg: String| {
        if let Ok(mut f) = fault.lock() {
            *f = Some(msg);
        }
    };
    while let Some(line) = lines.next().await {
        match line {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => match parse_message(&line) {
                Ok(Some(msg)) => {
                    if tx.send(msg).await.is_err() {
                        return;
                    }
                }
                Ok(None) => {}
                Err(e) => return set(e),
            },
            Err(LinesCodecError::MaxLineLengthExceeded) => {
                return set(format!(
                    "invalid JSON-RPC from the server: a stdout line is longer than {} MiB",
                    MAX_LINE_BYTES / (1024 * 1024)
                ));
            }
            Err(LinesCodecError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
                return set("invalid JSON-RPC from the server: stdout is not UTF-8".into());
            }
            Err(LinesCodecError::Io(_)) => return,
        }
    }
}

/// The last lines of stderr, bounded in lines and bytes however much the
/// server writes.
#[derive(Debug, Clone, Default)]
struct StderrTail(Arc<Mutex<Ring>>);

#[derive(Debug, Default)]
struct Ring {
    lines: VecDeque<String>,
    bytes: usize,
    partial: Vec<u8>,
}

impl Ring {
    fn push_line(&mut self, raw: &[u8]) {
        let line = String::from_utf8_lossy(raw).into_owned();
        self.bytes += line.len();
        self.lines.push_back(line);
        while self.lines.len() > STDERR_LINES || (self.bytes > STDERR_BYTES && self.lines.len() > 1)
        {
            if let Some(l) = self.lines.pop_front() {
                self.bytes -= l.len();
            }
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        for part in chunk.split_inclusive(|b| *b == b'\n') {
            if let Some(line) = part.strip_suffix(b"\n") {
                self.partial.extend_from_slice(line);
                let full = std::mem::take(&mut self.partial);
                self.push_line(&full);
            } else {
                let room = STDERR_BYTES.saturating_sub(self.partial.len());
                self.partial
                    .extend_from_slice(part.get(..room.min(part.len())).unwrap_or_default());
            }
        }
    }
}

impl StderrTail {
    async fn drain(self, mut stderr: impl AsyncRead + Unpin) {
        let mut buf = vec![0u8; 8192];
        while let Ok(n) = stderr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            if let Ok(mut r) = self.0.lock() {
                r.feed(buf.get(..n).unwrap_or_default());
            }
        }
    }

    fn text(&self) -> Option<String> {
        let r = self.0.lock().ok()?;
        let mut lines: Vec<String> = r.lines.iter().cloned().collect();
        if !r.partial.is_empty() {
            lines.push(String::from_utf8_lossy(&r.partial).into_owned());
        }
        let text = lines.join("\n");
        // The byte bound holds for the text too (one huge line is cut from the front).
        let text = match text.len().checked_sub(STDERR_BYTES) {
            Some(cut) if cut > 0 => {
                let start = (cut..text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                text.get(start..).unwrap_or_default().to_string()
            }
            _ => text,
        };
        (!text.trim().is_empty()).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_the_last_lines_within_bounds() {
        let mut r = Ring::default();
        for i in 0..10_000 {
            r.feed(format!("line {i} {}\n", "y".repeat(100)).as_bytes());
        }
        r.feed(&vec![b'z'; 100_000]);
        assert!(r.lines.len() <= STDERR_LINES);
        assert!(r.bytes <= STDERR_BYTES);
        assert!(r.partial.len() <= STDERR_BYTES);
        assert!(r.lines.back().is_some_and(|l| l.starts_with("line 9999 ")));
        let tail = StderrTail(Arc::new(Mutex::new(r)));
        assert!(tail.text().is_some_and(|t| t.len() <= STDERR_BYTES));
    }
}
