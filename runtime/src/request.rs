//! The request a generated operation builds and the raw response it gets back.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Default names under which services return a request id, checked in order.
pub const DEFAULT_REQUEST_ID_HEADERS: &[&str] = &["x-amzn-requestid", "x-request-id", "request-id"];

/// A request body, already encoded. Its `Debug` output shows only kind and size.
#[derive(Clone)]
pub enum Body {
    /// `application/json`.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded`.
    Form(String),
    /// Any other media type, sent as is.
    Raw {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The bytes to send.
        data: Bytes,
    },
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(bytes) => write!(f, "Json({} bytes)", bytes.len()),
            Body::Form(text) => write!(f, "Form({} bytes)", text.len()),
            Body::Raw { content_type, data } => {
                write!(f, "Raw({content_type:?}, {} bytes)", data.len())
            }
        }
    }
}

/// Everything a generated operation knows about one call, before it is sent.
///
/// Its `Debug` output redacts headers and query values whose names suggest a secret.
#[derive(Clone)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) operation_id: &'static str,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) authenticated: bool,
}

impl ApiRequest {
    /// Starts a request for `operation_id` with an already expanded and encoded `path`.
    pub fn new(method: Method, path: String, operation_id: &'static str) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            operation_id,
            scopes: &[],
            authenticated: false,
        }
    }

    /// Marks the request as needing a bearer token carrying `scopes`.
    pub fn authenticated(mut self, scopes: &'static [&'static str]) -> Self {
        self.authenticated = true;
        self.scopes = scopes;
        self
    }

    /// Adds one query pair.
    pub fn query(&mut self, name: &str, value: impl ParamValue) {
        self.query.push((name.to_owned(), value.to_param()));
    }

    /// Adds an array query parameter, repeated (`explode: true`) or comma-joined.
    pub fn query_array<T: ParamValue>(&mut self, name: &str, values: &[T], explode: bool) {
        if explode {
            for value in values {
                self.query(name, value);
            }
        } else {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query.push((name.to_owned(), joined.join(",")));
        }
    }

    /// Adds one header.
    pub fn header(&mut self, name: &str, value: impl ParamValue) {
        self.headers.push((name.to_owned(), value.to_param()));
    }

    /// Encodes `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), serde_json::Error> {
        self.body = Some(Body::Json(serde_json::to_vec(body)?));
        Ok(())
    }

    /// Encodes `body` as `application/x-www-form-urlencoded`.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), serde_json::Error> {
        let value = serde_json::to_value(body)?;
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        if let serde_json::Value::Object(map) = value {
            for (key, value) in map {
                match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(text) => {
                        pairs.append_pair(&key, &text);
                    }
                    other => {
                        pairs.append_pair(&key, &other.to_string());
                    }
                }
            }
        }
        self.body = Some(Body::Form(pairs.finish()));
        Ok(())
    }

    /// Sends `data` as is with the given content type.
    pub fn raw(&mut self, content_type: &str, data: impl Into<Bytes>) {
        self.body = Some(Body::Raw {
            content_type: content_type.to_owned(),
            data: data.into(),
        });
    }

    /// The operation this request belongs to.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The expanded, encoded path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The scopes the request's token must carry.
    pub fn scopes(&self) -> &'static [&'static str] {
        self.scopes
    }

    /// Whether the request carries a bearer token.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Pairs<'a>(&'a [(String, String)]);
        impl fmt::Debug for Pairs<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    if crate::security::is_sensitive_name(name) {
                        list.entry(&(name, "[redacted]"));
                    } else {
                        list.entry(&(name, value));
                    }
                }
                list.finish()
            }
        }
        f.debug_struct("ApiRequest")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &Pairs(&self.query))
            .field("headers", &Pairs(&self.headers))
            .field("body", &self.body)
            .field("scopes", &self.scopes)
            .field("authenticated", &self.authenticated)
            .finish()
    }
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters pass through).
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value that can stand in a path, query string or header.
pub trait ParamValue {
    /// The value as it goes on the wire, before percent-encoding.
    fn to_param(&self) -> String;
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {
        $(impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_param!(
    str,
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    uuid::Uuid,
    url::Url
);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

/// A response as received, before the generated code decodes it.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
    /// How many attempts the call took (1 when it was not retried).
    pub attempts: u32,
}

impl RawResponse {
    /// The value of a header, when present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The request id the service returned, if any.
    pub fn request_id(&self) -> Option<String> {
        DEFAULT_REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.header(name))
            .map(str::to_owned)
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses a header into `T` via its `FromStr`, when present.
    pub fn parse_header<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.header(name).and_then(|value| value.parse().ok())
    }
}
