//! Request bodies in the IR: the media types an operation sends and how each is encoded.

use crate::naming::RustIdent;
use serde::Serialize;

use super::*;

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Text (`text/*`).
    Text(String),
    /// Any other media type, as bytes.
    Raw(String),
    /// `multipart/form-data`: a typed struct of parts (the body's `shape` is unused).
    Multipart(Box<MultipartDef>),
    /// `multipart/form-data` whose parts the spec does not describe (KittyCAD's `type: string,
    /// format: binary`): an `oapigen_runtime::Multipart` the caller fills, sent with its
    /// boundary (the body's `shape` is unused).
    Parts,
}

/// A request body.
#[derive(Debug, Serialize)]
pub struct RequestBody {
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Type and constraints.
    pub shape: Shape,
    /// Must be sent.
    pub required: bool,
    /// Doc text.
    pub docs: Option<String>,
    /// The other media types the operation accepts (one per kind of encoding, in spec
    /// order), each offered by a client method of its own.
    pub alternatives: Vec<BodyAlternative>,
}

impl RequestBody {
    /// Every shape the body names: its own, its parts', and its alternatives'.
    pub fn shapes(&self) -> Vec<&Shape> {
        let mut shapes = Vec::new();
        let media = std::iter::once((&self.encoding, &self.shape)).chain(
            self.alternatives
                .iter()
                .map(|alt| (&alt.encoding, &alt.shape)),
        );
        for (encoding, shape) in media {
            match encoding {
                BodyEncoding::Multipart(def) => {
                    shapes.extend(def.parts.iter().map(|part| &part.shape));
                }
                _ => shapes.push(shape),
            }
        }
        shapes
    }
}

/// Another media type of a request body, sent by its own client method.
#[derive(Debug, Serialize)]
pub struct BodyAlternative {
    /// The client method (snake case) that sends the body in this media type.
    pub method_name: RustIdent,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Type and constraints (unused for multipart).
    pub shape: Shape,
}

/// A `multipart/form-data` body: one field per part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultipartDef {
    /// Rust name of the struct.
    pub name: RustIdent,
    /// Doc text (the schema's description).
    pub docs: Option<String>,
    /// Parts in schema order.
    pub parts: Vec<PartDef>,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartDef {
    /// Rust field name.
    pub name: RustIdent,
    /// Part name on the wire.
    pub wire: String,
    /// Listed in `required` (and not nullable).
    pub required: bool,
    /// How it is sent.
    pub kind: PartKind,
    /// The value's type (`Bytes` for files; the array for lists).
    pub shape: Shape,
    /// The part's `Content-Type` from the media type's `encoding`, when it names one.
    pub content_type: Option<String>,
    /// Part headers the `encoding` documents.
    pub headers: Vec<String>,
    /// Doc text.
    pub docs: Option<String>,
}

/// How a multipart property becomes parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PartKind {
    /// One file (`format: binary`).
    File,
    /// Files, one part each (an array of binaries, or a binary-or-array union).
    Files,
    /// A value: text for scalars, a JSON part for objects.
    Value,
    /// An array: one part per item.
    List,
    /// A value the `encoding` sends as `application/json`, whatever its type.
    Json,
}
