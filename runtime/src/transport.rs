//! Sends [`ApiRequest`]s: base URL, auth header, timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::FutureExt as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

pub use crate::config::{BuildError, ClientConfig, Timeouts};
pub use crate::retry::RetryPolicy;

use crate::auth::{Credentials, Secret};
use crate::error::{AuthFailure, SendFailure, TransportFailure};
use crate::multipart::Multipart;
use crate::oauth::{FetchContext, OAuth};
use crate::request::{ApiRequest, Body, RawResponse};
use crate::security;

/// A configured HTTP transport, cheap to clone; clones share connections and tokens.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    oauth: Option<OAuth>,
    /// Whether credentials may go to the base URL (decided once, not per call).
    base_url_may_carry_credentials: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.inner.config)
            .field("oauth", &self.inner.oauth)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Builds the transport.
    pub fn new(config: ClientConfig) -> Result<Self, BuildError> {
        if !matches!(config.base_url.scheme(), "http" | "https")
            || config.base_url.cannot_be_a_base()
        {
            return Err(BuildError::new(format!(
                "the base URL must be an http or https URL, not {}",
                security::redact_url(&config.base_url)
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeouts.connect)
            .user_agent(config.user_agent.clone())
            .redirect(redirect_policy())
            .build()
            .map_err(|err| BuildError::new(err.to_string()))?;
        let oauth = OAuth::new(
            &config.credentials,
            config.token_url.clone(),
            config.token_refresh_ahead,
        );
        let base_url_may_carry_credentials =
            config.allow_insecure_http || security::may_carry_credentials(&config.base_url);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                config,
                oauth,
                base_url_may_carry_credentials,
            }),
        })
    }

    /// The configuration this transport was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Sends the request, retrying as the [`RetryPolicy`] allows, and reads the whole
    /// response. Any status is `Ok`: generated code decides what it means.
    ///
    /// The total time budget is enforced by every step that waits (token, attempt,
    /// backoff) rather than by a timer around the whole call, so a call that needs no
    /// token costs one timer, the attempt's.
    pub async fn execute(&self, mut request: ApiRequest) -> Result<RawResponse, SendFailure> {
        let span = tracing::info_span!(
            "oapigen.call",
            operation = request.operation_id,
            method = %request.method,
            attempts = Empty,
            status = Empty,
        );
        let deadline = Instant::now() + self.inner.config.timeouts.total;
        let payload = request.body.take().map(Payload::new);
        let mut attempts = 0u32;
        let result = self
            .run(&request, payload.as_ref(), deadline, &mut attempts)
            .instrument(span.clone())
            .await;
        span.record("attempts", attempts);
        match &result {
            Ok(response) => {
                span.record("status", response.status);
            }
            Err(failure) => {
                let _enter = span.enter();
                tracing::debug!(kind = ?failure.kind(), "call failed");
            }
        }
        result
    }

    async fn run(
        &self,
        request: &ApiRequest,
        payload: Option<&Payload>,
        deadline: Instant,
        attempts: &mut u32,
    ) -> Result<RawResponse, SendFailure> {
        let config = &self.inner.config;
        let policy = &config.retry;
        let sends_credentials =
            request.authenticated && !matches!(config.credentials, Credentials::None);
        if sends_credentials && !self.inner.base_url_may_carry_credentials {
            return Err(SendFailure::Auth(security::insecure(
                &config.base_url,
                "API base URL",
            )));
        }
        // The first attempt takes this URL; a retry builds it again (cheaper than a copy per call).
        let mut first_url = Some(self.url(request));
        // A body that can be sent once (a streamed file) gets one attempt.
        let replayable = payload.is_none_or(Payload::is_replayable);
        let mut may_refresh = replayable
            && sends_credentials
            && !matches!(config.credentials, Credentials::Bearer(_));
        let mut retries = 0u32;
        loop {
            let token = self.token_for(request, deadline, *attempts).await?;
            let url = first_url.take().unwrap_or_else(|| self.url(request));
            let builder = self.build(request, payload, url, token.as_ref())?;
            *attempts += 1;
            let span = tracing::debug_span!(
                "oapigen.attempt",
                attempt = *attempts,
                status = Empty,
                latency_ms = Empty
            );
            let started = Instant::now();
            let attempt_deadline = (started + config.timeouts.attempt).min(deadline);
            let outcome = Box::pin(send_until(
                builder,
                attempt_deadline,
                config.timeouts.attempt,
            ))
            .instrument(span.clone())
            .await;
            if !span.is_disabled() {
                span.record("latency_ms", started.elapsed().as_millis() as u64);
            }
            if matches!(outcome, Err(AttemptFailure::Timeout(_))) && attempt_deadline >= deadline {
                return Err(self.out_of_time(*attempts));
            }
            let last_try = !replayable || retries + 1 >= policy.max_attempts;
            let delay = match outcome {
                Ok(received) => {
                    span.record("status", received.status);
                    if let (401, true, Some(token)) = (received.status, may_refresh, &token) {
                        may_refresh = false;
                        tracing::debug!(parent: &span, "token rejected; retrying once with a new one");
                        Box::pin(self.invalidate(request, token, deadline, *attempts)).await?;
                        continue;
                    }
                    if last_try || !policy.retries_status(&request.method, received.status) {
                        return Ok(received.into_response(*attempts));
                    }
                    let delay = received
                        .retry_after()
                        .unwrap_or_else(|| policy.backoff(retries + 1));
                    if Instant::now() + delay >= deadline {
                        return Ok(received.into_response(*attempts));
                    }
                    delay
                }
                Err(failure) => {
                    if last_try
                        || !failure.is_retryable()
                        || !policy.retries_failure(&request.method)
                    {
                        return Err(failure.into_send_failure(*attempts));
                    }
                    let delay = policy.backoff(retries + 1);
                    if Instant::now() + delay >= deadline {
                        return Err(failure.into_send_failure(*attempts));
                    }
                    delay
                }
            };
            retries += 1;
            tracing::debug!(parent: &span, retry = retries, delay_ms = delay.as_millis() as u64, "retrying");
            Box::pin(tokio::time::sleep(delay)).await;
        }
    }

    /// The error for a call that ran out of its total time budget.
    fn out_of_time(&self, attempts: u32) -> SendFailure {
        let total = self.inner.config.timeouts.total;
        SendFailure::Timeout(TransportFailure::new(
            format!("the call did not finish within its total time budget of {total:?}"),
            attempts,
            None,
        ))
    }

    /// The token to send, if any, obtained before `deadline`.
    async fn token_for(
        &self,
        request: &ApiRequest,
        deadline: Instant,
        attempts: u32,
    ) -> Result<Option<Secret>, SendFailure> {
        if !request.authenticated {
            return Ok(None);
        }
        match &self.inner.config.credentials {
            Credentials::None => Ok(None),
            Credentials::Bearer(token) => Ok(Some(token.clone())),
            // Boxed, like every rarely taken wait of a call: the future of every call carries
            // (and moves) the largest of its waits, and most calls never take these.
            _ => Box::pin(self.fetch_token(request, deadline, attempts))
                .await
                .map(Some),
        }
    }

    /// A token from the user's provider or the OAuth cache, obtained before `deadline`.
    async fn fetch_token(
        &self,
        request: &ApiRequest,
        deadline: Instant,
        attempts: u32,
    ) -> Result<Secret, SendFailure> {
        let config = &self.inner.config;
        let fetched = match &config.credentials {
            // Not reached: `token_for` answers these itself.
            Credentials::None | Credentials::Bearer(_) => {
                return Err(SendFailure::Auth(
                    AuthFailure::new("no_token_source").with_attempts(attempts),
                ))
            }
            Credentials::Provider(provider) => {
                let token = provider.0.token(request.scopes);
                match tokio::time::timeout_at(deadline, token).await {
                    Ok(token) => token.map(Secret::new),
                    Err(_) => return Err(self.out_of_time(attempts)),
                }
            }
            Credentials::ClientCredentials { .. } | Credentials::RefreshToken { .. } => {
                let oauth = self.inner.oauth.as_ref().ok_or_else(|| {
                    SendFailure::Auth(AuthFailure::new("oauth_unavailable").with_attempts(attempts))
                })?;
                let ctx = FetchContext {
                    http: &self.inner.http,
                    retry: &config.retry,
                    attempt_timeout: config.timeouts.attempt,
                    allow_insecure_http: config.allow_insecure_http,
                    deadline,
                };
                // A cached token is ready at once, so the timer is never registered then.
                match tokio::time::timeout_at(deadline, oauth.token(request.scopes, &ctx)).await {
                    Ok(token) => token,
                    Err(_) => return Err(self.out_of_time(attempts)),
                }
            }
        };
        fetched.map_err(|failure| SendFailure::Auth(failure.with_attempts(attempts)))
    }

    /// Forgets a token the service rejected, waiting for the token cache no later than
    /// `deadline`.
    async fn invalidate(
        &self,
        request: &ApiRequest,
        token: &Secret,
        deadline: Instant,
        attempts: u32,
    ) -> Result<(), SendFailure> {
        match (&self.inner.config.credentials, &self.inner.oauth) {
            (Credentials::Provider(provider), _) => provider.0.invalidate(request.scopes),
            (_, Some(oauth)) => {
                let forget = oauth.invalidate(request.scopes, token);
                if tokio::time::timeout_at(deadline, forget).await.is_err() {
                    return Err(self.out_of_time(attempts));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn url(&self, request: &ApiRequest) -> url::Url {
        let base = &self.inner.config.base_url;
        let base_path = base.path().trim_end_matches('/');
        let mut joined = String::with_capacity(base_path.len() + request.path.len());
        joined.push_str(base_path);
        joined.push_str(&request.path);
        let mut url = base.clone();
        url.set_path(&joined);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter());
        }
        url
    }

    fn build(
        &self,
        request: &ApiRequest,
        payload: Option<&Payload>,
        url: url::Url,
        token: Option<&Secret>,
    ) -> Result<reqwest::RequestBuilder, SendFailure> {
        let mut builder = self.inner.http.request(request.method.clone(), url);
        // A `Content-Type` the caller set replaces the body's own instead of joining it.
        let mut own_content_type = None;
        for (name, value) in &request.headers {
            let parsed = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            );
            let (Ok(name), Ok(mut value)) = parsed else {
                let mut errors = crate::ValidationErrors::default();
                let message = format!("header {name:?} is not a valid HTTP header");
                errors.push(
                    format!("{}.header", request.operation_id),
                    "header",
                    message,
                );
                return Err(SendFailure::Validation(errors));
            };
            if token.is_some() && name == AUTHORIZATION {
                continue;
            }
            if payload.is_some() && name == CONTENT_TYPE {
                own_content_type = Some(value);
                continue;
            }
            value.set_sensitive(security::is_sensitive_name(name.as_str()));
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            builder = builder.bearer_auth(token.expose());
        }
        if let Some(payload) = payload {
            builder = payload.apply(builder, request.operation_id)?;
        }
        if let Some(content_type) = own_content_type {
            // `headers` replaces what is set under the same name; `header` would append.
            builder = builder.headers(HeaderMap::from_iter([(CONTENT_TYPE, content_type)]));
        }
        Ok(builder)
    }
}

