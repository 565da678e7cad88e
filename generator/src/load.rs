//! Reads a spec file into an `openapiv3::OpenAPI`, with every problem located.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::GenerateError;

/// A spec as read from disk.
#[derive(Debug)]
pub struct LoadedSpec {
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The document as JSON (for `$ref`s that point outside `components`).
    pub document: serde_json::Value,
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// Finds lines of JSON pointers in the original text.
    pub locator: Locator,
    /// What loading had to adjust, as (JSON pointer, message) warnings. Pointers are into
    /// `document`; [`origins`](Self::origins) translates them to the user's file.
    pub adjustments: Vec<(String, String)>,
    /// Where nodes of `document` were in the user's file, when a 3.1 or 2.0 document was
    /// rewritten into the 3.0 shape.
    pub origins: crate::normalize::Origins,
}

/// The default input cap: eight times the largest public spec seen (Stripe's, 4 MB).
pub const DEFAULT_MAX_INPUT: u64 = 32 * 1024 * 1024;

/// Reads and parses `path`, refusing files over [`DEFAULT_MAX_INPUT`] bytes.
pub fn load(path: &Path) -> Result<LoadedSpec, GenerateError> {
    load_capped(path, DEFAULT_MAX_INPUT)
}

/// Reads and parses `path`, refusing anything but a regular file of at most `limit` bytes
/// (a device or a pipe would never end, a huge file would exhaust memory).
pub fn load_capped(path: &Path, limit: u64) -> Result<LoadedSpec, GenerateError> {
    use std::io::Read;
    let io = |source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    let too_large = |size| GenerateError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes)
        .map_err(|err| io(std::io::Error::new(std::io::ErrorKind::InvalidData, err)))?;
    load_str(path, text)
}

/// Parses `text` as the contents of `path`.
pub fn load_str(path: &Path, text: String) -> Result<LoadedSpec, GenerateError> {
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let is_json =
        path.extension().is_some_and(|ext| ext == "json") || text.trim_start().starts_with('{');
    let document: serde_json::Value = if is_json {
        serde_json::from_str(&text).map_err(|err| GenerateError::Syntax {
            path: path.to_path_buf(),
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        })?
    } else {
        parse_yaml(&text).map_err(|err| {
            let location = err.location();
            GenerateError::Syntax {
                path: path.to_path_buf(),
                line: location.as_ref().map_or(0, |l| l.line()),
                column: location.as_ref().map_or(0, |l| l.column()),
                message: err.to_string(),
            }
        })?
    };
    let locator = Locator::new(text, is_json);
    let version = check_version(path, &document, &locator)?;
    let mut document = document;
    let normalized = crate::normalize::normalize(&mut document, version);
    let origins = normalized.origins;
    let mut adjustments = normalized.adjustments;
    clamp_integer_bounds(&mut document, &mut String::new(), &mut adjustments);
    // Tracking the path costs time on every node; only a failure needs it, so it reruns then.
    let openapi = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&document) {
        Ok(openapi) => Ok(openapi),
        Err(_) => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document),
    };
    let openapi = openapi.map_err(|err| {
        let pointer = pointer_of(err.path());
        let (pointer, message) = refine(&document, pointer, err.inner().to_string());
        let mut diagnostics = crate::diagnostics::Diagnostics::new(path, locator.clone())
            .with_origins(origins.clone());
        diagnostics.error(&pointer, message);
        GenerateError::Invalid {
            diagnostics: diagnostics.into_vec(),
        }
    })?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        sha256,
        document,
        openapi,
        locator,
        adjustments,
        origins,
    })
}

/// YAML into JSON values. Integers beyond 64 bits (`-9223372036854776000`, found in real
/// specs) become floats instead of failing the whole document; `clamp_integer_bounds`
/// then reports them where they matter.
pub(crate) fn parse_yaml(text: &str) -> Result<serde_json::Value, serde_yaml::Error> {
    serde_yaml::from_str::<WideValue>(text).map(|wide| wide.0)
}

/// A JSON value whose deserialization also accepts 128-bit integers.
struct WideValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for WideValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WideVisitor).map(WideValue)
    }
}

struct WideVisitor;

