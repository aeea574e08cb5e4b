//! One thread for imports, the work that allocates in proportion to what a
//! caller sends (a 10,000-server file holds about 40 MB while it is read,
//! checked and written).
//!
//! On the blocking pool each import ran on whichever thread was free, and
//! glibc's malloc keeps a heap per thread that it seldom gives back: after
//! a load had started sixty blocking threads, ten imports left the server
//! at 315 MB. On one thread that memory is one heap, reused by the next
//! import, and imports sent at the same moment wait for each other instead
//! of holding their files' worth of memory at once. SQLite takes one writer
//! at a time anyway. See docs/benchmarks.md.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

use crate::error::{AppError, StartupError};

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the bulk thread.
#[derive(Debug, Clone)]
pub struct BulkWorker {
    jobs: mpsc::Sender<Job>,
}

impl BulkWorker {
    pub fn start() -> Result<Self, StartupError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("ai-agent-bulk".into())
            .spawn(move || {
                for job in queue {
                    job();
                    crate::malloc::release_free_memory();
                }
            })
            .map_err(|e| StartupError::Config(format!("cannot start the import thread: {e}")))?;
        Ok(BulkWorker { jobs })
    }

    /// Runs `f` on the bulk thread, after the jobs queued before it. A
    /// panic inside `f` is this request's 500, not the thread's end.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(std::panic::catch_unwind(AssertUnwindSafe(f)));
            }))
            .map_err(|_| AppError::internal("the import thread has stopped"))?;
        match result.await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(AppError::internal("the import failed unexpectedly")),
            Err(_) => Err(AppError::internal("the import thread has stopped")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_order_and_a_panic_is_an_error() {
        let bulk = BulkWorker::start().expect("thread");
        let first = bulk.run(|| Ok(std::thread::current().id()));
        let second = bulk.run(|| Ok(std::thread::current().id()));
        let (a, b) = tokio::join!(first, second);
        assert_eq!(a.expect("first"), b.expect("second"), "one thread");
        #[allow(clippy::panic)]
        let failed = bulk.run::<()>(|| panic!("a bug")).await;
        assert!(
            matches!(failed, Err(AppError::Internal { .. })),
            "{failed:?}"
        );
        assert_eq!(bulk.run(|| Ok(7)).await.expect("after the panic"), 7);
    }
}
