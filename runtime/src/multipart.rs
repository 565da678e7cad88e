//! `multipart/form-data` request bodies: the parts a generated operation writes, and the
//! files users hand it.
//!
//! Generated code fills a [`Multipart`] from its typed body (text fields, JSON parts for
//! objects, one part per array item, [`FilePart`]s for `format: binary` fields) and the
//! transport turns it into reqwest's form for each attempt, so the boundary (and the
//! `Content-Type` carrying it) is always set by the transport.
//!
//! ```
//! use oapigen_runtime::multipart::{FilePart, Multipart};
//!
//! let mut form = Multipart::new();
//! form.text("purpose", "fine-tune");
//! form.file(
//!     "file",
//!     &FilePart::bytes(&b"{\"prompt\": \"hi\"}\n"[..])
//!         .file_name("train.jsonl")
//!         .content_type("application/jsonl"),
//!     None,
//! );
//! assert_eq!(form.len(), 2);
//! ```

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::{Stream, TryStreamExt};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use crate::request::ParamValue;

/// The content type of a file part when neither the file nor the spec names one.
pub const DEFAULT_FILE_CONTENT_TYPE: &str = "application/octet-stream";

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A file to upload as one part: its bytes (in memory or a stream), file name and content
/// type, and any extra part headers.
///
/// Cloning is cheap. A streamed file can be sent once: a request holding one is not
/// retried, and sending a clone after the stream was read fails with a validation error.
#[derive(Clone)]
pub struct FilePart {
    data: FileData,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

#[derive(Clone)]
enum FileData {
    Bytes(Bytes),
    Stream {
        stream: Arc<Mutex<Option<ByteStream>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file held in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self::with_data(FileData::Bytes(data.into()))
    }

    /// A file read from `stream` while the request is sent (a file on disk, a download),
    /// never held in memory whole. `length`, when known, is sent as the part's size so the
    /// request carries a `Content-Length`.
    pub fn stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: ByteStream = Box::pin(stream.map_err(Into::into));
        Self::with_data(FileData::Stream {
            stream: Arc::new(Mutex::new(Some(stream))),
            length,
        })
    }

    fn with_data(data: FileData) -> Self {
        Self {
            data,
            file_name: None,
            content_type: None,
            headers: Vec::new(),
        }
    }

    /// Sets the file name sent in the part's `Content-Disposition` (the part's field name
    /// when unset: servers tell files from text fields by it).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type` (else the one the spec documents, else
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Adds a header to this part only (the spec's `encoding` may document some).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.data {
            FileData::Bytes(bytes) => u64::try_from(bytes.len()).ok(),
            FileData::Stream { length, .. } => *length,
        }
    }

    /// Whether the file is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    fn is_stream(&self) -> bool {
        matches!(self.data, FileData::Stream { .. })
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = match &self.data {
            FileData::Bytes(bytes) => format!("{} bytes", bytes.len()),
            FileData::Stream {
                length: Some(length),
                ..
            } => format!("stream of {length} bytes"),
            FileData::Stream { length: None, .. } => "stream".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("data", &data)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// One part of a form.
#[derive(Clone)]
struct Part {
    name: String,
    content: Content,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Content {
    Text(String),
    Json(Vec<u8>),
    File(FilePart),
}

/// A `multipart/form-data` body being built, part by part, in order.
///
/// Its `Debug` output shows part names, kinds and sizes, never values.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for part in &self.parts {
            match &part.content {
                Content::Text(text) => {
                    list.entry(&format_args!("{}: text, {} bytes", part.name, text.len()))
                }
                Content::Json(bytes) => {
                    list.entry(&format_args!("{}: json, {} bytes", part.name, bytes.len()))
                }
                Content::File(file) => list.entry(&format_args!("{}: {file:?}", part.name)),
            };
        }
        list.finish()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field (no `Content-Type`, which means `text/plain`).
    pub fn text(&mut self, name: &str, value: impl ParamValue) {
        self.push(name, Content::Text(value.to_param()), None);
    }

    /// Adds a value as the OpenAPI defaults for multipart say: a string, number or boolean
    /// as a text field, an object or array as a JSON part, `null` not at all; with the
    /// `Content-Type` of the spec's `encoding` when it names one.
    pub fn value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), serde_json::Error> {
        let content_type = content_type.map(str::to_owned);
        match serde_json::to_value(value)? {
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => self.push(name, Content::Text(text), content_type),
            scalar @ (serde_json::Value::Bool(_) | serde_json::Value::Number(_)) => {
                self.push(name, Content::Text(scalar.to_string()), content_type);
            }
            structured => {
                let encoded = serde_json::to_vec(&structured)?;
                let content_type = content_type.unwrap_or_else(|| "application/json".to_owned());
                self.push(name, Content::Json(encoded), Some(content_type));
            }
        }
        Ok(())
    }

    /// Adds `value` as a JSON part (`application/json` unless `content_type` says otherwise).
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), serde_json::Error> {
        let encoded = serde_json::to_vec(value)?;
        let content_type = content_type.unwrap_or("application/json").to_owned();
        self.push(name, Content::Json(encoded), Some(content_type));
        Ok(())
    }

    /// Adds a file. Its own content type wins over `content_type` (the spec's), which wins
    /// over `application/octet-stream`.
    pub fn file(&mut self, name: &str, file: &FilePart, content_type: Option<&str>) {
        let content_type = file
            .content_type
            .as_deref()
            .or(content_type)
            .unwrap_or(DEFAULT_FILE_CONTENT_TYPE)
            .to_owned();
        self.push(name, Content::File(file.clone()), Some(content_type));
    }

    fn push(&mut self, name: &str, content: Content, content_type: Option<String>) {
        self.parts.push(Part {
            name: name.to_owned(),
            content,
            content_type,
        });
    }

    /// How many parts the form has.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether the form can be sent again (no part is a stream, which is read once).
    pub fn is_replayable(&self) -> bool {
        !self.parts.iter().any(|part| match &part.content {
            Content::File(file) => file.is_stream(),
            _ => false,
        })
    }

    /// The total size, when every part's size is known (for logs; reqwest computes the
    /// `Content-Length` itself).
    pub fn size_hint(&self) -> Option<u64> {
        self.parts.iter().try_fold(0u64, |sum, part| {
            let size = match &part.content {
                Content::Text(text) => u64::try_from(text.len()).ok(),
                Content::Json(bytes) => u64::try_from(bytes.len()).ok(),
                Content::File(file) => file.len(),
            };
            size.map(|size| sum.saturating_add(size))
        })
    }

    /// The form reqwest sends for one attempt; a streamed file is taken out of its part, so
    /// a second call fails for that part.
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            form = form.part(part.name.clone(), part.to_reqwest()?);
        }
        Ok(form)
    }
}