/// A request body as every attempt sends it: converted once, then shared, not copied.
enum Payload {
    Encoded {
        /// The `Content-Type`; an invalid one is kept as given, for reqwest to refuse.
        content_type: Result<HeaderValue, String>,
        data: Bytes,
    },
    /// Turned into a form per attempt (reqwest's form is consumed by sending it).
    Multipart(Multipart),
}

impl Payload {
    fn new(body: Body) -> Self {
        match body {
            Body::Json(bytes) => Self::Encoded {
                content_type: Ok(HeaderValue::from_static("application/json")),
                data: Bytes::from(bytes),
            },
            Body::Form(text) => Self::Encoded {
                content_type: Ok(HeaderValue::from_static(
                    "application/x-www-form-urlencoded",
                )),
                data: Bytes::from(text),
            },
            Body::Raw { content_type, data } => Self::Encoded {
                content_type: HeaderValue::from_str(&content_type).map_err(|_| content_type),
                data,
            },
            Body::Multipart(form) => Self::Multipart(form),
        }
    }

    /// Whether a second attempt can send the body again (a streamed file is read once).
    fn is_replayable(&self) -> bool {
        match self {
            Payload::Encoded { .. } => true,
            Payload::Multipart(form) => form.is_replayable(),
        }
    }

    /// Sets the body, and its `Content-Type`, on `builder`.
    fn apply(
        &self,
        builder: reqwest::RequestBuilder,
        operation_id: &str,
    ) -> Result<reqwest::RequestBuilder, SendFailure> {
        Ok(match self {
            Payload::Encoded { content_type, data } => {
                let builder = match content_type {
                    Ok(content_type) => builder.header(CONTENT_TYPE, content_type.clone()),
                    Err(invalid) => builder.header(CONTENT_TYPE, invalid.as_str()),
                };
                builder.body(data.clone())
            }
            Payload::Multipart(form) => {
                let form = form.to_form().map_err(|message| {
                    let mut errors = crate::ValidationErrors::default();
                    errors.push(format!("{operation_id}.body"), "multipart", message);
                    SendFailure::Validation(errors)
                })?;
                builder.multipart(form)
            }
        })
    }
}

