//! The one error type every generated operation returns.

use std::convert::Infallible;
use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;

mod context;

pub use context::{EncodeFailure, Operation};

use crate::validate::ValidationErrors;
use crate::RawResponse;

/// What went wrong, without the details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request broke a documented constraint and was not sent.
    Validation,
    /// The request body could not be encoded, and was not sent.
    Encode,
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
    /// The request body could not be encoded, and was not sent.
    Encode(EncodeFailure),
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
            Error::Encode(_) => ErrorKind::Encode,
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
            Error::Validation(_) | Error::Encode(_) | Error::Transport(_) | Error::Timeout(_) => {
                None
            }
        }
    }

    /// The operation (id, method and path template) this error came from, when known (a
    /// validation error of a value checked on its own names none).
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Error::Validation(errors) => errors.operation(),
            Error::Encode(err) => Some(&err.operation),
            Error::Auth(err) => err.operation.as_ref(),
            Error::Transport(err) | Error::Timeout(err) => err.operation.as_ref(),
            Error::Api(err) => err.operation.as_ref(),
            Error::UnexpectedResponse(err) => err.operation.as_ref(),
        }
    }

    /// The request id the service returned, when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(err) => err.request_id.as_deref(),
            Error::UnexpectedResponse(err) => err.request_id.as_deref(),
            Error::Validation(_)
            | Error::Encode(_)
            | Error::Auth(_)
            | Error::Transport(_)
            | Error::Timeout(_) => None,
        }
    }

    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Validation(_) | Error::Encode(_) => 0,
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
            Error::Validation(_)
            | Error::Encode(_)
            | Error::Auth(_)
            | Error::Transport(_)
            | Error::Timeout(_)
            | Error::UnexpectedResponse(_) => None,
        }
    }

    /// Builds the error for a documented error status from the raw response.
    pub fn api(response: RawResponse, body: E) -> Self {
        Error::Api(Box::new(ApiError {
            status: response.status,
            request_id: response.request_id(),
            headers: response.headers,
            attempts: response.attempts,
            operation: response.operation,
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
            operation: response.operation,
            decode_error,
        }))
    }

    /// Builds the error for a request body of `operation` that could not be encoded.
    pub fn encode(operation: Operation, err: serde_json::Error) -> Self {
        Error::Encode(EncodeFailure::new(operation, err))
    }

    /// Converts the typed error body, keeping everything else.
    pub fn map_api<F>(self, map: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Validation(err) => Error::Validation(err),
            Error::Encode(err) => Error::Encode(err),
            Error::Auth(err) => Error::Auth(err),
            Error::Transport(err) => Error::Transport(err),
            Error::Timeout(err) => Error::Timeout(err),
            Error::UnexpectedResponse(err) => Error::UnexpectedResponse(err),
            Error::Api(err) => Error::Api(Box::new(ApiError {
                status: err.status,
                headers: err.headers,
                request_id: err.request_id,
                attempts: err.attempts,
                operation: err.operation,
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

/// The operation first (`sendNotifications (POST /v3/notifications): …`), then what failed.
impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation() {
            write!(f, "{operation}: ")?;
        }
        match self {
            Error::Validation(errors) => write!(f, "invalid request: {errors}"),
            Error::Encode(err) => write!(f, "{err}"),
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
            Error::Encode(err) => err.source.source(),
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
    /// The operation the call was for.
    pub operation: Option<Operation>,
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
    /// The operation the call was for.
    pub operation: Option<Operation>,
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
            .field("operation", &self.operation)
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
    /// The operation the call was for, when known.
    pub operation: Option<Operation>,
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
            operation: None,
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
    /// The operation the call was for, when known.
    pub operation: Option<Operation>,
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
            operation: None,
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
            operation: self.operation.clone(),
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

/// What the transport reports: an [`Error`] of no documented error responses (the
/// transport never decodes one), which converts into every operation's [`Error`].
#[derive(Debug)]
pub struct SendFailure(Error<Infallible>);

impl<E> From<SendFailure> for Error<E> {
    fn from(failure: SendFailure) -> Self {
        failure.0.map_api(|never| match never {})
    }
}

impl From<AuthFailure> for SendFailure {
    fn from(failure: AuthFailure) -> Self {
        Self(Error::Auth(failure))
    }
}

impl From<ValidationErrors> for SendFailure {
    fn from(errors: ValidationErrors) -> Self {
        Self(Error::Validation(errors))
    }
}

impl SendFailure {
    /// The request could not be sent or the response could not be read.
    pub fn transport(failure: TransportFailure) -> Self {
        Self(Error::Transport(failure))
    }

    /// A timeout fired.
    pub fn timeout(failure: TransportFailure) -> Self {
        Self(Error::Timeout(failure))
    }

    /// The request body could not be encoded.
    pub fn encode(failure: EncodeFailure) -> Self {
        Self(Error::Encode(failure))
    }

    /// The error, to match on.
    pub fn error(&self) -> &Error<Infallible> {
        &self.0
    }

    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts()
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind()
    }

    /// The failure with the operation it came from, for the variants that name one.
    pub(crate) fn with_operation(mut self, operation: &Operation) -> Self {
        match &mut self.0 {
            Error::Auth(err) => err.operation = Some(operation.clone()),
            Error::Transport(err) | Error::Timeout(err) => err.operation = Some(operation.clone()),
            Error::Encode(err) => err.operation = operation.clone(),
            Error::Validation(errors) => {
                *errors = std::mem::take(errors).with_operation(operation.clone());
            }
            Error::Api(never) => match never.body {},
            Error::UnexpectedResponse(err) => err.operation = Some(operation.clone()),
        }
        self
    }
}

impl fmt::Display for SendFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for SendFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}
