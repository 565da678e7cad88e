//! Strict when sending, liberal when receiving, on a client generated from the generator's
//! `receiving` fixture (by `build.rs`, in module mode) against wiremock: a missing or
//! surprising body on a success is a success whose `body` is `Err(BodyError)` with the raw
//! bytes kept (an object of the documented type missing a required field reads with that
//! field's zero value); a documented error status stays its typed variant whatever its body holds;
//! values outside a documented enum, one-value enums included, decode as `Unknown`; what the
//! user builds is still validated before it is sent.

// A whole generated client, of which this test calls a part.
#[allow(unused_imports, dead_code)]
mod receiving {
    include!(concat!(env!("OUT_DIR"), "/receiving/receiving.rs"));
}

use alexa_apis::runtime::futures::{StreamExt, TryStreamExt};
use alexa_apis::runtime::{Error, ErrorKind};
use receiving::operations::{BeginLoginError, GetMessageError, SendMessageError};
use receiving::types::{
    Attachment, DeliveryState, Message, MessageKind, Part, ProblemCode, TextPart,
};
use receiving::Client;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

fn message() -> Message {
    let part = TextPart::new(receiving::types::TextPartType::Text, "hello".into());
    Message::new(MessageKind::Chat, vec![Part::TextPart(part)])
}

async fn answer(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_empty_success_body_is_a_success_that_says_the_body_is_missing() {
    let server = MockServer::start().await;
    let accepted = ResponseTemplate::new(202).insert_header("Location", "/messages/receipts/r-7");
    answer(&server, "POST", "/messages", accepted).await;
    let sent = client(&server)
        .send_message(message())
        .send()
        .await
        .expect("an empty 202 is still a success");
    assert_eq!(sent.status, 202);
    assert_eq!(
        sent.receipt_id(),
        Some("r-7"),
        "the id in the last segment of Location"
    );
    let missing = sent.body.expect_err("no body was sent");
    assert!(missing.is_empty());
    assert_eq!(missing.status(), 202);
    assert_eq!(missing.to_string(), "response 202 has no body");
}

#[tokio::test]
async fn a_success_body_of_another_shape_is_kept_raw_with_the_reason() {
    let server = MockServer::start().await;
    let surprise = json!({"receiptId": "r-1"});
    answer(
        &server,
        "POST",
        "/messages",
        ResponseTemplate::new(202).set_body_json(&surprise),
    )
    .await;
    let sent = client(&server)
        .send_message(message())
        .send()
        .await
        .expect("a 202 with a surprising body is still a success");
    let surprising = sent.body.expect_err("the body lacks the documented fields");
    assert!(!surprising.is_empty());
    let raw: serde_json::Value = serde_json::from_slice(surprising.raw()).expect("raw JSON kept");
    assert_eq!(raw, surprise);
    let reason = surprising.decode_error().expect("why").to_string();
    assert!(reason.contains("missing field `id`"), "{reason}");
}

#[tokio::test]
async fn a_success_body_missing_a_required_field_decodes_with_its_zero_value() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/messages",
        ResponseTemplate::new(202).set_body_json(json!({"id": "r-9"})),
    )
    .await;
    let sent = client(&server)
        .send_message(message())
        .send()
        .await
        .expect("a success");
    let receipt = sent.body.expect("`state` filled in, the rest kept");
    assert_eq!(receipt.id, "r-9");
    assert_eq!(receipt.state, DeliveryState::Unknown(String::new()));
}

#[tokio::test]
async fn the_variant_a_discriminator_names_is_read_liberally_and_corrected() {
    let server = MockServer::start().await;
    let parts = json!([{"type": "text", "text": "hi"}]);
    for (id, attachment) in [
        // A number as a numeric string, an object as JSON text.
        (
            "m-1",
            json!({"kind": "file", "name": "a.txt", "size": "12", "meta": "{}"}),
        ),
        // A required field missing.
        ("m-2", json!({"kind": "file", "name": "b.txt"})),
        ("m-3", json!({"kind": "sticker", "name": "c"})),
    ] {
        answer(
            &server,
            "GET",
            &format!("/messages/{id}"),
            ResponseTemplate::new(200).set_body_json(json!({
                "kind": "Chat", "parts": parts, "attachment": attachment,
            })),
        )
        .await;
    }
    let client = client(&server);
    let mut read = Vec::new();
    for id in ["m-1", "m-2", "m-3"] {
        let got = client
            .get_message(id.into())
            .send()
            .await
            .expect("a success");
        let message = got.body.expect("decodes").expect("a message");
        read.push(message.attachment.expect("attachment"));
    }
    let Attachment::File(first) = &read[0] else {
        panic!("the tag names the file variant: {:?}", read[0]);
    };
    assert_eq!((first.name.as_str(), first.size), ("a.txt", 12));
    assert_eq!(first.meta.as_ref().map(|meta| meta.len()), Some(0));
    let Attachment::File(second) = &read[1] else {
        panic!("the tag names the file variant: {:?}", read[1]);
    };
    assert_eq!((second.name.as_str(), second.size), ("b.txt", 0));
    assert_eq!(read[2], Attachment::Unknown, "an undocumented tag");
}

