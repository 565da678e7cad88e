//! Sends [`ApiRequest`]s: base URL, credentials, default headers, hook, timeouts, retries
//! and redirects.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

pub use crate::config::{BuildError, ClientConfig, Timeouts};
pub use crate::retry::RetryPolicy;

use crate::auth::Secret;
use crate::classify::{classify, Action, CallState, Outcome};
use crate::credentials::{Plan, Store};
use crate::error::{SendFailure, TransportFailure};
use crate::exchange::{send_until, AttemptFailure, Received};
use crate::hook::{AttemptInfo, Control, ResponseInfo};
use crate::oauth::FetchContext;
use crate::payload::{refuse_dot_segments, Payload};
use crate::redirect::Placed;
use crate::request::{ApiRequest, RawResponse};
use crate::security;

/// A configured HTTP transport, cheap to clone; clones share connections and tokens.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    credentials: Store,
    /// [`ClientConfig::default_headers`], parsed once.
    default_headers: HeaderMap,
    /// The `User-Agent` to set per request, when the HTTP client is the user's.
    user_agent: Option<HeaderValue>,
    /// Whether credentials may go to the base URL (decided once, not per call).
    base_url_may_carry_credentials: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.inner.config)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

/// A new reqwest client builder with the settings a client brought to
/// [`ClientConfig::http_client`] needs: redirects left to the transport.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
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
        let (http, user_agent) = match &config.http_client {
            Some(http) => {
                let agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
                    BuildError::new(format!("invalid User-Agent {:?}", config.user_agent))
                })?;
                (http.clone(), Some(agent))
            }
            None => {
                let http = http_client_builder()
                    .connect_timeout(config.timeouts.connect)
                    .user_agent(config.user_agent.clone())
                    .build()
                    .map_err(|err| BuildError::new(err.to_string()))?;
                (http, None)
            }
        };
        let mut default_headers = HeaderMap::new();
        for (name, value) in &config.default_headers {
            let parsed = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            );
            let (Ok(name), Ok(mut value)) = parsed else {
                return Err(BuildError::new(format!(
                    "default header {name:?} is not a valid HTTP header"
                )));
            };
            value.set_sensitive(security::is_sensitive_name(name.as_str()));
            default_headers.append(name, value);
        }
        let credentials = Store::new(&config)?;
        let base_url_may_carry_credentials =
            config.allow_insecure_http || security::may_carry_credentials(&config.base_url);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                config,
                credentials,
                default_headers,
                user_agent,
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
        let budget = self.budget(&request);
        let deadline = Instant::now() + budget.total;
        let payload = request.body.take().map(Payload::new);
        let mut attempts = 0u32;
        let result = self
            .run(&request, payload.as_ref(), budget, deadline, &mut attempts)
            .instrument(span.clone())
            .await
            .map(|received| received.into_response(attempts));
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
        // Every error made from here on names the operation it came from.
        let operation = request.operation();
        match result {
            Ok(response) => Ok(RawResponse {
                operation: Some(operation),
                ..response
            }),
            Err(failure) => Err(failure.with_operation(&operation)),
        }
    }

    /// Like [`execute`](Self::execute), but a 2xx response is handed over once its headers
    /// arrived, its body unread, to be consumed as a stream (see [`crate::stream`]); any
    /// other status is read in full as usual.
    pub async fn execute_streaming(
        &self,
        mut request: ApiRequest,
    ) -> Result<crate::stream::Streamed, SendFailure> {
        request.streaming = true;
        let mut timeouts = self.inner.config.stream_timeouts;
        timeouts.first_byte = request.first_byte_timeout.unwrap_or(timeouts.first_byte);
        timeouts.idle = request.idle_timeout.unwrap_or(timeouts.idle);
        let span = tracing::info_span!(
            "oapigen.stream",
            operation = request.operation_id,
            method = %request.method,
        );
        let budget = self.budget(&request);
        let deadline = Instant::now() + budget.total;
        let payload = request.body.take().map(Payload::new);
        let mut attempts = 0u32;
        let operation = request.operation();
        let mut received = self
            .run(&request, payload.as_ref(), budget, deadline, &mut attempts)
            .instrument(span)
            .await
            .map_err(|failure| failure.with_operation(&operation))?;
        Ok(match received.stream.take() {
            Some(response) => {
                security::mark_sensitive(&mut received.headers);
                crate::stream::Streamed::Body(crate::stream::StreamedResponse {
                    status: received.status,
                    headers: received.headers,
                    attempts,
                    response,
                    timeouts,
                    max_item: self.inner.config.max_response_bytes,
                    operation: Some(operation),
                })
            }
            None => crate::stream::Streamed::Full(RawResponse {
                operation: Some(operation),
                ..received.into_response(attempts)
            }),
        })
    }

    /// The timeouts of this call: the client's, or the request's own.
    fn budget(&self, request: &ApiRequest) -> Timeouts {
        let timeouts = &self.inner.config.timeouts;
        match request.timeout {
            Some(limit) => Timeouts {
                connect: timeouts.connect,
                attempt: limit,
                total: limit,
            },
            None => timeouts.clone(),
        }
    }

    /// The call: checks made once, then attempts until [`classify`] says to stop.
    async fn run(
        &self,
        request: &ApiRequest,
        payload: Option<&Payload>,
        budget: Timeouts,
        deadline: Instant,
        attempts: &mut u32,
    ) -> Result<Received, SendFailure> {
        let config = &self.inner.config;
        let policy = &config.retry;
        let store = &self.inner.credentials;
        let plan = store.plan(config, request)?;
        if plan.sends() && !self.inner.base_url_may_carry_credentials {
            return Err(SendFailure::from(security::insecure(
                &config.base_url,
                "API base URL",
            )));
        }
        refuse_dot_segments(&request.path)?;
        // The first attempt takes this URL; a retry builds it again (cheaper than a copy per call).
        let mut first_url = Some(self.url(request));
        // A body that can be sent once (a streamed file) gets one attempt.
        let replayable = payload.is_none_or(Payload::is_replayable);
        let mut may_refresh = replayable && store.may_refresh(config, &plan);
        let mut retries = 0u32;
        loop {
            let url = first_url.take().unwrap_or_else(|| self.url(request));
            let tried = self
                .try_once(request, payload, url, &plan, &budget, deadline, attempts)
                .await?;
            let call = CallState {
                method: &request.method,
                replayable,
                may_refresh,
                retries,
                attempt_hit_deadline: tried.deadline >= deadline,
                remaining: deadline.saturating_duration_since(Instant::now()),
                jitter: rand::random(),
            };
            match classify(policy, &call, tried.outcome()) {
                Action::Finish => return tried.finish(*attempts),
                Action::OutOfTime => return Err(out_of_time(budget.total, *attempts)),
                Action::RefreshAndRetry => {
                    may_refresh = false;
                    tracing::debug!(parent: &tried.span, "token rejected; retrying once with a new one");
                    let forget =
                        store.invalidate(config, &plan, &tried.secrets, deadline, *attempts);
                    Box::pin(forget).await?;
                }
                Action::RetryAfter(delay) => {
                    retries += 1;
                    tracing::debug!(parent: &tried.span, retry = retries, delay_ms = delay.as_millis() as u64, "retrying");
                    Box::pin(tokio::time::sleep(delay)).await;
                }
            }
        }
    }

    /// One attempt at `url`, credentials fetched and placed, in its own span: what came of
    /// it, for [`classify`] to judge. An `Err` (no token, a request that cannot be built)
    /// ends the call.
    #[allow(clippy::too_many_arguments)]
    async fn try_once(
        &self,
        request: &ApiRequest,
        payload: Option<&Payload>,
        url: url::Url,
        plan: &Plan,
        budget: &Timeouts,
        deadline: Instant,
        attempts: &mut u32,
    ) -> Result<Tried, SendFailure> {
        let config = &self.inner.config;
        let store = &self.inner.credentials;
        let secrets = if plan.sends() {
            let ctx = FetchContext {
                http: &self.inner.http,
                retry: &config.retry,
                attempt_timeout: budget.attempt,
                allow_insecure_http: config.allow_insecure_http,
                max_body: config.max_response_bytes,
                deadline,
            };
            // Boxed, like every rarely taken wait of a call: the future of every call
            // carries (and moves) the largest of its waits.
            Box::pin(store.secrets(config, plan, &ctx, *attempts)).await?
        } else {
            Vec::new()
        };
        let (outgoing, placed) = self.build(request, payload, url, plan, &secrets, *attempts)?;
        *attempts += 1;
        let span = tracing::debug_span!(
            "oapigen.attempt",
            attempt = *attempts,
            status = Empty,
            latency_ms = Empty
        );
        let started = Instant::now();
        let attempt_deadline = (started + budget.attempt).min(deadline);
        let result = Box::pin(self.attempt(
            request,
            outgoing,
            &placed,
            attempt_deadline,
            budget.attempt,
            *attempts,
        ))
        .instrument(span.clone())
        .await;
        if !span.is_disabled() {
            span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        if let Ok(received) = &result {
            span.record("status", received.status);
        }
        Ok(Tried {
            result,
            placed,
            secrets,
            span,
            deadline: attempt_deadline,
        })
    }

    /// One attempt: the hook, then the exchange (redirects followed) before `deadline`.
    async fn attempt(
        &self,
        request: &ApiRequest,
        mut outgoing: reqwest::Request,
        placed: &Placed,
        deadline: Instant,
        timeout: Duration,
        attempt: u32,
    ) -> Result<Received, AttemptFailure> {
        let Some(hook) = &self.inner.config.hook else {
            return send_until(
                &self.inner.http,
                outgoing,
                deadline,
                timeout,
                self.inner.config.max_response_bytes,
                request.streaming,
                request.kept_redirects,
            )
            .await;
        };
        let info = AttemptInfo {
            operation_id: request.operation_id,
            attempt,
        };
        match hook.0.on_request(&mut outgoing, &info) {
            Control::Send => {}
            Control::Respond(answer) => {
                return Ok(Received {
                    status: answer.status,
                    headers: answer.headers,
                    body: answer.body,
                    stream: None,
                })
            }
            Control::Fail(message) => return Err(AttemptFailure::Refused(message)),
        }
        let method = outgoing.method().clone();
        let url = security::redact_url_names(outgoing.url(), &placed.query);
        let started = Instant::now();
        let received = send_until(
            &self.inner.http,
            outgoing,
            deadline,
            timeout,
            self.inner.config.max_response_bytes,
            request.streaming,
            request.kept_redirects,
        )
        .await?;
        hook.0.on_response(&ResponseInfo {
            operation_id: request.operation_id,
            attempt,
            method: &method,
            url: &url,
            status: received.status,
            headers: &received.headers,
            body: &received.body,
            elapsed: started.elapsed(),
        });
        Ok(received)
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

    /// The request of one attempt: default headers, the request's own, its credentials
    /// (which replace headers of the same name) and body.
    fn build(
        &self,
        request: &ApiRequest,
        payload: Option<&Payload>,
        mut url: url::Url,
        plan: &Plan,
        secrets: &[Secret],
        attempts: u32,
    ) -> Result<(reqwest::Request, Placed), SendFailure> {
        let inner = &self.inner;
        let mut headers = if inner.default_headers.is_empty() {
            HeaderMap::with_capacity(request.headers.len() + 2)
        } else {
            inner.default_headers.clone()
        };
        if let Some(agent) = &inner.user_agent {
            headers.entry(USER_AGENT).or_insert_with(|| agent.clone());
        }
        let mut replaced: Vec<HeaderName> = Vec::new();
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
                return Err(SendFailure::from(errors));
            };
            if payload.is_some() && name == CONTENT_TYPE {
                own_content_type = Some(value);
                continue;
            }
            value.set_sensitive(security::is_sensitive_name(name.as_str()));
            // A request's header replaces a default one of the same name; repeats append.
            if inner.default_headers.contains_key(&name) && !replaced.contains(&name) {
                headers.insert(name.clone(), value);
                replaced.push(name);
            } else {
                headers.append(name, value);
            }
        }
        let placed = inner
            .credentials
            .place(&inner.config, plan, secrets, &mut headers, &mut url);
        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .headers(headers);
        if let Some(payload) = payload {
            builder = payload.apply(builder, &request.operation())?;
        }
        if let Some(content_type) = own_content_type {
            // `headers` replaces what is set under the same name; `header` would append.
            builder = builder.headers(HeaderMap::from_iter([(CONTENT_TYPE, content_type)]));
        }
        match builder.build() {
            Ok(outgoing) => Ok((outgoing, placed)),
            Err(err) => Err(AttemptFailure::Http(err)
                .redacted(&placed)
                .into_send_failure(attempts)),
        }
    }
}

