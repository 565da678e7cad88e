//! What an error says about where it came from: the operation, and an encoding failure.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use reqwest::Method;

/// The operation a call was for, named by every error it ends in. Shared, not copied:
/// one pointer in each error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation(Arc<OperationInfo>);

#[derive(Debug, PartialEq, Eq)]
struct OperationInfo {
    id: &'static str,
    method: Method,
    path: &'static str,
}

impl Operation {
    /// The operation `id`, sent as `method` to `path` (a template).
    pub fn new(id: &'static str, method: Method, path: &'static str) -> Self {
        Self(Arc::new(OperationInfo { id, method, path }))
    }

    /// The spec's `operationId`.
    pub fn id(&self) -> &'static str {
        self.0.id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.0.method
    }

    /// The path template (`/v1/users/{id}`), without parameter values, which may be
    /// private; empty when the request did not say.
    pub fn path(&self) -> &'static str {
        self.0.path
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", self.0.id, self.0.method)?;
        if !self.0.path.is_empty() {
            write!(f, " {}", self.0.path)?;
        }
        f.write_str(")")
    }
}

/// A request body that could not be encoded; nothing was sent.
#[derive(Debug)]
#[non_exhaustive]
pub struct EncodeFailure {
    /// The operation whose body it is.
    pub operation: Operation,
    /// Why (a serializer refusing a value, a file part already sent once).
    pub source: Box<dyn StdError + Send + Sync>,
}

impl EncodeFailure {
    /// The failure to encode the body of `operation`.
    pub fn new(operation: Operation, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self {
            operation,
            source: source.into(),
        }
    }
}

impl fmt::Display for EncodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request body could not be encoded: {}", self.source)
    }
}

impl StdError for EncodeFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}
