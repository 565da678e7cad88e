//! Generated multipart bodies and operations with several media types, against wiremock:
//! what the server reads of every part (names, file names, content types, bodies), the
//! checks that keep a bad body from being sent, and one client method per media type.

#[path = "../../common/form_data.rs"]
mod form_data;

use fixture_clients::uploads::{operations, types, Client};
use form_data::{boundary_of, parse, FormPart};
use oapigen_runtime::bytes::Bytes;
use oapigen_runtime::{ErrorKind, FilePart};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1, "one request");
    received.remove(0)
}

fn content_type(request: &Request) -> String {
    let values: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(values.len(), 1, "one Content-Type: {values:?}");
    values[0].to_str().expect("text").to_owned()
}

fn parts_of(request: &Request) -> Vec<FormPart> {
    let boundary =
        boundary_of(&content_type(request)).expect("multipart/form-data with a boundary");
    parse(&request.body, &boundary)
}

fn summary(parts: &[FormPart]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.content_type.as_deref(),
            )
        })
        .collect()
}

#[tokio::test]
async fn create_file_sends_the_file_text_and_json_parts_the_spec_describes() {
    let server = server_answering(200, json!({"id": "file-1"})).await;
    let file = FilePart::bytes(&b"{\"prompt\":\"hi\"}\n"[..])
        .file_name("train.jsonl")
        .header("X-Checksum", "abc");
    let metadata = [("team".to_owned(), "ml".to_owned())].into_iter().collect();
    let body =
        operations::CreateFileMultipart::new(file, types::CreateFileRequestPurpose::FineTune)
            .with_metadata(metadata);
    let response = client(&server)
        .create_file(body)
        .send()
        .await
        .expect("uploaded");
    let file = response.body.as_ref().expect("the documented body");
    assert_eq!(file.id, "file-1");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/files");
    let parts = parts_of(&request);
    assert_eq!(
        summary(&parts),
        [
            // `encoding.file.contentType` is the file's default content type.
            ("file", Some("train.jsonl"), Some("application/jsonl")),
            ("purpose", None, None),
            ("metadata", None, Some("application/json")),
        ],
        "an unset optional part (`expires_after`) is not sent"
    );
    assert_eq!(parts[0].text(), "{\"prompt\":\"hi\"}\n");
    assert_eq!(parts[0].header("x-checksum"), Some("abc"));
    assert_eq!(parts[1].text(), "fine-tune");
    assert_eq!(parts[2].text(), r#"{"team":"ml"}"#);
}

#[tokio::test]
async fn files_arrays_and_numbers_become_one_part_each() {
    let server = server_answering(200, json!({})).await;
    let images = vec![
        FilePart::bytes(Bytes::from_static(b"\x89PNG one"))
            .file_name("a.png")
            .content_type("image/png"),
        FilePart::stream(
            futures::stream::iter([
                Ok::<_, std::io::Error>(Bytes::from_static(b"\x89PNG ")),
                Ok(Bytes::from_static(b"two")),
            ]),
            Some(8),
        )
        .file_name("b.png"),
    ];
    let body = operations::EditImageMultipart::new(images, "add a hat".to_owned())
        .with_n(2)
        .with_size(types::EditImageSize::V512x512)
        .with_tags(vec!["hat".to_owned(), "cat".to_owned()]);
    client(&server).edit_image(body).send().await.expect("sent");
    let parts = parts_of(&only_request(&server).await);
    assert_eq!(
        summary(&parts),
        [
            ("image", Some("a.png"), Some("image/png")),
            ("image", Some("b.png"), Some("application/octet-stream")),
            ("prompt", None, None),
            ("n", None, None),
            ("size", None, None),
            ("tags", None, None),
            ("tags", None, None),
        ]
    );
    let texts: Vec<&str> = parts[2..].iter().map(FormPart::text).collect();
    assert_eq!(texts, ["add a hat", "2", "512x512", "hat", "cat"]);
    assert_eq!(parts[0].body, b"\x89PNG one");
    assert_eq!(parts[1].body, b"\x89PNG two");
}

#[tokio::test]
async fn parts_the_spec_does_not_describe_are_built_by_the_caller_and_sent_with_a_boundary() {
    let server = server_answering(201, json!({})).await;
    let mut form = oapigen_runtime::Multipart::new();
    form.json("body", &json!({"name": "bracket"}), None)
        .expect("a JSON part");
    form.file(
        "model",
        &FilePart::bytes("solid").file_name("bracket.step"),
        None,
    );
    let sent = client(&server)
        .create_project(form)
        .send()
        .await
        .expect("createProject");
    assert_eq!(sent.status, 201);
    let request = only_request(&server).await;
    let parts = parts_of(&request);
    assert_eq!(
        summary(&parts),
        vec![
            ("body", None, Some("application/json")),
            (
                "model",
                Some("bracket.step"),
                Some("application/octet-stream")
            ),
        ]
    );
    assert_eq!(parts[1].body, b"solid");
}

#[tokio::test]
async fn documented_constraints_on_parts_are_checked_before_sending() {
    let server = server_answering(200, json!({})).await;
    let body = operations::EditImageMultipart::new(vec![FilePart::bytes("img")], "x".repeat(1001))
        .with_n(11);
    let err = client(&server)
        .edit_image(body)
        .send()
        .await
        .expect_err("invalid");
    assert_eq!(err.kind(), ErrorKind::Validation);
    let text = err.to_string();
    assert!(text.contains("body.prompt"), "{text}");
    assert!(text.contains("body.n"), "{text}");
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn each_media_type_has_its_own_client_method() {
    let server = server_answering(201, json!({})).await;
    let client = client(&server);

    let json_body = types::CreateVideoRequest::new("a cat".to_owned()).with_seconds(4);
    client.create_video(json_body).send().await.expect("json");
    let multipart = operations::CreateVideoMultipart::new("a cat".to_owned()).with_input_reference(
        FilePart::bytes("frame")
            .file_name("ref.jpg")
            .content_type("image/jpeg"),
    );
    client
        .create_video_multipart(multipart)
        .send()
        .await
        .expect("multipart");
    client
        .create_video_csv("prompt\na cat\n".to_owned())
        .send()
        .await
        .expect("csv");

    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 3);
    assert_eq!(content_type(&received[0]), "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[0].body).expect("json"),
        json!({"prompt": "a cat", "seconds": 4})
    );
    let parts = parts_of(&received[1]);
    assert_eq!(
        summary(&parts),
        [
            ("prompt", None, None),
            ("input_reference", Some("ref.jpg"), Some("image/jpeg"))
        ]
    );
    assert_eq!(content_type(&received[2]), "text/csv");
    assert_eq!(received[2].body, b"prompt\na cat\n");

    // Each media type's own checks apply: `minLength: 1` on both bodies' `prompt`.
    let empty = operations::CreateVideoMultipart::new(String::new());
    let err = client
        .create_video_multipart(empty)
        .send()
        .await
        .expect_err("too short");
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("body.prompt"), "{err}");
}

#[tokio::test]
async fn an_optional_body_is_set_by_body_or_sent_by_another_media_types_method() {
    let server = server_answering(204, json!(null)).await;
    let client = client(&server);
    // The first media type the generator offers is the form; bytes have their own method.
    client
        .upload_photo("p1".to_owned())
        .body(types::UploadPhotoRequest::new().with_url("https://example.com/a.png".to_owned()))
        .send()
        .await
        .expect("form");
    client
        .upload_photo_bytes("p1".to_owned(), Bytes::from_static(b"\x89PNG"))
        .header("Content-Type", "image/png")
        .send()
        .await
        .expect("bytes");
    client
        .upload_photo("p1".to_owned())
        .send()
        .await
        .expect("no body");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        content_type(&received[0]),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(received[0].body, b"url=https%3A%2F%2Fexample.com%2Fa.png");
    // The caller's Content-Type replaced the documented `application/octet-stream`.
    assert_eq!(content_type(&received[1]), "image/png");
    assert_eq!(received[1].body, b"\x89PNG");
    assert!(received[2].headers.get("content-type").is_none());
    assert!(received[2].body.is_empty());
}
