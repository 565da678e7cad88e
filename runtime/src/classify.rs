//! What to do after one attempt: a pure function of the attempt's outcome, the call's
//! state and the [`RetryPolicy`] (in the manner of smithy-rs' retry classifiers), so each
//! decision is tested without a server and the transport loop only carries it out.

use std::time::Duration;

use reqwest::Method;

use crate::retry::RetryPolicy;

/// What one attempt came to, as far as the decision goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response arrived, with the delay its `Retry-After` asks for.
    Response {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No response: the attempt timed out or the exchange failed.
    Failure {
        /// The attempt timeout fired.
        timed_out: bool,
        /// Trying again may help (not for a request that cannot be built, or a refusal).
        retryable: bool,
    },
}

/// Where the call stands when an attempt ends.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallState<'a> {
    pub method: &'a Method,
    /// The body can be sent again (a streamed file is read once).
    pub replayable: bool,
    /// A rejected token may still be replaced (once per call, with credentials to refresh).
    pub may_refresh: bool,
    /// Retries made so far (attempts after the first, token refreshes not counted).
    pub retries: u32,
    /// The attempt's own deadline was the call's: a timeout means the budget is spent.
    pub attempt_hit_deadline: bool,
    /// Time left of the call's total budget.
    pub remaining: Duration,
    /// Where in `0..1` the jittered backoff falls (random in the transport).
    pub jitter: f64,
}

/// What the transport does next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Action {
    /// Hand the outcome to the caller: the response, or the failure.
    Finish,
    /// The call ran out of its total time budget.
    OutOfTime,
    /// Forget the token, fetch a new one and try again, at once.
    RefreshAndRetry,
    /// Wait this long, then try again.
    RetryAfter(Duration),
}

