//! Which file a stdio server's command names, found the way the child's
//! `execvp` would find it, so that the allow-list compares files, not names.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The executable `command` stands for: a path (with a `/`) as given, a bare
/// name in the first folder of `path_var` that holds an executable of that
/// name. `None` when there is none.
pub(crate) fn resolve(command: &str, path_var: Option<&OsStr>) -> Option<PathBuf> {
    if command.contains('/') {
        let p = PathBuf::from(command);
        return is_executable(&p).then_some(p);
    }
    std::env::split_paths(path_var?)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(command))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The `PATH` a check's child gets: the config's own, else the server's.
pub(crate) fn child_path(
    env: &std::collections::BTreeMap<String, String>,
) -> Option<std::ffi::OsString> {
    env.get("PATH")
        .map(Into::into)
        .or_else(|| std::env::var_os("PATH"))
}

/// Whether `program` is the same file as one of the allow-list's entries,
/// bare names being looked up in the server's own `PATH`.
pub(crate) fn allowed(program: &Path, list: &[String]) -> bool {
    let Ok(real) = program.canonicalize() else {
        return false;
    };
    let server_path = std::env::var_os("PATH");
    list.iter()
        .filter_map(|entry| resolve(entry, server_path.as_deref()))
        .filter_map(|p| p.canonicalize().ok())
        .any(|p| p == real)
}

/// Whether an env var tells a program what else to load or run (dynamic
/// loader, interpreters' start-up options and module paths, the shell's
/// start-up file, or the lookup path itself), which would let an allowed
/// program run anything.
pub(crate) fn steers_loading(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "LD_",
        "DYLD_",
        "NODE_",
        "NPM_CONFIG_",
        "PYTHON",
        "PERL5",
        "PERLLIB",
        "RUBY",
        "GEM_",
        "JAVA_TOOL_OPTIONS",
        "JDK_JAVA_OPTIONS",
        "_JAVA_OPTIONS",
        "BASH_ENV",
        "GCONV_PATH",
        "UV_",
        "PIP_",
        "BASH_FUNC_",
    ]
    .iter()
    .any(|p| n.starts_with(p))
        || matches!(n.as_str(), "ENV" | "PATH" | "SHELLOPTS" | "PS4" | "IFS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_in_path_and_files_are_compared() {
        let dir = tempfile::tempdir().expect("dir");
        let own = dir.path().join("sh");
        std::fs::write(&own, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let path = std::env::join_paths([dir.path(), Path::new("/bin")]).expect("join");
        assert_eq!(
            resolve("sh", Some(&path)),
            Some(own.clone()),
            "first folder wins"
        );
        assert_eq!(resolve("no-such-program-x", Some(&path)), None);
        assert!(
            !allowed(&own, &["sh".into()]),
            "a user's own 'sh' is not /bin/sh"
        );
        let system = resolve("sh", std::env::var_os("PATH").as_deref()).expect("sh on PATH");
        assert!(allowed(&system, &["sh".into()]));
        assert!(allowed(&system, &[system.to_string_lossy().into_owned()]));
    }

    #[test]
    fn loader_and_interpreter_variables_are_recognized() {
        for v in [
            "LD_PRELOAD",
            "NODE_OPTIONS",
            "PYTHONPATH",
            "BASH_ENV",
            "PATH",
            "ENV",
            "RUBYOPT",
        ] {
            assert!(steers_loading(v), "{v}");
        }
        for v in ["GITHUB_TOKEN", "KUBECONFIG", "HOME_DIR", "API_KEY"] {
            assert!(!steers_loading(v), "{v}");
        }
    }
}
