//! Files generated from the code, kept in the repository so that they can be
//! read and diffed, and checked for freshness in CI.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Every generated file: its path from the repository root and its contents.
fn files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let files = vec![(
        PathBuf::from("docs/openapi.json"),
        ai_agent_server::openapi::document().into_bytes(),
    )];
    Ok(files)
}

pub fn write() -> Result<()> {
    for (path, contents) in files()? {
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
    for (path, contents) in files()? {
        let current = std::fs::read(root().join(&path)).unwrap_or_default();
        if current != contents {
            stale.push(path.display().to_string());
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
