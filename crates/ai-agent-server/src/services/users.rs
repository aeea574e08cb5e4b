//! Users and their API tokens: authentication for the API, and the operator's
//! admin commands.

use mcp_model::api::{Me, Role};
use mcp_model::name::validate_name;
use uuid::Uuid;

use super::{Actor, parse_uuid, utc};
use crate::auth_cache::AuthCache;
use crate::crypto;
use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::repository::{self, tokens::TokenRow, users::UserRow};
use crate::state::AppState;

/// Finds the caller by bearer token: unknown, revoked or inactive all get 401.
pub fn authenticate(db: &Database, cache: &AuthCache, token: &str) -> Result<Actor, AppError> {
    let hash = crypto::hash_token(token);
    match cached(cache, &hash) {
        Some(actor) => Ok(actor),
        None => authenticate_hash(db, cache, &hash),
    }
}

/// The caller of a token confirmed within the cache's TTL.
pub fn cached(cache: &AuthCache, hash: &str) -> Option<Actor> {
    cache.get(hash, repository::now())
}

/// [`authenticate`] for a token already hashed (the request path hashes
/// once, for this and for the rate limiter).
pub fn authenticate_hash(db: &Database, cache: &AuthCache, hash: &str) -> Result<Actor, AppError> {
    let found = db.read(|conn| Ok(repository::tokens::find_live_by_hash(conn, hash)?))?;
    let Some((tok, user)) = found else {
        return Err(AppError::Unauthorized(
            "invalid or revoked API token".into(),
        ));
    };
    if !user.is_active {
        return Err(AppError::Unauthorized(format!(
            "user '{}' is disabled",
            user.name
        )));
    }
    let actor = actor_of(&user)?;
    cache.put(hash, &actor, &tok.id, tok.last_used_at, repository::now());
    Ok(actor)
}

/// How often the uses of tokens are written to `last_used_at`.
const USE_FLUSH: std::time::Duration = std::time::Duration::from_secs(10);

/// Writes the tokens' uses in one statement every few seconds, off the
/// request path: `last_used_at` is at most a minute and ten seconds behind.
/// Best effort: a busy database skips a round, and the next use notes it again.
pub async fn record_token_uses(state: AppState) {
    let mut tick = tokio::time::interval(USE_FLUSH);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let st = state.clone();
        let _ = super::off_thread(move || {
            flush_token_uses(&st.db, &st.auth);
            Ok(())
        })
        .await;
    }
}

/// Writes the uses noted since the last flush.
pub fn flush_token_uses(db: &Database, cache: &AuthCache) {
    let ids = cache.take_used();
    if ids.is_empty() {
        return;
    }
    let now = repository::now();
    if let Err(e) = db.try_write(|conn| Ok(repository::tokens::touch_many(conn, &ids, now)?)) {
        tracing::debug!(error = %e, tokens = ids.len(), "could not record token uses");
    }
}

fn actor_of(user: &UserRow) -> Result<Actor, AppError> {
    Ok(Actor {
        id: parse_uuid(&user.id)?,
        name: user.name.clone(),
        role: user.role.0,
        created_at: user.created_at,
    })
}

fn me(user: &UserRow) -> Result<Me, AppError> {
    Ok(Me {
        id: parse_uuid(&user.id)?,
        name: user.name.clone(),
        role: user.role.0,
        is_active: user.is_active,
        created_at: utc(user.created_at),
    })
}

/// The caller as `GET /me` shows them, from what authentication found (an
/// authenticated caller is active, as of the auth cache's TTL at most).
pub(crate) fn me_of(actor: &Actor) -> Me {
    Me {
        id: actor.id,
        name: actor.name.clone(),
        role: actor.role,
        is_active: true,
        created_at: utc(actor.created_at),
    }
}

/// Creates a user with a first token; returns the user and the token's text,
/// which is never stored and cannot be shown again.
pub fn create_user(db: &Database, name: &str, role: Role) -> Result<(Me, String), AppError> {
    validate_name(name).map_err(|e| AppError::BadRequest(format!("user {e}")))?;
    db.write(|conn| {
        if repository::users::find_by_name(conn, name)?.is_some() {
            return Err(AppError::Conflict(format!("user '{name}' already exists")));
        }
        let row = new_user_row(name, role);
        repository::users::insert(conn, &row)?;
        let token = issue_token(conn, &row.id)?;
        Ok((me(&row)?, token))
    })
}

