//! Response bodies consumed as they arrive: bytes ([`ByteStream`]), server-sent events
//! ([`EventStream`]) and JSON lines ([`JsonLines`]), each a [`Stream`] whose items are
//! `Result<_, Error<E>>` with the operation's own error type.
//!
//! Nothing is buffered beyond the item being read: a byte stream holds one chunk, an event
//! or JSON-lines stream one unfinished event or line, at most
//! [`ClientConfig::max_response_bytes`](crate::ClientConfig::max_response_bytes) of it.
//!
//! Two timeouts guard a stream once its headers arrived (the attempt timeout covers the
//! wait for them): [`StreamTimeouts::first_byte`] until the first chunk of the body, and
//! [`StreamTimeouts::idle`] between chunks. Either yields an [`Error::Timeout`] item whose
//! source is a [`StreamTimeout`] saying which, and ends the stream. A connection dropped
//! mid-body is an [`Error::Transport`] item; an event or line that does not decode is an
//! [`Error::UnexpectedResponse`] item carrying its raw text, and the stream goes on.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, Stream, StreamExt as _};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, Operation, TransportFailure, UnexpectedResponse};
use crate::request::{RawResponse, DEFAULT_REQUEST_ID_HEADERS};
use crate::sse::{Parser, RawEvent};

/// The timeouts of a streamed body, after its headers arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamTimeouts {
    /// From the headers to the first chunk of the body (default 60 s: a model may think
    /// before its first token).
    pub first_byte: Duration,
    /// Between two chunks (default 60 s).
    pub idle: Duration,
}

impl Default for StreamTimeouts {
    fn default() -> Self {
        Self {
            first_byte: Duration::from_secs(60),
            idle: Duration::from_secs(60),
        }
    }
}

/// Which stream timeout fired: the source of an [`Error::Timeout`] item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamTimeout {
    /// No byte of the body came within [`StreamTimeouts::first_byte`].
    FirstByte(Duration),
    /// No byte came within [`StreamTimeouts::idle`] of the previous one.
    Idle(Duration),
}

impl fmt::Display for StreamTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamTimeout::FirstByte(after) => {
                write!(f, "no byte of the response body within {after:?}")
            }
            StreamTimeout::Idle(after) => {
                write!(f, "the response stream was idle for {after:?}")
            }
        }
    }
}

impl std::error::Error for StreamTimeout {}

/// A success response whose body has not been read yet.
pub struct StreamedResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// How many attempts the call took.
    pub attempts: u32,
    pub(crate) response: reqwest::Response,
    pub(crate) timeouts: StreamTimeouts,
    /// The largest event or line held (the client's `max_response_bytes`).
    pub(crate) max_item: u64,
    /// The operation the call was for, named by every item error.
    pub(crate) operation: Option<Operation>,
}

impl fmt::Debug for StreamedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamedResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("attempts", &self.attempts)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// What [`Transport::execute_streaming`](crate::Transport::execute_streaming) got: a 2xx
/// response to stream, or any other status read in full, for the operation's decoding.
#[derive(Debug)]
pub enum Streamed {
    /// A 2xx response, its body unread.
    Body(StreamedResponse),
    /// Another status, read like any response.
    Full(RawResponse),
}

impl Streamed {
    /// The streamed response, or the error the operation's `decode` makes of a response
    /// that was not streamed (documented error statuses become `Error::Api`).
    pub fn or_error<R, E>(
        self,
        decode: impl FnOnce(RawResponse) -> Result<R, Error<E>>,
    ) -> Result<StreamedResponse, Error<E>> {
        match self {
            Streamed::Body(response) => Ok(response),
            Streamed::Full(response) => Err(match decode(response.clone()) {
                Err(err) => err,
                // Only a 2xx is streamed, and a 2xx is all `decode` accepts.
                Ok(_) => Error::unexpected(response, None),
            }),
        }
    }
}

/// Why the body stopped.
enum Failure {
    Timeout(StreamTimeout),
    Read(reqwest::Error),
    TooLarge(u64),
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Failure>> + Send>>;

/// What an item error needs of the response.
struct Meta {
    status: u16,
    headers: HeaderMap,
    attempts: u32,
    max_item: u64,
    operation: Option<Operation>,
}

impl Meta {
    fn fail<E>(&self, failure: Failure) -> Error<E> {
        let mut err = match failure {
            Failure::Timeout(timeout) => Error::Timeout(TransportFailure::new(
                timeout.to_string(),
                self.attempts,
                Some(Box::new(timeout)),
            )),
            Failure::Read(err) => Error::Transport(TransportFailure::new(
                "the response body broke off",
                self.attempts,
                Some(Box::new(err.without_url())),
            )),
            Failure::TooLarge(limit) => Error::Transport(TransportFailure::new(
                format!(
                    "an event or line of the stream is larger than the limit of {limit} bytes (ClientConfig::max_response_bytes)"
                ),
                self.attempts,
                None,
            )),
        };
        if let Error::Timeout(failure) | Error::Transport(failure) = &mut err {
            failure.operation.clone_from(&self.operation);
        }
        err
    }

