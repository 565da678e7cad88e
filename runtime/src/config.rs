//! What a client is configured with: base URL, credentials, timeouts, retries.

use std::fmt;
use std::time::Duration;

use crate::auth::Credentials;
use crate::hook::HookHandle;
use crate::retry::RetryPolicy;
use crate::scheme::{SchemeCredentials, SecurityScheme};

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
    /// Default credentials: used for the spec's OAuth 2.0 and OpenID Connect schemes (or,
    /// where it has none, its bearer `http` schemes) that have none of their own in
    /// [`ClientConfig::scheme_credentials`], and for requests marked
    /// [`authenticated`](crate::ApiRequest::authenticated) without requirements.
    pub credentials: Credentials,
    /// The spec's security schemes (`components.securitySchemes`).
    pub security_schemes: &'static [SecurityScheme],
    /// Credentials per scheme name.
    pub scheme_credentials: SchemeCredentials,
    /// OAuth 2.0 token URL: overrides every OAuth scheme's own (from the spec).
    pub token_url: Option<url::Url>,
    /// The OAuth 2.0 scopes every token is requested with, instead of those the spec's
    /// operations name (`None`, the default: the spec's; an empty list: no `scope` at all).
    pub scopes: Option<Vec<String>>,
    /// Headers sent with every request (a request's own header of the same name wins).
    pub default_headers: Vec<(String, String)>,
    /// The HTTP client to send with, instead of one built from these settings (then
    /// [`Timeouts::connect`] is the client's own business). It should not follow redirects
    /// itself (`reqwest::redirect::Policy::none()`): the transport follows them, keeping
    /// credentials on their host, and refuses a response the client fetched from another
    /// host by itself.
    pub http_client: Option<reqwest::Client>,
    /// A hook around every attempt.
    pub hook: Option<HookHandle>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Timeouts of a streamed body once its headers arrived: first byte and idle.
    pub stream_timeouts: crate::stream::StreamTimeouts,
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
            security_schemes: &[],
            scheme_credentials: SchemeCredentials::default(),
            token_url: None,
            scopes: None,
            default_headers: Vec::new(),
            http_client: None,
            hook: None,
            timeouts: Timeouts::default(),
            stream_timeouts: crate::stream::StreamTimeouts::default(),
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

    /// Sets the spec's security schemes.
    pub fn with_security_schemes(mut self, schemes: &'static [SecurityScheme]) -> Self {
        self.security_schemes = schemes;
        self
    }

    /// Sets the credentials of one scheme.
    pub fn with_scheme_credentials(
        mut self,
        scheme: &'static str,
        credentials: Credentials,
    ) -> Self {
        self.scheme_credentials.set(scheme, credentials);
        self
    }

    /// Adds a header sent with every request.
    pub fn with_default_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Sends with this HTTP client (see [`ClientConfig::http_client`]).
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the hook around every attempt.
    pub fn with_hook(mut self, hook: impl crate::hook::Hook + 'static) -> Self {
        self.hook = Some(HookHandle::new(hook));
        self
    }

    /// Sets the OAuth 2.0 token URL.
    pub fn with_token_url(mut self, token_url: url::Url) -> Self {
        self.token_url = Some(token_url);
        self
    }

    /// Sets the OAuth 2.0 scopes every token is requested with, instead of the spec's.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the timeouts of streamed bodies (first byte, idle between chunks).
    pub fn with_stream_timeouts(mut self, timeouts: crate::stream::StreamTimeouts) -> Self {
        self.stream_timeouts = timeouts;
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
            .field("security_schemes", &self.security_schemes)
            .field("scheme_credentials", &self.scheme_credentials)
            .field("token_url", &token_url)
            .field("scopes", &self.scopes)
            .field("default_headers", &DefaultHeaders(&self.default_headers))
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("hook", &self.hook)
            .field("stream_timeouts", &self.stream_timeouts)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("token_refresh_ahead", &self.token_refresh_ahead)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Default headers in `Debug` output, with secret-looking values redacted.
struct DefaultHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for DefaultHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if crate::security::is_sensitive_name(name) {
                list.entry(&(name, "[redacted]"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
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
