//! How much one caller may ask of a shared server: requests per minute per
//! API token (a token bucket, in this process), and servers per user.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::error::AppError;

/// Buckets idle this long are full again and can be forgotten.
const IDLE_SECS: f64 = 120.0;

/// Per-token token buckets: `per_minute` requests, refilled continuously,
/// so a burst of up to a minute's worth is allowed after a quiet minute.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::default(),
        }
    }

    /// Takes one request from `key`'s bucket, or says when one will be there.
    pub fn take(&self, key: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let rate = self.per_minute / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > 10_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < IDLE_SECS);
        }
        let (tokens, at) = buckets
            .entry(key.to_string())
            .or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - *tokens) / rate).ceil().max(1.0);
        Err(AppError::TooManyRequests {
            detail: format!(
                "rate limit: at most {} requests per minute per API token; retry in {wait} s",
                self.per_minute
            ),
            // A float of at most 60 / per_minute seconds, rounded up.
            retry_after_secs: wait as u64,
        })
    }
}

/// The limits of one server instance, from its settings.
#[derive(Debug, Default)]
pub struct Limits {
    pub rate: Option<RateLimiter>,
    pub max_servers_per_user: Option<u64>,
}

impl Limits {
    /// Refuses to let a user who owns `owned` servers add `adding` more.
    pub fn check_servers(&self, owned: u64, adding: u64) -> Result<(), AppError> {
        match self.max_servers_per_user {
            Some(max) if owned + adding > max => Err(AppError::Forbidden(format!(
                "a user may own at most {max} MCP servers on this server; you own {owned}{}",
                if adding > 1 {
                    format!(" and this would add {adding}")
                } else {
                    String::new()
                }
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_its_size_then_says_when() {
        let r = RateLimiter::new(3);
        for _ in 0..3 {
            r.take("t").expect("within the limit");
        }
        match r.take("t") {
            Err(AppError::TooManyRequests {
                retry_after_secs, ..
            }) => assert!((1..=20).contains(&retry_after_secs)),
            other => panic!("expected 429, got {other:?}"),
        }
        r.take("other").expect("buckets are per token");
    }
}
