//! Received bodies are decoded liberally: a documented JSON body that is missing or does not
//! decode is a [`BodyError`] in the response, never a failed call. A body that differs from
//! its documented type only in ways that lose nothing (`"42"` for `42`, one item for a list,
//! `null` for an empty list…) decodes all the same, with a `tracing` warning
//! ([`crate::lenient::from_slice`]).
//!
//! Generated responses hold every documented JSON body as `Result<T, BodyError>`: `Ok` when
//! it decoded into the documented type, `Err` when the response had no body or a body of
//! another shape, with the raw bytes and the reason kept. A success status stays a success
//! and a documented error status stays its typed variant whatever its body holds.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, UnexpectedResponse};
use crate::RawResponse;

/// Why a documented JSON body is not available: the response had none, or it did not decode
/// into the documented type. The raw bytes are kept.
#[derive(Clone, Debug)]
pub struct BodyError {
    status: u16,
    attempts: u32,
    raw: Bytes,
    decode_error: Option<Arc<serde_json::Error>>,
}

impl BodyError {
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the response had no body (nothing but whitespace).
    pub fn is_empty(&self) -> bool {
        self.decode_error.is_none()
    }

    /// The body as received.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The body as text (lossy).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }

    /// Why the body did not decode; `None` when there was no body.
    pub fn decode_error(&self) -> Option<&serde_json::Error> {
        self.decode_error.as_deref()
    }

    /// The [`Error::UnexpectedResponse`] of this body, for a caller that cannot go on
    /// without it (an item stream over a page whose body did not decode).
    pub fn into_error<E>(self, headers: HeaderMap) -> Error<E> {
        let reason = match &self.decode_error {
            Some(err) => err.to_string(),
            None => "the response has no body".to_owned(),
        };
        let response = RawResponse {
            status: self.status,
            headers,
            body: self.raw,
            attempts: self.attempts,
            operation: None,
        };
        let request_id = response.request_id();
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            status: response.status,
            request_id,
            headers: response.headers,
            body: response.body,
            attempts: response.attempts,
            operation: None,
            decode_error: Some(<serde_json::Error as serde::de::Error>::custom(reason)),
        }))
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.decode_error {
            Some(err) => write!(
                f,
                "the body of response {} does not match the documented type: {err}",
                self.status
            ),
            None => write!(f, "response {} has no body", self.status),
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.decode_error
            .as_deref()
            .map(|err| err as &(dyn std::error::Error + 'static))
    }
}

impl RawResponse {
    /// Decodes a documented JSON body: the value, or why there is none (the raw bytes kept).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, BodyError> {
        let failure = |decode_error| BodyError {
            status: self.status,
            attempts: self.attempts,
            raw: self.body.clone(),
            decode_error,
        };
        if self.body.iter().all(u8::is_ascii_whitespace) {
            // No body where any JSON is documented (a media type without a schema, typed
            // `serde_json::Value`) or where `null` is allowed: that is the value, not a
            // failure.
            return serde_json::from_slice(b"null").map_err(|_| failure(None));
        }
        crate::relaxed::from_slice(&self.body).map_err(|err| failure(Some(Arc::new(err))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Sent {
        id: String,
    }

    fn response(status: u16, body: &'static [u8]) -> RawResponse {
        RawResponse {
            status,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
            attempts: 2,
            operation: None,
        }
    }

    #[test]
    fn no_body_is_null_where_any_json_or_null_is_documented() {
        let any: serde_json::Value = response(200, b"").decode().expect("any JSON");
        assert_eq!(any, serde_json::Value::Null);
        let optional: Option<Sent> = response(200, b" ").decode().expect("nullable");
        assert_eq!(optional, None);
        let err = response(200, b"").decode::<Sent>().expect_err("an object");
        assert!(err.is_empty());
    }

    #[test]
    fn a_matching_body_decodes() {
        let sent: Sent = response(200, br#"{"id":"a"}"#).decode().expect("decodes");
        assert_eq!(sent, Sent { id: "a".into() });
    }

    #[test]
    fn an_empty_body_is_reported_as_missing() {
        for body in [&b""[..], b"  \r\n"] {
            let raw = RawResponse {
                body: Bytes::copy_from_slice(body),
                ..response(202, b"")
            };
            let err = raw.decode::<Sent>().expect_err("no body");
            assert!(err.is_empty());
            assert_eq!(err.status(), 202);
            assert!(err.decode_error().is_none());
            assert_eq!(err.to_string(), "response 202 has no body");
        }
    }

    #[test]
    fn a_body_of_another_shape_keeps_raw_bytes_and_reason() {
        let err = response(200, br#"{"name":"a"}"#)
            .decode::<Sent>()
            .expect_err("missing field");
        assert!(!err.is_empty());
        assert_eq!(err.raw_text(), r#"{"name":"a"}"#);
        let reason = err.decode_error().expect("a decode error").to_string();
        assert!(reason.contains("missing field `id`"), "{reason}");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn into_error_keeps_status_body_attempts_and_reason() {
        let err = response(200, b"[1]").decode::<Sent>().expect_err("array");
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-requestid", "req-9".parse().expect("header value"));
        let err: Error<()> = err.into_error(headers);
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.attempts(), 2);
        assert_eq!(err.request_id(), Some("req-9"));
        let Error::UnexpectedResponse(unexpected) = err else {
            panic!("expected an unexpected response");
        };
        assert_eq!(&unexpected.body[..], b"[1]");
        assert!(unexpected.to_string().contains("did not match the spec"));
    }
}