#[tokio::test]
async fn a_documented_redirect_is_the_operations_answer_not_followed() {
    let server = MockServer::start().await;
    let found = ResponseTemplate::new(302).insert_header("Location", "/login");
    answer(&server, "GET", "/login", found).await;
    let err = client(&server)
        .begin_login()
        .send()
        .await
        .expect_err("a 302 is no success");
    assert!(
        matches!(err.api_error(), Some(BeginLoginError::Status302)),
        "{err:?}"
    );
    let Error::Api(answer) = &err else {
        panic!("the documented 302: {err:?}");
    };
    assert_eq!(answer.headers["location"], "/login");
}

#[tokio::test]
async fn values_outside_documented_enums_decode_as_unknown() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/messages",
        ResponseTemplate::new(202).set_body_json(json!({"id": "r-1", "state": "delivered"})),
    )
    .await;
    answer(
        &server,
        "GET",
        "/messages/m-1",
        ResponseTemplate::new(200).set_body_json(json!({
            "kind": "Broadcast",
            "parts": [
                {"type": "text", "text": "hi"},
                {"type": "video", "src": "v.mp4"},
                {"media": {"type": "video", "src": "v.mp4"}},
                {"media": {"type": "audio", "src": "a.mp3"}},
            ],
        })),
    )
    .await;
    let client = client(&server);
    let receipt = client
        .send_message(message())
        .send()
        .await
        .expect("succeeds")
        .body
        .expect("decodes");
    assert_eq!(receipt.state, DeliveryState::Unknown("delivered".into()));
    let got = client
        .get_message("m-1".into())
        .send()
        .await
        .expect("succeeds")
        .body
        .expect("decodes")
        .expect("the 200 has a body");
    // A one-value enum outside a union keeps another value...
    assert_eq!(got.kind, MessageKind::Unknown("Broadcast".into()));
    // ...while the union's constants still choose its variants; a new one lands in `Other`.
    assert!(matches!(&got.parts[0], Part::TextPart(text) if text.text == "hi"));
    assert!(matches!(&got.parts[1], Part::Other(value) if value["type"] == "video"));
    // A constant deeper in a variant (`media.type`) tells it apart too.
    assert!(matches!(&got.parts[2], Part::MediaPart(part) if part.media.src == "v.mp4"));
    assert!(matches!(&got.parts[3], Part::Other(value) if value["media"]["type"] == "audio"));
}

#[tokio::test]
async fn a_success_without_a_documented_body_is_none() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/messages/m-2", ResponseTemplate::new(204)).await;
    let got = client(&server)
        .get_message("m-2".into())
        .send()
        .await
        .expect("a 204 succeeds");
    assert_eq!(got.status, 204);
    assert!(matches!(got.body, Ok(None)));
}

#[tokio::test]
async fn an_error_code_outside_a_one_value_enum_is_still_the_typed_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/messages",
        ResponseTemplate::new(400)
            .set_body_json(json!({"code": "RATE_LIMITED", "message": "slow down"})),
    )
    .await;
    let err = client(&server)
        .send_message(message())
        .send()
        .await
        .expect_err("a 400 is an error");
    assert_eq!(err.kind(), ErrorKind::Api);
    let Some(SendMessageError::BadRequest(Ok(problem))) = err.api_error() else {
        panic!("expected the typed 400 with its body: {err:?}");
    };
    assert_eq!(problem.code, ProblemCode::Unknown("RATE_LIMITED".into()));
    assert_eq!(problem.message, "slow down");
}

