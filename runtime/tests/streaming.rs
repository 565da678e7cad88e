//! Streamed bodies against a loopback server sending delayed chunks: events and lines split
//! across chunks (inside UTF-8 characters too), comments, ids and retries, the sentinel,
//! undecodable items, a dropped connection and both stream timeouts.

#[path = "support/loopback.rs"]
mod loopback;

use std::time::Duration;

use futures::StreamExt as _;
use loopback::{chunk, pause, serve, Script, Step};
use oapigen_runtime::stream::{self, Streamed, StreamedResponse};
use oapigen_runtime::{
    ApiRequest, ByteStream, Error, ErrorKind, EventStream, JsonLines, StreamTimeout,
    StreamTimeouts, Transport,
};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Delta {
    text: String,
}

async fn open(script: Script, timeouts: StreamTimeouts) -> StreamedResponse {
    let served = serve(script).await;
    let config = oapigen_runtime::ClientConfig::new(served.url.parse().unwrap(), "test")
        .with_stream_timeouts(timeouts);
    let transport = Transport::new(config).unwrap();
    let request = ApiRequest::new(reqwest::Method::GET, "/stream".into(), "stream");
    match transport.execute_streaming(request).await.unwrap() {
        Streamed::Body(body) => body,
        Streamed::Full(raw) => panic!("not streamed: {raw:?}"),
    }
}

fn quick() -> StreamTimeouts {
    StreamTimeouts {
        first_byte: Duration::from_secs(5),
        idle: Duration::from_secs(5),
    }
}

/// Splits `text` into chunks at the given byte offsets (which may fall inside characters).
fn split_at(text: &str, cuts: &[usize]) -> Vec<Step> {
    let bytes = text.as_bytes();
    let mut steps = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain([&bytes.len()]) {
        steps.push(Step::Chunk(bytes[start..cut].to_vec()));
        steps.push(pause(15));
        start = cut;
    }
    steps
}

#[tokio::test]
async fn events_split_across_chunks_lines_and_characters_arrive_whole() {
    let body = ": connected\n\nevent: delta\nid: 1\ndata: {\"text\":\"hé🦀\"}\n\nretry: 1500\r\nid: 2\r\ndata: {\"text\":\r\ndata: \"ok\"}\r\n\r\ndata: [DONE]\n\ndata: {\"text\":\"after the sentinel\"}\n\n";
    let e_acute = body.find('é').unwrap() + 1; // inside `é`
    let crab = body.find('🦀').unwrap() + 2; // inside the crab
    let crlf = body.find("\r\n").unwrap() + 1; // between CR and LF
    let line = body.find("data: {\"text\":\r").unwrap() + 7; // mid-line
    let steps = split_at(body, &[5, e_acute, crab, crlf, line]);
    let response = open(Script::ok("text/event-stream", steps), quick()).await;
    let events: Vec<_> = EventStream::<Delta, ()>::new(response, stream::json_data)
        .collect()
        .await;
    let events: Vec<_> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].event.as_deref(), Some("delta"));
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[0].data.text, "hé🦀");
    assert_eq!(events[1].data.text, "ok");
    assert_eq!(events[1].id.as_deref(), Some("2"));
    assert_eq!(events[1].retry, Some(Duration::from_millis(1500)));
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_item_error_and_the_stream_goes_on() {
    let steps = vec![
        chunk("data: {\"text\":\"one\"}\n\n"),
        chunk("data: not json\n\n"),
        chunk("data: {\"text\":\"two\"}\n\n"),
    ];
    let response = open(Script::ok("text/event-stream", steps), quick()).await;
    let items: Vec<_> = EventStream::<Delta, ()>::new(response, stream::json_data)
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    let Err(Error::UnexpectedResponse(bad)) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(&bad.body[..], b"not json");
    assert!(bad.decode_error.is_some());
    assert_eq!(items[2].as_ref().unwrap().data.text, "two");
}

#[tokio::test]
async fn without_a_sentinel_text_events_run_to_the_end_of_the_body() {
    let steps = vec![chunk("data: a\n\ndata: [DONE]\n\n"), chunk("data: b")];
    let response = open(Script::ok("text/event-stream", steps), quick()).await;
    let data: Vec<String> = EventStream::<String, ()>::new(response, stream::text_data)
        .sentinel(None)
        .map(|item| item.unwrap().data)
        .collect()
        .await;
    assert_eq!(data, ["a", "[DONE]", "b"]);
}

