//! The error answers operations share, one type per status, so that each
//! operation lists the statuses it can answer instead of repeating their
//! descriptions. Every one has the `ErrorBody` body.

use mcp_model::api::ErrorBody;
use utoipa::IntoResponses;

/// Defines one reusable error response: `name, status, description`.
macro_rules! error_response {
    ($(#[$meta:meta])* $name:ident, $status:literal, $description:literal) => {
        $(#[$meta])*
        #[derive(Debug, IntoResponses)]
        #[response(status = $status, description = $description)]
        #[allow(dead_code)] // only its OpenAPI description is used
        pub(crate) struct $name(ErrorBody);
    };
}

error_response!(
    /// A malformed id or name in the path, or a bad query string (unknown
    /// parameters are refused).
    BadRequest,
    400,
    "Malformed request: an id or name that is neither, a bad or unknown query parameter, a malformed body"
);
error_response!(
    /// Wrong method of authentication, or none.
    Unauthorized,
    401,
    "Missing, malformed or unknown bearer token"
);
error_response!(
    Forbidden,
    403,
    "The caller may see the server but not do this (not its owner, not an admin, or refused by policy)"
);
error_response!(
    NotFound,
    404,
    "No such server among those the caller may see"
);
error_response!(
    Conflict,
    409,
    "The caller already has a server of that name"
);
error_response!(
    PayloadTooLarge,
    413,
    "The body is larger than the server's limit"
);
error_response!(
    UnsupportedMediaType,
    415,
    "The body is not of an accepted content type"
);
error_response!(
    /// Names the offending field, e.g. `config.env.BAD-KEY: ...`.
    Unprocessable,
    422,
    "A value breaks a rule; the detail names the field"
);
error_response!(
    ServiceUnavailable,
    503,
    "The database is unreachable or busy; worth retrying"
);
error_response!(
    InsufficientStorage,
    507,
    "The server's disk is full; nothing was written"
);

/// A per-token rate limit or a per-user cap (of concurrent health checks)
/// was reached; the header says when to retry.
#[derive(Debug, IntoResponses)]
#[response(
    status = 429,
    description = "Too many requests for this token, or too many health checks for this user",
    headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))
)]
#[allow(dead_code)] // only its OpenAPI description is used
pub(crate) struct TooManyRequests(ErrorBody);
