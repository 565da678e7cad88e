//! The request a generated operation builds and the raw response it gets back.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Operation;
use crate::multipart::Multipart;
use crate::scheme::Requirement;

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
    /// `multipart/form-data`; the transport picks the boundary.
    Multipart(Multipart),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(bytes) => write!(f, "Json({} bytes)", bytes.len()),
            Body::Form(text) => write!(f, "Form({} bytes)", text.len()),
            Body::Raw { content_type, data } => {
                write!(f, "Raw({content_type:?}, {} bytes)", data.len())
            }
            Body::Multipart(form) => write!(f, "Multipart({form:?})"),
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
    /// The path before its parameters were filled in, to name in errors.
    pub(crate) path_template: &'static str,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) authenticated: bool,
    /// The requirement alternatives of the operation, when it declares security.
    pub(crate) requirements: Option<&'static [Requirement]>,
    /// This call's time budget, overriding the client's timeouts.
    pub(crate) timeout: Option<Duration>,
    /// A 2xx body is left unread for a stream (set by `Transport::execute_streaming`).
    pub(crate) streaming: bool,
    /// This call's [`StreamTimeouts::first_byte`](crate::stream::StreamTimeouts::first_byte).
    pub(crate) first_byte_timeout: Option<Duration>,
    /// This call's [`StreamTimeouts::idle`](crate::stream::StreamTimeouts::idle).
    pub(crate) idle_timeout: Option<Duration>,
    /// Redirect statuses the operation documents: answered, not followed.
    pub(crate) kept_redirects: &'static [u16],
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
            path_template: "",
            scopes: &[],
            authenticated: false,
            requirements: None,
            timeout: None,
            streaming: false,
            first_byte_timeout: None,
            idle_timeout: None,
            kept_redirects: &[],
        }
    }

    /// The redirect statuses (`302`…) the operation documents as its own responses: such an
    /// answer is the operation's response (its `Location` read by the caller), not a redirect
    /// the transport follows.
    pub fn keep_redirects(mut self, statuses: &'static [u16]) -> Self {
        self.kept_redirects = statuses;
        self
    }

    /// Marks the request as needing the client's default credentials, as a bearer token
    /// carrying `scopes`, without naming a scheme.
    pub fn authenticated(mut self, scopes: &'static [&'static str]) -> Self {
        self.authenticated = true;
        self.scopes = scopes;
        self
    }

    /// Sets the path template (`/v1/users/{id}`) errors name beside the operation.
    pub fn path_template(mut self, template: &'static str) -> Self {
        self.path_template = template;
        self
    }

    /// The operation this request is for, as errors name it.
    pub fn operation(&self) -> Operation {
        Operation::new(self.operation_id, self.method.clone(), self.path_template)
    }

    /// The operation's security requirement alternatives: the first one the client has
    /// every credential for is sent (alternatives that need nothing, `{}`, only when no
    /// other can be met); with none that can be met the call fails before sending, naming
    /// the schemes it accepts. An empty list sends nothing.
    pub fn security(mut self, requirements: &'static [Requirement]) -> Self {
        self.authenticated = requirements.iter().any(|r| !r.is_empty());
        self.scopes = requirements
            .iter()
            .flat_map(|r| r.iter())
            .find(|used| !used.scopes.is_empty())
            .map_or(&[], |used| used.scopes);
        self.requirements = Some(requirements);
        self
    }

    /// Limits this call, retries included, to `timeout`; each attempt also gets at most
    /// that long. Overrides the client's [`Timeouts`](crate::Timeouts) for this call.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// For a streamed call: how long the body's first byte may take after the headers,
    /// instead of the client's [`StreamTimeouts`](crate::stream::StreamTimeouts).
    pub fn set_first_byte_timeout(&mut self, timeout: Duration) {
        self.first_byte_timeout = Some(timeout);
    }

    /// For a streamed call: how long the body may pause between two chunks, instead of
    /// the client's [`StreamTimeouts`](crate::stream::StreamTimeouts).
    pub fn set_idle_timeout(&mut self, timeout: Duration) {
        self.idle_timeout = Some(timeout);
    }

    /// Adds one query pair.
    pub fn query<T: ParamValue + ?Sized>(&mut self, name: &str, value: &T) {
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

    /// Adds an object-valued query parameter in the spec's `style`: `deepObject`
    /// (`name[key]=value`, nested keys bracketed further), `form` exploded (`key=value` per
    /// property) or `form` not exploded (`name=key,value,…`). Arrays and scalars that reach
    /// here (untyped parameters) are sent as their own styles would send them.
    pub fn query_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) {
        // Serializing generated types to a JSON value cannot fail: their map keys are strings.
        let Ok(value) = serde_json::to_value(value) else {
            return;
        };
        match (style, value) {
            (_, serde_json::Value::Null) => {}
            (QueryStyle::DeepObject, value @ serde_json::Value::Object(_)) => {
                flatten_brackets(name.to_owned(), value, &mut self.query);
            }
            (_, serde_json::Value::Object(map)) if explode => {
                for (key, value) in map {
                    if !value.is_null() {
                        self.query.push((key, value.to_param()));
                    }
                }
            }
            (_, serde_json::Value::Object(map)) => {
                let parts: Vec<String> = map
                    .into_iter()
                    .filter(|(_, value)| !value.is_null())
                    .flat_map(|(key, value)| [key, value.to_param()])
                    .collect();
                self.query.push((name.to_owned(), parts.join(",")));
            }
            (_, serde_json::Value::Array(items)) => self.query_array(name, &items, explode),
            (_, scalar) => self.query(name, &scalar),
        }
    }

    /// Adds one header.
    pub fn header<T: ParamValue + ?Sized>(&mut self, name: &str, value: &T) {
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
        let mut flat = Vec::new();
        if let serde_json::Value::Object(map) = value {
            for (key, value) in map {
                flatten_brackets(key, value, &mut flat);
            }
        }
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &flat {
            pairs.append_pair(key, value);
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

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart(&mut self, form: Multipart) {
        self.body = Some(Body::Multipart(form));
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

    /// Whether the request needs credentials.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// The operation's security requirement alternatives, when it declares them.
    pub fn requirements(&self) -> Option<&'static [Requirement]> {
        self.requirements
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
            .field("requirements", &self.requirements)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The last segment of the path of a URL or path (`/v0/things/abc?x=1` → `abc`), ignoring a
/// query, a fragment and a trailing `/`; `None` when it is empty. The ID of a created resource
/// in a `Location` header, for example.
pub fn last_path_segment(location: &str) -> Option<&str> {
    let path = location.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    let segment = path.rsplit('/').next()?;
    let is_authority = path.ends_with(&format!("//{segment}")) || segment.ends_with(':');
    (!segment.is_empty() && !is_authority).then_some(segment)
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters pass through).
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unreserved =
        |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
    let mut out = String::with_capacity(segment.len());
    let mut rest = segment;
    // Copies each run of unreserved (ASCII) characters at once, so `at` is always a
    // character boundary; most segments are one such run.
    while let Some(at) = rest.bytes().position(|byte| !unreserved(byte)) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let width = tail.chars().next().map_or(1, char::len_utf8);
        for &byte in &tail.as_bytes()[..width] {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
        rest = &tail[width..];
    }
    out.push_str(rest);
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
    url::Url,
    crate::Uri
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

/// How an object-valued query parameter is written (OpenAPI `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form` (the default): `key=value` pairs, or `name=key,value,…` when not exploded.
    Form,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

/// Flattens `value` under `prefix` the way form-encoding servers read nested data (Stripe,
/// Rails, PHP, `qs`): objects as `prefix[key]`, arrays of scalars as repeated `prefix[]`,
/// arrays of objects as `prefix[index][key]`; nulls are left out.
fn flatten_brackets(prefix: String, value: serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                flatten_brackets(format!("{prefix}[{key}]"), value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                if item.is_object() || item.is_array() {
                    flatten_brackets(format!("{prefix}[{index}]"), item, out);
                } else if !item.is_null() {
                    out.push((format!("{prefix}[]"), item.to_param()));
                }
            }
        }
        scalar => out.push((prefix, scalar.to_param())),
    }
}

/// A response as received, before the generated code decodes it.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
    /// How many attempts the call took (1 when it was not retried).
    pub attempts: u32,
    /// The operation the call was for, which errors made from this response name.
    pub operation: Option<Operation>,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &crate::limits::BodyPreview(&self.body))
            .field("attempts", &self.attempts)
            .field("operation", &self.operation)
            .finish()
    }
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

    /// Decodes the body as JSON, liberally ([`crate::lenient::from_slice`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        crate::relaxed::from_slice(&self.body)
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses a header into `T` via its `FromStr`, when present.
    pub fn parse_header<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.header(name).and_then(|value| value.parse().ok())
    }

    /// A header the spec marks required, parsed into `T`: a decode error naming the header
    /// when it is missing, not text, or does not parse.
    pub fn required_header<T: std::str::FromStr>(
        &self,
        name: &str,
    ) -> Result<T, serde_json::Error> {
        use serde::de::Error as _;
        let Some(value) = self.headers.get(name) else {
            return Err(serde_json::Error::custom(format!(
                "the required response header `{name}` is missing"
            )));
        };
        let text = value.to_str().map_err(|_| {
            serde_json::Error::custom(format!("the response header `{name}` is not text"))
        })?;
        text.parse().map_err(|_| {
            serde_json::Error::custom(format!(
                "the response header `{name}` does not parse: {text:?}"
            ))
        })
    }
}

#[cfg(test)]
mod tests;
