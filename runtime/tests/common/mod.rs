//! Helpers shared by the integration tests: a loopback wiremock server and configs
//! with small, real backoffs so the suite stays fast.
#![allow(dead_code)]

use std::time::Duration;

use oapigen_runtime::reqwest::Method;
use oapigen_runtime::serde_json::{json, Value};
use oapigen_runtime::url::Url;
use oapigen_runtime::{ApiRequest, ClientConfig, Credentials, RetryPolicy, Timeouts, Transport};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const CLIENT_ID: &str = "amzn1.application-oa2-client.test";
pub const CLIENT_SECRET: &str = "client-secret-value-7f3a";
pub const TOKEN_PATH: &str = "/auth/o2/token";
pub const SCOPES: &[&str] = &["alexa::skills:messaging", "profile"];

pub fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

pub fn url(server: &MockServer, path: &str) -> Url {
    Url::parse(&format!("{}{path}", server.uri())).expect("mock server URL")
}

/// Unauthenticated config against `server`: 10–40 ms backoffs, 3 attempts.
pub fn config(server: &MockServer) -> ClientConfig {
    ClientConfig::new(url(server, "/v1"), "oapigen-runtime-tests")
        .with_retry(RetryPolicy::default().with_backoff(ms(10), ms(40)))
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(2),
            total: Duration::from_secs(10),
        })
}

/// Client-credentials config whose token URL is on `server`.
pub fn oauth_config(server: &MockServer) -> ClientConfig {
    config(server)
        .with_credentials(Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET))
        .with_token_url(url(server, TOKEN_PATH))
}

pub fn transport(config: ClientConfig) -> Transport {
    Transport::new(config).expect("transport")
}

pub fn get(path: &str) -> ApiRequest {
    ApiRequest::new(Method::GET, path.to_owned(), "getThing")
}

pub fn post(path: &str) -> ApiRequest {
    let mut request = ApiRequest::new(Method::POST, path.to_owned(), "createThing");
    request.json(&json!({"name": "x"})).expect("encodable body");
    request
}

pub fn authed_get(path: &str) -> ApiRequest {
    get(path).authenticated(SCOPES)
}

/// A successful token response.
pub fn token_ok(token: &str, expires_in: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token,
        "expires_in": expires_in,
        "scope": SCOPES.join(" "),
        "token_type": "bearer",
    }))
}

/// A client-credentials token request for [`SCOPES`], as Login with Amazon expects it.
pub fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={}", CLIENT_ID)))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .and(body_string_contains(
            "scope=alexa%3A%3Askills%3Amessaging+profile",
        ))
}

/// How many requests `server` received on `route`.
pub async fn received(server: &MockServer, route: &str) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|request| request.url.path() == route)
        .count()
}
