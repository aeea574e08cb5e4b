//! Writing files people and other programs rely on: whole or not at all (a
//! temporary file beside the target, then a rename), with the mode the file
//! had, through symbolic links rather than over them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::exit::{CliError, CliResult};

/// A file as it was read, to be replaced later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The real file (symbolic links followed); where it would be when absent.
    pub path: PathBuf,
    /// `None`: the file does not exist yet.
    pub text: Option<String>,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> CliError {
    CliError::generic(format!("cannot {what} {}: {e}", path.display()))
}

/// Reads `path`, following symbolic links to the file they name.
pub fn read(path: &Path) -> CliResult<Snapshot> {
    let real = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(CliError::generic(format!(
                    "{} is a symbolic link to a file that does not exist",
                    path.display()
                )));
            }
            return Ok(Snapshot {
                path: real_parent(path)?,
                text: None,
            });
        }
        Err(e) => return Err(io_error("read", path, e)),
    };
    let bytes = std::fs::read(&real).map_err(|e| io_error("read", &real, e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::generic(format!("{} is not UTF-8 text", real.display())))?;
    Ok(Snapshot {
        path: real,
        text: Some(text),
    })
}

/// Where a file that does not exist yet would be, its nearest existing
/// directory resolved: the same file must be known by one path whether it
/// exists or not (`~/.cursor` may be a link into a dotfiles repository).
fn real_parent(path: &Path) -> CliResult<PathBuf> {
    let mut rest = Vec::new();
    let mut dir = path;
    loop {
        match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                dir = parent;
            }
            _ => return Ok(path.to_path_buf()),
        }
        let probe = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match std::fs::canonicalize(probe) {
            Ok(real) => return Ok(rest.iter().rev().fold(real, |p, n| p.join(n))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error("read", dir, e)),
        }
    }
}

/// Where the previous version of `path` is kept.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".ai-agent.bak");
    PathBuf::from(p)
}

/// Replaces the file read as `old` by `text`, keeping its mode and the
/// previous version beside it (see [`backup_path`]); a new file gets mode
/// 0600 when `private`. Refuses when the file changed since it was read
/// (the client itself may have written it meanwhile). Returns the backup's path.
pub fn replace(old: &Snapshot, text: &str, private: bool) -> CliResult<Option<PathBuf>> {
    let path = &old.path;
    let now = read(path)?;
    if now.text != old.text {
        return Err(CliError::generic(format!(
            "{} changed while ai-agent was working on it; nothing was written",
            path.display()
        ))
        .with_hint("run the command again"));
    }
    let mode = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let backup = match &old.text {
        Some(previous) => {
            // Renamed into place like the file itself, as private as it is,
            // and never through a link someone left at the backup's name.
            let b = backup_path(path);
            write_atomically(&b, previous, mode.clone(), true)?;
            Some(b)
        }
        None => None,
    };
    write_atomically(path, text, mode, private)?;
    Ok(backup)
}

/// Writes a file readable by its owner only (settings holding a token).
pub fn write_private(path: &Path, text: &str) -> CliResult<()> {
    write_atomically(path, text, None, true)
}

fn write_atomically(
    path: &Path,
    text: &str,
    mode: Option<std::fs::Permissions>,
    private: bool,
) -> CliResult<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| io_error("create the directory of", path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A temporary file starts readable by its owner only.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error("write", path, e))?;
    let mode = match (mode, private) {
        (Some(m), _) => Some(m),
        (None, true) => None,
        (None, false) => default_mode(),
    };
    if let Some(m) = mode {
        tmp.as_file()
            .set_permissions(m)
            .map_err(|e| io_error("set the mode of", path, e))?;
    }
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| io_error("write", path, e))?;
    tmp.persist(path)
        .map_err(|e| io_error("write", path, e.error))?;
    Ok(())
}

/// What a new, non-private file gets: 0644 (a temporary file starts at 0600).
#[cfg(unix)]
fn default_mode() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_mode() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_mode_and_backup_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let snap = read(&link).expect("read");
        assert_eq!(snap.text.as_deref(), Some("old"));
        let backup = replace(&snap, "new", false)
            .expect("replace")
            .expect("backup");
        assert_eq!(std::fs::read_to_string(&real).expect("real"), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(mode(&real), 0o640);
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), "old");
        assert_eq!(mode(&backup), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a").join("b.json");
        let snap = read(&p).expect("absent");
        assert_eq!(snap.text, None);
        assert_eq!(replace(&snap, "x", true).expect("write"), None);
        assert_eq!(mode(&p), 0o600);
        let q = dir.path().join("c.json");
        replace(&read(&q).expect("absent"), "x", false).expect("write");
        assert_eq!(mode(&q), 0o644);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_backups_name_is_replaced_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").expect("write");
        let p = dir.path().join("f.json");
        std::fs::write(&p, "old").expect("write");
        std::os::unix::fs::symlink(&victim, backup_path(&p)).expect("symlink");
        replace(&read(&p).expect("read"), "new", false).expect("replace");
        assert_eq!(
            std::fs::read_to_string(&victim).expect("victim"),
            "precious"
        );
        assert_eq!(
            std::fs::read_to_string(backup_path(&p)).expect("backup"),
            "old"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_under_a_linked_directory_has_its_real_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("dotfiles");
        std::fs::create_dir(&real).expect("dir");
        std::os::unix::fs::symlink(&real, dir.path().join(".cursor")).expect("symlink");
        let snap = read(&dir.path().join(".cursor").join("sub").join("mcp.json")).expect("absent");
        let want = std::fs::canonicalize(&real)
            .expect("real")
            .join("sub")
            .join("mcp.json");
        assert_eq!(snap.path, want);
    }

    #[test]
    fn a_file_changed_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f.json");
        std::fs::write(&p, "one").expect("write");
        let snap = read(&p).expect("read");
        std::fs::write(&p, "two").expect("write");
        let e = replace(&snap, "three", false).expect_err("changed");
        assert!(e.message.contains("changed while"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "two");
    }
}
