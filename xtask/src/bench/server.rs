//! The servers a bench runs: started on 127.0.0.1:0 over a database of
//! their own, with their users; the import files that fill them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ai_agent::client::Client;
use anyhow::{Context, Result, bail};
use serde_json::json;

use super::release_bin;

/// Runs `sql` with PostgreSQL's own client, so that xtask links no driver.
pub fn psql(url: &str, sql: &str) -> Result<()> {
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
        .context("running psql, PostgreSQL's client")?;
    if !status.success() {
        bail!("psql failed: {status}");
    }
    Ok(())
}

/// After a bulk load, PostgreSQL's autovacuum would analyze the new rows
/// during the next measurement, on the same two cores; a listing is
/// measured in the steady state a server is in between imports instead.
pub fn settle(db: &str) -> Result<()> {
    if db.starts_with("postgres") {
        psql(db, "VACUUM ANALYZE")?;
    }
    Ok(())
}

pub struct Server {
    pub child: Child,
    pub url: String,
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

/// Starts the server after creating the users; their tokens in order.
pub fn start_server(
    db: &str,
    dir: &std::path::Path,
    users: &[(&str, bool)],
) -> Result<(Server, Vec<String>)> {
    let mut tokens = Vec::new();
    for (name, admin) in users {
        let mut cmd = server_cmd(db, dir);
        cmd.args(["user", "create", "--name", name]);
        if *admin {
            cmd.arg("--admin");
        }
        let out = cmd.output()?;
        if !out.status.success() {
            bail!(
                "user create failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokens.push(String::from_utf8(out.stdout)?.trim().to_string());
    }
    let mut child = server_cmd(db, dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("AI_AGENT_HEALTH_MAX_PER_USER", "64")
        .env("AI_AGENT_HEALTH_MAX_CONCURRENT", "64")
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
    Ok((Server { child, url: addr }, tokens))
}

/// A client config file of `n` stdio servers named `{prefix}-NNNNN`.
pub fn import_file(prefix: &str, n: usize) -> Vec<u8> {
    let servers: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            (
                format!("{prefix}-{i:05}"),
                json!({"command": "uvx", "args": ["mcp-server-fetch"], "env": {"TOKEN": format!("t{i}")}}),
            )
        })
        .collect();
    json!({"mcpServers": servers}).to_string().into_bytes()
}

pub async fn timed_import(client: &Client, prefix: &str, n: usize) -> Result<Duration> {
    // The file is written before the clock starts: its making is the
    // bench's work, not the server's.
    let file = import_file(prefix, n);
    let t = Instant::now();
    let r = client.import(file, None, false).await?;
    if r.imported.len() != n {
        bail!("import of {n} imported {}", r.imported.len());
    }
    Ok(t.elapsed())
}
