//! Errors the generator returns as values.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid YAML or JSON.
    #[error("{}:{line}:{column}: not valid YAML/JSON: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document is a version this generator does not read.
    #[error(
        "{}: {found} is not supported: oapigen reads OpenAPI 3.0.x, OpenAPI 3.1.x and Swagger 2.0",
        path.display()
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// What the document declares.
        found: String,
    },
    /// The document is not a valid OpenAPI 3.0 description.
    #[error("{}", render_diagnostics(diagnostics))]
    Invalid {
        /// Every error found.
        diagnostics: Vec<Diagnostic>,
    },
    /// Generated code did not parse: a bug in the generator.
    #[error("generator bug: the code generated for {item} does not parse: {message}")]
    Render {
        /// What was being rendered.
        item: String,
        /// The parser's message.
        message: String,
    },
    /// A template failed: a bug in the generator.
    #[error("generator bug: template {template} failed: {message}")]
    Template {
        /// Template name.
        template: String,
        /// What failed.
        message: String,
    },
    /// Files in the output folder the generator will not write: not its own (without
    /// `--force`), symlinks, or not regular files. Nothing was written.
    #[error(
        "{}: refusing to write, nothing was written:\n{}",
        dir.display(),
        files.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n")
    )]
    Refused {
        /// The output folder.
        dir: PathBuf,
        /// Each file refused, and why.
        files: Vec<String>,
    },
    /// The spec file is larger than the configured input cap.
    #[error(
        "{}: the spec is {size} bytes, over the input cap of {limit} bytes (raise it with --max-input-mib)",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// Bad configuration.
    #[error("{0}")]
    Config(String),
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
