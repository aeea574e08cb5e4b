//! Tokens this process has seen recently, so that an authenticated request
//! needs no database round trip (and no hop to a blocking thread): an entry
//! is trusted for `ttl` after the database confirmed it, then confirmed
//! again. A token revoked, a user disabled or a token deleted (by this
//! instance, another one over the same database, or the operator's
//! commands) is refused within `ttl`. Unknown tokens are never cached.
//!
//! Uses of a token are noted here too and written to `last_used_at` in
//! batches, off the request path (see [`AuthCache::take_used`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::services::Actor;

/// The most entries kept; past it, expired ones go, then all of them.
const CAPACITY: usize = 10_000;

/// How stale `last_used_at` may get before a use is written again.
const TOUCH_INTERVAL: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Debug)]
struct Entry {
    actor: Actor,
    token_id: String,
    confirmed: Instant,
    last_used: Option<NaiveDateTime>,
}

#[derive(Debug)]
pub struct AuthCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
    used: Mutex<HashSet<String>>,
}

impl AuthCache {
    /// A cache trusting entries for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        AuthCache {
            ttl,
            entries: Mutex::default(),
            used: Mutex::default(),
        }
    }

    /// The caller of the token hashed as `hash`, if confirmed within the TTL.
    pub fn get(&self, hash: &str, now: NaiveDateTime) -> Option<Actor> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get_mut(hash)?;
        if entry.confirmed.elapsed() >= self.ttl {
            entries.remove(hash);
            return None;
        }
        let actor = entry.actor.clone();
        self.note_use(entry, now);
        Some(actor)
    }

    /// Remembers a token the database just confirmed, and notes its use.
    pub fn put(
        &self,
        hash: &str,
        actor: &Actor,
        token_id: &str,
        last_used: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) {
        let mut entry = Entry {
            actor: actor.clone(),
            token_id: token_id.to_string(),
            confirmed: Instant::now(),
            last_used,
        };
        self.note_use(&mut entry, now);
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            let ttl = self.ttl;
            entries.retain(|_, e| e.confirmed.elapsed() < ttl);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(hash.to_string(), entry);
    }

    fn note_use(&self, entry: &mut Entry, now: NaiveDateTime) {
        if entry.last_used.is_none_or(|t| now - t > TOUCH_INTERVAL) {
            entry.last_used = Some(now);
            self.used
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(entry.token_id.clone());
        }
    }

    /// The ids of the tokens used since the last call, to be written.
    pub fn take_used(&self) -> Vec<String> {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let mut ids: Vec<String> = used.drain().collect();
        ids.sort();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcp_model::api::Role;

    fn actor() -> Actor {
        Actor {
            id: uuid::Uuid::new_v4(),
            name: "alice".into(),
            role: Role::User,
            created_at: crate::repository::now(),
        }
    }

    #[test]
    fn entries_expire_and_uses_are_noted_once_per_interval() {
        let cache = AuthCache::new(Duration::from_millis(50));
        let now = crate::repository::now();
        assert!(
            cache.get("h", now).is_none(),
            "unknown tokens are not cached"
        );
        cache.put("h", &actor(), "tok", None, now);
        assert_eq!(cache.take_used(), ["tok"]);
        assert!(cache.get("h", now).is_some());
        assert!(cache.take_used().is_empty(), "used a moment ago: not again");
        let later = now + chrono::Duration::seconds(61);
        assert!(cache.get("h", later).is_some());
        assert_eq!(cache.take_used(), ["tok"]);
        std::thread::sleep(Duration::from_millis(60));
        assert!(
            cache.get("h", later).is_none(),
            "confirmed again after the TTL"
        );
    }

    #[test]
    fn a_zero_ttl_caches_nothing_but_still_notes_uses() {
        let cache = AuthCache::new(Duration::ZERO);
        let now = crate::repository::now();
        cache.put("h", &actor(), "tok", None, now);
        assert!(cache.get("h", now).is_none());
        assert_eq!(cache.take_used(), ["tok"]);
    }
}
