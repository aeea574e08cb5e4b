//! Health checks of the MCP fixture over stdio: one at a time against the
//! fixture's bare start and handshake, and 50 at once, with the CPU they
//! used, so that a ratio bounded by the machine's cores is told from one
//! bounded by the server.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ai_agent::client::Client;
use anyhow::{Context, Result, bail};
use serde_json::json;

/// What the checks measured.
#[derive(Debug, Clone, Copy)]
pub struct Checks {
    /// One check of the fixture, by the API (mean of ten).
    pub one: Duration,
    /// Starting the fixture and having its answer to `initialize` (mean of ten).
    pub bare: Duration,
    /// 50 checks of 50 fixtures, sent at once.
    pub fifty: Duration,
    /// The CPU those 50 used: the server's own, and their processes'.
    pub fifty_cpu: (Duration, Duration),
    /// One check, and 50 at once, of fixtures that take [`SLOW_START`] to start.
    pub slow_one: Duration,
    pub slow_fifty: Duration,
}

/// How long the slow fixtures wait before serving, as a server that reads
/// its settings or reaches a network before it answers would.
pub const SLOW_START: Duration = Duration::from_millis(100);

/// Registers the fixtures (as `bench`, an admin, so that stdio checks run)
/// and measures.
pub async fn measure(client: &Client, fixture: &std::path::Path, pid: u32) -> Result<Checks> {
    register(client, fixture, "fixture", 0).await?;
    register(client, fixture, "slow", millis(SLOW_START)).await?;
    // Each measured after a first run, whose page faults and thread
    // starts belong to neither.
    mean_check(client, "fixture-00", 1).await?;
    let one = mean_check(client, "fixture-00", 10).await?;
    bare_handshake(fixture, 1)?;
    let bare = bare_handshake(fixture, 10)?;
    let before = cpu(pid)?;
    let fifty = all_at_once(client, "fixture").await?;
    // The server reaps a healthy check's process after answering.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = cpu(pid)?;
    let slow_one = mean_check(client, "slow-00", 3).await?;
    let slow_fifty = all_at_once(client, "slow").await?;
    Ok(Checks {
        one,
        bare,
        fifty,
        fifty_cpu: (after.0 - before.0, after.1 - before.1),
        slow_one,
        slow_fifty,
    })
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

async fn register(
    client: &Client,
    fixture: &std::path::Path,
    prefix: &str,
    slow_ms: u64,
) -> Result<()> {
    let servers: serde_json::Map<String, serde_json::Value> = (0..50)
        .map(|i| {
            (
                format!("{prefix}-{i:02}"),
                json!({
                    "command": fixture.to_string_lossy(),
                    "args": ["--transport", "stdio", "--slow-start-ms", slow_ms.to_string()],
                }),
            )
        })
        .collect();
    client
        .import(
            json!({"mcpServers": servers}).to_string().into_bytes(),
            None,
            false,
        )
        .await?;
    Ok(())
}

async fn mean_check(client: &Client, name: &str, runs: u32) -> Result<Duration> {
    let mut total = Duration::ZERO;
    for _ in 0..runs {
        let t = Instant::now();
        let r = client.health_check(name).await?;
        total += t.elapsed();
        if r.report.status != mcp_model::api::HealthStatus::Healthy {
            bail!("the fixture's check was not healthy: {r:?}");
        }
    }
    Ok(total / runs)
}

async fn all_at_once(client: &Client, prefix: &str) -> Result<Duration> {
    let t = Instant::now();
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let c = client.clone();
            let name = format!("{prefix}-{i:02}");
            tokio::spawn(async move { c.health_check(&name).await })
        })
        .collect();
    for h in handles {
        let r = h.await??;
        if r.report.status != mcp_model::api::HealthStatus::Healthy {
            bail!("a check of {} was not healthy: {r:?}", r.name);
        }
    }
    Ok(t.elapsed())
}

/// The mean time to start the fixture and have its answer to `initialize`.
fn bare_handshake(fixture: &std::path::Path, runs: u32) -> Result<Duration> {
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}"#;
    let t = Instant::now();
    for _ in 0..runs {
        let mut child: Child = Command::new(fixture)
            .args(["--transport", "stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        writeln!(child.stdin.as_mut().context("stdin")?, "{init}")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        if !line.contains("\"result\"") {
            bail!("the fixture did not answer initialize: {line}");
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    Ok(t.elapsed() / runs)
}

/// The CPU time of process `pid` and of its children it has reaped.
fn cpu(pid: u32) -> Result<(Duration, Duration)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command's closing parenthesis: state is the 3rd
    // field, utime the 14th, stime, cutime, cstime after it.
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .context("no ')' in /proc/PID/stat")?
        .1
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let [utime, stime, cutime, cstime] = fields[..] else {
        bail!("cannot read /proc/{pid}/stat");
    };
    // Clock ticks: 100 a second on Linux.
    let ticks = |t: u64| Duration::from_millis(t * 10);
    Ok((ticks(utime + stime), ticks(cutime + cstime)))
}
