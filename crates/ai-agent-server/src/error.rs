//! The one error type of the application. Every failure becomes a JSON body
//! `{"status": N, "detail": "..."}`; internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use mcp_model::ValidationError;
use mcp_model::api::ErrorBody;

/// Every failure of a request or command; its variant picks the HTTP status, and
/// `Internal`'s text is logged but never sent to the client.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// A limit on how much a caller may do at once or per minute; worth
    /// retrying after `retry_after_secs`.
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    /// The database's disk is full: nothing was written.
    #[error("{0}")]
    InsufficientStorage(String),
    /// The database or another dependency is out of reach; worth retrying.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure below us; the cause (with its own
    /// causes, and where it was made) is logged, never sent.
    #[error("internal error")]
    Internal {
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
        at: &'static std::panic::Location<'static>,
    },
}

/// Why the server, or an operator's command, cannot start or finish: what
/// `main` prints on one line. Never an HTTP answer, so it has no status; a
/// request's failures are [`AppError`].
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Misconfiguration: a bad flag, URL, key or file, an unreachable database.
    #[error("{0}")]
    Config(String),
    /// A rule of the application, as an operator's command meets it.
    #[error(transparent)]
    App(#[from] AppError),
}

impl AppError {
    /// Wraps an error (kept whole, as the source) or a message.
    #[track_caller]
    pub(crate) fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal {
            cause: e.into(),
            at: std::panic::Location::caller(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Conflict(format!("conflict: {}", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_string())
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                AppError::Unavailable(format!("please retry: {}", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, info) => {
                read_only(info.message())
            }
            other => {
                let msg = other.to_string();
                match unknown_kind(&msg) {
                    Some(UnknownKind::Busy) => {
                        AppError::Unavailable("database is busy, please retry".into())
                    }
                    Some(UnknownKind::Full) => {
                        tracing::error!(cause = %msg, "database write failed: disk full");
                        AppError::InsufficientStorage(
                            "the database's disk is full: nothing was written; retry once the operator has freed space".into(),
                        )
                    }
                    Some(UnknownKind::ReadOnly) => read_only(&msg),
                    None => AppError::internal(other),
                }
            }
        }
    }
}

fn read_only(cause: &str) -> AppError {
    tracing::error!(cause = %cause, "database write failed: read-only");
    AppError::Unavailable("the database is read-only: nothing was written".into())
}

/// Database failures diesel reports as `DatabaseErrorKind::Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnknownKind {
    Busy,
    Full,
    ReadOnly,
}

/// Tells apart the failures diesel 2.3 gives no kind for. SQLite's result
/// codes (`SQLITE_BUSY`, `SQLITE_LOCKED`, `SQLITE_FULL`, `SQLITE_READONLY`)
/// reach diesel only as `sqlite3_errstr`'s fixed English texts (reading the
/// code itself needs the raw handle, i.e. unsafe code, which this workspace
/// denies); PostgreSQL's deadlock (40P01) and disk-full (53100) carry no
/// SQLSTATE through diesel's error information. So the fixed texts are
/// matched, in this one place.
fn unknown_kind(msg: &str) -> Option<UnknownKind> {
    if msg.contains("database is locked")
        || msg.contains("database table is locked")
        || msg.contains("database is busy")
        || msg.contains("deadlock detected")
    {
        Some(UnknownKind::Busy)
    } else if msg.contains("database or disk is full") || msg.contains("No space left on device") {
        Some(UnknownKind::Full)
    } else if msg.contains("readonly database") || msg.contains("read-only") {
        Some(UnknownKind::ReadOnly)
    } else {
        None
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            AppError::Internal { cause, at } => {
                let mut chain = cause.to_string();
                let mut next = cause.source();
                while let Some(s) = next {
                    chain.push_str(": ");
                    chain.push_str(&s.to_string());
                    next = s.source();
                }
                tracing::error!(cause = %chain, at = %at, "internal error");
            }
            AppError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            _ => {}
        }
        let mut resp = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            resp.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let AppError::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            resp.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        resp.json(ErrorBody {
            status: status.as_u16(),
            detail: self.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_their_cause_and_say_nothing() {
        let io = std::io::Error::other("disk on fire");
        let e = AppError::internal(io);
        let source = std::error::Error::source(&e).expect("the cause is kept");
        assert_eq!(source.to_string(), "disk on fire");
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.to_string(), "internal error", "the answer names no cause");
        let AppError::Internal { at, .. } = e else {
            panic!("internal")
        };
        assert!(at.file().ends_with("error.rs"), "where it was made: {at}");
    }

    #[test]
    fn database_failures_map_by_kind_where_diesel_gives_one() {
        use DatabaseErrorKind::*;
        use diesel::result::{DatabaseErrorKind, Error};
        // SQLite's codes arrive only as sqlite3_errstr's fixed texts (Unknown).
        for (kind, msg, want) in [
            (
                ReadOnlyTransaction,
                "cannot execute INSERT in a read-only transaction",
                503,
            ),
            (UniqueViolation, "dup", 409),
            (SerializationFailure, "retry", 503),
            (Unknown, "database is locked", 503),
            (Unknown, "database or disk is full", 507),
            (Unknown, "attempt to write a readonly database", 503),
            (Unknown, "no such table: x", 500),
        ] {
            let e = Error::DatabaseError(kind, Box::new(msg.to_string()));
            assert_eq!(AppError::from(e).status_code().as_u16(), want, "{msg}");
        }
    }
}