#[tokio::test]
async fn json_lines_split_mid_line_are_typed_items() {
    let body = "{\"text\":\"fïrst\"}\n\n{\"text\":\"second\"}\r\n{\"text\":\"third\"}";
    let mid = body.find('ï').unwrap() + 1;
    let steps = split_at(body, &[3, mid, 20]);
    let response = open(Script::ok("application/x-ndjson", steps), quick()).await;
    let items: Vec<Delta> = JsonLines::<Delta, ()>::new(response)
        .map(Result::unwrap)
        .collect()
        .await;
    let texts: Vec<&str> = items.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["fïrst", "second", "third"]);
}

#[tokio::test]
async fn json_text_sequences_are_split_on_the_record_separator() {
    let steps = vec![
        chunk("\u{1e}{\"text\":\"a\"}\n\u{1e}{\"te"),
        pause(10),
        chunk("xt\":\"b\"}\n\u{1e}[1]\n"),
    ];
    let response = open(Script::ok("application/json-seq", steps), quick()).await;
    let items: Vec<_> = JsonLines::<Delta, ()>::new(response).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().text, "b");
    let Err(Error::UnexpectedResponse(bad)) = &items[2] else {
        panic!("{:?}", items[2]);
    };
    assert_eq!(&bad.body[..], b"[1]");
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_a_transport_error_item() {
    let steps = vec![
        chunk("{\"text\":\"a\"}\n"),
        pause(10),
        chunk("{\"text\":\"cut"),
        Step::Drop,
    ];
    let response = open(Script::ok("application/x-ndjson", steps), quick()).await;
    let items: Vec<_> = JsonLines::<Delta, ()>::new(response).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().text, "a");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
}

fn timeout_of<T: std::fmt::Debug>(item: &Result<T, Error<()>>) -> StreamTimeout {
    let Err(Error::Timeout(failure)) = item else {
        panic!("not a timeout: {item:?}");
    };
    let source = failure.source.as_deref().expect("a source");
    *source
        .downcast_ref::<StreamTimeout>()
        .expect("a StreamTimeout")
}

#[tokio::test]
async fn a_pause_between_chunks_past_the_idle_timeout_ends_the_stream() {
    let timeouts = StreamTimeouts {
        first_byte: Duration::from_secs(5),
        idle: Duration::from_millis(150),
    };
    let steps = vec![
        chunk("data: {\"text\":\"a\"}\n\n"),
        pause(50),
        chunk("data: {\"text\":\"b\"}\n\n"),
        pause(2000),
        chunk("data: {\"text\":\"late\"}\n\n"),
    ];
    let response = open(Script::ok("text/event-stream", steps), timeouts).await;
    let items: Vec<_> = EventStream::<Delta, ()>::new(response, stream::json_data)
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[1].as_ref().unwrap().data.text, "b");
    assert_eq!(
        timeout_of(&items[2]),
        StreamTimeout::Idle(Duration::from_millis(150))
    );
}

#[tokio::test]
async fn a_body_that_never_starts_is_a_first_byte_timeout() {
    let timeouts = StreamTimeouts {
        first_byte: Duration::from_millis(150),
        idle: Duration::from_secs(5),
    };
    let steps = vec![pause(2000), chunk("late")];
    let response = open(Script::ok("application/octet-stream", steps), timeouts).await;
    let items: Vec<_> = ByteStream::<()>::new(response).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        timeout_of(&items[0]),
        StreamTimeout::FirstByte(Duration::from_millis(150))
    );
}

#[tokio::test]
async fn a_byte_stream_yields_the_body_as_it_arrives() {
    let steps = vec![chunk("first "), pause(20), chunk("second "), chunk("third")];
    let response = open(Script::ok("application/octet-stream", steps), quick()).await;
    let mut body = ByteStream::<()>::new(response);
    assert_eq!(body.status(), 200);
    let mut all = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = body.next().await {
        all.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(all, b"first second third");
    assert!(chunks >= 2, "{chunks} chunk(s)");
}

#[tokio::test]
async fn an_error_status_is_read_in_full_not_streamed() {
    let script = Script {
        status: 429,
        content_type: "application/json",
        steps: vec![chunk("{\"error\":"), chunk("\"slow down\"}")],
    };
    let mut served = serve(script).await;
    let config = oapigen_runtime::ClientConfig::new(served.url.parse().unwrap(), "test")
        .with_retry(oapigen_runtime::RetryPolicy::disabled());
    let transport = Transport::new(config).unwrap();
    let request = ApiRequest::new(reqwest::Method::GET, "/stream".into(), "stream");
    let Streamed::Full(raw) = transport.execute_streaming(request).await.unwrap() else {
        panic!("an error status was streamed");
    };
    assert!(served
        .requests
        .recv()
        .await
        .unwrap()
        .starts_with("GET /stream HTTP/1.1"));
    assert_eq!(raw.status, 429);
    assert_eq!(&raw.body[..], b"{\"error\":\"slow down\"}");
}