#[tokio::test]
async fn an_error_body_that_does_not_decode_keeps_the_status_variant_and_raw_body() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/messages/m-3",
        ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"),
    )
    .await;
    let err = client(&server)
        .get_message("m-3".into())
        .send()
        .await
        .expect_err("a 404 is an error");
    assert_eq!(err.status(), Some(404));
    let Some(GetMessageError::NotFound(Err(body))) = err.api_error() else {
        panic!("expected the typed 404 with an undecodable body: {err:?}");
    };
    assert_eq!(body.raw_text(), "<html>Not Found</html>");
    assert!(body.decode_error().is_some());
}

#[tokio::test]
async fn a_page_that_does_not_decode_is_a_page_but_ends_the_item_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/messages"))
        .and(query_param_is_missing("nextToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messages": [{"kind": "Chat", "parts": [{"type": "text", "text": "one"}]}],
            "nextToken": "p2",
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/messages"))
        .and(query_param("nextToken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_messages()
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(
        pages.len(),
        2,
        "the undecodable page is a success and ends paging"
    );
    assert!(pages[0].body.is_ok());
    assert_eq!(
        pages[1].body.as_ref().expect_err("not json").raw_text(),
        "not json"
    );
    let items: Vec<_> = client.list_messages().into_stream().collect().await;
    assert_eq!(items.len(), 2, "one message, then the error");
    assert!(items[0].is_ok());
    let err = items[1]
        .as_ref()
        .expect_err("the second page has no items to yield");
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn what_the_user_builds_is_still_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    // An `Unknown` enum value passes (a server's value can be sent back unchanged, see
    // tests/enums.rs); a documented constraint it breaks does not.
    let no_parts = Message::new(MessageKind::Chat, Vec::new());
    for (body, field) in [(no_parts, "body.parts")] {
        let err = client.send_message(body).send().await.expect_err("refused");
        let Error::Validation(errors) = &err else {
            panic!("expected a validation error: {err:?}");
        };
        assert!(err.to_string().contains(field), "{err}");
        assert_eq!(errors.errors().len(), 1, "{err}");
    }
}

#[tokio::test]
async fn errors_name_the_operation_method_and_path_template_never_the_values() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/messages/secret-id-7",
        ResponseTemplate::new(418),
    )
    .await;
    let err = client(&server)
        .get_message("secret-id-7".into())
        .send()
        .await
        .expect_err("an undocumented status");
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    let operation = err.operation().expect("the operation is named");
    assert_eq!(operation.id(), "getMessage");
    assert_eq!(operation.method().as_str(), "GET");
    assert_eq!(operation.path(), "/messages/{id}");
    let text = err.to_string();
    assert!(
        text.starts_with("getMessage (GET /messages/{id}): undocumented response status 418"),
        "{text}"
    );
    assert!(!text.contains("secret-id-7"), "{text}");

    // No server at all: the transport's failure names it too.
    let closed = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client builds");
    let err = closed
        .get_message("m".into())
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .expect_err("nothing listens on port 9");
    assert!(
        matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{err}"
    );
    assert_eq!(err.operation().map(|o| o.id()), Some("getMessage"));
    assert!(
        err.to_string()
            .starts_with("getMessage (GET /messages/{id}): "),
        "{err}"
    );
}

#[test]
fn a_union_told_apart_by_a_one_value_number_takes_the_variant_it_names() {
    use receiving::types::CommandOption;
    let channel: CommandOption = serde_json::from_value(json!({"type": 7, "value": "c"})).unwrap();
    assert!(
        matches!(channel, CommandOption::ChannelOption(_)),
        "{channel:?}"
    );
    let text: CommandOption = serde_json::from_value(json!({"type": 3, "value": "t"})).unwrap();
    assert!(matches!(text, CommandOption::TextOption(_)), "{text:?}");
    // Its type narrowed beside an `allOf` naming the type of every option.
    let file: CommandOption = serde_json::from_value(json!({"type": 11, "value": "f"})).unwrap();
    assert!(
        matches!(file, CommandOption::AttachmentOption(_)),
        "{file:?}"
    );
    // A number no variant names is kept, not forced into the first variant.
    let other: CommandOption = serde_json::from_value(json!({"type": 9, "value": "x"})).unwrap();
    assert!(matches!(other, CommandOption::Other(_)), "{other:?}");
}
