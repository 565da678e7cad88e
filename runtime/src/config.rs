//! What a client is configured with: base URL, credentials, timeouts, retries.

use std::fmt;
use std::time::Duration;

use crate::auth::Credentials;
use crate::retry::RetryPolicy;

/// Timeouts of one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (default 10 s).
    pub connect: Duration,
    /// One attempt, from sending to the whole body read (default 30 s).
    pub attempt: Duration,
    /// The whole call, token requests, retries and backoff included (default 90 s).
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(90),
        }
    }
}

/// How long before its expiry a cached OAuth token is replaced, by default.
pub const DEFAULT_TOKEN_REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// Everything a generated `Client` is configured with.
///
/// Build it with [`ClientConfig::new`] and the `with_*` methods (or by setting fields):
/// fields may be added in later versions.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL every operation path is appended to.
    pub base_url: url::Url,
    /// How to authenticate.
    pub credentials: Credentials,
    /// OAuth 2.0 token URL (from the spec's `securitySchemes`).
    pub token_url: Option<url::Url>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// `User-Agent` header.
    pub user_agent: String,
    /// How long before its expiry a cached OAuth token is replaced (default 60 s). A token
    /// that lives no longer than this is replaced after half its lifetime.
    pub token_refresh_ahead: Duration,
    /// Allow sending credentials over plain http to hosts other than loopback (default
    /// false). Only for test set-ups on a trusted network.
    pub allow_insecure_http: bool,
    /// The largest response body read, token responses included (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::limits::DEFAULT_MAX_RESPONSE_BYTES)); a larger
    /// one fails the call with a transport error saying so.
    pub max_response_bytes: u64,
}

impl ClientConfig {
    /// A configuration with defaults for everything but the base URL.
    pub fn new(base_url: url::Url, user_agent: impl Into<String>) -> Self {
        Self {
            base_url,
            credentials: Credentials::None,
            token_url: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            user_agent: user_agent.into(),
            token_refresh_ahead: DEFAULT_TOKEN_REFRESH_AHEAD,
            allow_insecure_http: false,
            max_response_bytes: crate::limits::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the OAuth 2.0 token URL.
    pub fn with_token_url(mut self, token_url: url::Url) -> Self {
        self.token_url = Some(token_url);
        self
    }

    /// Sets the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets how long before expiry cached OAuth tokens are replaced.
    pub fn with_token_refresh_ahead(mut self, ahead: Duration) -> Self {
        self.token_refresh_ahead = ahead;
        self
    }

    /// Sets the largest response body read, in bytes.
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Allows credentials over plain http to any host; for trusted test networks only.
    pub fn with_insecure_http_allowed(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token_url = self.token_url.as_ref().map(crate::security::redact_url);
        f.debug_struct("ClientConfig")
            .field("base_url", &crate::security::redact_url(&self.base_url))
            .field("credentials", &self.credentials)
            .field("token_url", &token_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("token_refresh_ahead", &self.token_refresh_ahead)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Failure to build a [`Transport`](crate::Transport).
#[derive(Debug, thiserror::Error)]
#[error("could not build the HTTP client: {0}")]
pub struct BuildError(String);

impl BuildError {
    /// A build error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
