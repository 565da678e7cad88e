//! Shared by the conformance and example tests: the specs read as JSON, their operations,
//! documented responses and examples, and the one comparison of a spec example with the JSON
//! a generated type serializes back to.
//!
//! One deliberate normalisation, of a typed string format: `format: date-time` is a
//! `chrono::DateTime<Utc>`, so two strings that both parse as RFC 3339 date-times denoting the
//! same instant are equal. `chrono` writes `2021-04-30T10:00:00.00Z` back as
//! `2021-04-30T10:00:00Z`; the instant is what the API means. (`format: uri` is a
//! `runtime::Uri`, kept as the text it is.)
//!
//! Everything else (numbers, key sets, array order, every other string) must be identical.

#![allow(dead_code)]

pub mod prism;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alexa_apis::runtime::chrono::DateTime;
use serde_json::Value;

/// The repository root (the root package's manifest directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file names of every spec in `specs/`, sorted.
pub fn spec_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("specs"))
        .expect("specs/ is readable")
        .map(|entry| entry.expect("specs/ entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
        .collect();
    files.sort();
    files
}

/// One spec, as a JSON value (read with serde_yaml).
pub struct Spec {
    /// File name inside `specs/`, such as `notifications.yaml`.
    pub file: String,
    /// The whole document.
    pub doc: Value,
}

/// One operation of a spec.
#[derive(Clone, Debug)]
pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// Every documented response, in spec order.
    pub responses: Vec<ResponseDoc>,
    /// Examples of the JSON request body (empty when there is no body).
    pub request_examples: Vec<NamedExample>,
}

/// One documented response status of an operation.
#[derive(Clone, Debug)]
pub struct ResponseDoc {
    pub status: u16,
    /// Examples of the JSON body; empty when the response has no body.
    pub examples: Vec<NamedExample>,
    /// Whether the response documents a body at all.
    pub has_body: bool,
    /// Documented headers.
    pub headers: Vec<HeaderDoc>,
}

impl ResponseDoc {
    /// Whether this is a success status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A named (`examples`) or single (`example`) example.
#[derive(Clone, Debug)]
pub struct NamedExample {
    /// The key under `examples`; `None` for a single `example`.
    pub name: Option<String>,
    pub value: Value,
    /// Marked `x-counter-example: true`: a document's example that breaks the schema the
    /// document itself states, kept verbatim beside a valid variant.
    pub counter: bool,
}

/// A documented response header.
#[derive(Clone, Debug)]
pub struct HeaderDoc {
    pub name: String,
    pub required: bool,
    pub example: Option<Value>,
}

/// An example found anywhere in a spec.
#[derive(Clone, Debug)]
pub struct FoundExample {
    /// JSON pointer of the object that holds the `example`/`examples` key (a media type,
    /// schema, header or parameter).
    pub owner: String,
    /// JSON pointer of the example value itself.
    pub pointer: String,
    pub value: Value,
    /// Marked `x-counter-example: true` (see [`NamedExample::counter`]).
    pub counter: bool,
}

/// Whether an Example Object is marked as a documented counter-example.
fn is_counter(example: &Value) -> bool {
    example.get("x-counter-example") == Some(&Value::Bool(true))
}

/// Escapes one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

impl Spec {
    /// Reads `specs/<file>`.
    pub fn load(file: &str) -> Spec {
        let path = root().join("specs").join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let doc: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|err| panic!("{} is not valid YAML: {err}", path.display()));
        Spec {
            file: file.to_owned(),
            doc,
        }
    }

    /// The file name without its extension (`notifications`).
    pub fn service(&self) -> &str {
        Path::new(&self.file)
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or(&self.file)
    }

