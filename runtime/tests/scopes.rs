//! The OAuth scopes are the user's choice: `ClientConfig::scopes` replaces the ones the spec's
//! operations name on every token request; an empty choice sends no `scope` at all.

mod common;

use common::*;
use oapigen_runtime::serde_json::json;
use wiremock::matchers::{body_string, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer_api(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .and(header("authorization", format!("Bearer {token}")))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn chosen_scopes_replace_the_specs_on_every_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains(
            "scope=alexa%3A%3Aenterprise%3Amanagement",
        ))
        .respond_with(token_ok("tok-chosen", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    answer_api(&server, "tok-chosen").await;
    let config = oauth_config(&server).with_scopes(["alexa::enterprise:management"]);
    let transport = transport(config);
    // Two operations naming different scopes share the one token of the chosen scope.
    for request in [
        authed_get("/things"),
        get("/things").authenticated(&["profile"]),
    ] {
        assert_eq!(transport.execute(request).await.expect("call").status, 200);
    }
}

#[tokio::test]
async fn an_empty_choice_sends_no_scope() {
    let server = MockServer::start().await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={CLIENT_SECRET}",
        CLIENT_ID.replace(':', "%3A")
    );
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string(form))
        .respond_with(token_ok("tok-unscoped", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    answer_api(&server, "tok-unscoped").await;
    let transport = transport(oauth_config(&server).with_scopes(Vec::<String>::new()));
    for _ in 0..2 {
        let response = transport
            .execute(authed_get("/things"))
            .await
            .expect("call");
        assert_eq!(response.status, 200);
    }
}
