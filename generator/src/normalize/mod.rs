//! Normalisation: OpenAPI 3.1 and Swagger 2.0 documents are rewritten, as JSON values, into
//! the OpenAPI 3.0 shape before `openapiv3` reads them, so every later stage is unchanged.
//!
//! Rewriting moves nodes (`/definitions/X` becomes `/components/schemas/X`), so every move
//! is recorded in [`Origins`]: diagnostics about the rewritten document are translated back
//! to the pointer, and line, of the user's file. What cannot be expressed in 3.0 becomes a
//! warning (an adjustment) plus a sound fallback.

mod swagger2;
mod v31;
pub(crate) use v31::NUMERIC_STRING;
mod walk;

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The OpenAPI version a document declares, as far as normalisation cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x: read as is.
    V30,
    /// OpenAPI 3.1.x.
    V31,
}

/// Why a document's version cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionError {
    /// The document is not a JSON/YAML object.
    NotAnObject,
    /// No `openapi` (or `swagger`) field.
    Missing,
    /// `openapi`/`swagger` is not a string.
    NotAString(&'static str),
    /// A version this generator does not read (`OpenAPI 4.0.0`, `Swagger 1.2`).
    Unsupported(String),
}

/// The version `document` declares.
pub fn version(document: &Value) -> Result<Version, VersionError> {
    let object = document.as_object().ok_or(VersionError::NotAnObject)?;
    if let Some(swagger) = object.get("swagger") {
        return match swagger {
            Value::String(v) if v == "2.0" || v.starts_with("2.0.") => Ok(Version::Swagger2),
            Value::String(v) => Err(VersionError::Unsupported(format!("Swagger {v}"))),
            Value::Number(n) if n.as_f64() == Some(2.0) => Ok(Version::Swagger2),
            _ => Err(VersionError::NotAString("swagger")),
        };
    }
    match object.get("openapi") {
        Some(Value::String(v)) if is_minor(v, "3.0") => Ok(Version::V30),
        Some(Value::String(v)) if is_minor(v, "3.1") => Ok(Version::V31),
        Some(Value::String(v)) => Err(VersionError::Unsupported(format!("OpenAPI {v}"))),
        Some(_) => Err(VersionError::NotAString("openapi")),
        None => Err(VersionError::Missing),
    }
}

fn is_minor(version: &str, minor: &str) -> bool {
    version == minor
        || version
            .strip_prefix(minor)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// What normalisation did: where rewritten nodes came from, and what it could not express.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Rewritten pointer prefixes → original pointers.
    pub origins: Origins,
    /// Warnings as (pointer into the rewritten document, message).
    pub adjustments: Vec<(String, String)>,
}

impl Normalized {
    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.adjustments.push((pointer.into(), message.into()));
    }
}

/// Rewrites `document` (of `version`) into the 3.0 shape in place.
pub fn normalize(document: &mut Value, version: Version) -> Normalized {
    let mut out = Normalized::default();
    keep_item_schemas(document);
    match version {
        Version::V30 => {}
        Version::V31 => {
            out.origins.active = true;
            v31::convert(document, &mut out);
        }
        Version::Swagger2 => {
            out.origins.active = true;
            swagger2::convert(document, &mut out);
        }
    }
    out
}

/// Moves each response media type's `itemSchema` (OpenAPI 3.2, the schema of one event or
/// line of a streamed body) to an extension, which `openapiv3` keeps (it drops unknown
/// fields). Only response media types: a request's `itemSchema` is not used.
fn keep_item_schemas(document: &mut Value) {
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                if let Some(Value::Object(by_status)) = op.get_mut("responses") {
                    by_status.values_mut().for_each(move_item_schemas);
                }
            }
        }
    }
    if let Some(Value::Object(shared)) = document.pointer_mut("/components/responses") {
        shared.values_mut().for_each(move_item_schemas);
    }
}

fn move_item_schemas(response: &mut Value) {
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return;
    };
    for media in content.values_mut().filter_map(Value::as_object_mut) {
        if let Some(item) = media.remove("itemSchema") {
            media.insert(crate::ir::ITEM_SCHEMA_EXTENSION.to_owned(), item);
        }
    }
}

/// Maps pointer prefixes of the rewritten document to pointers of the original one.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    map: HashMap<String, String>,
    /// True when the document was rewritten (a 3.1 or 2.0 document).
    active: bool,
}

impl Origins {
    /// True when the document was rewritten, so pointers may need translating.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Records that the node now at `rewritten` was at `original` in the user's file.
    pub(crate) fn record_original(&mut self, rewritten: String, original: String) {
        if rewritten != original {
            self.map.insert(rewritten, original);
        }
    }

    /// Records that the node now at `rewritten` was moved from `from`, a pointer of the
    /// document as rewritten so far (translated through what is already recorded).
    pub(crate) fn record_moved(&mut self, rewritten: String, from: &str) {
        let original = self.original(from);
        self.record_original(rewritten, original);
    }

