//! What every generated request builder shares: the per-call settings ([`CallOptions`]) and
//! the short forms its `send` uses to fill in optional parameters, so each builder holds one
//! field and one line per parameter instead of a copy of the same code.

use std::time::Duration;

use serde::Serialize;

use crate::error::{EncodeFailure, SendFailure};
use crate::request::{ApiRequest, ParamValue, QueryStyle};

/// The settings of one call that are not parameters of the operation: extra headers and a
/// timeout. Every request builder holds one and applies it with
/// [`ApiRequest::call_options`].
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
}

impl CallOptions {
    /// Adds a header to this call only (sent after the operation's own headers).
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// Limits this call, retries included, to `timeout` (each attempt too).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Whether a header named `name` (any case) was added.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(added, _)| added.eq_ignore_ascii_case(name))
    }

    /// Adds the header unless one of that name (any case) was added already.
    pub fn header_if_absent(&mut self, name: &str, value: &str) {
        if !self.has_header(name) {
            self.header(name, value);
        }
    }

    /// The headers added, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The timeout set, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

impl ApiRequest {
    /// Applies a call's [`CallOptions`]: appends its headers and sets its timeout.
    pub fn call_options(&mut self, options: &CallOptions) {
        for (name, value) in &options.headers {
            self.header(name, value);
        }
        if let Some(timeout) = options.timeout {
            self.set_timeout(timeout);
        }
    }

    /// Encodes `body` as JSON; the error names the operation when it cannot be.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), SendFailure> {
        self.json(body).map_err(|err| self.encode_failure(err))
    }

    /// Encodes `body` as a URL-encoded form; the error names the operation when it cannot be.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), SendFailure> {
        self.form(body).map_err(|err| self.encode_failure(err))
    }

    fn encode_failure(&self, err: serde_json::Error) -> SendFailure {
        SendFailure::encode(EncodeFailure::new(self.operation(), err))
    }

    /// Adds one query pair when `value` is set.
    pub fn query_opt<T: ParamValue>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// [`query_array`](Self::query_array) when `values` is set.
    pub fn query_array_opt<T: ParamValue>(
        &mut self,
        name: &str,
        values: &Option<Vec<T>>,
        explode: bool,
    ) {
        if let Some(values) = values {
            self.query_array(name, values, explode);
        }
    }

    /// [`query_object`](Self::query_object) when `value` is set.
    pub fn query_object_opt<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
        style: QueryStyle,
        explode: bool,
    ) {
        if let Some(value) = value {
            self.query_object(name, value, style, explode);
        }
    }

    /// Adds one header when `value` is set.
    pub fn header_opt<T: ParamValue>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    /// Adds an array header, comma-joined (`style: simple`).
    pub fn header_array<T: ParamValue>(&mut self, name: &str, values: &[T]) {
        let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        self.header(name, &joined.join(","));
    }

    /// [`header_array`](Self::header_array) when `values` is set.
    pub fn header_array_opt<T: ParamValue>(&mut self, name: &str, values: &Option<Vec<T>>) {
        if let Some(values) = values {
            self.header_array(name, values);
        }
    }
}

/// A path parameter's value, percent-encoded as one path segment.
pub fn path_segment(value: &impl ParamValue) -> String {
    crate::request::encode_path_segment(&value.to_param())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn request() -> ApiRequest {
        ApiRequest::new(Method::GET, "/".to_owned(), "op")
    }

    #[test]
    fn options_append_headers_after_the_operations_and_set_the_timeout() {
        let mut options = CallOptions::default();
        options.header("x-trace", "1");
        options.header("X-Trace", "2");
        options.set_timeout(Duration::from_secs(3));
        let mut request = request();
        request.header("accept", "application/json");
        request.call_options(&options);
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("accept", "application/json"),
                ("x-trace", "1"),
                ("X-Trace", "2")
            ]
        );
        assert_eq!(request.timeout, Some(Duration::from_secs(3)));
        assert_eq!(options.timeout(), Some(Duration::from_secs(3)));
        assert_eq!(options.headers().len(), 2);
    }

    #[test]
    fn default_options_change_nothing() {
        let mut request = request();
        request.call_options(&CallOptions::default());
        assert!(request.headers.is_empty());
        assert_eq!(request.timeout, None);
    }

    #[test]
    fn header_if_absent_keeps_a_header_of_any_case() {
        let mut options = CallOptions::default();
        options.header("Accept", "text/plain");
        options.header_if_absent("accept", "text/event-stream");
        assert_eq!(options.headers(), [("Accept".into(), "text/plain".into())]);
        let mut fresh = CallOptions::default();
        fresh.header_if_absent("accept", "text/event-stream");
        assert!(fresh.has_header("ACCEPT"));
    }

    #[test]
    fn optional_parameters_are_added_only_when_set() {
        let mut request = request();
        request.query_opt("a", &Some(1));
        request.query_opt::<i32>("b", &None);
        request.query_array_opt("c", &Some(vec!["x", "y"]), false);
        request.query_array_opt::<&str>("d", &None, true);
        request.query_object_opt(
            "e",
            &Some(serde_json::json!({"k": "v"})),
            QueryStyle::DeepObject,
            true,
        );
        request.query_object_opt::<serde_json::Value>("f", &None, QueryStyle::Form, true);
        request.header_opt("h", &Some("v"));
        request.header_opt::<&str>("i", &None);
        request.header_array_opt("j", &Some(vec![1, 2]));
        request.header_array_opt::<i32>("k", &None);
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(query, [("a", "1"), ("c", "x,y"), ("e[k]", "v")]);
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(headers, [("h", "v"), ("j", "1,2")]);
    }

    #[test]
    fn bodies_that_cannot_be_encoded_name_the_operation() {
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1);
        let mut request = request();
        let err = request.json_body(&bad).expect_err("non-string keys");
        let crate::Error::<()>::Encode(failure) = crate::Error::from(err) else {
            panic!("expected an encode error");
        };
        assert_eq!(failure.operation.id(), "op");
        request
            .json_body(&serde_json::json!({"a": 1}))
            .expect("encodes");
        assert!(matches!(request.body, Some(crate::Body::Json(_))));
        request
            .form_body(&serde_json::json!({"a": 1}))
            .expect("encodes");
        assert!(matches!(request.body, Some(crate::Body::Form(_))));
        assert!(request.form_body(&bad).is_err());
    }

    #[test]
    fn path_segment_encodes_the_value() {
        assert_eq!(path_segment(&"a b/c"), "a%20b%2Fc");
        assert_eq!(path_segment(&42), "42");
    }
}