    /// Follows a local `$ref` chain; other values are returned as they are.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                panic!(
                    "{}: only local $refs are supported here: {reference}",
                    self.file
                )
            });
            value = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.file));
        }
        panic!("{}: $ref chain too long", self.file)
    }

    /// Every operation, in path order then method order as written.
    pub fn operations(&self) -> Vec<Operation> {
        let paths = self.doc["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no paths", self.file));
        let mut out = Vec::new();
        for (path, item) in paths {
            let item = self
                .resolve(item)
                .as_object()
                .expect("path item is an object");
            for (method, op) in item {
                if !matches!(
                    method.as_str(),
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                ) {
                    continue;
                }
                let pointer = format!("/paths/{}/{method}", escape(path));
                let id = op["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: {pointer} has no operationId", self.file))
                    .to_owned();
                let request_examples = match op.get("requestBody") {
                    Some(body) => self.media_examples(&self.resolve(body)["content"], &pointer),
                    None => Vec::new(),
                };
                let responses = op["responses"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{}: {pointer} has no responses", self.file))
                    .iter()
                    .map(|(status, response)| self.response(&pointer, status, response))
                    .collect();
                out.push(Operation {
                    id,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    pointer,
                    responses,
                    request_examples,
                });
            }
        }
        out
    }

    /// The operation with this operationId.
    pub fn operation(&self, id: &str) -> Operation {
        self.operations()
            .into_iter()
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("{}: no operation {id}", self.file))
    }

    fn response(&self, pointer: &str, status: &str, response: &Value) -> ResponseDoc {
        let status: u16 = status.parse().unwrap_or_else(|_| {
            panic!(
                "{}: {pointer} response {status:?}: only numeric statuses are exercised here; \
                 extend tests/common to cover ranges and `default`",
                self.file
            )
        });
        let response = self.resolve(response);
        let content = response.get("content");
        let examples = content
            .map(|content| self.media_examples(content, pointer))
            .unwrap_or_default();
        let headers = response
            .get("headers")
            .and_then(Value::as_object)
            .map(|headers| {
                headers
                    .iter()
                    .map(|(name, header)| {
                        let header = self.resolve(header);
                        let example = header
                            .get("example")
                            .or_else(|| header.get("schema").and_then(|s| s.get("example")))
                            .cloned();
                        HeaderDoc {
                            name: name.clone(),
                            required: header["required"].as_bool().unwrap_or(false),
                            example,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        ResponseDoc {
            status,
            examples,
            has_body: content.is_some(),
            headers,
        }
    }

    /// The examples of the JSON media type of a `content` map.
    fn media_examples(&self, content: &Value, pointer: &str) -> Vec<NamedExample> {
        let content = content
            .as_object()
            .unwrap_or_else(|| panic!("{}: {pointer}: content is not a map", self.file));
        let mut out = Vec::new();
        for (media_type, media) in content {
            assert_eq!(
                media_type, "application/json",
                "{}: {pointer}: only JSON bodies are exercised here",
                self.file
            );
            if let Some(value) = media.get("example") {
                out.push(NamedExample {
                    name: None,
                    value: value.clone(),
                    counter: false,
                });
            }
            if let Some(examples) = media.get("examples").and_then(Value::as_object) {
                for (name, example) in examples {
                    out.push(NamedExample {
                        name: Some(name.clone()),
                        value: self.example_value(example, pointer),
                        counter: is_counter(self.resolve(example)),
                    });
                }
            }
        }
        out
    }

    /// The `value` of an Example Object (following a `$ref` to `components/examples`).
    fn example_value(&self, example: &Value, pointer: &str) -> Value {
        let example = self.resolve(example);
        match example.get("value") {
            Some(value) => value.clone(),
            None => panic!(
                "{}: {pointer}: an example without an inline `value` (externalValue?) cannot be \
                 served by Prism nor checked here",
                self.file
            ),
        }
    }

    /// Every `example` and `examples` in the document, wherever it is.
    pub fn all_examples(&self) -> Vec<FoundExample> {
        let mut out = Vec::new();
        self.walk(&self.doc, "", false, &mut out);
        out
    }

    fn walk(&self, node: &Value, pointer: &str, in_properties: bool, out: &mut Vec<FoundExample>) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    let here = format!("{pointer}/{}", escape(key));
                    // Under `properties` the keys are property names, not keywords.
                    if !in_properties && key == "example" {
                        out.push(FoundExample {
                            owner: pointer.to_owned(),
                            pointer: here,
                            value: value.clone(),
                            counter: false,
                        });
                    } else if !in_properties && key == "examples" {
                        let examples = value
                            .as_object()
                            .unwrap_or_else(|| panic!("{}: {here} is not a map", self.file));
                        for (name, example) in examples {
                            let at = format!("{here}/{}/value", escape(name));
                            out.push(FoundExample {
                                owner: pointer.to_owned(),
                                pointer: at.clone(),
                                value: self.example_value(example, &at),
                                counter: is_counter(self.resolve(example)),
                            });
                        }
                    } else {
                        let properties = !in_properties && key == "properties";
                        self.walk(value, &here, properties, out);
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{pointer}/{index}"), false, out);
                }
            }
            _ => {}
        }
    }
}

/// Compares a spec example (`expected`) with what a generated type made of it (`actual`).
///
/// Exact, except for the two documented normalisations (see the module docs): RFC 3339
/// date-times of the same instant, and a URL and its `url` crate serialization. The error
/// names the JSON path of the first difference.
pub fn same_json(expected: &Value, actual: &Value) -> Result<(), String> {
    compare(expected, actual, "")
}

fn compare(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    let here = if at.is_empty() { "(root)" } else { at };
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let path = format!("{at}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => compare(x, y, &path)?,
                    (Some(x), None) => return Err(format!("{path}: {x} was dropped")),
                    (None, Some(y)) => return Err(format!("{path}: {y} was added")),
                    (None, None) => unreachable!(),
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{here}: {} items became {}", a.len(), b.len()));
            }
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}/{index}"))?;
            }
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a != b && same_instant(a, b) => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{here}: {a} became {b}")),
    }
}

/// Whether both strings are RFC 3339 date-times of the same instant.
pub fn same_instant(a: &str, b: &str) -> bool {
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Documented statuses of every operation, by operationId (for coverage reports).
pub fn documented_statuses(spec: &Spec) -> BTreeMap<String, Vec<u16>> {
    spec.operations()
        .into_iter()
        .map(|op| (op.id, op.responses.iter().map(|r| r.status).collect()))
        .collect()
}
