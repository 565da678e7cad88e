//! A success response offered in several media types: the client asks for the one it
//! decodes (`Accept`), since a server (and Prism) answers with its first one otherwise;
//! with a single media type it sends no `Accept` of its own.

use fixture_clients::media_choice::Client;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn asks_for_the_media_type_it_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/session"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("token-1")))
        .mount(&server)
        .await;
    // Without the header the server answers as XML, which is not what the client decodes.
    Mock::given(method("GET"))
        .and(path("/session"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<token>token-1</token>", "application/xml"),
        )
        .mount(&server)
        .await;
    let response = client(&server).login().send().await.expect("a success");
    assert_eq!(response.body.expect("decoded"), "token-1");
}

#[tokio::test]
async fn sends_no_accept_of_its_own_without_a_choice() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"up": true})))
        .mount(&server)
        .await;
    client(&server).status().send().await.expect("a success");
    let received = server.received_requests().await.expect("recording on");
    let accepts: Vec<_> = received[0].headers.get_all("accept").iter().collect();
    assert!(
        accepts.iter().all(|value| *value != "application/json"),
        "{accepts:?}"
    );
}
