//! The one error type every generated operation returns.

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::validate::ValidationErrors;
use crate::RawResponse;

/// What went wrong, without the details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request broke a documented constraint and was not sent.
    Validation,
    /// No token could be obtained, or the service refused the credentials.
    Auth,
    /// The request could not be sent or the response could not be read.
    Transport,
    /// A timeout fired.
    Timeout,
    /// The service answered with a documented error status.
    Api,
    /// The service answered with an undocumented status, or a body that does not match the spec.
    UnexpectedResponse,
}

/// The error of an operation whose documented error responses are `E`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a documented constraint and was not sent.
    Validation(ValidationErrors),
    /// No token could be obtained, or the service refused the credentials.
    Auth(AuthFailure),
    /// The request could not be sent or the response could not be read.
    Transport(TransportFailure),
    /// A timeout fired.
    Timeout(TransportFailure),
    /// The service answered with a documented error status.
    Api(Box<ApiError<E>>),
    /// The service answered with an undocumented status, or a body that does not match the spec.
    UnexpectedResponse(Box<UnexpectedResponse>),
}

impl<E> Error<E> {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Auth(_) => ErrorKind::Auth,
            Error::Transport(_) => ErrorKind::Transport,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Api(_) => ErrorKind::Api,
            Error::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(err) => Some(err.status),
            Error::UnexpectedResponse(err) => Some(err.status),
            Error::Auth(err) => err.status,
            _ => None,
        }
    }

    /// The request id the service returned, when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(err) => err.request_id.as_deref(),
            Error::UnexpectedResponse(err) => err.request_id.as_deref(),
            _ => None,
        }
    }

    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Validation(_) => 0,
            Error::Auth(err) => err.attempts,
            Error::Transport(err) | Error::Timeout(err) => err.attempts,
            Error::Api(err) => err.attempts,
            Error::UnexpectedResponse(err) => err.attempts,
        }
    }

    /// The typed body of a documented error response.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(err) => Some(&err.body),
            _ => None,
        }
    }

    /// Builds the error for a documented error status from the raw response.
    pub fn api(response: RawResponse, body: E) -> Self {
        Error::Api(Box::new(ApiError {
            status: response.status,
            request_id: response.request_id(),
            headers: response.headers,
            attempts: response.attempts,
            body,
        }))
    }

    /// Builds the error for an undocumented status or a body that failed to decode.
    pub fn unexpected(response: RawResponse, decode_error: Option<serde_json::Error>) -> Self {
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            status: response.status,
            request_id: response.request_id(),
            headers: response.headers,
            body: response.body,
            attempts: response.attempts,
            decode_error,
        }))
    }

    /// Builds the error for a request body that could not be encoded.
    pub fn encode(operation: &'static str, err: serde_json::Error) -> Self {
        let mut errors = ValidationErrors::default();
        errors.push(
            operation.to_owned(),
            "encodable",
            format!("request body could not be encoded: {err}"),
        );
        Error::Validation(errors)
    }

    /// Converts the typed error body, keeping everything else.
    pub fn map_api<F>(self, map: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Validation(err) => Error::Validation(err),
            Error::Auth(err) => Error::Auth(err),
            Error::Transport(err) => Error::Transport(err),
            Error::Timeout(err) => Error::Timeout(err),
            Error::UnexpectedResponse(err) => Error::UnexpectedResponse(err),
            Error::Api(err) => Error::Api(Box::new(ApiError {
                status: err.status,
                headers: err.headers,
                request_id: err.request_id,
                attempts: err.attempts,
                body: map(err.body),
            })),
        }
    }
}

impl<E> From<ValidationErrors> for Error<E> {
    fn from(errors: ValidationErrors) -> Self {
        Error::Validation(errors)
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(errors) => write!(f, "invalid request: {errors}"),
            Error::Auth(err) => write!(f, "{err}"),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Timeout(err) => write!(f, "timed out: {err}"),
            Error::Api(err) => write!(f, "{err}"),
            Error::UnexpectedResponse(err) => write!(f, "{err}"),
        }
    }
}

/// `source()` skips the variant's payload, whose text `Display` already shows, and goes
/// straight to the underlying cause (I/O error, JSON error, ...), so printing the chain
/// never repeats itself.
impl<E: fmt::Debug + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(_) | Error::Api(_) => None,
            Error::Auth(err) => err.source(),
            Error::Transport(err) | Error::Timeout(err) => err.source(),
            Error::UnexpectedResponse(err) => err.source(),
        }
    }
}

/// A documented error response with its typed body.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The request id the service returned.
    pub request_id: Option<String>,
    /// How many attempts the call took.
    pub attempts: u32,
    /// The typed error body, one variant per documented status.
    pub body: E,
}

impl<E> ApiError<E> {
    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service answered {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        write!(f, ": {:?}", self.body)
    }
}

