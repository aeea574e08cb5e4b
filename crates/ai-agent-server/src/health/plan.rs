//! What one check may take and what it does beyond the handshake: the time
//! limits (a server's own, else the API server's) and an optional tool call.

use std::time::Duration;

use std::sync::Arc;

use mcp_model::api::ToolCall;

use crate::redact::Redactor;

use super::{Failure, Phase};

/// The time limits of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From spawn or connect until the handshake is answered.
    pub startup: Duration,
    /// Each request after the handshake: a page of `tools/list`, the counts,
    /// the tool call.
    pub request: Duration,
}

/// Requests' worth of time the part after the handshake may take in all,
/// however many pages a server hands out.
const REQUESTS_AFTER_START: u32 = 3;

impl Timeouts {
    /// The whole check, an outer bound on top of the per-step ones.
    pub fn overall(&self) -> Duration {
        self.startup + self.request * REQUESTS_AFTER_START
    }

    /// Whether `phase` is part of the start (as opposed to a later request).
    fn starting(phase: &str) -> bool {
        matches!(phase, "spawn" | "connect" | "initialize")
    }

    /// The report of a check stopped by a limit during `phase`: which limit,
    /// and how to give the server more.
    pub(crate) fn timed_out(&self, phase: &'static str, overall: bool) -> Failure {
        let text = if overall {
            format!(
                "timed out after {}s in all, during {phase} (the start's limit plus {REQUESTS_AFTER_START} requests' worth)",
                self.overall().as_secs()
            )
        } else if Self::starting(phase) {
            format!(
                "timed out after {}s during {phase} (the startup timeout, check.startup_timeout_secs)",
                self.startup.as_secs()
            )
        } else {
            format!(
                "timed out after {}s during {phase} (the request timeout, check.request_timeout_secs)",
                self.request.as_secs()
            )
        };
        Failure::unhealthy(phase, text)
    }

    /// [`Timeouts::timed_out`] for the outer bound, at the phase reached.
    pub(crate) fn overall_timed_out(&self, phase: &Phase) -> Failure {
        let at = phase.get();
        // Within the start, the start's own limit is what ran out.
        self.timed_out(at, !Self::starting(at))
    }
}

/// Everything a check is told to do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub timeouts: Timeouts,
    /// Called after `tools/list`; it must succeed for a healthy verdict.
    pub call_tool: Option<ToolCall>,
    /// The approved fingerprint of the tool `call_tool` names, when the
    /// tools are pinned: a tool whose definition changed since is not called
    /// (the change may be what makes it harmful).
    pub call_tool_pin: Option<String>,
    /// The check's redactor, to fingerprint that tool as reports do.
    pub(crate) redactor: Option<Arc<Redactor>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_names_the_limit_that_ran_out() {
        let t = Timeouts {
            startup: Duration::from_secs(60),
            request: Duration::from_secs(10),
        };
        assert_eq!(t.overall(), Duration::from_secs(90));
        let start = t.timed_out("initialize", false).error;
        assert!(
            start.starts_with("timed out after 60s during initialize"),
            "{start}"
        );
        assert!(start.contains("startup_timeout_secs"), "{start}");
        let req = t.timed_out("tools/list", false).error;
        assert!(
            req.starts_with("timed out after 10s during tools/list"),
            "{req}"
        );
        let all = t.timed_out("tools/list", true).error;
        assert!(all.starts_with("timed out after 90s in all"), "{all}");
    }
}
