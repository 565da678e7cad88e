//! `multipart/form-data` bodies on the wire: part names, file names, content types and
//! bodies as a server parses them, the boundary set by the transport, streamed files, and a
//! caller's `Content-Type` replacing the body's own.

mod common;
#[path = "../../tests/common/form_data.rs"]
mod form_data;

use common::{config, ms, transport};
use form_data::{boundary_of, parse};
use oapigen_runtime::bytes::Bytes;
use oapigen_runtime::reqwest::Method;
use oapigen_runtime::{ApiRequest, ErrorKind, FilePart, Multipart, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1, "one request");
    received.remove(0)
}

fn content_types(request: &Request) -> Vec<String> {
    request
        .headers
        .get_all("content-type")
        .iter()
        .map(|value| value.to_str().expect("text").to_owned())
        .collect()
}

#[tokio::test]
async fn parts_arrive_with_names_file_names_and_content_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let mut form = Multipart::new();
    form.text("purpose", "fine-tune");
    form.text("n", 2_i64);
    form.value("sdp", "v=0", Some("application/sdp"))
        .expect("text");
    form.json("metadata", &json!({"k": "v"}), None)
        .expect("json");
    form.file(
        "file",
        &FilePart::bytes(&b"\x00\x01binary\xff"[..])
            .file_name("data.bin")
            .header("x-part-id", "7"),
        Some("image/png"),
    );
    form.file(
        "image[]",
        &FilePart::bytes("a").content_type("text/csv"),
        None,
    );
    form.file("image[]", &FilePart::bytes("b"), None);
    let mut request = ApiRequest::new(Method::POST, "/files".into(), "createFile");
    request.multipart(form);
    let response = transport(config(&server))
        .execute(request)
        .await
        .expect("sent");
    assert_eq!(response.status, 200);

    let received = only_request(&server).await;
    let types = content_types(&received);
    assert_eq!(types.len(), 1, "{types:?}");
    let boundary = boundary_of(&types[0]).expect("a boundary");
    let parts = parse(&received.body, &boundary);
    let summary: Vec<(&str, Option<&str>, Option<&str>)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.content_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("purpose", None, None),
            ("n", None, None),
            ("sdp", None, Some("application/sdp")),
            ("metadata", None, Some("application/json")),
            ("file", Some("data.bin"), Some("image/png")),
            ("image[]", Some("image[]"), Some("text/csv")),
            ("image[]", Some("image[]"), Some("application/octet-stream")),
        ]
    );
    assert_eq!(parts[0].body, b"fine-tune");
    assert_eq!(parts[1].body, b"2");
    assert_eq!(parts[3].body, br#"{"k":"v"}"#);
    assert_eq!(parts[4].body, b"\x00\x01binary\xff");
    assert_eq!(parts[4].header("x-part-id"), Some("7"));
}

#[tokio::test]
async fn a_streamed_file_is_sent_in_chunks_and_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let chunks: Vec<Result<Bytes, std::io::Error>> = (0..64)
        .map(|i| Ok(Bytes::from(vec![b'a' + (i % 26) as u8; 1024])))
        .collect();
    let mut form = Multipart::new();
    form.file(
        "upload",
        &FilePart::stream(futures::stream::iter(chunks), Some(64 * 1024)).file_name("big.txt"),
        None,
    );
    let mut request = ApiRequest::new(Method::PUT, "/blobs/1".into(), "putBlob");
    request.multipart(form);
    let retrying = config(&server).with_retry(RetryPolicy::default().with_backoff(ms(5), ms(10)));
    let response = transport(retrying.clone())
        .execute(request)
        .await
        .expect("answered");
    assert_eq!((response.status, response.attempts), (503, 1));
    let received = only_request(&server).await;
    let boundary = boundary_of(&content_types(&received)[0]).expect("boundary");
    let parts = parse(&received.body, &boundary);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].body.len(), 64 * 1024);
    assert_eq!(parts[0].body[1024], b'b');

    // The same form held in memory is retried: it can be sent again.
    let mut form = Multipart::new();
    form.file("upload", &FilePart::bytes("small"), None);
    let mut request = ApiRequest::new(Method::PUT, "/blobs/2".into(), "putBlob");
    request.multipart(form);
    let response = transport(retrying)
        .execute(request)
        .await
        .expect("answered");
    assert_eq!(response.attempts, 3);
}

#[tokio::test]
async fn a_stream_already_sent_is_a_validation_error_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let file = FilePart::stream(
        futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"x"))]),
        None,
    );
    let transport = transport(config(&server));
    for expected_ok in [true, false] {
        let mut form = Multipart::new();
        form.file("f", &file, None);
        let mut request = ApiRequest::new(Method::POST, "/up".into(), "upload");
        request.multipart(form);
        let outcome = transport.execute(request).await;
        if expected_ok {
            assert!(outcome.is_ok());
        } else {
            let failure = outcome.expect_err("stream consumed");
            assert_eq!(failure.kind(), ErrorKind::Encode);
            assert!(failure.to_string().contains("already sent"), "{failure}");
        }
    }
}

#[tokio::test]
async fn a_callers_content_type_replaces_the_bodys_own() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut request = ApiRequest::new(Method::PATCH, "/things/1".into(), "patchThing");
    request.json(&json!({"name": "x"})).expect("json");
    request.header("Content-Type", "application/merge-patch+json");
    transport(config(&server))
        .execute(request)
        .await
        .expect("sent");
    let received = only_request(&server).await;
    assert_eq!(content_types(&received), ["application/merge-patch+json"]);
    assert_eq!(received.body, br#"{"name":"x"}"#);
}
