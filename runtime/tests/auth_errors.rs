//! Auth failures: token endpoint errors, https enforcement, missing or unreachable token URL.

mod common;

use std::time::Duration;

use common::*;
use oapigen_runtime::serde_json::json;
use oapigen_runtime::url::Url;
use oapigen_runtime::{AuthFailure, Credentials, Error, ErrorKind, SendFailure};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api(token: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .and(header("authorization", format!("Bearer {token}")))
}

fn auth_error(failure: SendFailure) -> AuthFailure {
    match Error::<()>::from(failure) {
        Error::Auth(failure) => failure,
        other => panic!("expected an auth error, got {other:?}"),
    }
}

#[tokio::test]
async fn token_endpoint_errors_become_auth_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed",
        })))
        .expect(1)
        .mount(&server)
        .await;
    api("any")
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let failure = transport(oauth_config(&server))
        .execute(authed_get("/things"))
        .await
        .expect_err("token refused");
    let error = Error::<()>::from(failure);
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.attempts(), 0);
    let text = error.to_string();
    assert!(text.contains("invalid_client") && text.contains("Client authentication failed"));
    let Error::Auth(failure) = error else {
        unreachable!()
    };
    assert_eq!(failure.error, "invalid_client");
    assert_eq!(
        failure.description.as_deref(),
        Some("Client authentication failed")
    );
}

#[tokio::test]
async fn token_endpoint_5xx_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_request()
        .respond_with(token_ok("tok", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let response = transport(oauth_config(&server))
        .execute(authed_get("/things"))
        .await;
    assert_eq!(response.expect("call").status, 200);
}

#[tokio::test]
async fn credentials_are_refused_over_plain_http_to_a_remote_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let mut config = oauth_config(&server);
    config.base_url = Url::parse("http://api.example.com/v1").expect("url");
    let failure = auth_error(
        transport(config)
            .execute(authed_get("/things"))
            .await
            .expect_err("refused"),
    );
    assert_eq!(failure.error, "insecure_transport");
    let text = failure.to_string();
    assert!(
        text.contains("API base URL http://api.example.com") && text.contains("https"),
        "{text}"
    );

    // Same for a static token, and with no network access attempted at all.
    let config = oapigen_runtime::ClientConfig::new(
        Url::parse("http://api.example.com/").expect("url"),
        "tests",
    )
    .with_credentials(Credentials::bearer("static-tok"));
    let failure = auth_error(
        transport(config)
            .execute(authed_get("/x"))
            .await
            .expect_err("refused"),
    );
    assert_eq!(failure.error, "insecure_transport");
}

#[tokio::test]
async fn a_plain_http_remote_token_url_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut config = oauth_config(&server);
    config.token_url = Some(Url::parse("http://auth.example.com/auth/o2/token").expect("url"));
    let failure = auth_error(
        transport(config)
            .execute(authed_get("/things"))
            .await
            .expect_err("refused"),
    );
    assert_eq!(failure.error, "insecure_transport");
    assert!(
        failure
            .to_string()
            .contains("token URL http://auth.example.com"),
        "{failure}"
    );
}

#[tokio::test]
async fn oauth_without_a_token_url_is_a_clear_auth_error() {
    let server = MockServer::start().await;
    let mut config = oauth_config(&server);
    config.token_url = None;
    let failure = auth_error(
        transport(config)
            .execute(authed_get("/things"))
            .await
            .expect_err("no url"),
    );
    assert_eq!(failure.error, "no_token_url");
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn unreachable_token_endpoint_is_an_auth_error_with_a_cause() {
    let server = MockServer::start().await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mut config = oauth_config(&server);
    config.token_url = Some(Url::parse(&format!("http://127.0.0.1:{closed}/token")).expect("url"));
    config.timeouts.attempt = Duration::from_secs(1);
    let failure = auth_error(
        transport(config)
            .execute(authed_get("/things"))
            .await
            .expect_err("down"),
    );
    assert_eq!(failure.error, "token_request_failed");
    assert!(std::error::Error::source(&failure).is_some());
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn concurrent_calls_share_one_failed_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_client"}))
                .set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    let calls = (0..10).map(|_| {
        let transport = transport.clone();
        tokio::spawn(async move { transport.execute(authed_get("/things")).await })
    });
    for result in oapigen_runtime::futures::future::join_all(calls).await {
        let failure = auth_error(result.expect("task").expect_err("refused"));
        assert_eq!(
            (failure.error.as_str(), failure.status),
            ("invalid_client", Some(400))
        );
    }
}
