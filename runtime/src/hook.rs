//! A hook around every attempt: add headers, sign, observe, or answer without sending.
//!
//! A small object-safe trait rather than a tower layer: the client stays one concrete type
//! (no service type parameter on every generated `Client`), the runtime needs no tower
//! dependency, and a call without a hook pays one `Option` check.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;

/// Called around each attempt of each call.
///
/// [`Hook::on_request`] sees the request as it will be sent, credentials included (their
/// header values are marked sensitive, so their `Debug` output is redacted; never log them
/// by hand). Both methods are synchronous and run on the caller's task: keep them short.
pub trait Hook: Send + Sync {
    /// Before an attempt is sent: may change the request (add headers, sign it) and may
    /// answer it instead of sending it ([`Control::Respond`]) or fail the call
    /// ([`Control::Fail`]). The default sends it unchanged.
    fn on_request(&self, request: &mut reqwest::Request, info: &AttemptInfo) -> Control {
        let _ = (request, info);
        Control::Send
    }

    /// After an attempt got a response (before retries are decided; not called when the
    /// attempt failed without one, nor for answers made by [`Hook::on_request`]).
    fn on_response(&self, response: &ResponseInfo<'_>) {
        let _ = response;
    }
}

/// What a hook decides about a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Control {
    /// Send it.
    Send,
    /// Do not send it: use this response instead, as if the server had answered.
    Respond(Answer),
    /// Do not send it: fail the call with this message.
    Fail(String),
}

/// A response a hook makes up.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
}

impl Answer {
    /// A response with `status`, no headers and `body`.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }
}

/// What a hook is told about the attempt it is called for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The attempt's number, from 1.
    pub attempt: u32,
}

/// What a hook is told about a response.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The attempt's number, from 1.
    pub attempt: u32,
    /// The request method.
    pub method: &'a Method,
    /// The request URL, with credentials and secret-looking query values redacted.
    pub url: &'a str,
    /// The response status.
    pub status: u16,
    /// The response headers (secret-looking ones are marked sensitive).
    pub headers: &'a HeaderMap,
    /// The response body.
    pub body: &'a Bytes,
    /// From sending to the whole body read.
    pub elapsed: Duration,
}

/// A shared [`Hook`], as a client holds it.
#[derive(Clone)]
pub struct HookHandle(pub Arc<dyn Hook>);

impl HookHandle {
    /// Shares `hook`.
    pub fn new(hook: impl Hook + 'static) -> Self {
        Self(Arc::new(hook))
    }
}

impl fmt::Debug for HookHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HookHandle(..)")
    }
}
