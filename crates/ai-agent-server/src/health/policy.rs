//! Which stdio servers a check may spawn.

/// Which stdio servers may be spawned for a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StdioPolicy {
    /// Any server's command may be spawned (one user, or users trusted with the host).
    On,
    /// Only servers owned by an admin: the default, since a stdio check runs a
    /// user-chosen command on this host with this server's rights.
    Admins,
    Off,
    /// Only these programs. An entry with a `/` is a path; a bare name is
    /// looked up in the server's own `PATH`. A server's command is resolved
    /// the same way (in the `PATH` its env gives the child, else the
    /// server's) and allowed only when it is the same file (both sides
    /// canonicalized), so a user's own `npx` elsewhere is not `npx`.
    Allow(Vec<String>),
}

/// Why a stdio policy's text is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadPolicy(String);

impl std::str::FromStr for StdioPolicy {
    type Err = BadPolicy;

    fn from_str(s: &str) -> Result<Self, BadPolicy> {
        match s.trim() {
            "on" | "true" => Ok(StdioPolicy::On),
            "admins" => Ok(StdioPolicy::Admins),
            "off" | "false" => Ok(StdioPolicy::Off),
            other => match other.strip_prefix("allow:") {
                Some(list) => {
                    let cmds: Vec<String> = list
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(String::from)
                        .collect();
                    if cmds.is_empty() {
                        Err(BadPolicy(
                            "allow: needs at least one command, e.g. allow:npx,uvx".into(),
                        ))
                    } else {
                        Ok(StdioPolicy::Allow(cmds))
                    }
                }
                None => Err(BadPolicy(format!(
                    "'{other}' is not a stdio policy: use admins, on, off or allow:cmd1,cmd2"
                ))),
            },
        }
    }
}
