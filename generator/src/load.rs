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
}

/// Reads and parses `path`.
pub fn load(path: &Path) -> Result<LoadedSpec, GenerateError> {
    let text = std::fs::read_to_string(path).map_err(|source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
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
        serde_yaml::from_str(&text).map_err(|err| {
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
    check_version(path, &document, &locator)?;
    let openapi =
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document).map_err(|err| {
            let pointer = pointer_of(err.path());
            structure_error(path, &locator, pointer, err.inner().to_string())
        })?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        sha256,
        document,
        openapi,
        locator,
    })
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

fn check_version(
    path: &Path,
    document: &serde_json::Value,
    locator: &Locator,
) -> Result<(), GenerateError> {
    let Some(object) = document.as_object() else {
        return Err(structure_error(
            path,
            locator,
            String::new(),
            "a spec must be a JSON/YAML object".into(),
        ));
    };
    if let Some(version) = object.get("swagger") {
        return Err(GenerateError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: format!("Swagger {}", version.as_str().unwrap_or("2.0")),
        });
    }
    match object.get("openapi") {
        Some(serde_json::Value::String(version)) if version.starts_with("3.0") => Ok(()),
        Some(serde_json::Value::String(version)) => Err(GenerateError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: format!("OpenAPI {version}"),
        }),
        Some(_) => Err(structure_error(
            path,
            locator,
            "/openapi".into(),
            "`openapi` must be a version string such as \"3.0.3\"".into(),
        )),
        None => Err(structure_error(
            path,
            locator,
            String::new(),
            "missing `openapi` version field: is this an OpenAPI document?".into(),
        )),
    }
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
/// Cheap to clone: the text is shared.
#[derive(Debug, Clone)]
pub struct Locator {
    text: std::sync::Arc<str>,
    is_json: bool,
}

impl Locator {
    /// Indexes `text`.
    pub fn new(text: String, is_json: bool) -> Self {
        Self {
            text: text.into(),
            is_json,
        }
    }

    /// The 1-based line where `pointer` starts, when found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut offset = 0;
        let mut found = None;
        for raw in pointer.split('/').skip(1) {
            let key = raw.replace("~1", "/").replace("~0", "~");
            if key.parse::<usize>().is_ok() {
                continue;
            }
            let at = self.find_key(&key, offset)?;
            offset = at + key.len();
            found = Some(at);
        }
        let at = found.unwrap_or(0);
        Some(self.text[..at].matches('\n').count() + 1)
    }

    fn find_key(&self, key: &str, from: usize) -> Option<usize> {
        let haystack = self.text.get(from..)?;
        let candidates: &[String] = &if self.is_json {
            vec![format!("\"{key}\"")]
        } else {
            vec![
                format!("{key}:"),
                format!("\"{key}\":"),
                format!("'{key}':"),
            ]
        };
        candidates
            .iter()
            .filter_map(|needle| {
                let mut search = 0;
                while let Some(pos) = haystack[search..].find(needle.as_str()) {
                    let at = search + pos;
                    let before = haystack[..at].chars().next_back();
                    let boundary =
                        before.is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '-'));
                    if boundary {
                        return Some(from + at);
                    }
                    search = at + needle.len();
                }
                None
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_yaml_keys_in_order() {
        let text = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses: {}\n".to_owned();
        let locator = Locator::new(text, false);
        assert_eq!(locator.line_of("/paths/~1pets/get"), Some(4));
        assert_eq!(locator.line_of("/paths/~1pets/get/responses"), Some(5));
        assert_eq!(locator.line_of("/nowhere"), None);
    }
}