    /// The item error of an event or line that did not decode, with its raw text.
    fn undecodable<E>(&self, raw: Bytes, err: serde_json::Error) -> Error<E> {
        let request_id = DEFAULT_REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.headers.get(*name)?.to_str().ok())
            .map(str::to_owned);
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            status: self.status,
            headers: self.headers.clone(),
            request_id,
            body: raw,
            attempts: self.attempts,
            decode_error: Some(err),
            operation: self.operation.clone(),
        }))
    }
}

fn split(response: StreamedResponse) -> (Meta, Chunks) {
    let StreamedResponse {
        status,
        headers,
        attempts,
        response,
        timeouts,
        max_item,
        operation,
    } = response;
    let chunks = stream::unfold(Some((response, true)), move |state| async move {
        let (mut response, first) = state?;
        let (limit, timeout) = if first {
            (
                timeouts.first_byte,
                StreamTimeout::FirstByte(timeouts.first_byte),
            )
        } else {
            (timeouts.idle, StreamTimeout::Idle(timeouts.idle))
        };
        match tokio::time::timeout(limit, response.chunk()).await {
            Err(_) => Some((Err(Failure::Timeout(timeout)), None)),
            Ok(Err(err)) => Some((Err(Failure::Read(err)), None)),
            Ok(Ok(None)) => None,
            Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some((response, false)))),
        }
    });
    let meta = Meta {
        status,
        headers,
        attempts,
        max_item,
        operation,
    };
    (meta, Box::pin(chunks))
}

/// A body as a stream of byte chunks, as they arrive (nothing buffered).
pub struct ByteStream<E> {
    meta: Meta,
    chunks: Chunks,
    _error: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    /// Streams `response`'s body.
    pub fn new(response: StreamedResponse) -> Self {
        let (meta, chunks) = split(response);
        Self {
            meta,
            chunks,
            _error: PhantomData,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.meta.status)
            .finish_non_exhaustive()
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.chunks
            .poll_next_unpin(cx)
            .map(|item| item.map(|chunk| chunk.map_err(|failure| this.meta.fail(failure))))
    }
}

/// One server-sent event with its `data` decoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event` field (`None`: the default type, `message`).
    pub event: Option<String>,
    /// The `data`, decoded as the spec's schema.
    pub data: T,
    /// The last event id the stream set, this event's or an earlier one's.
    pub id: Option<String>,
    /// The reconnection time this event asked for (`retry`).
    pub retry: Option<Duration>,
}

/// Decodes an event's `data` as JSON (the schema of a `text/event-stream` response).
pub fn json_data<T: DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    crate::relaxed::from_slice(data.as_bytes())
}

/// Keeps an event's `data` as text (a `type: string` schema, or none).
pub fn text_data(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_owned())
}

