//! The load generator: wrk (Debian's package, installed when missing), run
//! as a child process; its summary parsed into figures.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// What one wrk run measured.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    /// Successful responses per second (errors not counted).
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Responses other than 2xx/3xx, and socket errors.
    pub errors: u64,
}

/// Installs wrk with apt when it is not on the PATH.
pub fn ensure() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    eprintln!("installing wrk (apt-get install wrk)");
    let ok = Command::new("sh")
        .args(["-c", "apt-get update -qq && apt-get install -y -qq wrk"])
        .status()
        .context("running apt-get to install wrk")?
        .success();
    if !ok {
        bail!("cannot install wrk; install it (Debian: apt-get install wrk) and run again");
    }
    Ok(())
}

/// A request wrk sends: method, path, body; each request of a `create` gets
/// a name of its own (a per-thread counter in the Lua script).
#[derive(Debug, Clone)]
pub enum Load<'a> {
    Get(&'a str),
    /// A GET that asks for an answer computed now (`Cache-Control: no-cache`).
    GetFresh(&'a str),
    /// POST of `body`, in which `NAME` is replaced by a fresh name each time.
    PostUnique(&'a str, &'a str),
    Patch(&'a str, &'a str),
}

fn script(load: &Load<'_>, token: &str) -> String {
    // Names unique across runs too: a second run must not collide with the first.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let auth = format!(
        "wrk.headers[\"Authorization\"] = \"Bearer {token}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
    );
    match load {
        Load::Get(path) => format!("{auth}wrk.path = \"{path}\"\n"),
        Load::GetFresh(path) => {
            format!("{auth}wrk.headers[\"Cache-Control\"] = \"no-cache\"\nwrk.path = \"{path}\"\n")
        }
        Load::Patch(path, body) => {
            format!("{auth}wrk.method = \"PATCH\"\nwrk.path = \"{path}\"\nwrk.body = [[{body}]]\n")
        }
        Load::PostUnique(path, body) => format!(
            "{auth}local threads = 0\n\
             function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n\
             local n = 0\n\
             function request()\n  n = n + 1\n  local name = \"w{run}-\" .. tid .. \"-\" .. n\n  \
             local body = string.gsub([[{body}]], \"NAME\", name)\n  \
             return wrk.format(\"POST\", \"{path}\", nil, body)\nend\n"
        ),
    }
}

/// Runs wrk against `base` for `secs` with `connections` (and as many
/// threads, up to 2: the machine's cores are shared with the server).
pub fn run(
    base: &str,
    token: &str,
    load: &Load<'_>,
    connections: u32,
    secs: u32,
) -> Result<Figures> {
    let dir = std::env::temp_dir().join(format!("ai-agent-wrk-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let lua = dir.join("load.lua");
    std::fs::write(&lua, script(load, token))?;
    let out = Command::new("wrk")
        .args([
            "--latency",
            "-t",
            &connections.min(2).to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{secs}s"),
            "-s",
        ])
        .arg(&lua)
        .arg(base)
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    parse(&text).with_context(|| format!("cannot read wrk's summary:\n{text}"))
}

/// Reads `Requests/sec`, the 50% and 99% latencies and the error counts.
fn parse(text: &str) -> Option<Figures> {
    let mut rps = None;
    let mut total: Option<(f64, f64)> = None;
    let (mut p50, mut p99, mut errors) = (None, None, 0);
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("Requests/sec:") => rps = words.next().and_then(|v| v.parse::<f64>().ok()),
            Some(n) if line.contains(" requests in ") => {
                // `3053 requests in 1.10s, 1.62MB read`
                let secs = line
                    .split(" requests in ")
                    .nth(1)
                    .and_then(|r| r.split(',').next())
                    .and_then(millis)
                    .map(|ms| ms / 1e3);
                total = n.parse::<f64>().ok().zip(secs);
            }
            Some("50%") => p50 = words.next().and_then(millis),
            Some("99%") => p99 = words.next().and_then(millis),
            Some("Non-2xx") => {
                errors += line
                    .rsplit(' ')
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            }
            Some("Socket") => {
                errors += line
                    .split(',')
                    .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    let rps = match total {
        Some((n, secs)) if secs > 0.0 => (n - errors as f64).max(0.0) / secs,
        _ => rps?,
    };
    Some(Figures {
        rps,
        p50_ms: p50?,
        p99_ms: p99?,
        errors,
    })
}

/// `812.00us`, `1.23ms`, `2.00s` in milliseconds.
fn millis(v: &str) -> Option<f64> {
    let (num, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 1e-3)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1e3)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_summary() {
        let text = "Running 1s test @ http://127.0.0.1:1\n  2 threads and 2 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.00ms\n     90%    1.20ms\n     99%    2.50ms\n  1000 requests in 1.00s, 1.00MB read\n  Socket errors: connect 0, read 1, write 0, timeout 2\n  Non-2xx or 3xx responses: 4\nRequests/sec:   1000.50\nTransfer/sec:      1.00MB\n";
        let f = parse(text).expect("parses");
        assert!((f.rps - 993.0).abs() < 1e-9, "successes only: {}", f.rps);
        assert!((f.p50_ms - 0.812).abs() < 1e-9);
        assert!((f.p99_ms - 2.5).abs() < 1e-9);
        assert_eq!(f.errors, 7);
    }
}
