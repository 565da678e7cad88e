//! Retry policy: which failures are retried, and how long to wait in between.
//!
//! - `429`, `432` and `503` are retried for every method.
//! - `500`, `502`, `504`, connection errors and attempt timeouts are retried for idempotent
//!   methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), and for the others only when
//!   [`RetryPolicy::retry_non_idempotent`] is set.
//! - Nothing else is retried (in particular not 400, 401, 403 and 404; a 401 is answered
//!   once by refreshing the token, which the transport does outside this policy).
//!
//! The delay before retry `n` is drawn uniformly from `0..=min(max_backoff,
//! initial_backoff * 2^(n-1))` ("full jitter"), unless the response carried a
//! `Retry-After` header, which is then honoured as is.

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// When and how often to retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time, with jitter.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff delay (a `Retry-After` may ask for more).
    pub max_backoff: Duration,
    /// Also retry non-idempotent methods (POST, PATCH) on 5xx and connection errors.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts in all (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the initial and the maximum backoff delay.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Also retries non-idempotent methods on 5xx and connection errors.
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The upper bound of the jittered delay before retry number `retry` (1-based).
    pub fn backoff_cap(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// A delay drawn uniformly from `0..=backoff_cap(retry)` (full jitter).
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_cap(retry).mul_f64(rand::random::<f64>())
    }

    /// Whether a response with `status` to a `method` request may be retried.
    pub fn retries_status(&self, method: &Method, status: u16) -> bool {
        match status {
            429 | 432 | 503 => true,
            500 | 502 | 504 => self.retry_non_idempotent || is_idempotent(method),
            _ => false,
        }
    }

    /// Whether a connection error or attempt timeout of a `method` request may be retried.
    pub fn retries_failure(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }
}

/// Whether repeating a `method` request has the same effect as sending it once.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Parses a `Retry-After` value, delay-seconds or an HTTP date, into a delay from `now`.
///
/// A date in the past gives a zero delay; an unparsable value gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        assert_eq!(policy.backoff_cap(1), Duration::from_millis(100));
        assert_eq!(policy.backoff_cap(2), Duration::from_millis(200));
        assert_eq!(policy.backoff_cap(3), Duration::from_millis(350));
        assert_eq!(policy.backoff_cap(u32::MAX), Duration::from_millis(350));
        for retry in 1..10 {
            assert!(policy.backoff(retry) <= policy.backoff_cap(retry));
        }
    }

    #[test]
    fn which_statuses_are_retried() {
        let policy = RetryPolicy::default();
        for status in [429, 432, 503] {
            assert!(policy.retries_status(&Method::POST, status));
        }
        for status in [500, 502, 504] {
            assert!(policy.retries_status(&Method::GET, status));
            assert!(!policy.retries_status(&Method::POST, status));
            assert!(policy
                .clone()
                .with_retry_non_idempotent(true)
                .retries_status(&Method::POST, status));
        }
        for status in [200, 400, 401, 403, 404, 409, 501] {
            assert!(!policy.retries_status(&Method::GET, status));
        }
        assert!(policy.retries_failure(&Method::DELETE));
        assert!(!policy.retries_failure(&Method::PATCH));
    }
}