/// Follows up to 10 redirects, never from https down to plain http off loopback.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt.previous().iter().any(|url| url.scheme() == "https")
            && !security::may_carry_credentials(attempt.url());
        if downgrade {
            attempt.error("refusing to follow a redirect from https to plain http")
        } else if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// A response read in full.
pub(crate) struct Received {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    /// The delay a `Retry-After` header asks for.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        let value = self
            .headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?;
        crate::retry::parse_retry_after(value, SystemTime::now())
    }

    fn into_response(mut self, attempts: u32) -> RawResponse {
        security::mark_sensitive(&mut self.headers);
        RawResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts,
        }
    }
}

/// Why one attempt got no response.
pub(crate) enum AttemptFailure {
    /// The attempt timeout fired.
    Timeout(Duration),
    /// The HTTP client failed.
    Http(reqwest::Error),
}

impl AttemptFailure {
    /// Whether trying again may help (the request could not be built, or a redirect was
    /// refused, are final).
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            AttemptFailure::Timeout(_) => true,
            AttemptFailure::Http(err) => !(err.is_builder() || err.is_redirect()),
        }
    }

    pub(crate) fn into_error(self) -> Box<dyn std::error::Error + Send + Sync> {
        match self {
            AttemptFailure::Timeout(after) => format!("attempt timed out after {after:?}").into(),
            AttemptFailure::Http(err) => Box::new(err),
        }
    }

    fn into_send_failure(self, attempts: u32) -> SendFailure {
        match self {
            AttemptFailure::Timeout(after) => SendFailure::Timeout(TransportFailure::new(
                format!("attempt timed out after {after:?}"),
                attempts,
                None,
            )),
            AttemptFailure::Http(err) => {
                let message = if err.is_connect() && err.is_timeout() {
                    "could not connect in time"
                } else if err.is_timeout() {
                    "the request timed out"
                } else if err.is_connect() {
                    "could not connect"
                } else if err.is_body() || err.is_decode() {
                    "could not read the response body"
                } else if err.is_redirect() {
                    "redirect refused"
                } else if err.is_builder() {
                    "could not build the request"
                } else {
                    "the request failed"
                };
                let timed_out = err.is_timeout();
                let failure = TransportFailure::new(message, attempts, Some(Box::new(err)));
                if timed_out {
                    SendFailure::Timeout(failure)
                } else {
                    SendFailure::Transport(failure)
                }
            }
        }
    }
}

/// Sends one request and reads the whole body within `timeout`.
pub(crate) async fn send_once(
    builder: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<Received, AttemptFailure> {
    send_until(builder, Instant::now() + timeout, timeout).await
}

/// Sends one request and reads the whole body before `deadline`; `timeout` is the attempt
/// timeout named in the error when the deadline passes.
///
/// Hands the request to reqwest at once, so the returned future holds reqwest's small
/// boxed future instead of the much larger builder.
pub(crate) fn send_until(
    builder: reqwest::RequestBuilder,
    deadline: Instant,
    timeout: Duration,
) -> impl std::future::Future<Output = Result<Received, AttemptFailure>> {
    let pending = builder.send();
    let exchange = async move {
        let mut response = pending.await.map_err(AttemptFailure::Http)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(AttemptFailure::Http)?;
        Ok(Received {
            status,
            headers,
            body,
        })
    };
    tokio::time::timeout_at(deadline, exchange)
        .map(move |outcome| outcome.unwrap_or(Err(AttemptFailure::Timeout(timeout))))
}
