//! Listings this process has computed, served again as they were written
//! out until the data changes: a listing is read far more often than the
//! servers change (every agent's start, every sync), and computing one is
//! most of its cost. An entry is served only while the data version it was
//! computed at is still current ([`crate::changes`]), so no write this
//! process knows of is ever missing from an answer. Listings with revealed
//! secrets are never kept.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use mcp_model::ServerType;
use uuid::Uuid;

/// How long an entry is served at most, whatever the version says: a bound
/// for changes no version counts (an operator's hand edit of the database).
pub const MAX_AGE: Duration = Duration::from_secs(5);

/// The default bound on the bytes of listings kept.
pub const DEFAULT_BYTES: usize = 4 * 1024 * 1024;

/// What a listing depends on: who asks, and the query, but not their role
/// (admins see what anyone sees in a listing).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListingKey {
    pub user: Uuid,
    pub server_type: Option<ServerType>,
    pub enabled: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub after: Option<String>,
}

#[derive(Debug)]
struct Entry {
    version: u64,
    at: Instant,
    body: Bytes,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<ListingKey, Entry>,
    bytes: usize,
}

#[derive(Debug)]
pub struct ListingCache {
    max_bytes: usize,
    entries: Mutex<Entries>,
}

impl ListingCache {
    /// A cache of at most `max_bytes` of listings; zero turns it off.
    pub fn new(max_bytes: usize) -> Self {
        ListingCache {
            max_bytes,
            entries: Mutex::default(),
        }
    }

    /// The listing for `key` if it was computed at `version`, the current one.
    pub fn get(&self, key: &ListingKey, version: Option<u64>) -> Option<Bytes> {
        let version = version?;
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .map
            .get(key)
            .filter(|e| e.version == version && e.at.elapsed() < MAX_AGE)
            .map(|e| e.body.clone())
    }

    /// Keeps a listing computed from data read at `version` (taken before
    /// the read: a write committed meanwhile makes the entry out of date).
    pub fn put(&self, key: ListingKey, version: Option<u64>, body: &Bytes) {
        let Some(version) = version else {
            return;
        };
        // One listing may take an eighth of the room at most, so that a few
        // large ones cannot push every other user's out.
        if body.len() > self.max_bytes / 8 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // Computed from older data than what is kept already (versions only
        // grow): not worth keeping.
        if entries.map.get(&key).is_some_and(|e| e.version > version) {
            return;
        }
        let size = cost(&key, body);
        if entries.bytes + size > self.max_bytes {
            // What was computed before a write known now is out of date.
            let now = Instant::now();
            entries
                .map
                .retain(|_, e| e.version >= version && now.duration_since(e.at) < MAX_AGE);
            entries.bytes = entries.map.iter().map(|(k, e)| cost(k, &e.body)).sum();
            if entries.bytes + size > self.max_bytes {
                entries.map.clear();
                entries.bytes = 0;
            }
        }
        let entry = Entry {
            version,
            at: Instant::now(),
            body: body.clone(),
        };
        entries.bytes += size;
        if let Some(old) = entries.map.insert(key.clone(), entry) {
            entries.bytes -= cost(&key, &old.body);
        }
    }
}

/// The room an entry takes: its body, its key's cursor, and about as much
/// again as the key and entry themselves for the map's own bookkeeping.
fn cost(key: &ListingKey, body: &Bytes) -> usize {
    const FIXED: usize = 2 * (std::mem::size_of::<ListingKey>() + std::mem::size_of::<Entry>());
    body.len() + key.after.as_ref().map_or(0, String::len) + FIXED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(limit: i64) -> ListingKey {
        ListingKey {
            user: Uuid::nil(),
            server_type: None,
            enabled: None,
            limit: Some(limit),
            offset: None,
            after: None,
        }
    }

    #[test]
    fn entries_are_served_only_at_their_version() {
        let cache = ListingCache::new(1024);
        let body = Bytes::from_static(b"[1]");
        cache.put(key(1), Some(7), &body);
        assert_eq!(cache.get(&key(1), Some(7)), Some(body));
        assert_eq!(cache.get(&key(1), Some(8)), None, "written since");
        assert_eq!(cache.get(&key(1), None), None, "version unknown");
        assert_eq!(cache.get(&key(2), Some(7)), None, "another query");
        cache.put(key(3), None, &Bytes::from_static(b"[]"));
        assert_eq!(cache.get(&key(3), None), None);
    }

    #[test]
    fn an_older_listing_never_replaces_a_newer_one() {
        let cache = ListingCache::new(4096);
        let new = Bytes::from_static(b"[2]");
        cache.put(key(1), Some(8), &new);
        cache.put(key(1), Some(7), &Bytes::from_static(b"[1]"));
        assert_eq!(cache.get(&key(1), Some(8)), Some(new));
    }

    #[test]
    fn the_room_is_bounded() {
        let cache = ListingCache::new(800);
        let body = Bytes::from(vec![b' '; 100]);
        for i in 0..20 {
            cache.put(key(i), Some(1), &body);
        }
        let kept = (0..20).filter(|i| cache.get(&key(*i), Some(1)).is_some());
        assert!(kept.count() <= 8);
        let entries = cache.entries.lock().unwrap();
        assert!(entries.bytes <= 800);
        assert_eq!(
            entries.bytes,
            entries
                .map
                .iter()
                .map(|(k, e)| cost(k, &e.body))
                .sum::<usize>()
        );
        drop(entries);
        cache.put(key(99), Some(1), &Bytes::from(vec![b' '; 101]));
        assert_eq!(cache.get(&key(99), Some(1)), None, "over an eighth");
        let off = ListingCache::new(0);
        off.put(key(1), Some(1), &Bytes::from_static(b"[]"));
        assert_eq!(off.get(&key(1), Some(1)), None, "zero turns it off");
    }
}
