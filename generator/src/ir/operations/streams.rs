//! Success bodies that can be consumed as they arrive: server-sent events, JSON lines and
//! binary downloads, each offered by a `<op>_stream` client method.

use openapiv3::{ReferenceOr, Response as SpecResponse, Schema};

use super::super::model::{
    BodyEncoding, RequestBody, ResponseBody, ResponseEncoding, Shape, StreamFlag, StreamKind, Ty, TypeKind,
};
use super::super::schemas::SchemaConverter;
use super::OpContext;
use crate::diagnostics::pointer;

/// The extension `itemSchema` (OpenAPI 3.2: the schema of one item of a sequential media
/// type) is moved to by normalisation, since `openapiv3` keeps only `x-` fields.
pub(crate) const ITEM_SCHEMA_EXTENSION: &str = "x-oapigen-item-schema";

/// The extension on a media type (or operation) naming the `data` that ends an event
/// stream; `false` or `null`: none does.
const SENTINEL_EXTENSION: &str = "x-stream-sentinel";

/// What a success response can be streamed as: kind, media type and item shape.
pub(super) struct Candidate {
    pub kind: StreamKind,
    pub media_type: String,
    pub item: Shape,
}

fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether `media_type` is a JSON-lines family type, one JSON value per line or record.
fn is_json_lines(media_type: &str) -> bool {
    matches!(
        essence(media_type).as_str(),
        "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-seq"
    )
}

impl OpContext<'_, '_> {
    /// The stream a success `response` offers: an event-stream or JSON-lines media type
    /// among its content, else its body when that is binary.
    pub(super) fn stream_candidate(
        &mut self,
        response: &SpecResponse,
        body: Option<&ResponseBody>,
        op_extensions: &indexmap::IndexMap<String, serde_json::Value>,
        ptr: &str,
    ) -> Option<Candidate> {
        for (media_type, media) in &response.content {
            let events = essence(media_type) == "text/event-stream";
            if !events && !is_json_lines(media_type) {
                continue;
            }
            let media_ptr = pointer(ptr, &["content", media_type]);
            let (schema, schema_ptr) = match media.extensions.get(ITEM_SCHEMA_EXTENSION) {
                Some(value) => (
                    serde_json::from_value::<ReferenceOr<Schema>>(value.clone()).ok(),
                    pointer(&media_ptr, &["itemSchema"]),
                ),
                None => (media.schema.clone(), pointer(&media_ptr, &["schema"])),
            };
            let hint = format!("{}StreamItem", self.prefix);
            let item = match &schema {
                Some(schema) => self.schemas.convert(schema, &schema_ptr, &hint).shape,
                // Events without a schema are text; lines are JSON of any shape.
                None if events => Shape::plain(Ty::String),
                None => Shape::plain(Ty::Json),
            };
            let kind = if events {
                let sentinel = media
                    .extensions
                    .get(SENTINEL_EXTENSION)
                    .or_else(|| op_extensions.get(SENTINEL_EXTENSION));
                StreamKind::Events {
                    sentinel: match sentinel {
                        Some(serde_json::Value::String(text)) => Some(text.clone()),
                        Some(serde_json::Value::Bool(false) | serde_json::Value::Null) => None,
                        _ => Some(DEFAULT_SENTINEL.to_owned()),
                    },
                }
            } else {
                StreamKind::JsonLines
            };
            return Some(Candidate {
                kind,
                media_type: essence(media_type),
                item,
            });
        }
        let body = body.filter(|body| body.encoding == ResponseEncoding::Raw)?;
        let (media_type, _) = response.content.first()?;
        Some(Candidate {
            kind: StreamKind::Bytes,
            media_type: essence(media_type),
            item: body.shape.clone(),
        })
    }
}

/// The sentinel of OpenAI's convention, which most streaming APIs follow: `data: [DONE]`.
/// Harmless where an API has none: `[DONE]` is no JSON value, so no real event is lost.
pub(crate) const DEFAULT_SENTINEL: &str = "[DONE]";

/// The request body's boolean `stream` field, when the body is one JSON object that has
/// it: a stream method sets it to true.
pub(super) fn request_flag(body: Option<&RequestBody>, schemas: &SchemaConverter) -> Option<StreamFlag> {
    let body = body?;
    if !body.alternatives.is_empty() || !matches!(body.encoding, BodyEncoding::Json) {
        return None;
    }
    let Ty::Named(id) = &body.shape.ty else {
        return None;
    };
    let TypeKind::Struct(def) = &schemas.types[id.0].kind else {
        return None;
    };
    let field = def
        .fields
        .iter()
        .find(|field| field.wire == "stream" && matches!(field.shape.ty, Ty::Bool))?;
    Some(StreamFlag {
        field: field.name.code().to_owned(),
        optional: field.optional(),
    })
}
