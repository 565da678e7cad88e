//! Runtime shared by every client crate that `oapigen` generates.
//!
//! Generated code builds an [`ApiRequest`], hands it to a [`Transport`] and turns the
//! [`RawResponse`] into its typed success value or typed error. Everything that is not
//! specific to one API (HTTP, auth, retries, timeouts, validation, pagination, errors)
//! lives here, so generated crates stay small and readable.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod body;
pub mod call;
mod classify;
mod config;
mod correct;
mod credentials;
pub mod de;
pub mod error;
mod exchange;
pub mod hook;
pub mod lenient;
pub mod limits;
pub mod multipart;
mod oauth;
pub mod paginate;
mod payload;
mod redirect;
mod relaxed;
pub mod request;
pub mod retry;
pub mod scheme;
pub mod security;
pub mod sse;
pub mod stream;
pub mod transport;
mod uri;
pub mod validate;

pub use auth::{Credentials, Secret, TokenProvider};
pub use body::BodyError;
pub use call::{path_segment, CallOptions};
pub use config::DEFAULT_TOKEN_REFRESH_AHEAD;
pub use error::{
    ApiError, AuthFailure, EncodeFailure, Error, ErrorKind, Operation, SendFailure,
    TransportFailure, UnexpectedResponse,
};
pub use hook::{Answer, AttemptInfo, Control, Hook, HookHandle, ResponseInfo};
pub use multipart::{FilePart, Multipart};
pub use request::{
    encode_path_segment, last_path_segment, ApiRequest, Body, ParamValue, QueryStyle, RawResponse,
};
pub use scheme::{
    ApiKeyLocation, Requirement, SchemeCredentials, SchemeKind, SchemeUse, SecurityScheme,
};
pub use stream::{ByteStream, Event, EventStream, JsonLines, StreamTimeout, StreamTimeouts};
pub use transport::{
    http_client_builder, BuildError, ClientConfig, RetryPolicy, Timeouts, Transport,
};
pub use uri::{InvalidUri, Uri};
pub use validate::{Range, Validate, ValidationError, ValidationErrors, ValidationPath};

// Re-exported so generated crates need no direct dependency on these.
pub use bytes;
pub use chrono;
pub use futures;
pub use reqwest;
pub use serde;
pub use serde_json;
pub use url;
pub use uuid;
