//! One HTTP exchange: send a request, follow redirects, read the whole body within a
//! deadline, and say why there was no response when there was none.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::FutureExt as _;
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::error::{SendFailure, TransportFailure};
use crate::redirect::{self, Placed};
use crate::request::RawResponse;
use crate::security;

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

    pub(crate) fn into_response(mut self, attempts: u32) -> RawResponse {
        security::mark_sensitive(&mut self.headers);
        RawResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts,
            operation: None,
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

    pub(crate) fn into_send_failure(self, attempts: u32) -> SendFailure {
        match self {
            AttemptFailure::Timeout(after) => SendFailure::timeout(TransportFailure::new(
                format!("attempt timed out after {after:?}"),
                attempts,
                None,
            )),
            AttemptFailure::TooLarge(err) => {
                SendFailure::transport(TransportFailure::new(err.to_string(), attempts, None))
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
                    SendFailure::timeout(failure)
                } else {
                    SendFailure::transport(failure)
                }
            }
            AttemptFailure::Refused(message) => {
                SendFailure::transport(TransportFailure::new(message, attempts, None))
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

/// Sends one request, following redirects (but those of `kept_redirects`), and reads the whole body before `deadline`
/// (with `streaming`, a 2xx body is left unread); `timeout` is the attempt timeout named
/// in the error when the deadline passes.
pub(crate) fn send_until<'a>(
    http: &'a reqwest::Client,
    request: reqwest::Request,
    deadline: Instant,
    timeout: Duration,
    max_body: u64,
    streaming: bool,
    kept_redirects: &'static [u16],
) -> impl std::future::Future<Output = Result<Received, AttemptFailure>> + 'a {
    let exchange = async move {
        let mut response = redirect::send(http, request, kept_redirects).await?;
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
