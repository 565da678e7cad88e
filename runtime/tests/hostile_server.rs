//! What a hostile (or compromised) server can make a client do: hold a huge body, follow a
//! redirect elsewhere with credentials or a token request's secret, resolve `..` in a path
//! parameter, or print secrets and whole bodies in errors. Loopback servers only.

mod common;

use common::*;
use oapigen_runtime::bytes::Bytes;
use oapigen_runtime::reqwest::header::HeaderMap;
use oapigen_runtime::serde_json::json;
use oapigen_runtime::{Credentials, Error, ErrorKind, RawResponse, SendFailure};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The whole error chain as text.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{err} / {err:?}");
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(" / {cause} / {cause:?}"));
        source = cause.source();
    }
    text
}

fn message_of(failure: &SendFailure) -> String {
    match failure.error() {
        Error::Transport(err) | Error::Timeout(err) => chain(err),
        Error::Auth(err) => chain(err),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn response_bodies_are_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/big"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 2000]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/fits"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 1000]))
        .mount(&server)
        .await;
    let transport = transport(config(&server).with_max_response_bytes(1000));
    let failure = transport
        .execute(get("/big"))
        .await
        .expect_err("read past the cap");
    assert_eq!(failure.kind(), ErrorKind::Transport);
    let text = message_of(&failure);
    assert!(
        text.contains("larger than the limit of 1000 bytes"),
        "{text}"
    );
    // Not retried: the same server would send the same body.
    assert!(text.contains("after 1 attempt(s)"), "{text}");
    let response = transport.execute(get("/fits")).await.expect("at the cap");
    assert_eq!(response.body.len(), 1000);
}

#[tokio::test]
async fn token_responses_are_capped() {
    let server = MockServer::start().await;
    let huge = "t".repeat(5000);
    token_request()
        .respond_with(token_ok(&huge, json!(3600)))
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server).with_max_response_bytes(1000));
    let failure = transport
        .execute(authed_get("/things"))
        .await
        .expect_err("huge token");
    assert_eq!(failure.kind(), ErrorKind::Auth);
    let text = message_of(&failure);
    assert!(
        text.contains("larger than the limit of 1000 bytes"),
        "{text}"
    );
}

/// `from` answers every request on `at` with a 307 to the same path on `to`.
async fn redirect(from: &MockServer, at: &str, to: &str) {
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(307).insert_header("location", to))
        .mount(from)
        .await;
}

#[tokio::test]
async fn redirects_to_another_host_are_refused_with_credentials_and_bodies() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/v1/moved"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    redirect(&api, "/v1/things", &format!("{}/v1/moved", elsewhere.uri())).await;
    let bearer = config(&api).with_credentials(Credentials::bearer("bearer-secret"));
    let mut request = authed_get("/things");
    request.query("api_key", "query-secret");
    let failure = transport(bearer)
        .execute(request)
        .await
        .expect_err("followed");
    let text = message_of(&failure);
    assert!(text.contains("redirect refused"), "{text}");
    assert!(
        !text.contains("query-secret"),
        "secret in the error: {text}"
    );
    assert!(elsewhere
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());

    // A token request (`client_secret` in its body, re-sent on 307) never leaves either.
    let token_host = MockServer::start().await;
    redirect(
        &token_host,
        TOKEN_PATH,
        &format!("{}{TOKEN_PATH}", elsewhere.uri()),
    )
    .await;
    let oauth = config(&api)
        .with_credentials(Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET))
        .with_token_url(url(&token_host, TOKEN_PATH));
    let failure = transport(oauth)
        .execute(authed_get("/things"))
        .await
        .expect_err("token");
    assert_eq!(failure.kind(), ErrorKind::Auth);
    assert!(!message_of(&failure).contains(CLIENT_SECRET));
    assert!(elsewhere
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn same_origin_redirects_are_followed_without_a_referer() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/new"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    redirect(&api, "/v1/old", &format!("{}/v1/new", api.uri())).await;
    let mut request = get("/old");
    request.query("api_key", "query-secret");
    let response = transport(config(&api))
        .execute(request)
        .await
        .expect("followed");
    assert_eq!(response.status, 200);
    let received = api.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 2);
    assert!(
        received[1].headers.get("referer").is_none(),
        "{:?}",
        received[1].headers
    );
}