fn new_user_row(name: &str, role: Role) -> UserRow {
    UserRow {
        id: Uuid::now_v7().to_string(),
        name: name.to_string(),
        role: role.into(),
        is_active: true,
        created_at: repository::now(),
    }
}

fn issue_token(conn: &mut DbConnection, user_id: &str) -> Result<String, AppError> {
    let (token, hash) = crypto::new_token();
    insert_token(conn, user_id, &token, hash)?;
    Ok(token)
}

fn insert_token(
    conn: &mut DbConnection,
    user_id: &str,
    token: &str,
    hash: String,
) -> Result<(), AppError> {
    repository::tokens::insert(
        conn,
        &TokenRow {
            id: Uuid::now_v7().to_string(),
            user_id: user_id.to_string(),
            token_hash: hash,
            prefix: crypto::token_visible_prefix(token),
            created_at: repository::now(),
            last_used_at: None,
            revoked_at: None,
        },
    )?;
    Ok(())
}

fn user_by_name(conn: &mut DbConnection, name: &str) -> Result<UserRow, AppError> {
    repository::users::find_by_name(conn, name)?
        .ok_or_else(|| AppError::NotFound(format!("no user named '{name}'")))
}

/// A new token for an existing user.
pub fn create_token(db: &Database, user_name: &str) -> Result<String, AppError> {
    db.write(|conn| {
        let user = user_by_name(conn, user_name)?;
        issue_token(conn, &user.id)
    })
}

/// Revokes the one live token whose visible prefix is `prefix`.
pub fn revoke_token(db: &Database, prefix: &str) -> Result<(), AppError> {
    db.write(|conn| {
        let live = repository::tokens::live_by_prefix(conn, prefix)?;
        match live.as_slice() {
            [] => Err(AppError::NotFound(format!(
                "no live token with prefix '{prefix}'"
            ))),
            [tok] => {
                repository::tokens::revoke(conn, &tok.id, repository::now())?;
                Ok(())
            }
            _ => Err(AppError::Conflict(format!(
                "{} live tokens share the prefix '{prefix}'; give more of it",
                live.len()
            ))),
        }
    })
}

/// Disables a user: their tokens stop working at once.
pub fn set_active(db: &Database, name: &str, active: bool) -> Result<(), AppError> {
    db.write(|conn| {
        let user = user_by_name(conn, name)?;
        repository::users::set_active(conn, &user.id, active)?;
        Ok(())
    })
}

/// Users with the visible prefixes of their live tokens, for `user list`.
pub fn list_users(db: &Database) -> Result<Vec<(Me, Vec<String>)>, AppError> {
    db.read(|conn| {
        let users = repository::users::list(conn)?;
        users
            .iter()
            .map(|u| {
                let tokens = repository::tokens::list_for_user(conn, &u.id)?
                    .into_iter()
                    .filter(|t| t.revoked_at.is_none())
                    .map(|t| t.prefix)
                    .collect();
                Ok((me(u)?, tokens))
            })
            .collect()
    })
}

/// On a database without users, creates the first admin, its token handed
/// to `deliver` (which writes it somewhere the operator finds it) before the
/// transaction that stores them, and taken back with `undo` if that
/// transaction does not commit. So either both the admin and the token's
/// copy exist, or neither does.
pub fn bootstrap_admin<T, E: From<AppError>>(
    db: &Database,
    deliver: impl FnOnce(&str) -> Result<T, E>,
    undo: impl FnOnce(&T),
) -> Result<Option<T>, E> {
    if db.read(|conn| Ok(repository::users::count(conn)?))? > 0 {
        return Ok(None);
    }
    let (token, hash) = crypto::new_token();
    let delivered = deliver(&token)?;
    let result = db.write(|conn| {
        if repository::users::count(conn)? > 0 {
            return Ok(false);
        }
        let row = new_user_row("admin", Role::Admin);
        repository::users::insert(conn, &row)?;
        insert_token(conn, &row.id, &token, hash)?;
        Ok(true)
    });
    match result {
        Ok(true) => Ok(Some(delivered)),
        // Another instance created the admin first; this token is of no use.
        Ok(false) | Err(AppError::Conflict(_)) => {
            undo(&delivered);
            Ok(None)
        }
        Err(e) => {
            // A commit whose answer was lost may still have happened: then
            // the token file is the only copy of a working token.
            if authenticate(db, &AuthCache::new(std::time::Duration::ZERO), &token).is_ok() {
                return Ok(Some(delivered));
            }
            undo(&delivered);
            Err(e.into())
        }
    }
}
