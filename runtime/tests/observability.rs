//! Secrets stay out of `Debug` output and traces; errors chain their causes.

mod common;

use common::*;
use oapigen_runtime::serde_json::json;
use oapigen_runtime::url::Url;
use oapigen_runtime::{ClientConfig, Credentials, Error, Secret};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "access-token-value-91c2";
const REFRESH: &str = "refresh-token-value-55d0";

fn assert_hidden(text: &str) {
    for secret in [CLIENT_SECRET, TOKEN, REFRESH, "hunter2"] {
        assert!(!text.contains(secret), "{secret} leaked in: {text}");
    }
}

#[test]
fn debug_of_config_and_credentials_shows_no_secret() {
    let mut config = ClientConfig::new(
        Url::parse("https://user:hunter2@api.example.com/v1").expect("url"),
        "tests",
    )
    .with_credentials(Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET))
    .with_token_url(Url::parse("https://api.amazon.com/auth/o2/token").expect("url"));
    let text = format!("{config:?}");
    assert_hidden(&text);
    assert!(
        text.contains(CLIENT_ID) && text.contains("redacted"),
        "{text}"
    );

    config.credentials = Credentials::refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH);
    assert_hidden(&format!("{config:?} {:#?}", config.credentials));
    assert_hidden(&format!("{:?}", Credentials::bearer(TOKEN)));
    assert_hidden(&format!("{:?}", Secret::new(TOKEN)));
    let transport = transport(config);
    assert_hidden(&format!("{transport:?} {transport:#?}"));
}

#[test]
fn debug_of_requests_redacts_secret_headers_and_bodies() {
    let mut request = get("/things");
    request.header("Authorization", &format!("Bearer {TOKEN}"));
    request.header("x-api-key", "hunter2");
    request.query("access_token", TOKEN);
    request.query("page", &2);
    request.form(&json!({"password": "hunter2"})).expect("form");
    let text = format!("{request:?}");
    assert_hidden(&text);
    assert!(text.contains("page") && text.contains("getThing"), "{text}");
}

#[tokio::test]
async fn error_display_is_one_line_and_source_chains() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{not json"))
        .mount(&server)
        .await;
    let raw = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    let decode = raw
        .json::<oapigen_runtime::serde_json::Value>()
        .expect_err("bad json");
    let error = Error::<()>::unexpected(raw, Some(decode));
    let text = error.to_string();
    // The operation first (this request gave no path template), then what went wrong.
    assert_eq!(text, "getThing (GET): response 200 did not match the spec");
    let source = std::error::Error::source(&error).expect("decode error is the source");
    assert!(
        source.to_string().contains("key must be a string"),
        "{source}"
    );
}

#[test]
fn errors_and_transport_are_send_sync_static() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error<String>>();
    assert_send_sync::<oapigen_runtime::SendFailure>();
    assert_send_sync::<oapigen_runtime::Transport>();
    assert_send_sync::<ClientConfig>();
}
