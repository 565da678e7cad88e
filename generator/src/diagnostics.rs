//! Located problems: what the generator could not do, and where in the user's file.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on with a sound fallback (usually `serde_json::Value`).
    Warning,
    /// Generation cannot produce correct code.
    Error,
}

/// One problem, located by file, JSON pointer and line (when known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The spec file.
    pub file: PathBuf,
    /// JSON pointer into the spec (`/paths/~1pets/get/responses`).
    pub pointer: String,
    /// 1-based line in the spec file, when it could be found.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, ": {severity}: {} (at #{pointer})", self.message)
    }
}

/// Collects diagnostics for one spec, locating pointers in its text.
#[derive(Debug)]
pub struct Diagnostics {
    file: PathBuf,
    locator: crate::load::Locator,
    origins: crate::normalize::Origins,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// A collector for `file`, whose text `locator` indexes.
    pub fn new(file: &Path, locator: crate::load::Locator) -> Self {
        Self {
            file: file.to_path_buf(),
            locator,
            origins: Default::default(),
            items: Vec::new(),
        }
    }

    /// Translates pointers into a normalised (3.1 or 2.0) document back to the user's file
    /// before locating and reporting them.
    pub fn with_origins(mut self, origins: crate::normalize::Origins) -> Self {
        self.origins = origins;
        self
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, pointer, message.into());
    }

    /// Records an error at `pointer`.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Error, pointer, message.into());
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String) {
        let pointer = self.origins.original(pointer);
        let message = self.origins.original_refs(&message);
        let mut line = self.locator.line_of(&pointer);
        // A rewritten document has nodes the file lacks (an `allOf` wrapper, a moved
        // schema): the nearest ancestor the file has gives the line.
        let mut ancestor = pointer.as_str();
        while line.is_none() && self.origins.is_active() {
            let Some(cut) = ancestor.rfind('/') else {
                break;
            };
            ancestor = &ancestor[..cut];
            line = self.locator.line_of(ancestor);
        }
        self.items.push(Diagnostic {
            severity,
            file: self.file.clone(),
            pointer,
            line,
            message,
        });
    }

    /// True when an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Everything recorded, in order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Everything recorded so far.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
}

/// Escapes one JSON pointer segment (`/` → `~1`, `~` → `~0`).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Appends segments to a JSON pointer.
pub fn pointer(base: &str, segments: &[&str]) -> String {
    let mut out = base.to_owned();
    for segment in segments {
        out.push('/');
        out.push_str(&escape_segment(segment));
    }
    out
}
