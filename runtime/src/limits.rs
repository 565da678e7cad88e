//! What a server can make a client hold, follow or print: response bodies are capped,
//! redirects stay on the origin the request was for, and error output shows a bounded
//! preview of a body, never all of it.

use std::fmt;

use bytes::{Bytes, BytesMut};

/// The largest response body read by default (token responses included): 32 MiB. Set
/// another with [`ClientConfig::with_max_response_bytes`](crate::ClientConfig::with_max_response_bytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// How much of a body `Debug` output shows.
pub const BODY_PREVIEW_BYTES: usize = 256;

/// A body read past the limit.
#[derive(Debug)]
pub(crate) struct TooLarge {
    pub limit: u64,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes (ClientConfig::max_response_bytes)",
            self.limit
        )
    }
}

/// Reads `response`'s body, failing as soon as it is known to pass `limit` bytes (from
/// `Content-Length`, or while reading): never more than `limit` bytes are held.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Result<Bytes, TooLarge>, reqwest::Error> {
    if response.content_length().is_some_and(|len| len > limit) {
        return Ok(Err(TooLarge { limit }));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(Err(TooLarge { limit }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body.freeze()))
}

/// Follows up to [`MAX_REDIRECTS`] redirects on the origin (scheme, host and port) the
/// request was sent to. A redirect elsewhere is refused: reqwest would re-send custom
/// credential headers and, on 307/308, the body (a token request's `client_secret`) to
/// the new host. No `Referer` is sent either (the builder turns it off): it would carry
/// the previous URL's query.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(url::Url::origin);
        if first.is_some_and(|origin| origin != attempt.url().origin()) {
            attempt.error("refusing to follow a redirect to another origin (scheme, host or port)")
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// `Debug` of a body: its length and at most [`BODY_PREVIEW_BYTES`] of it, as text.
pub(crate) struct BodyPreview<'a>(pub &'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(BODY_PREVIEW_BYTES)];
        let text = String::from_utf8_lossy(shown);
        if shown.len() < self.0.len() {
            write!(f, "{text:?}… ({} bytes)", self.0.len())
        } else {
            write!(f, "{text:?}")
        }
    }
}