#[tokio::test]
async fn a_redirect_the_operation_documents_is_its_response_not_followed() {
    let api = MockServer::start().await;
    // A login that answers `302 Found` pointing at itself: followed, it would loop.
    Mock::given(path("/v1/login"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/v1/login"))
        .mount(&api)
        .await;
    let transport = transport(config(&api));
    let request = get("/login").keep_redirects(&[302]);
    let response = transport.execute(request).await.expect("the 302 itself");
    assert_eq!(response.status, 302);
    assert_eq!(
        response
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/v1/login")
    );
    assert_eq!(api.received_requests().await.unwrap_or_default().len(), 1);
    // Undocumented, the same redirect is followed (and the loop is cut).
    let failure = transport.execute(get("/login")).await.expect_err("a loop");
    assert!(
        message_of(&failure).contains("more than"),
        "{}",
        message_of(&failure)
    );
}

#[tokio::test]
async fn dot_segments_from_path_parameters_are_refused_not_resolved() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/delete"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let transport = transport(config(&server));
    let encoded = ["..", "."].map(oapigen_runtime::encode_path_segment);
    // URLs resolve the percent-encoded spellings too.
    for segment in encoded
        .iter()
        .map(String::as_str)
        .chain(["%2E%2E", ".%2e", "%2e"])
    {
        let request = get(&format!("/users/{segment}/delete"));
        let failure = transport
            .execute(request)
            .await
            .expect_err("sent a dot segment");
        assert_eq!(failure.kind(), ErrorKind::Validation, "{segment}");
        // Refused by the transport, named like its other errors.
        let operation = failure.error().operation().map(|o| o.id());
        assert_eq!(operation, Some("getThing"), "{segment}");
    }
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
    // `..` inside a longer value, or a value spelling `%2E%2E` (encoded to `%252E%252E`),
    // is an ordinary segment.
    for value in ["a..b", "%2E%2E"] {
        let request = get(&format!(
            "/users/{}/x",
            oapigen_runtime::encode_path_segment(value)
        ));
        assert_eq!(transport.execute(request).await.expect("sent").status, 404);
    }
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );
}

#[tokio::test]
async fn transport_errors_do_not_print_secrets_in_the_url() {
    // A port nothing listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let base = format!("http://127.0.0.1:{port}/v1").parse().expect("url");
    let config = oapigen_runtime::ClientConfig::new(base, "tests")
        .with_retry(oapigen_runtime::RetryPolicy::default().with_max_attempts(1));
    let mut request = get("/things");
    request.query("api_key", "query-secret");
    let failure = transport(config)
        .execute(request)
        .await
        .expect_err("nothing listens");
    let text = message_of(&failure);
    assert!(text.contains("could not connect"), "{text}");
    assert!(!text.contains("query-secret"), "{text}");
}

#[test]
fn debug_output_shows_a_bounded_body_preview() {
    let body = Bytes::from(format!("{}END-OF-BODY", "b".repeat(100_000)));
    let response = RawResponse {
        status: 500,
        headers: HeaderMap::new(),
        body,
        attempts: 1,
        operation: None,
    };
    let debug = format!("{response:?}");
    assert!(debug.len() < 1_000, "{} bytes", debug.len());
    assert!(debug.contains("100011 bytes") && !debug.contains("END-OF-BODY"));
    let error: Error<()> = Error::unexpected(response, None);
    let debug = format!("{error:?}");
    assert!(
        debug.len() < 1_000 && !debug.contains("END-OF-BODY"),
        "{debug}"
    );
}
