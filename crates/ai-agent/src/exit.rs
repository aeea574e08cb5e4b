//! Exit codes and the one-line error a failed command prints, so that scripts
//! can branch on the kind of failure and people can read its cause.

use std::fmt;
use std::process::ExitCode;

use crate::client::ClientError;

/// The documented exit codes (see `ai-agent --help` and docs/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success = 0,
    Generic = 1,
    Usage = 2,
    NotFound = 3,
    Conflict = 4,
    Auth = 5,
    Connect = 6,
    Validation = 7,
    Unhealthy = 8,
    PartialImport = 9,
    SyncConflict = 10,
    /// A server's tools differ from the set its owner approved.
    ToolsChanged = 11,
}

impl Code {
    /// The code for an HTTP status the server answered with.
    pub fn from_status(status: u16) -> Code {
        match status {
            404 => Code::NotFound,
            409 => Code::Conflict,
            401 | 403 => Code::Auth,
            400 | 422 => Code::Validation,
            _ => Code::Generic,
        }
    }
}

impl From<Code> for ExitCode {
    fn from(c: Code) -> ExitCode {
        ExitCode::from(c as u8)
    }
}

/// A failed command: what to print and how to exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub code: Code,
    pub message: String,
    /// A second line suggesting what to do next, printed after the message.
    pub hint: Option<String>,
}

impl CliError {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(Code::Usage, message)
    }

    pub(crate) fn generic(message: impl Into<String>) -> Self {
        Self::new(Code::Generic, message)
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ai-agent: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        match &e {
            ClientError::BadUrl { .. } => CliError::usage(e.to_string()).with_hint(
                "give a URL like http://127.0.0.1:8080 with --api-url or AI_AGENT_API_URL",
            ),
            ClientError::Connect { .. } => CliError::new(Code::Connect, e.to_string())
                .with_hint("is the server running? point to it with --api-url or AI_AGENT_API_URL"),
            ClientError::Api { status: 401, .. } => CliError::new(Code::Auth, e.to_string())
                .with_hint(
                    "run `ai-agent login --api-url URL --token TOKEN` or set AI_AGENT_TOKEN",
                ),
            ClientError::Api { status, .. } => {
                CliError::new(Code::from_status(*status), e.to_string())
            }
            ClientError::Protocol { .. } => CliError::generic(e.to_string()),
        }
    }
}

pub(crate) type CliResult<T = Code> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_distinct_codes() {
        assert_eq!(Code::from_status(404), Code::NotFound);
        assert_eq!(Code::from_status(409), Code::Conflict);
        assert_eq!(Code::from_status(401), Code::Auth);
        assert_eq!(Code::from_status(403), Code::Auth);
        assert_eq!(Code::from_status(400), Code::Validation);
        assert_eq!(Code::from_status(422), Code::Validation);
        assert_eq!(Code::from_status(500), Code::Generic);
    }

    #[test]
    fn unauthorized_hints_at_login() {
        let e = CliError::from(ClientError::Api {
            status: 401,
            detail: "missing bearer token".into(),
        });
        assert_eq!(e.code, Code::Auth);
        assert_eq!(
            e.to_string().lines().next(),
            Some("ai-agent: missing bearer token")
        );
        assert!(e.to_string().contains("ai-agent login"));
    }
}
