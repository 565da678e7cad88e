//! `text/event-stream` (server-sent events), parsed incrementally as the WHATWG HTML
//! standard describes: lines end with CRLF, LF or CR; `:` starts a comment; a blank line
//! dispatches the event; `data` lines join with `\n`; `id` and `retry` are kept.
//!
//! Bytes are buffered until a line ends, and only whole lines are turned into text, so a
//! UTF-8 character split across two chunks arrives intact (line ends are ASCII and never
//! fall inside a character).
//!
//! ```
//! use oapigen_runtime::sse::Parser;
//!
//! let mut parser = Parser::default();
//! let mut events = Vec::new();
//! parser.feed(b": keep-alive\nevent: delta\ndata: {\"t\":\"h", &mut events);
//! parser.feed("é\"}\nid: 7\n\n".as_bytes(), &mut events);
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].event.as_deref(), Some("delta"));
//! assert_eq!(events[0].data, "{\"t\":\"hé\"}");
//! assert_eq!(events[0].id.as_deref(), Some("7"));
//! ```

use std::time::Duration;

/// The sentinel OpenAI and the APIs following its convention send as the last event's
/// data: `data: [DONE]`.
pub const DEFAULT_SENTINEL: &str = "[DONE]";

/// One dispatched event, its `data` still text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEvent {
    /// The `event` field (`None`: the default type, `message`).
    pub event: Option<String>,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The last event id seen so far in the stream (ids carry over to later events).
    pub id: Option<String>,
    /// A `retry` field of this event: the reconnection time the server asks for.
    pub retry: Option<Duration>,
}

/// An incremental event-stream parser: [`feed`](Parser::feed) it chunks as they arrive.
#[derive(Debug, Default)]
pub struct Parser {
    /// The bytes of the line not yet ended.
    line: Vec<u8>,
    /// The last chunk ended with CR: a LF starting the next one belongs to that line end.
    after_cr: bool,
    /// The byte-order mark, allowed once at the start, has been looked for.
    started: bool,
    data: String,
    has_data: bool,
    event: Option<String>,
    retry: Option<Duration>,
    last_id: Option<String>,
}

