//! The `after` cursor of keyset pagination: the listing position of the
//! last row of a page, opaque to clients (base64url of its creation time and
//! id), so that the next page costs the same however deep it is.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;

use crate::error::AppError;
use crate::repository::visible::After;

const TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";

pub(crate) fn encode(created_at: NaiveDateTime, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", created_at.format(TIME)))
}

pub(crate) fn decode(cursor: &str) -> Result<After, AppError> {
    let bad = || {
        AppError::from(mcp_model::ValidationError::new(
            "after",
            "is not a cursor this server gave out (use the next_cursor of a listing)",
        ))
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (time, id) = text.split_once('|').ok_or_else(bad)?;
    let created_at = NaiveDateTime::parse_from_str(time, TIME).map_err(|_| bad())?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| bad())?;
    Ok(After {
        created_at,
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_anything_else() {
        let at = crate::repository::now();
        let id = uuid::Uuid::new_v4().to_string();
        let after = decode(&encode(at, &id)).expect("decodes");
        assert_eq!(after, After { created_at: at, id });
        for bad in [
            "",
            "x",
            "!!!",
            &URL_SAFE_NO_PAD.encode("2026-01-01T00:00:00.000000|nope"),
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
