//! Presence rules (`anyOf`/`oneOf` of `required`-only alternatives, `not: {required}`):
//! the object is one struct, a request breaking a rule is refused before it is sent, and a
//! response breaking one still decodes (strict when sending, liberal when receiving).

use fixture_clients::presence::types::{FileSearch, ImageRef, UpdateGistRequest};
use fixture_clients::presence::Client;
use oapigen_runtime::Validate;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

fn broken(value: &impl Validate) -> Vec<String> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn any_of_needs_one_group_and_not_forbids_both() {
    let neither = ImageRef::new();
    assert_eq!(broken(&neither), ["needs `image_url` or `file_id` (anyOf)"]);
    assert!(broken(&ImageRef::new().with_file_id("file-1".into())).is_empty());
    assert!(broken(&ImageRef::new().with_image_url("https://x.test/a.png".into())).is_empty());
    let both = ImageRef::new()
        .with_file_id("file-1".into())
        .with_image_url("https://x.test/a.png".into());
    assert_eq!(
        broken(&both),
        ["must not have all of `image_url` and `file_id` together (not)"]
    );
}

#[test]
fn one_of_needs_exactly_one_group_also_when_nested() {
    let ids = FileSearch::new().with_vector_store_ids(vec!["vs_1".into()]);
    assert!(broken(&ids).is_empty());
    let both = ids.clone().with_vector_stores(Vec::new());
    assert_eq!(
        broken(&both),
        ["needs exactly one of `vector_store_ids` or `vector_stores`; 2 present (oneOf)"]
    );
}

#[tokio::test]
async fn a_request_breaking_a_rule_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/gists/g1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .update_gist("g1".into(), UpdateGistRequest::new())
        .send()
        .await
        .expect_err("neither description nor files");
    let text = err.to_string();
    assert!(
        text.contains("needs `description` or `files` (anyOf)"),
        "{text}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());

    let body = UpdateGistRequest::new().with_description("renamed".into());
    client
        .update_gist("g1".into(), body)
        .send()
        .await
        .expect("sent");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).expect("JSON");
    assert_eq!(sent, json!({"description": "renamed"}));

    // The rule of an object nested in the body too.
    let nested = client
        .create_assistant(
            fixture_clients::presence::types::CreateAssistantRequest::new("gpt".into())
                .with_file_search(FileSearch::new()),
        )
        .send()
        .await
        .expect_err("file_search has neither");
    assert!(nested.to_string().contains("file_search"), "{nested}");
}

#[tokio::test]
async fn a_response_breaking_a_rule_still_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/images/edits"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"image_url": "https://x.test/a.png", "file_id": "file-1"})),
        )
        .mount(&server)
        .await;
    let request = ImageRef::new().with_file_id("file-1".into());
    let response = client(&server)
        .edit_image(request)
        .send()
        .await
        .expect("a success");
    let image = response.body.expect("decoded");
    assert_eq!(image.file_id.as_deref(), Some("file-1"));
    assert_eq!(image.image_url.as_deref(), Some("https://x.test/a.png"));
}