/// A response the spec does not describe: status, headers and raw body are kept.
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The request id the service returned.
    pub request_id: Option<String>,
    /// The raw body.
    pub body: Bytes,
    /// How many attempts the call took.
    pub attempts: u32,
    /// Why a documented body failed to decode, when that is what happened.
    pub decode_error: Option<serde_json::Error>,
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("request_id", &self.request_id)
            .field("body", &crate::limits::BodyPreview(&self.body))
            .field("attempts", &self.attempts)
            .field("decode_error", &self.decode_error)
            .finish()
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.decode_error {
            Some(_) => write!(f, "response {} did not match the spec", self.status)?,
            None => write!(f, "undocumented response status {}", self.status)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnexpectedResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.decode_error
            .as_ref()
            .map(|err| err as &(dyn std::error::Error + 'static))
    }
}

/// The request could not be sent, or no answer came in time.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportFailure {
    /// What failed.
    pub message: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// The underlying error.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportFailure {
    /// A failure with a message and an optional cause.
    pub fn new(
        message: impl Into<String>,
        attempts: u32,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            attempts,
            source,
        }
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} after {} attempt(s)", self.message, self.attempts)
    }
}

impl std::error::Error for TransportFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|err| err as &(dyn std::error::Error + 'static))
    }
}

/// A token could not be obtained, or was refused.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthFailure {
    /// The OAuth error code (`invalid_client`, …) or a short description.
    pub error: String,
    /// The server's description, when it gave one.
    pub description: Option<String>,
    /// The HTTP status of the token endpoint or API, when one answered.
    pub status: Option<u16>,
    /// How many attempts at the API were made (token requests are not counted).
    pub attempts: u32,
    /// The underlying error, such as the token endpoint being unreachable.
    pub source: Option<Box<dyn StdError + Send + Sync>>,
}

impl AuthFailure {
    /// A failure with an OAuth error code (`invalid_client`, …) or a short description.
    pub fn new(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            description: None,
            status: None,
            attempts: 0,
            source: None,
        }
    }

    /// Adds the server's description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds the HTTP status that came with the failure.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets how many attempts at the API were made.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// A copy for another waiter of the same token request; the cause keeps only its text.
    pub(crate) fn shallow_clone(&self) -> Self {
        Self {
            error: self.error.clone(),
            description: self.description.clone(),
            status: self.status,
            attempts: self.attempts,
            source: self
                .source
                .as_ref()
                .map(|err| Box::new(Message(err.to_string())) as Box<dyn StdError + Send + Sync>),
        }
    }

    /// Adds the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed: {}", self.error)?;
        if let Some(description) = &self.description {
            write!(f, " ({description})")?;
        }
        if let Some(status) = self.status {
            write!(f, " [status {status}]")?;
        }
        Ok(())
    }
}

impl StdError for AuthFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|err| err as &(dyn StdError + 'static))
    }
}

/// An error known only by its text.
#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Message {}

/// What the transport reports; generated code converts it into [`Error`].
#[derive(Debug)]
pub enum SendFailure {
    /// See [`Error::Auth`].
    Auth(AuthFailure),
    /// See [`Error::Transport`].
    Transport(TransportFailure),
    /// See [`Error::Timeout`].
    Timeout(TransportFailure),
    /// See [`Error::Validation`].
    Validation(ValidationErrors),
}

impl<E> From<SendFailure> for Error<E> {
    fn from(failure: SendFailure) -> Self {
        match failure {
            SendFailure::Auth(err) => Error::Auth(err),
            SendFailure::Transport(err) => Error::Transport(err),
            SendFailure::Timeout(err) => Error::Timeout(err),
            SendFailure::Validation(err) => Error::Validation(err),
        }
    }
}

impl SendFailure {
    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            SendFailure::Auth(err) => err.attempts,
            SendFailure::Transport(err) | SendFailure::Timeout(err) => err.attempts,
            SendFailure::Validation(_) => 0,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SendFailure::Auth(_) => ErrorKind::Auth,
            SendFailure::Transport(_) => ErrorKind::Transport,
            SendFailure::Timeout(_) => ErrorKind::Timeout,
            SendFailure::Validation(_) => ErrorKind::Validation,
        }
    }
}

impl fmt::Display for SendFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendFailure::Auth(err) => write!(f, "{err}"),
            SendFailure::Transport(err) => write!(f, "transport error: {err}"),
            SendFailure::Timeout(err) => write!(f, "timed out: {err}"),
            SendFailure::Validation(errors) => write!(f, "invalid request: {errors}"),
        }
    }
}

impl StdError for SendFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SendFailure::Auth(err) => err.source(),
            SendFailure::Transport(err) | SendFailure::Timeout(err) => err.source(),
            SendFailure::Validation(_) => None,
        }
    }
}
