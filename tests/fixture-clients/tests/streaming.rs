//! Generated stream methods end to end, against a loopback server sending delayed chunks:
//! OpenAI-style chat completions offered whole and as server-sent events (`stream: true`
//! set by the stream method), Ollama-style JSON lines, events typed by `itemSchema` with a
//! spec-named sentinel, plain-text events without one, and a byte download; documented
//! errors, dropped connections and the timeouts set on the client or per call.

#[path = "../../../runtime/tests/support/loopback.rs"]
mod loopback;

use std::time::Duration;

use fixture_clients::streaming::{operations, types, Client};
use futures::{StreamExt as _, TryStreamExt as _};
use loopback::{chunk, pause, serve, Script, Served, Step};
use oapigen_runtime::{Error, ErrorKind, StreamTimeout, StreamTimeouts};

fn client(served: &Served) -> Client {
    Client::builder()
        .base_url(served.url.clone())
        .retry(oapigen_runtime::RetryPolicy::disabled())
        .build()
        .expect("client builds")
}

/// The request's head (lower-cased) and body.
async fn request_of(served: &mut Served) -> (String, serde_json::Value) {
    let request = served.requests.recv().await.expect("a request");
    let (head, body) = request.split_once("\r\n\r\n").expect("a head");
    let body = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(body).expect("a JSON body")
    };
    (head.to_ascii_lowercase(), body)
}

fn chat_request() -> types::CreateChatCompletionRequest {
    types::CreateChatCompletionRequest::new("gpt-test".to_owned())
}

#[tokio::test]
async fn chat_completion_streams_events_split_across_chunks_and_characters() {
    let body = ": ping\n\ndata: {\"id\":\"c1\",\"delta\":\"Hé\"}\n\nid: 7\ndata: {\"id\":\"c1\",\"delta\":\"llo 🌍\"}\n\ndata: [DONE]\n\n";
    let inside_e = body.find('é').unwrap() + 1;
    let inside_globe = body.find('🌍').unwrap() + 3;
    let mut steps = Vec::new();
    let mut start = 0;
    for cut in [12, inside_e, inside_globe, body.len()] {
        steps.push(Step::Chunk(body.as_bytes()[start..cut].to_vec()));
        steps.push(pause(20));
        start = cut;
    }
    let mut served = serve(Script::ok("text/event-stream", steps)).await;
    let client = client(&served);
    let events: Vec<_> = client
        .create_chat_completion_stream(chat_request())
        .send()
        .await
        .expect("the stream opens")
        .try_collect()
        .await
        .expect("every event decodes");
    let text: String = events.iter().map(|e| e.data.delta.as_str()).collect();
    assert_eq!(text, "Héllo 🌍");
    assert_eq!(events[1].id.as_deref(), Some("7"));
    let (head, sent) = request_of(&mut served).await;
    assert!(head.contains("\r\naccept: text/event-stream"), "{head}");
    // Not also the JSON the plain call asks for: one `Accept`.
    assert_eq!(head.matches("\r\naccept:").count(), 1, "{head}");
    assert_eq!(
        sent,
        serde_json::json!({"model": "gpt-test", "stream": true})
    );
}

#[tokio::test]
async fn the_plain_call_still_decodes_the_whole_json_answer() {
    let steps = vec![
        chunk("{\"id\":\"c1\","),
        pause(10),
        chunk("\"text\":\"hi\"}"),
    ];
    let mut served = serve(Script::ok("application/json", steps)).await;
    let response = client(&served)
        .create_chat_completion(chat_request())
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(response.body.expect("decodes").text, "hi");
    let (_, sent) = request_of(&mut served).await;
    assert_eq!(sent, serde_json::json!({"model": "gpt-test"}));
}

#[tokio::test]
async fn a_documented_error_status_is_the_typed_error_not_a_stream() {
    let script = Script {
        status: 429,
        content_type: "application/json",
        steps: vec![chunk("{\"message\":\"slow down\"}")],
    };
    let served = serve(script).await;
    let err = client(&served)
        .create_chat_completion_stream(chat_request())
        .send()
        .await
        .expect_err("a 429 is an error");
    let Some(operations::CreateChatCompletionError::TooManyRequests(Ok(problem))) = err.api_error()
    else {
        panic!("{err:?}");
    };
    assert_eq!(problem.message.as_deref(), Some("slow down"));
}

#[tokio::test]
async fn an_undecodable_event_is_an_item_error_with_its_data_and_the_stream_goes_on() {
    let steps = vec![
        chunk("data: {\"id\":\"c1\",\"delta\":\"a\"}\n\n"),
        // Of another shape: none of the chunk's fields (one missing field would be filled).
        chunk("data: {\"kind\":\"ping\"}\n\n"),
        chunk("data: {\"id\":\"c1\",\"delta\":\"b\"}\n\ndata: [DONE]\n\n"),
    ];
    let served = serve(Script::ok("text/event-stream", steps)).await;
    let items: Vec<_> = client(&served)
        .create_chat_completion_stream(chat_request())
        .send()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    let Err(Error::UnexpectedResponse(bad)) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(&bad.body[..], b"{\"kind\":\"ping\"}");
    assert_eq!(items[2].as_ref().unwrap().data.delta, "b");
}

