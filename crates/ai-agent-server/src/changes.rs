//! How many committed writes this process knows of: the version a cached
//! answer (see [`listing_cache`](crate::listing_cache)) is checked against.
//!
//! A write through [`Database::write`](crate::db::Database::write) counts
//! once its transaction has committed and before its caller answers, so an
//! answer computed before the write is never served after it by this
//! process. On PostgreSQL several instances share the data: each write also
//! sends a `NOTIFY` in its transaction, and a thread listening on a
//! connection of its own counts the other instances' writes. Every second
//! it notifies itself: notifications arrive in commit order, so once its
//! own comes back, every write committed before it has been counted. While
//! the listener is not connected, or has not heard itself for [`SILENCE`],
//! the version is unknown and nothing cached is served.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

/// The channel every instance notifies and listens on.
pub(crate) const CHANNEL: &str = "ai_agent_changes";

/// How often the listener looks for notifications: the longest usual delay
/// before another instance's write reaches this one's cache. diesel gives
/// no socket to wait on, so it polls (one non-blocking `recv`); every 2 ms
/// cost an idle server 1.6 % of a core here, every 10 ms a fifth of that.
pub(crate) const POLL: Duration = Duration::from_millis(10);

/// How often the listener proves its connection alive, by notifying itself:
/// a pooler in transaction mode (PgBouncer) answers queries but never
/// delivers notifications, and only a notification that comes back proves
/// that others' would.
const HEARTBEAT: Duration = Duration::from_secs(1);

/// The start of a heartbeat's payload; every instance skips these.
const PROBE: &str = "probe:";

/// How long the version is trusted after the listener's last proof: a
/// connection that hangs without failing (a network partition) cannot keep
/// stale answers served for longer.
pub(crate) const SILENCE: Duration = Duration::from_secs(3);

/// Wait before connecting again after the listener's connection failed.
const RECONNECT: Duration = Duration::from_secs(1);

const NOT_LISTENING: u64 = u64::MAX;

/// The count of writes, and on PostgreSQL whether other instances' writes
/// are being heard.
#[derive(Debug)]
pub struct DataVersion {
    count: AtomicU64,
    /// PostgreSQL only: milliseconds after `epoch` at which the listener
    /// last proved its connection, or [`NOT_LISTENING`].
    confirmed_ms: Option<AtomicU64>,
    epoch: Instant,
    /// Sent with this process's notifications, so that its listener skips
    /// them (they were counted when committed).
    instance: String,
}

impl DataVersion {
    /// Writes of this process only: SQLite, one server process per file.
    pub(crate) fn local() -> Arc<Self> {
        Self::new(None)
    }

    /// Writes of every instance over one PostgreSQL database; unknown until
    /// [`listen`] is connected.
    pub(crate) fn shared() -> Arc<Self> {
        Self::new(Some(AtomicU64::new(NOT_LISTENING)))
    }

    fn new(confirmed_ms: Option<AtomicU64>) -> Arc<Self> {
        Arc::new(DataVersion {
            count: AtomicU64::new(0),
            confirmed_ms,
            epoch: Instant::now(),
            instance: format!("{:016x}", rand::random::<u64>()),
        })
    }

    /// Counts a committed write.
    pub(crate) fn bump(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    /// The current version, or `None` when writes of other instances may
    /// have gone unheard.
    pub fn current(&self) -> Option<u64> {
        if let Some(confirmed) = &self.confirmed_ms {
            let at = confirmed.load(Ordering::Acquire);
            if at == NOT_LISTENING || self.now_ms().saturating_sub(at) > millis(SILENCE) {
                return None;
            }
        }
        Some(self.count.load(Ordering::Acquire))
    }

    /// The statement a PostgreSQL write transaction ends with.
    pub(crate) fn notify_sql(&self) -> String {
        format!("NOTIFY {CHANNEL}, '{}'", self.instance)
    }

    fn now_ms(&self) -> u64 {
        millis(self.epoch.elapsed())
    }

    fn confirm(&self, listening: bool) {
        if let Some(c) = &self.confirmed_ms {
            let v = if listening {
                self.now_ms()
            } else {
                NOT_LISTENING
            };
            c.store(v, Ordering::Release);
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX - 1)
}

/// Starts the thread that hears other instances' writes on PostgreSQL. It
/// ends (closing its connection) once `version` is dropped.
pub(crate) fn listen(
    version: &Arc<DataVersion>,
    connect: impl Fn() -> Result<diesel::PgConnection, diesel::ConnectionError> + Send + 'static,
) -> std::io::Result<()> {
    let weak = Arc::downgrade(version);
    std::thread::Builder::new()
        .name("ai-agent-listen".into())
        .spawn(move || {
            while weak.strong_count() > 0 {
                match connect() {
                    Ok(mut conn) => {
                        if let Err(e) = hear(&weak, &mut conn) {
                            tracing::warn!(error = %e, "lost the connection that hears other instances' changes; cached listings are not served until it is back");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot connect to hear other instances' changes; cached listings are not served until it can");
                    }
                }
                if let Some(v) = weak.upgrade() {
                    v.confirm(false);
                }
                std::thread::sleep(RECONNECT);
            }
        })
        .map(drop)
}

/// Listens on `conn` until it fails or the version is dropped.
fn hear(weak: &Weak<DataVersion>, conn: &mut diesel::PgConnection) -> diesel::QueryResult<()> {
    conn.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    let mut probed: Option<Instant> = None;
    let mut heard_once = false;
    loop {
        let Some(v) = weak.upgrade() else {
            return Ok(());
        };
        let probe = format!("{PROBE}{}", v.instance);
        for note in conn.notifications_iter() {
            let payload = note?.payload;
            if payload == probe {
                // Everything sent before the probe has been read: what this
                // instance counts is complete up to now.
                if !heard_once {
                    // Whatever was written while nobody listened is
                    // unknown: every answer cached before now is out of date.
                    v.bump();
                    heard_once = true;
                }
                v.confirm(true);
            } else if payload != v.instance && !payload.starts_with(PROBE) {
                v.bump();
            }
        }
        if probed.is_none_or(|at| at.elapsed() >= HEARTBEAT) {
            conn.batch_execute(&format!("NOTIFY {CHANNEL}, '{probe}'"))?;
            probed = Some(Instant::now());
        }
        drop(v);
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_versions_are_always_known_and_count_writes() {
        let v = DataVersion::local();
        let before = v.current();
        v.bump();
        assert!(before.is_some());
        assert_ne!(v.current(), before);
    }

    #[test]
    fn shared_versions_are_unknown_until_heard_and_after_silence() {
        let v = DataVersion::shared();
        assert_eq!(v.current(), None, "not listening yet");
        v.confirm(true);
        assert!(v.current().is_some());
        v.confirm(false);
        assert_eq!(v.current(), None, "the listener lost its connection");

        // Proved alive long ago: as if the connection hung since.
        let mut old = Arc::into_inner(DataVersion::shared()).expect("sole owner");
        old.epoch = Instant::now()
            .checked_sub(SILENCE * 2)
            .expect("the clock is past SILENCE * 2");
        old.confirmed_ms = Some(AtomicU64::new(0));
        assert_eq!(old.current(), None, "silent for longer than SILENCE");
        old.confirm(true);
        assert!(old.current().is_some());
    }
}
