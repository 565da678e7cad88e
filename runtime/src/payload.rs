//! A request's body as every attempt sends it, and the checks of a request's path.

use bytes::Bytes;
use reqwest::header::{HeaderValue, CONTENT_TYPE};

use crate::error::{EncodeFailure, Operation, SendFailure};
use crate::multipart::Multipart;
use crate::request::Body;

/// A request body as every attempt sends it: converted once, then shared, not copied.
pub(crate) enum Payload {
    Encoded {
        /// The `Content-Type`; an invalid one is kept as given, for reqwest to refuse.
        content_type: Result<HeaderValue, String>,
        data: Bytes,
    },
    /// Turned into a form per attempt (reqwest's form is consumed by sending it).
    Multipart(Multipart),
}

impl Payload {
    pub(crate) fn new(body: Body) -> Self {
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
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            Payload::Encoded { .. } => true,
            Payload::Multipart(form) => form.is_replayable(),
        }
    }

    /// Sets the body, and its `Content-Type`, on `builder`.
    pub(crate) fn apply(
        &self,
        builder: reqwest::RequestBuilder,
        operation: &Operation,
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
                    SendFailure::encode(EncodeFailure::new(operation.clone(), message))
                })?;
                builder.multipart(form)
            }
        })
    }
}

/// Refuses a path with a `.` or `..` segment (a path parameter's value): URLs resolve them,
/// so `/users/{id}/delete` with `..` would call `/delete`. Percent-encoding cannot help:
/// `%2E%2E` is resolved too.
pub(crate) fn refuse_dot_segments(path: &str) -> Result<(), SendFailure> {
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
    Err(SendFailure::from(errors))
}
