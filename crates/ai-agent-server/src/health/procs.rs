//! The process groups of running stdio checks: each child leads its own
//! group, so killing the group also ends what it spawned (npx → node…). A
//! registry of live groups lets shutdown kill them all; a guard kills its
//! group however the check ends (success, error, timeout, cancellation).

use std::collections::HashSet;
use std::process::ExitStatus;
use std::sync::{Arc, Mutex};

use tokio::process::Child;

/// Shared by every check of one server instance, so that shutdown can kill the
/// process groups of checks still running.
#[derive(Debug, Clone, Default)]
pub struct ProcessRegistry(Arc<Mutex<HashSet<i32>>>);

impl ProcessRegistry {
    fn register(&self, pgid: i32) {
        if let Ok(mut s) = self.0.lock() {
            s.insert(pgid);
        }
    }

    fn unregister(&self, pgid: i32) {
        if let Ok(mut s) = self.0.lock() {
            s.remove(&pgid);
        }
    }

    /// The process group ids of checks still running.
    pub fn live(&self) -> Vec<i32> {
        self.0
            .lock()
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Kills every live group (at shutdown). Their guards still reap them.
    pub fn kill_all(&self) {
        for pgid in self.live() {
            kill_group(pgid);
        }
    }
}

/// Sends SIGKILL to a whole process group.
#[allow(unsafe_code)]
fn kill_group(pgid: i32) {
    if pgid <= 1 {
        return;
    }
    // SAFETY: killpg only takes two integers and touches no memory of ours;
    // pgid > 1 so it can never signal every process we may signal (0 or -1).
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}

/// Owns a spawned child that leads its own process group.
#[derive(Debug)]
pub(crate) struct GroupGuard {
    pgid: i32,
    registry: ProcessRegistry,
    child: Option<Child>,
}

impl GroupGuard {
    /// Takes charge of `child`, spawned with `process_group(0)`.
    pub(crate) fn new(child: Child, registry: &ProcessRegistry) -> Self {
        let pgid = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .unwrap_or(0);
        registry.register(pgid);
        GroupGuard {
            pgid,
            registry: registry.clone(),
            child: Some(child),
        }
    }

    pub(crate) fn child_mut(&mut self) -> Option<&mut Child> {
        self.child.as_mut()
    }

    /// Kills the group and reaps the child; returns how the child ended.
    pub(crate) async fn finish(mut self) -> Option<ExitStatus> {
        kill_group(self.pgid);
        let status = match self.child.take() {
            Some(mut c) => c.wait().await.ok(),
            None => None,
        };
        self.registry.unregister(self.pgid);
        status
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(self.pgid);
            self.registry.unregister(self.pgid);
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => {
                    rt.spawn(async move {
                        let _ = child.wait().await;
                    });
                }
                // Outside a runtime: the group is killed, so this returns at once.
                Err(_) => {
                    let _ = child.start_kill();
                    let _ = child.try_wait();
                }
            }
        }
    }
}
