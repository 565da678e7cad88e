//! Sends [`ApiRequest`]s: base URL, auth header, timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

pub use crate::config::{BuildError, ClientConfig, Timeouts};
pub use crate::retry::RetryPolicy;

use crate::auth::{Credentials, Secret};
use crate::error::{AuthFailure, SendFailure, TransportFailure};
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
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                config,
                oauth,
            }),
        })
    }

    /// The configuration this transport was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Sends the request, retrying as the [`RetryPolicy`] allows, and reads the whole
    /// response. Any status is `Ok`: generated code decides what it means.
    pub async fn execute(&self, request: ApiRequest) -> Result<RawResponse, SendFailure> {
        let span = tracing::info_span!(
            "oapigen.call",
            operation = request.operation_id,
            method = %request.method,
            attempts = Empty,
            status = Empty,
        );
        let total = self.inner.config.timeouts.total;
        let deadline = Instant::now() + total;
        let mut attempts = 0u32;
        let outcome =
            tokio::time::timeout_at(deadline, self.run(&request, deadline, &mut attempts))
                .instrument(span.clone())
                .await;
        let result = outcome.unwrap_or_else(|_| {
            Err(SendFailure::Timeout(TransportFailure::new(
                format!("the call did not finish within its total time budget of {total:?}"),
                attempts,
                None,
            )))
        });
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
        deadline: Instant,
        attempts: &mut u32,
    ) -> Result<RawResponse, SendFailure> {
        let config = &self.inner.config;
        let policy = &config.retry;
        let sends_credentials =
            request.authenticated && !matches!(config.credentials, Credentials::None);
        if sends_credentials {
            security::check(&config.base_url, "API base URL", config.allow_insecure_http)
                .map_err(SendFailure::Auth)?;
        }
        let url = self.url(request);
        let mut may_refresh =
            sends_credentials && !matches!(config.credentials, Credentials::Bearer(_));
        let mut retries = 0u32;
        loop {
            let token = self
                .token_for(request, deadline)
                .await
                .map_err(|failure| SendFailure::Auth(failure.with_attempts(*attempts)))?;
            let builder = self.build(request, &url, token.as_ref())?;
            *attempts += 1;
            let span = tracing::debug_span!(
                "oapigen.attempt",
                attempt = *attempts,
                status = Empty,
                latency_ms = Empty
            );
            let started = Instant::now();
            let outcome = send_once(builder, config.timeouts.attempt)
                .instrument(span.clone())
                .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let last_try = retries + 1 >= policy.max_attempts;
            let delay = match outcome {
                Ok(received) => {
                    span.record("status", received.status);
                    if let (401, true, Some(token)) = (received.status, may_refresh, &token) {
                        may_refresh = false;
                        tracing::debug!(parent: &span, "token rejected; retrying once with a new one");
                        self.invalidate(request, token).await;
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
            tokio::time::sleep(delay).await;
        }
    }

    async fn token_for(
        &self,
        request: &ApiRequest,
        deadline: Instant,
    ) -> Result<Option<Secret>, AuthFailure> {
        if !request.authenticated {
            return Ok(None);
        }
        let config = &self.inner.config;
        match &config.credentials {
            Credentials::None => Ok(None),
            Credentials::Bearer(token) => Ok(Some(token.clone())),
            Credentials::Provider(provider) => provider
                .0
                .token(request.scopes)
                .await
                .map(|token| Some(Secret::new(token))),
            Credentials::ClientCredentials { .. } | Credentials::RefreshToken { .. } => {
                let oauth = self
                    .inner
                    .oauth
                    .as_ref()
                    .ok_or_else(|| AuthFailure::new("oauth_unavailable"))?;
                let ctx = FetchContext {
                    http: &self.inner.http,
                    retry: &config.retry,
                    attempt_timeout: config.timeouts.attempt,
                    allow_insecure_http: config.allow_insecure_http,
                    deadline,
                };
                oauth.token(request.scopes, &ctx).await.map(Some)
            }
        }
    }

    async fn invalidate(&self, request: &ApiRequest, token: &Secret) {
        match (&self.inner.config.credentials, &self.inner.oauth) {
            (Credentials::Provider(provider), _) => provider.0.invalidate(request.scopes),
            (_, Some(oauth)) => oauth.invalidate(request.scopes, token).await,
            _ => {}
        }
    }

    fn url(&self, request: &ApiRequest) -> url::Url {
        let mut url = self.inner.config.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&joined);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter());
        }
        url
    }

    fn build(
        &self,
        request: &ApiRequest,
        url: &url::Url,
        token: Option<&Secret>,
    ) -> Result<reqwest::RequestBuilder, SendFailure> {
        let mut builder = self.inner.http.request(request.method.clone(), url.clone());
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
            value.set_sensitive(security::is_sensitive_name(name.as_str()));
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            builder = builder.bearer_auth(token.expose());
        }
        builder = match &request.body {
            None => builder,
            Some(Body::Json(bytes)) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Some(Body::Form(text)) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text.clone()),
            Some(Body::Raw { content_type, data }) => builder
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(data.clone()),
        };
        Ok(builder)
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
    let exchange = async {
        let mut response = builder.send().await.map_err(AttemptFailure::Http)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(AttemptFailure::Http)?;
        Ok(Received {
            status,
            headers,
            body,
        })
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(Err(AttemptFailure::Timeout(timeout)))
}