impl<'de> serde::de::Visitor<'de> for WideVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| (v as f64).into(), Into::into))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| (v as f64).into(), Into::into))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(WideValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, WideValue(value))) = map.next_entry::<String, WideValue>()? {
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// Integer schemas' `minimum`/`maximum`/`multipleOf` must fit an `i64` for `openapiv3`;
/// bounds written as floats or beyond 64 bits are clamped, with a warning.
fn clamp_integer_bounds(
    value: &mut serde_json::Value,
    at: &mut String,
    adjustments: &mut Vec<(String, String)>,
) {
    match value {
        serde_json::Value::Object(object) => {
            if object.get("type").and_then(|t| t.as_str()) == Some("integer") {
                for key in ["minimum", "maximum", "multipleOf"] {
                    let Some(bound) = object.get_mut(key) else {
                        continue;
                    };
                    if bound.is_i64() || !bound.is_number() {
                        continue;
                    }
                    let float = bound.as_f64().unwrap_or(0.0);
                    let clamped = if key == "minimum" {
                        float.ceil()
                    } else {
                        float.floor()
                    }
                    .clamp(i64::MIN as f64, i64::MAX as f64)
                        as i64;
                    // `minimum: 0.0` (FastAPI writes integer bounds as floats) is just 0.
                    if clamped as f64 == float && float.abs() < 9.0e15 {
                        *bound = clamped.into();
                        continue;
                    }
                    adjustments.push((
                        format!("{at}/{key}"),
                        format!(
                            "integer bound {bound} does not fit a 64-bit integer; using {clamped}"
                        ),
                    ));
                    *bound = clamped.into();
                }
            }
            for (key, child) in object.iter_mut() {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::diagnostics::escape_segment(key));
                clamp_integer_bounds(child, at, adjustments);
                at.truncate(len);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{index}"));
                clamp_integer_bounds(child, at, adjustments);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn structure_error(
    path: &Path,
    locator: &Locator,
    pointer: String,
    message: String,
) -> GenerateError {
    GenerateError::Invalid {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: locator.line_of(&pointer),
            pointer,
            message,
        }],
    }
}

/// The version the document declares: OpenAPI 3.0.x, 3.1.x or Swagger 2.0; anything else
/// is a clear error.
fn check_version(
    path: &Path,
    document: &serde_json::Value,
    locator: &Locator,
) -> Result<crate::normalize::Version, GenerateError> {
    use crate::normalize::VersionError;
    crate::normalize::version(document).map_err(|err| match err {
        VersionError::NotAnObject => structure_error(
            path,
            locator,
            String::new(),
            "a spec must be a JSON/YAML object".into(),
        ),
        VersionError::Unsupported(found) => GenerateError::UnsupportedVersion {
            path: path.to_path_buf(),
            found,
        },
        VersionError::NotAString(key) => structure_error(
            path,
            locator,
            format!("/{key}"),
            format!("`{key}` must be a version string such as \"3.0.3\""),
        ),
        VersionError::Missing => structure_error(
            path,
            locator,
            String::new(),
            "missing `openapi` version field: is this an OpenAPI document?".into(),
        ),
    })
}

/// `openapiv3` wraps path items and components in untagged `$ref`-or-item enums, so serde
/// reports their errors at the enclosing map (`/paths`). Deserializing each entry as the
/// item type on its own finds the entry and the field at fault.
fn refine(document: &serde_json::Value, pointer: String, message: String) -> (String, String) {
    fn first_error<T: serde::de::DeserializeOwned>(
        map: &serde_json::Value,
        base: &str,
    ) -> Option<(String, String)> {
        map.as_object()?.iter().find_map(|(key, entry)| {
            if entry.get("$ref").is_some() {
                return None;
            }
            let err = serde_path_to_error::deserialize::<_, T>(entry).err()?;
            let at = format!(
                "{base}/{}{}",
                crate::diagnostics::escape_segment(key),
                pointer_of(err.path())
            );
            Some((at, err.inner().to_string()))
        })
    }
    let Some(map) = document.pointer(&pointer) else {
        return (pointer, message);
    };
    let refined = match pointer.as_str() {
        "/paths" => first_error::<openapiv3::PathItem>(map, &pointer),
        "/components/schemas" => first_error::<openapiv3::Schema>(map, &pointer),
        "/components/responses" => first_error::<openapiv3::Response>(map, &pointer),
        "/components/parameters" => first_error::<openapiv3::Parameter>(map, &pointer),
        "/components/requestBodies" => first_error::<openapiv3::RequestBody>(map, &pointer),
        "/components/headers" => first_error::<openapiv3::Header>(map, &pointer),
        _ => None,
    };
    refined.unwrap_or((pointer, message))
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&crate::diagnostics::escape_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Finds the line of a JSON pointer in the original text, by searching for each key in
/// turn after the previous one. Good enough for diagnostics; never fails, at worst `None`.
/// Cheap to clone: the text, its line index and the offsets found so far are shared.
#[derive(Debug, Clone)]
pub struct Locator {
    text: std::sync::Arc<str>,
    is_json: bool,
    /// Byte offset of each line start, built on first use.
    line_starts: std::sync::Arc<std::sync::OnceLock<Vec<usize>>>,
    /// Offsets of pointer prefixes already found: diagnostics cluster under a few prefixes,
    /// and each search then starts where the prefix was found, not at the file's start.
    found: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

impl Locator {
    /// Indexes `text`.
    pub fn new(text: String, is_json: bool) -> Self {
        Self {
            text: text.into(),
            is_json,
            line_starts: Default::default(),
            found: Default::default(),
        }
    }

    /// The 1-based line where `pointer` starts, when found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let at = self.offset_of(pointer)?;
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        Some(starts.partition_point(|&start| start <= at))
    }

    fn offset_of(&self, pointer: &str) -> Option<usize> {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        let mut offset = 0;
        let mut at = None;
        let mut prefix_end = 0;
        for raw in pointer.split('/').skip(1) {
            prefix_end += 1 + raw.len();
            let prefix = &pointer[..prefix_end];
            if let Some(&cached) = found.get(prefix) {
                offset = cached;
                at = Some(cached);
                continue;
            }
            let key = raw.replace("~1", "/").replace("~0", "~");
            if key.parse::<usize>().is_ok() {
                continue;
            }
            let position = self.find_key(&key, offset)?;
            found.insert(prefix.to_owned(), position + key.len());
            offset = position + key.len();
            at = Some(position);
        }
        Some(at.unwrap_or(0))
    }

    /// The offset of the first occurrence of `key` as a mapping key at or after `from`:
    /// `"key"` followed by `:` in JSON; `key:`, `"key":` or `'key':` in YAML; each after
    /// whitespace, `{`, `,` or `-`. One forward scan for the bare key (each candidate's surroundings are checked in
    /// place), so a diagnostic costs at most one pass over the text.
    fn find_key(&self, key: &str, from: usize) -> Option<usize> {
        let haystack = self.text.get(from..)?;
        let bytes = haystack.as_bytes();
        let mut search = 0;
        while let Some(pos) = haystack.get(search..)?.find(key) {
            let at = search + pos;
            let end = at + key.len();
            // Past this occurrence (by one character when the key is empty).
            search = end.max(at + haystack[at..].chars().next().map_or(1, char::len_utf8));
            let quote = at
                .checked_sub(1)
                .map(|i| bytes[i])
                .filter(|q| matches!(q, b'"' | b'\'') && bytes.get(end) == Some(q));
            let (start, after) = match quote {
                Some(_) => (at - 1, end + 1),
                None => (at, end),
            };
            let shape_ok = if self.is_json {
                let rest = bytes.get(after..).unwrap_or_default();
                quote == Some(b'"') && rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':')
            } else {
                bytes.get(after) == Some(&b':')
            };
            let before = haystack[..start].chars().next_back();
            let boundary = before.is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '-'));
            if shape_ok && boundary {
                return Some(from + start);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quoted_and_bare_keys_but_not_values_or_key_suffixes() {
        let text = "a: \"b\"\nxb: 1\n'b': 2\n\"é\": {\"c\": 3}\n".to_owned();
        let locator = Locator::new(text.clone(), false);
        // `"b"` (a value) and `xb:` (another key ending in b) are skipped.
        assert_eq!(locator.find_key("b", 0), text.find("'b'"));
        assert_eq!(locator.find_key("é", 0), text.find("\"é\""));
        assert_eq!(locator.find_key("c", 0), text.find("\"c\""));
        assert_eq!(locator.find_key("missing", 0), None);
        assert_eq!(locator.find_key("", 0), None);
        let json = Locator::new("{\"x\": \"y\", \"y\": 1}".to_owned(), true);
        // The value `"y"` is not a key.
        assert_eq!(json.find_key("y", 0), Some(11));
    }

    #[test]
    fn locates_yaml_keys_in_order() {
        let text = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses: {}\n".to_owned();
        let locator = Locator::new(text, false);
        assert_eq!(locator.line_of("/paths/~1pets/get"), Some(4));
        assert_eq!(locator.line_of("/paths/~1pets/get/responses"), Some(5));
        assert_eq!(locator.line_of("/nowhere"), None);
    }
}