/// A `text/event-stream` body as a stream of [`Event`]s.
///
/// Comments and events without `data` yield nothing; an event whose `data` is the sentinel
/// ([`DEFAULT_SENTINEL`](crate::sse::DEFAULT_SENTINEL), `[DONE]`, unless the spec or
/// [`sentinel`](Self::sentinel) says otherwise) ends the stream.
pub struct EventStream<T, E> {
    meta: Meta,
    chunks: Chunks,
    parser: Parser,
    ready: VecDeque<RawEvent>,
    decode: fn(&str) -> Result<T, serde_json::Error>,
    sentinel: Option<String>,
    done: bool,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> EventStream<T, E> {
    /// Streams `response`'s events, decoding each `data` with `decode`
    /// ([`json_data`] or [`text_data`]).
    pub fn new(
        response: StreamedResponse,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Self {
        let (meta, chunks) = split(response);
        Self {
            meta,
            chunks,
            parser: Parser::default(),
            ready: VecDeque::new(),
            decode,
            sentinel: Some(crate::sse::DEFAULT_SENTINEL.to_owned()),
            done: false,
            _error: PhantomData,
        }
    }

    /// Sets the `data` that ends the stream (`None`: none does, the stream ends with the
    /// body).
    pub fn sentinel(mut self, sentinel: Option<&str>) -> Self {
        self.sentinel = sentinel.map(str::to_owned);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The last event id the stream set (for `Last-Event-ID` when resuming).
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_event_id()
    }

    fn item(&mut self, raw: RawEvent) -> Option<Result<Event<T>, Error<E>>> {
        if self.sentinel.as_deref() == Some(raw.data.trim()) {
            self.done = true;
            self.ready.clear();
            return None;
        }
        Some(match (self.decode)(&raw.data) {
            Ok(data) => Ok(Event {
                event: raw.event,
                data,
                id: raw.id,
                retry: raw.retry,
            }),
            Err(err) => Err(self.meta.undecodable(Bytes::from(raw.data), err)),
        })
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.meta.status)
            .field("sentinel", &self.sentinel)
            .finish_non_exhaustive()
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(raw) = this.ready.pop_front() {
                return Poll::Ready(this.item(raw));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let mut out = Vec::new();
            match futures::ready!(this.chunks.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => {
                    this.parser.feed(&chunk, &mut out);
                    if this.parser.buffered() as u64 > this.meta.max_item {
                        this.done = true;
                        let failure = Failure::TooLarge(this.meta.max_item);
                        return Poll::Ready(Some(Err(this.meta.fail(failure))));
                    }
                }
                Some(Err(failure)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(this.meta.fail(failure))));
                }
                None => {
                    this.parser.finish(&mut out);
                    this.done = true;
                }
            }
            this.ready.extend(out);
        }
    }
}

/// Newline-delimited JSON (`application/x-ndjson`, `application/jsonl`) or JSON text
/// sequences (`application/json-seq`, records after an RS byte) as a stream of items.
///
/// Blank lines are skipped; a line that does not decode is an item error with its text.
pub struct JsonLines<T, E> {
    meta: Meta,
    chunks: Chunks,
    buffer: Vec<u8>,
    /// How much of `buffer` holds no separator.
    scanned: usize,
    ended: bool,
    _item: PhantomData<fn() -> (T, E)>,
}

impl<T, E> JsonLines<T, E> {
    /// Streams `response`'s lines.
    pub fn new(response: StreamedResponse) -> Self {
        let (meta, chunks) = split(response);
        Self {
            meta,
            chunks,
            buffer: Vec::new(),
            scanned: 0,
            ended: false,
            _item: PhantomData,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    fn drop_buffer(&mut self) {
        self.buffer = Vec::new();
        self.scanned = 0;
    }

    /// The next whole record in the buffer (all of it once the body ended).
    fn next_record(&mut self) -> Option<Vec<u8>> {
        let separator = |b: &u8| *b == b'\n' || *b == 0x1e;
        match self.buffer[self.scanned..].iter().position(separator) {
            Some(at) => {
                let end = self.scanned + at;
                let record: Vec<u8> = self.buffer.drain(..=end).collect();
                self.scanned = 0;
                Some(record)
            }
            None if self.ended && !self.buffer.is_empty() => {
                self.scanned = 0;
                Some(std::mem::take(&mut self.buffer))
            }
            None => {
                self.scanned = self.buffer.len();
                None
            }
        }
    }
}

impl<T, E> fmt::Debug for JsonLines<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines")
            .field("status", &self.meta.status)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned, E> Stream for JsonLines<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            while let Some(record) = this.next_record() {
                let text = record.trim_ascii();
                let text = text.strip_prefix(&[0x1e]).unwrap_or(text).trim_ascii();
                if text.is_empty() {
                    continue;
                }
                return Poll::Ready(Some(
                    crate::relaxed::from_slice(text)
                        .map_err(|err| this.meta.undecodable(Bytes::copy_from_slice(text), err)),
                ));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            if this.scanned as u64 > this.meta.max_item {
                this.ended = true;
                this.drop_buffer();
                let failure = Failure::TooLarge(this.meta.max_item);
                return Poll::Ready(Some(Err(this.meta.fail(failure))));
            }
            match futures::ready!(this.chunks.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => this.buffer.extend_from_slice(&chunk),
                Some(Err(failure)) => {
                    // Every whole line was delivered; the broken last one cannot be.
                    this.ended = true;
                    this.drop_buffer();
                    return Poll::Ready(Some(Err(this.meta.fail(failure))));
                }
                None => this.ended = true,
            }
        }
    }
}
