//! Streamed success bodies in the IR: how an operation's `<op>_stream()` reads its body.

use crate::naming::RustIdent;
use serde::Serialize;

use super::*;

/// A success body offered as a stream by a client method of its own.
#[derive(Debug, Clone, Serialize)]
pub struct StreamBody {
    /// The client method (`create_chat_completion_stream`).
    pub method_name: RustIdent,
    /// The prefix of its builder's name (`CreateChatCompletionStream`).
    pub type_prefix: String,
    /// Its builder (`CreateChatCompletionStreamBuilder`), claimed beside the operations'
    /// items ([`crate::naming::OperationNames::stream_builder`]).
    #[serde(skip)]
    pub builder: String,
    /// The media type asked for in `Accept`.
    pub media_type: String,
    /// How the body is cut into items.
    pub kind: StreamKind,
    /// One item: an event's `data`, a line; `Bytes` for a byte stream.
    pub item: Shape,
    /// The request body's boolean field that asks for a stream (OpenAI's `stream`), set
    /// to true by the stream method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_flag: Option<StreamFlag>,
}

/// How a streamed body is cut into items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum StreamKind {
    /// `text/event-stream`; the `data` that ends the stream, if any.
    Events {
        /// `[DONE]` unless `x-stream-sentinel` says otherwise (`false`: none).
        sentinel: Option<String>,
    },
    /// `application/x-ndjson`, `application/jsonl`, `application/json-seq`.
    JsonLines,
    /// Any binary media type: byte chunks.
    Bytes,
}

/// A boolean request-body field that switches the response to a stream.
#[derive(Debug, Clone, Serialize)]
pub struct StreamFlag {
    /// The Rust field.
    pub field: String,
    /// The field is an `Option<bool>`.
    pub optional: bool,
}