    /// `message` with each quoted local reference (`` `#/components/schemas/X` ``) as the
    /// user wrote it (`` `#/definitions/X` ``).
    pub fn original_refs(&self, message: &str) -> String {
        if self.map.is_empty() || !message.contains("`#/") {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(start) = rest.find("`#/") {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            let end = rest.find('`').unwrap_or(rest.len());
            out.push_str(&self.original(&rest[..end]));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// The pointer in the user's file of `pointer` in the rewritten document: its longest
    /// recorded prefix replaced by where that prefix came from.
    pub fn original(&self, pointer: &str) -> String {
        if self.map.is_empty() {
            return pointer.to_owned();
        }
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(original) = self.map.get(prefix) {
                return format!("{original}{}", &pointer[end..]);
            }
            match prefix.rfind('/') {
                Some(cut) if cut > 0 => end = cut,
                _ => return pointer.to_owned(),
            }
        }
    }
}

/// Appends one escaped segment to a pointer.
fn join(base: &str, segment: &str) -> String {
    crate::diagnostics::pointer(base, &[segment])
}

/// Takes `key` out of `object` when it is an object.
fn take_object(object: &mut Map<String, Value>, key: &str) -> Option<Map<String, Value>> {
    match object.remove(key) {
        Some(Value::Object(map)) => Some(map),
        Some(other) => {
            object.insert(key.to_owned(), other);
            None
        }
        None => None,
    }
}

/// Draft-04 tuple `items: [A, B]`: one alternative besides `null` becomes that item schema
/// (nullable); several become JSON values, with a warning.
fn tuple_items(object: &mut Map<String, Value>, at: &str, out: &mut Normalized) {
    let Some(Value::Array(members)) = object.get("items") else {
        return;
    };
    let is_null = |m: &&Value| m.get("type").and_then(Value::as_str) == Some("null");
    let has_null = members.iter().any(|m| is_null(&m));
    let mut non_null = members.iter().filter(|m| !is_null(m));
    let item = match (non_null.next(), non_null.next()) {
        (Some(single), None) => {
            let mut single = single.clone();
            if has_null {
                if let Some(single) = single.as_object_mut() {
                    if single.contains_key("$ref") {
                        let reference = single.remove("$ref").unwrap_or_default();
                        single.insert("allOf".into(), serde_json::json!([{ "$ref": reference }]));
                    }
                    single.insert("nullable".into(), true.into());
                }
            }
            single
        }
        _ => {
            out.warn(
                join(at, "items"),
                "a list of item schemas (a tuple) cannot be expressed in OpenAPI 3.0; typed as an array of JSON values",
            );
            Value::Object(Map::new())
        }
    };
    object.insert("items".into(), item);
}

/// Rewrites every `$ref` string in `value` through `rewrite` (examples are data and skipped).
fn rewrite_refs(value: &mut Value, rewrite: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(new) = rewrite(reference) {
                            *reference = new;
                        }
                    }
                    ("example" | "examples" | "x-examples", _) => {}
                    (_, child) => rewrite_refs(child, rewrite),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, rewrite)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let v = |text: &str| version(&serde_json::from_str(text).unwrap());
        assert_eq!(v(r#"{"openapi": "3.0.3"}"#), Ok(Version::V30));
        assert_eq!(v(r#"{"openapi": "3.1.0"}"#), Ok(Version::V31));
        assert_eq!(v(r#"{"swagger": "2.0"}"#), Ok(Version::Swagger2));
        assert_eq!(
            v(r#"{"openapi": "4.0.0"}"#),
            Err(VersionError::Unsupported("OpenAPI 4.0.0".into()))
        );
        assert_eq!(
            v(r#"{"openapi": "3.10.0"}"#),
            Err(VersionError::Unsupported("OpenAPI 3.10.0".into()))
        );
        assert_eq!(v(r#"{"info": {}}"#), Err(VersionError::Missing));
    }

    #[test]
    fn origins_translate_longest_prefix() {
        let mut origins = Origins::default();
        origins.record_original("/components/schemas".into(), "/definitions".into());
        origins.record_moved(
            "/components/schemas/A/allOf/0".into(),
            "/components/schemas/A",
        );
        assert_eq!(
            origins.original("/components/schemas/B/x"),
            "/definitions/B/x"
        );
        assert_eq!(
            origins.original("/components/schemas/A/allOf/0/properties/p"),
            "/definitions/A/properties/p"
        );
        assert_eq!(origins.original("/paths"), "/paths");
        assert_eq!(
            origins.original_refs("`$ref` target `#/components/schemas/Missing` does not exist"),
            "`$ref` target `#/definitions/Missing` does not exist"
        );
    }
}
