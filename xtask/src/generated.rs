//! Files generated from the code, kept in the repository so that they can be
//! read and diffed, and checked for freshness in CI.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// What `cargo run -p PACKAGE -- ARGS` prints: the binaries generate their
/// own files, so that xtask links neither the server nor the CLI.
fn output_of(package: &str, args: &[&str]) -> Result<Vec<u8>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["run", "--quiet", "-p", package, "--"])
        .args(args)
        .current_dir(root())
        .output()
        .with_context(|| format!("running {package} {}", args.join(" ")))?;
    if !out.status.success() {
        bail!(
            "{package} {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out.stdout)
}

/// Every generated file: its path from the repository root and its contents.
fn files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = vec![(
        PathBuf::from("docs/openapi.json"),
        output_of("ai-agent-server", &["openapi"])?,
    )];
    // One page per command, as `ai-agent man --list` names them.
    let pages = String::from_utf8(output_of("ai-agent", &["man", "--list"])?)?;
    for line in pages.lines() {
        let mut words = line.split_whitespace();
        let Some(file) = words.next() else { continue };
        let args: Vec<&str> = std::iter::once("man").chain(words).collect();
        files.push((
            PathBuf::from("docs/man").join(file),
            output_of("ai-agent", &args)?,
        ));
    }
    for (shell, file) in [
        ("bash", "ai-agent.bash"),
        ("zsh", "_ai-agent"),
        ("fish", "ai-agent.fish"),
    ] {
        files.push((
            PathBuf::from("docs/completions").join(file),
            output_of("ai-agent", &["completions", shell])?,
        ));
    }
    Ok(files)
}

pub fn write() -> Result<()> {
    let files = files()?;
    // Pages of commands that are gone.
    if let Ok(dir) = std::fs::read_dir(root().join("docs/man")) {
        for entry in dir.flatten() {
            let path = PathBuf::from("docs/man").join(entry.file_name());
            if !files.iter().any(|(p, _)| *p == path) {
                std::fs::remove_file(entry.path())?;
                println!("removed {}", path.display());
            }
        }
    }
    for (path, contents) in files {
        let full = root().join(&path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&full, contents).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

pub fn check() -> Result<()> {
    let mut stale = Vec::new();
    let files = files()?;
    for (path, contents) in &files {
        let current = std::fs::read(root().join(path)).unwrap_or_default();
        if current != *contents {
            stale.push(path.display().to_string());
        }
    }
    // A page no command has any more is stale too.
    if let Ok(dir) = std::fs::read_dir(root().join("docs/man")) {
        for entry in dir.flatten() {
            let path = PathBuf::from("docs/man").join(entry.file_name());
            if !files.iter().any(|(p, _)| *p == path) {
                stale.push(path.display().to_string());
            }
        }
    }
    if stale.is_empty() {
        println!("generated files are up to date");
        Ok(())
    } else {
        bail!(
            "stale generated files: {} (run `cargo xtask generate`)",
            stale.join(", ")
        )
    }
}
