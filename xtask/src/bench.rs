//! `cargo xtask bench`: builds the server and this tool in release mode, starts
//! the real server binary on 127.0.0.1:0 over a fresh database, and measures
//! it through the CLI's own HTTP client. Figures go to stdout; record them in
//! docs/benchmarks.md with the machine and the date.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ai_agent::client::{Client, ListParams};
use anyhow::{Context, Result, bail};
use mcp_model::api::CreateServer;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Servers to create in the create benchmark.
    #[arg(long, default_value_t = 2000)]
    servers: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Also run against PostgreSQL (a URL of a server where a database may be
    /// created; default: AI_AGENT_TEST_POSTGRES_URL when set).
    #[arg(long, env = "AI_AGENT_TEST_POSTGRES_URL")]
    postgres: Option<String>,
    /// Internal: run the measurements in this (release) process.
    #[arg(long, hide = true)]
    inner: bool,
}

pub fn run(args: &Args) -> Result<()> {
    if !args.inner {
        // Measure with optimized code on both sides of the socket.
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "ai-agent-server",
                "-p",
                "xtask",
            ])
            .status()?;
        if !status.success() {
            bail!("release build failed");
        }
        let mut cmd = Command::new(release_bin("xtask"));
        cmd.args([
            "bench",
            "--inner",
            "--servers",
            &args.servers.to_string(),
            "--concurrency",
            &args.concurrency.to_string(),
        ]);
        if let Some(pg) = &args.postgres {
            cmd.args(["--postgres", pg]);
        }
        let status = cmd.status()?;
        if !status.success() {
            bail!("benchmark failed");
        }
        return Ok(());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    println!(
        "# ai-agent benchmarks ({} servers, concurrency {})",
        args.servers, args.concurrency
    );
    println!(
        "machine: {} CPUs",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let dir = tempfile_dir()?;
    rt.block_on(bench_backend(
        "sqlite",
        &dir.join("bench.db").to_string_lossy(),
        &dir,
        args,
    ))?;
    if let Some(pg) = &args.postgres {
        let name = format!("aia_bench_{}", std::process::id());
        psql_admin(pg, &format!("CREATE DATABASE {name}"))?;
        let mut url = url::Url::parse(pg)?;
        url.set_path(&format!("/{name}"));
        let result = rt.block_on(bench_backend(
            "postgres",
            url.as_str(),
            &dir.join("pg"),
            args,
        ));
        psql_admin(pg, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        result?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn release_bin(name: &str) -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        std::path::PathBuf::from,
    );
    target.join("release").join(name)
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("ai-agent-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs `sql` with PostgreSQL's own client, so that xtask links no driver.
fn psql_admin(url: &str, sql: &str) -> Result<()> {
    let status = Command::new("psql")
        .args([
            "--quiet",
            "--no-psqlrc",
            "-v",
            "ON_ERROR_STOP=1",
            url,
            "-c",
            sql,
        ])
        .status()
        .context("running psql (PostgreSQL's client) to create the benchmark database")?;
    if !status.success() {
        bail!("psql failed: {status}");
    }
    Ok(())
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server_cmd(db: &str, dir: &std::path::Path) -> Command {
    let mut c = Command::new(release_bin("ai-agent-server"));
    c.arg("--database-url")
        .arg(db)
        .arg("--data-dir")
        .arg(dir)
        .env("AI_AGENT_LOG", "warn");
    c.env_remove("AI_AGENT_SECRET_KEY");
    c
}

fn start_server(db: &str, dir: &std::path::Path) -> Result<(Server, String)> {
    std::fs::create_dir_all(dir)?;
    let out = server_cmd(db, dir)
        .args(["user", "create", "--name", "bench"])
        .output()?;
    if !out.status.success() {
        bail!(
            "user create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let token = String::from_utf8(out.stdout)?.trim().to_string();
    let mut child = server_cmd(db, dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("ai-agent-server listening on ")
        .context("no startup line")?
        .to_string();
    Ok((Server { child, url: addr }, token))
}

fn create_req(i: usize) -> CreateServer {
    CreateServer {
        name: format!("server-{i:05}"),
        description: Some("benchmark server".into()),
        server_type: None,
        config: json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], "env": {"API_KEY": format!("secret-{i}")}}),
        is_global: false,
        is_enabled: true,
    }
}

/// Runs `n` requests `concurrency` at a time; returns sorted latencies and the wall time.
async fn measure<F, Fut>(n: usize, concurrency: usize, f: F) -> Result<(Vec<Duration>, Duration)>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send,
{
    let f = Arc::new(f);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let f = f.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        return Ok::<_, anyhow::Error>(lat);
                    }
                    let t = Instant::now();
                    f(i).await?;
                    lat.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut all = Vec::with_capacity(n);
    for w in workers {
        all.extend(w.await??);
    }
    let wall = started.elapsed();
    all.sort();
    Ok((all, wall))
}

fn report(what: &str, lat: &[Duration], wall: Duration) {
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "| {what} | {} | {:.0} req/s | p50 {:.2} ms | p99 {:.2} ms |",
        lat.len(),
        lat.len() as f64 / wall.as_secs_f64(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
}

async fn bench_backend(label: &str, db: &str, dir: &std::path::Path, args: &Args) -> Result<()> {
    let (server, token) = start_server(db, dir)?;
    let client = Arc::new(Client::new(&server.url, Some(token))?);
    println!(
        "\n## {label}\n\n| operation | requests | throughput | latency | |\n|---|---|---|---|---|"
    );

    let c = client.clone();
    let (lat, wall) = measure(args.servers, args.concurrency, move |i| {
        let c = c.clone();
        async move {
            c.create_server(&create_req(i), false)
                .await
                .map(drop)
                .map_err(Into::into)
        }
    })
    .await?;
    report("create (POST, secrets sealed)", &lat, wall);

    let c = client.clone();
    let n = args.servers;
    let (lat, wall) = measure(n * 2, args.concurrency, move |i| {
        let c = c.clone();
        async move {
            c.get_server(&format!("server-{:05}", i % n), true)
                .await
                .map(drop)
                .map_err(Into::into)
        }
    })
    .await?;
    report("get by name (reveal, decrypt)", &lat, wall);

    let c = client.clone();
    let (lat, wall) = measure(500, args.concurrency, move |i| {
        let c = c.clone();
        async move {
            c.list_servers(&ListParams {
                limit: Some(100),
                offset: Some(((i * 100) % n) as i64),
                ..Default::default()
            })
            .await
            .map(drop)
            .map_err(Into::into)
        }
    })
    .await?;
    report("list, 100 per page", &lat, wall);

    let c = client.clone();
    let (lat, wall) = measure(n, args.concurrency, move |i| {
        let c = c.clone();
        async move {
            let body = serde_json::from_value(json!({"description": format!("updated {i}")}))?;
            c.update_server(&format!("server-{i:05}"), &body, false)
                .await
                .map(drop)
                .map_err(Into::into)
        }
    })
    .await?;
    report("update (PATCH + audit row)", &lat, wall);

    let file = import_file(10_000);
    let t = Instant::now();
    match client.import(file.into_bytes(), None, false).await {
        Ok(r) => println!(
            "| import of 10,000 servers, one request | 1 | {} imported | {:.2} s | |",
            r.imported.len(),
            t.elapsed().as_secs_f64()
        ),
        Err(e) => println!("| import of 10,000 servers | not measured: {e} | | | |"),
    }
    drop(server);
    Ok(())
}

fn import_file(n: usize) -> String {
    let servers: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| (format!("imported-{i:05}"), json!({"command": "uvx", "args": ["mcp-server-fetch"], "env": {"TOKEN": format!("t{i}")}})))
        .collect();
    json!({"mcpServers": servers}).to_string()
}