/// Decides what follows `outcome`.
pub(crate) fn classify(policy: &RetryPolicy, call: &CallState<'_>, outcome: Outcome) -> Action {
    let last_try = !call.replayable || call.retries + 1 >= policy.max_attempts;
    let backoff = || {
        policy
            .backoff_cap(call.retries + 1)
            .mul_f64(call.jitter.clamp(0.0, 1.0))
    };
    let delay = match outcome {
        Outcome::Failure {
            timed_out: true, ..
        } if call.attempt_hit_deadline => return Action::OutOfTime,
        // A rejected token is replaced once, even on the last attempt: it is not a retry.
        Outcome::Response { status: 401, .. } if call.may_refresh => {
            return Action::RefreshAndRetry
        }
        Outcome::Response {
            status,
            retry_after,
        } => {
            if last_try || !policy.retries_status(call.method, status) {
                return Action::Finish;
            }
            retry_after.unwrap_or_else(backoff)
        }
        Outcome::Failure { retryable, .. } => {
            if last_try || !retryable || !policy.retries_failure(call.method) {
                return Action::Finish;
            }
            backoff()
        }
    };
    // A wait that outlasts the budget would only end in a timeout: the last answer is better.
    if delay >= call.remaining {
        Action::Finish
    } else {
        Action::RetryAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1))
    }

    fn call(method: &Method) -> CallState<'_> {
        CallState {
            method,
            replayable: true,
            may_refresh: false,
            retries: 0,
            attempt_hit_deadline: false,
            remaining: Duration::from_secs(60),
            jitter: 0.5,
        }
    }

    fn status(status: u16) -> Outcome {
        Outcome::Response {
            status,
            retry_after: None,
        }
    }

    const CONNECT_FAILED: Outcome = Outcome::Failure {
        timed_out: false,
        retryable: true,
    };

    #[test]
    fn successes_and_client_errors_finish() {
        for code in [200, 204, 400, 401, 403, 404, 409] {
            assert_eq!(
                classify(&policy(), &call(&Method::GET), status(code)),
                Action::Finish,
                "{code}"
            );
        }
    }

    #[test]
    fn throttling_is_retried_with_jittered_backoff_or_retry_after() {
        let get = Method::GET;
        let first = classify(&policy(), &call(&get), status(429));
        assert_eq!(first, Action::RetryAfter(Duration::from_millis(50)));
        // The cap doubles per retry made.
        let third = CallState {
            retries: 1,
            ..call(&get)
        };
        assert_eq!(
            classify(&policy(), &third, status(503)),
            Action::RetryAfter(Duration::from_millis(100))
        );
        let asked = Outcome::Response {
            status: 429,
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(
            classify(&policy(), &call(&get), asked),
            Action::RetryAfter(Duration::from_secs(7))
        );
    }

    #[test]
    fn server_errors_and_failures_retry_only_idempotent_methods_unless_allowed() {
        let (get, post) = (Method::GET, Method::POST);
        assert!(matches!(
            classify(&policy(), &call(&get), status(502)),
            Action::RetryAfter(_)
        ));
        assert_eq!(
            classify(&policy(), &call(&post), status(502)),
            Action::Finish
        );
        assert_eq!(
            classify(&policy(), &call(&post), CONNECT_FAILED),
            Action::Finish
        );
        let allowed = policy().with_retry_non_idempotent(true);
        assert!(matches!(
            classify(&allowed, &call(&post), CONNECT_FAILED),
            Action::RetryAfter(_)
        ));
        // Throttling is retried for every method.
        assert!(matches!(
            classify(&policy(), &call(&post), status(429)),
            Action::RetryAfter(_)
        ));
    }

    #[test]
    fn final_failures_and_spent_attempts_finish() {
        let get = Method::GET;
        let refused = Outcome::Failure {
            timed_out: false,
            retryable: false,
        };
        assert_eq!(classify(&policy(), &call(&get), refused), Action::Finish);
        let spent = CallState {
            retries: 2,
            ..call(&get)
        };
        assert_eq!(classify(&policy(), &spent, status(503)), Action::Finish);
        assert_eq!(classify(&policy(), &spent, CONNECT_FAILED), Action::Finish);
        let streamed = CallState {
            replayable: false,
            ..call(&get)
        };
        assert_eq!(classify(&policy(), &streamed, status(503)), Action::Finish);
        assert_eq!(
            classify(&RetryPolicy::disabled(), &call(&get), status(503)),
            Action::Finish
        );
    }

    #[test]
    fn a_rejected_token_is_refreshed_once_even_on_the_last_attempt() {
        let get = Method::GET;
        let refreshable = CallState {
            may_refresh: true,
            replayable: false,
            retries: 2,
            ..call(&get)
        };
        assert_eq!(
            classify(&policy(), &refreshable, status(401)),
            Action::RefreshAndRetry
        );
        assert_eq!(
            classify(&policy(), &refreshable, status(403)),
            Action::Finish
        );
    }

    #[test]
    fn the_total_budget_ends_waits_and_timeouts() {
        let get = Method::GET;
        let timed_out = Outcome::Failure {
            timed_out: true,
            retryable: true,
        };
        let at_deadline = CallState {
            attempt_hit_deadline: true,
            ..call(&get)
        };
        assert_eq!(
            classify(&policy(), &at_deadline, timed_out),
            Action::OutOfTime
        );
        // An attempt timeout before the call's deadline is retried like any failure.
        assert!(matches!(
            classify(&policy(), &call(&get), timed_out),
            Action::RetryAfter(_)
        ));
        let short = CallState {
            remaining: Duration::from_millis(50),
            ..call(&get)
        };
        assert_eq!(classify(&policy(), &short, status(503)), Action::Finish);
        assert_eq!(classify(&policy(), &short, CONNECT_FAILED), Action::Finish);
        let long_ask = Outcome::Response {
            status: 429,
            retry_after: Some(Duration::from_secs(120)),
        };
        assert_eq!(classify(&policy(), &call(&get), long_ask), Action::Finish);
    }
}