/// The error for a call that ran out of its total time budget `total`.
fn out_of_time(total: Duration, attempts: u32) -> SendFailure {
    SendFailure::timeout(TransportFailure::new(
        format!("the call did not finish within its total time budget of {total:?}"),
        attempts,
        None,
    ))
}

/// One attempt and what it used.
struct Tried {
    result: Result<Received, AttemptFailure>,
    /// Where its credentials went (to redact them from an error).
    placed: Placed,
    /// The credentials it sent (the token to forget when rejected).
    secrets: Vec<Secret>,
    span: tracing::Span,
    /// The attempt's deadline.
    deadline: Instant,
}

impl Tried {
    /// The outcome as [`classify`] judges it.
    fn outcome(&self) -> Outcome {
        match &self.result {
            Ok(received) => Outcome::Response {
                status: received.status,
                retry_after: received.retry_after(),
            },
            Err(failure) => Outcome::Failure {
                timed_out: matches!(failure, AttemptFailure::Timeout(_)),
                retryable: failure.is_retryable(),
            },
        }
    }

    /// The call's result when this attempt is the last.
    fn finish(self, attempts: u32) -> Result<Received, SendFailure> {
        match self.result {
            Ok(received) => Ok(received),
            Err(failure) => Err(failure.redacted(&self.placed).into_send_failure(attempts)),
        }
    }
}