impl Part {
    fn to_reqwest(&self) -> Result<reqwest::multipart::Part, String> {
        let mut built = match &self.content {
            Content::Text(text) => reqwest::multipart::Part::text(text.clone()),
            Content::Json(bytes) => reqwest::multipart::Part::bytes(bytes.clone()),
            Content::File(file) => {
                let body = match &file.data {
                    FileData::Bytes(bytes) => reqwest::multipart::Part::bytes(bytes.to_vec()),
                    FileData::Stream { stream, length } => {
                        let taken = stream.lock().map(|mut slot| slot.take()).ok().flatten();
                        let Some(stream) = taken else {
                            return Err(format!(
                                "the stream of file part `{}` was already sent; a streamed file can be sent once",
                                self.name
                            ));
                        };
                        let body = reqwest::Body::wrap_stream(stream);
                        match length {
                            Some(length) => {
                                reqwest::multipart::Part::stream_with_length(body, *length)
                            }
                            None => reqwest::multipart::Part::stream(body),
                        }
                    }
                };
                let file_name = file.file_name.clone().unwrap_or_else(|| self.name.clone());
                body.file_name(file_name)
                    .headers(part_headers(&self.name, &file.headers)?)
            }
        };
        if let Some(content_type) = &self.content_type {
            built = built.mime_str(content_type).map_err(|_| {
                format!(
                    "part `{}` has an invalid content type {content_type:?}",
                    self.name
                )
            })?;
        }
        Ok(built)
    }
}

fn part_headers(part: &str, headers: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            return Err(format!(
                "part `{part}` has an invalid header {name:?}: {value:?}"
            ));
        };
        map.append(name, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_content_type_prefers_the_file_then_the_spec_then_octet_stream() {
        let mut form = Multipart::new();
        form.file(
            "a",
            &FilePart::bytes("x").content_type("image/png"),
            Some("image/jpeg"),
        );
        form.file("b", &FilePart::bytes("x"), Some("image/jpeg"));
        form.file("c", &FilePart::bytes("x"), None);
        let types: Vec<Option<&str>> = form
            .parts
            .iter()
            .map(|part| part.content_type.as_deref())
            .collect();
        assert_eq!(
            types,
            [
                Some("image/png"),
                Some("image/jpeg"),
                Some(DEFAULT_FILE_CONTENT_TYPE)
            ]
        );
    }

    #[test]
    fn a_streamed_file_is_sent_once() {
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"abc"))]);
        let mut form = Multipart::new();
        form.file("upload", &FilePart::stream(chunks, Some(3)), None);
        assert!(!form.is_replayable());
        assert_eq!(form.size_hint(), Some(3));
        assert!(form.to_form().is_ok());
        let again = form.to_form().expect_err("the stream is gone");
        assert!(again.contains("`upload` was already sent"), "{again}");
    }

    #[test]
    fn invalid_content_types_and_headers_are_errors() {
        let mut form = Multipart::new();
        form.value("meta", "x", Some("not a mime type"))
            .expect("a string");
        assert!(form.to_form().expect_err("bad mime").contains("`meta`"));
        let mut form = Multipart::new();
        form.file("f", &FilePart::bytes("x").header("bad header", "v"), None);
        assert!(form.to_form().expect_err("bad header").contains("`f`"));
    }

    #[test]
    fn values_are_text_json_or_nothing() {
        let mut form = Multipart::new();
        let values = [
            serde_json::json!("gpt"),
            serde_json::json!(0.5),
            serde_json::json!(true),
            serde_json::json!(null),
            serde_json::json!({"k": [1]}),
        ];
        for value in &values {
            form.value("v", value, None).expect("encodable");
        }
        let seen: Vec<(String, Option<&str>)> = form
            .parts
            .iter()
            .map(|part| match &part.content {
                Content::Text(text) => (text.clone(), part.content_type.as_deref()),
                Content::Json(bytes) => (
                    String::from_utf8_lossy(bytes).into_owned(),
                    part.content_type.as_deref(),
                ),
                Content::File(_) => (String::new(), None),
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("gpt".to_owned(), None),
                ("0.5".to_owned(), None),
                ("true".to_owned(), None),
                (r#"{"k":[1]}"#.to_owned(), Some("application/json")),
            ]
        );
    }

    #[test]
    fn debug_shows_sizes_not_contents() {
        let file = FilePart::bytes("secret").file_name("a.txt");
        let text = format!("{file:?}");
        assert!(text.contains("6 bytes") && text.contains("a.txt"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
