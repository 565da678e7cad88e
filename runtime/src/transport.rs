//! Sends [`ApiRequest`]s: base URL, credentials, default headers, hook, timeouts, retries
//! and redirects.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::FutureExt as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

pub use crate::config::{BuildError, ClientConfig, Timeouts};
pub use crate::retry::RetryPolicy;

use crate::auth::Secret;
use crate::credentials::{Plan, Store};
use crate::error::{SendFailure, TransportFailure};
use crate::hook::{AttemptInfo, Control, ResponseInfo};
use crate::multipart::Multipart;
use crate::oauth::FetchContext;
use crate::redirect::{self, Placed};
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
        result.map(|received| received.into_response(attempts))
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
        let mut received = self
            .run(&request, payload.as_ref(), budget, deadline, &mut attempts)
            .instrument(span)
            .await?;
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
                })
            }
            None => crate::stream::Streamed::Full(received.into_response(attempts)),
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
            return Err(SendFailure::Auth(security::insecure(
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
                Box::pin(store.secrets(config, &plan, &ctx, *attempts)).await?
            } else {
                Vec::new()
            };
            let url = first_url.take().unwrap_or_else(|| self.url(request));
            let (outgoing, placed) =
                self.build(request, payload, url, &plan, &secrets, *attempts)?;
            *attempts += 1;
            let span = tracing::debug_span!(
                "oapigen.attempt",
                attempt = *attempts,
                status = Empty,
                latency_ms = Empty
            );
            let started = Instant::now();
            let attempt_deadline = (started + budget.attempt).min(deadline);
            let outcome = Box::pin(self.attempt(
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
            if matches!(outcome, Err(AttemptFailure::Timeout(_))) && attempt_deadline >= deadline {
                return Err(out_of_time(budget.total, *attempts));
            }
            let last_try = !replayable || retries + 1 >= policy.max_attempts;
            let delay = match outcome {
                Ok(received) => {
                    span.record("status", received.status);
                    if received.status == 401 && may_refresh {
                        may_refresh = false;
                        tracing::debug!(parent: &span, "token rejected; retrying once with a new one");
                        let forget = store.invalidate(config, &plan, &secrets, deadline, *attempts);
                        Box::pin(forget).await?;
                        continue;
                    }
                    if last_try || !policy.retries_status(&request.method, received.status) {
                        return Ok(received);
                    }
                    let delay = received
                        .retry_after()
                        .unwrap_or_else(|| policy.backoff(retries + 1));
                    if Instant::now() + delay >= deadline {
                        return Ok(received);
                    }
                    delay
                }
                Err(failure) => {
                    let failure = failure.redacted(&placed);
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
                return Err(SendFailure::Validation(errors));
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
            builder = payload.apply(builder, request.operation_id)?;
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
    SendFailure::Timeout(TransportFailure::new(
        format!("the call did not finish within its total time budget of {total:?}"),
        attempts,
        None,
    ))
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

/// Refuses a path with a `.` or `..` segment (a path parameter's value): URLs resolve them,
/// so `/users/{id}/delete` with `..` would call `/delete`. Percent-encoding cannot help:
/// `%2E%2E` is resolved too.
fn refuse_dot_segments(path: &str) -> Result<(), SendFailure> {
    let is_dot = |segment: &str| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    let Some(segment) = path.split('/').find(|segment| is_dot(segment)) else {
        return Ok(());
    };
    let mut errors = crate::ValidationErrors::default();
    errors.push(
        "path",
        "dot_segment",
        format!("a path segment cannot be `{segment}`: URLs resolve it, and the request would go to another path"),
    );
    Err(SendFailure::Validation(errors))
}

/// A response read in full, or a 2xx one left unread to be streamed.
pub(crate) struct Received {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The unread response of a streamed call (`body` is then empty).
    pub stream: Option<reqwest::Response>,
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
    /// A redirect, or the hook, refused the exchange.
    Refused(String),
    /// The body passed the configured limit.
    TooLarge(crate::limits::TooLarge),
}

impl AttemptFailure {
    /// Whether trying again may help (the request could not be built, or a redirect was
    /// refused, are final).
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            AttemptFailure::Timeout(_) => true,
            AttemptFailure::Http(err) => !(err.is_builder() || err.is_redirect()),
            AttemptFailure::Refused(_) | AttemptFailure::TooLarge(_) => false,
        }
    }

    /// The failure with credentials taken out of the URL its error names.
    pub(crate) fn redacted(self, placed: &Placed) -> Self {
        match self {
            AttemptFailure::Http(mut err) => {
                if let Some(url) = err.url_mut() {
                    *url = security::redacted_url(url, &placed.query);
                }
                AttemptFailure::Http(err)
            }
            other => other,
        }
    }

    pub(crate) fn into_error(self) -> Box<dyn std::error::Error + Send + Sync> {
        match self {
            AttemptFailure::Timeout(after) => format!("attempt timed out after {after:?}").into(),
            // reqwest's message names the URL, whose query may hold a secret.
            AttemptFailure::Http(err) => Box::new(err.without_url()),
            AttemptFailure::Refused(message) => message.into(),
            AttemptFailure::TooLarge(err) => err.to_string().into(),
        }
    }

    fn into_send_failure(self, attempts: u32) -> SendFailure {
        match self {
            AttemptFailure::Timeout(after) => SendFailure::Timeout(TransportFailure::new(
                format!("attempt timed out after {after:?}"),
                attempts,
                None,
            )),
            AttemptFailure::TooLarge(err) => {
                SendFailure::Transport(TransportFailure::new(err.to_string(), attempts, None))
            }
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
                let source = Box::new(err.without_url());
                let failure = TransportFailure::new(message, attempts, Some(source));
                if timed_out {
                    SendFailure::Timeout(failure)
                } else {
                    SendFailure::Transport(failure)
                }
            }
            AttemptFailure::Refused(message) => {
                SendFailure::Transport(TransportFailure::new(message, attempts, None))
            }
        }
    }
}

/// Sends one request (a token request: no redirects followed) and reads the whole body
/// (at most `max_body` bytes) within `timeout`.
pub(crate) async fn send_once(
    builder: reqwest::RequestBuilder,
    timeout: Duration,
    max_body: u64,
) -> Result<Received, AttemptFailure> {
    let pending = builder.send();
    let exchange = async move {
        let response = pending.await.map_err(AttemptFailure::Http)?;
        read(response, max_body).await
    };
    tokio::time::timeout_at(Instant::now() + timeout, exchange)
        .await
        .unwrap_or(Err(AttemptFailure::Timeout(timeout)))
}

/// Sends one request, following redirects, and reads the whole body before `deadline`
/// (with `streaming`, a 2xx body is left unread); `timeout` is the attempt timeout named
/// in the error when the deadline passes.
pub(crate) fn send_until<'a>(
    http: &'a reqwest::Client,
    request: reqwest::Request,
    deadline: Instant,
    timeout: Duration,
    max_body: u64,
    streaming: bool,
) -> impl std::future::Future<Output = Result<Received, AttemptFailure>> + 'a {
    let exchange = async move {
        let mut response = redirect::send(http, request).await?;
        if streaming && response.status().is_success() {
            return Ok(Received {
                status: response.status().as_u16(),
                headers: std::mem::take(response.headers_mut()),
                body: Bytes::new(),
                stream: Some(response),
            });
        }
        read(response, max_body).await
    };
    tokio::time::timeout_at(deadline, exchange)
        .map(move |outcome| outcome.unwrap_or(Err(AttemptFailure::Timeout(timeout))))
}

/// Reads a response's status, headers and whole body (at most `max_body` bytes).
async fn read(mut response: reqwest::Response, max_body: u64) -> Result<Received, AttemptFailure> {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    let body = crate::limits::read_body(response, max_body)
        .await
        .map_err(AttemptFailure::Http)?
        .map_err(AttemptFailure::TooLarge)?;
    Ok(Received {
        status,
        headers,
        body,
        stream: None,
    })
}