#[tokio::test]
async fn generate_streams_json_lines_split_mid_line() {
    let steps = vec![
        chunk("{\"response\":\"Hel"),
        pause(20),
        chunk("lo\",\"done\":false}\n{\"respon"),
        pause(20),
        chunk("se\":\"!\",\"done\":true}\n"),
    ];
    let served = serve(Script::ok("application/x-ndjson", steps)).await;
    let request = types::GenerateRequest::new("llama".to_owned(), "Say hello".to_owned());
    let chunks: Vec<types::GenerateChunk> = client(&served)
        .generate_stream(request)
        .send()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let text: String = chunks.iter().map(|c| c.response.as_str()).collect();
    assert_eq!(text, "Hello!");
    assert!(chunks[1].done);
}

#[tokio::test]
async fn item_schema_types_the_events_and_the_spec_sentinel_ends_them() {
    let steps = vec![
        chunk("retry: 3000\ndata: {\"percent\":50}\n\n"),
        chunk("data: {\"percent\":100}\n\ndata: end\n\ndata: {\"percent\":0}\n\n"),
    ];
    let mut served = serve(Script::ok("text/event-stream", steps)).await;
    let events: Vec<_> = client(&served)
        .watch_job_stream("job 1".to_owned())
        .verbose(true)
        .send()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let percents: Vec<i64> = events.iter().map(|e| e.data.percent).collect();
    assert_eq!(percents, [50, 100]);
    assert_eq!(events[0].retry, Some(Duration::from_secs(3)));
    let (head, _) = request_of(&mut served).await;
    assert!(
        head.starts_with("get /jobs/job%201/progress?verbose=true "),
        "{head}"
    );
}

#[tokio::test]
async fn text_events_without_a_sentinel_run_to_the_end() {
    let steps = vec![
        chunk("data: one\n\ndata: [DONE]\n\n"),
        chunk("data: two\n\n"),
    ];
    let served = serve(Script::ok("text/event-stream", steps)).await;
    let data: Vec<String> = client(&served)
        .listen_notices_stream()
        .send()
        .await
        .unwrap()
        .map_ok(|event| event.data)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(data, ["one", "[DONE]", "two"]);
}

#[tokio::test]
async fn a_download_streams_its_bytes_and_the_plain_call_buffers_them() {
    let steps = vec![chunk("part one, "), pause(20), chunk("part two")];
    let served = serve(Script::ok("application/octet-stream", steps)).await;
    let client = client(&served);
    let mut stream = client
        .download_file_stream("f1".to_owned())
        .send()
        .await
        .unwrap();
    let mut body = Vec::new();
    while let Some(chunk) = stream.try_next().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    assert_eq!(body, b"part one, part two");
    let whole = client.download_file("f1".to_owned()).send().await.unwrap();
    assert_eq!(&whole.body[..], b"part one, part two");
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_item() {
    let steps = vec![
        chunk("data: {\"id\":\"c1\",\"delta\":\"a\"}\n\n"),
        pause(10),
        chunk("data: {\"id\":\"c1\",\"del"),
        Step::Drop,
    ];
    let served = serve(Script::ok("text/event-stream", steps)).await;
    let items: Vec<_> = client(&served)
        .create_chat_completion_stream(chat_request())
        .send()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[1].as_ref().unwrap_err().kind(), ErrorKind::Transport);
}

fn stream_timeout<T: std::fmt::Debug, E: std::fmt::Debug>(
    item: &Result<T, Error<E>>,
) -> StreamTimeout {
    let Err(Error::Timeout(failure)) = item else {
        panic!("not a timeout: {item:?}");
    };
    *failure
        .source
        .as_deref()
        .and_then(|source| source.downcast_ref::<StreamTimeout>())
        .expect("a StreamTimeout source")
}

#[tokio::test]
async fn the_client_idle_timeout_ends_a_stalled_stream() {
    let steps = vec![
        chunk("data: {\"id\":\"c1\",\"delta\":\"a\"}\n\n"),
        pause(2000),
        chunk("data: [DONE]\n\n"),
    ];
    let served = serve(Script::ok("text/event-stream", steps)).await;
    let client = Client::builder()
        .base_url(served.url.clone())
        .stream_timeouts(StreamTimeouts {
            first_byte: Duration::from_secs(5),
            idle: Duration::from_millis(200),
        })
        .build()
        .unwrap();
    let items: Vec<_> = client
        .create_chat_completion_stream(chat_request())
        .send()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(
        stream_timeout(&items[1]),
        StreamTimeout::Idle(Duration::from_millis(200))
    );
}

#[tokio::test]
async fn a_per_call_first_byte_timeout_overrides_the_client() {
    let steps = vec![pause(2000), chunk("late")];
    let served = serve(Script::ok("application/octet-stream", steps)).await;
    let items: Vec<_> = client(&served)
        .download_file_stream("f1".to_owned())
        .first_byte_timeout(Duration::from_millis(150))
        .send()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        stream_timeout(&items[0]),
        StreamTimeout::FirstByte(Duration::from_millis(150))
    );
}