impl Parser {
    /// Parses `chunk`, appending every event it completes to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<RawEvent>) {
        if !self.started && !chunk.is_empty() {
            let bom = "\u{feff}".as_bytes();
            let seen = self.line.len() + chunk.len();
            if seen < bom.len() && bom.starts_with(&[&self.line[..], chunk].concat()) {
                // Too short to tell yet: keep it as part of the line.
                self.line.extend_from_slice(chunk);
                return;
            }
            self.started = true;
            if self.line.is_empty() {
                chunk = chunk.strip_prefix(bom).unwrap_or(chunk);
            } else {
                let joined = [&self.line[..], chunk].concat();
                self.line.clear();
                let rest = joined.strip_prefix(bom).unwrap_or(&joined);
                return self.feed_lines(rest, out);
            }
        }
        self.feed_lines(chunk, out);
    }

    fn feed_lines(&mut self, mut chunk: &[u8], out: &mut Vec<RawEvent>) {
        if self.after_cr {
            self.after_cr = false;
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            let line = if self.line.is_empty() {
                &chunk[..end]
            } else {
                self.line.extend_from_slice(&chunk[..end]);
                &self.line[..]
            };
            let text = String::from_utf8_lossy(line).into_owned();
            self.line.clear();
            self.process(&text, out);
            let cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(chunk);
    }

    /// The end of the stream: a last line without its line end is taken as complete, and an
    /// event without its closing blank line is dispatched (liberal when receiving: a server
    /// that closes right after its last `data` line still delivers it).
    pub fn finish(&mut self, out: &mut Vec<RawEvent>) {
        if !self.line.is_empty() {
            let text = String::from_utf8_lossy(&std::mem::take(&mut self.line)).into_owned();
            self.process(&text, out);
        }
        self.process("", out);
    }

    /// How many bytes of an unfinished line or event are held (to cap what a server can
    /// make the client buffer).
    pub fn buffered(&self) -> usize {
        self.line.len() + self.data.len()
    }

    /// The last event id the stream set (for a `Last-Event-ID` header when reconnecting).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    fn process(&mut self, line: &str, out: &mut Vec<RawEvent>) {
        if line.is_empty() {
            let retry = self.retry.take();
            let event = self.event.take();
            if !self.has_data {
                return;
            }
            self.has_data = false;
            let mut data = std::mem::take(&mut self.data);
            if data.ends_with('\n') {
                data.pop();
            }
            out.push(RawEvent {
                event,
                data,
                id: self.last_id.clone(),
                retry,
            });
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            // An id with NUL is ignored, as the standard says.
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            // Unknown fields are ignored.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut parser = Parser::default();
        let mut out = Vec::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        parser.finish(&mut out);
        out
    }

    fn data(events: &[RawEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn every_split_of_a_stream_gives_the_same_events() {
        let stream =
            "\u{feff}: comment\r\nevent: delta\r\ndata: {\"text\":\"¡hé 🦀\"}\r\nid: 1\r\n\r\n\
                      data: line one\rdata: line two\r\rretry: 2500\ndata:no space\n\n";
        let bytes = stream.as_bytes();
        let whole = parse_chunks(&[bytes]);
        assert_eq!(
            data(&whole),
            ["{\"text\":\"¡hé 🦀\"}", "line one\nline two", "no space"]
        );
        assert_eq!(whole[0].event.as_deref(), Some("delta"));
        assert_eq!(whole[0].id.as_deref(), Some("1"));
        // Ids carry over; the default event type is `None`.
        assert_eq!(whole[1].id.as_deref(), Some("1"));
        assert_eq!(whole[1].event, None);
        assert_eq!(whole[2].retry, Some(Duration::from_millis(2500)));
        for split in 0..=bytes.len() {
            assert_eq!(
                parse_chunks(&[&bytes[..split], &bytes[split..]]),
                whole,
                "split at {split}"
            );
        }
        // One byte at a time: every UTF-8 character and CRLF is split.
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(parse_chunks(&singles), whole);
    }

    #[test]
    fn comments_and_blocks_without_data_dispatch_nothing() {
        let events = parse_chunks(&[b": ping\n\n:\n\nevent: x\nid: 9\n\nretry: 10\n\n"]);
        assert!(events.is_empty());
        // The id of a block without data still sets the stream's last id.
        let mut parser = Parser::default();
        let mut out = Vec::new();
        parser.feed(b"id: 9\n\ndata: a\n\n", &mut out);
        assert_eq!(parser.last_event_id(), Some("9"));
        assert_eq!(out[0].id.as_deref(), Some("9"));
    }

    #[test]
    fn fields_follow_the_standard() {
        let events = parse_chunks(&[
            b"data\ndata:  two spaces\nretry: 12x\nid: a\0b\nunknown: field\nevent:\n\n",
        ]);
        assert_eq!(events.len(), 1);
        // `data` with no colon is an empty line of data; only one leading space goes.
        assert_eq!(events[0].data, "\n two spaces");
        assert_eq!(events[0].retry, None);
        assert_eq!(events[0].id, None);
        assert_eq!(events[0].event.as_deref(), Some(""));
    }

    #[test]
    fn the_end_of_the_stream_delivers_an_unterminated_event() {
        assert_eq!(data(&parse_chunks(&[b"data: last"])), ["last"]);
        assert_eq!(data(&parse_chunks(&[b"data: a\n"])), ["a"]);
        assert!(parse_chunks(&[b""]).is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let events = parse_chunks(&[b"data: \xff\xfe ok\n\n"]);
        assert_eq!(events[0].data, "\u{fffd}\u{fffd} ok");
    }

    #[test]
    fn a_byte_order_mark_split_across_chunks_is_dropped() {
        let bom = "\u{feff}".as_bytes();
        let events = parse_chunks(&[&bom[..1], &bom[1..2], &[bom[2], b'd'], b"ata: x\n\n"]);
        assert_eq!(data(&events), ["x"]);
    }
}
