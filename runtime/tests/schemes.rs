//! Security schemes at the transport: per-scheme OAuth grants and token providers (with the
//! 401 refresh), redirects followed by the transport (method rules, limits), a hook that fails
//! a call, and configuration errors.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use oapigen_runtime::auth::TokenFuture;
use oapigen_runtime::serde_json::json;
use oapigen_runtime::{
    ApiRequest, AttemptInfo, Control, Credentials, ErrorKind, Hook, Requirement, SchemeKind,
    SchemeUse, SecurityScheme, TokenProvider, Transport,
};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SCHEMES: &[SecurityScheme] = &[
    SecurityScheme::new("lwa", "lwa", SchemeKind::OAuth2 { token_url: None }),
    SecurityScheme::new("jwt", "jwt", SchemeKind::Bearer),
];
const LWA: &[Requirement] = &[&[SchemeUse::new("lwa", &["alexa::skills:messaging"])]];
const JWT: &[Requirement] = &[&[SchemeUse::new("jwt", &[])]];

fn secured(request: ApiRequest, requirements: &'static [Requirement]) -> ApiRequest {
    request.security(requirements)
}

#[tokio::test]
async fn a_schemes_own_oauth_grant_fetches_its_token_and_refreshes_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("scope=alexa%3A%3Askills%3Amessaging"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "t-1", "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .and(header("authorization", "Bearer t-1"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let transport = transport(
        config(&server)
            .with_security_schemes(SCHEMES)
            .with_token_url(url(&server, TOKEN_PATH))
            .with_scheme_credentials(
                "lwa",
                Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET),
            ),
    );
    let response = transport
        .execute(secured(get("/things"), LWA))
        .await
        .expect("refreshed once");
    assert_eq!((response.status, response.attempts), (200, 2));
}

struct Counting(Arc<AtomicUsize>);

impl TokenProvider for Counting {
    fn token<'a>(&'a self, _scopes: &'a [&'a str]) -> TokenFuture<'a> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(format!("p-{n}")) })
    }
}

#[tokio::test]
async fn a_token_provider_serves_a_bearer_scheme() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer p-0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let transport = transport(
        config(&server)
            .with_security_schemes(SCHEMES)
            .with_scheme_credentials("jwt", Credentials::provider(Counting(calls.clone()))),
    );
    transport
        .execute(secured(get("/things"), JWT))
        .await
        .expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn see_other_continues_as_get_without_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(303).insert_header("location", "/v1/things/1"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things/1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let response = transport(config(&server))
        .execute(post("/things"))
        .await
        .expect("followed");
    assert_eq!(response.status, 200);
    let received = server.received_requests().await.expect("recording");
    let last = received.last().expect("two requests");
    assert!(last.body.is_empty());
    assert!(!last.headers.contains_key("content-type"));
}

#[tokio::test]
async fn a_redirect_loop_stops_after_ten_redirects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/v1/loop"))
        .mount(&server)
        .await;
    let err = transport(config(&server).with_retry(oapigen_runtime::RetryPolicy::disabled()))
        .execute(get("/loop"))
        .await
        .expect_err("loop refused");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.to_string().contains("more than 10 redirects"), "{err}");
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        11
    );
}

struct Deny;

impl Hook for Deny {
    fn on_request(
        &self,
        _request: &mut oapigen_runtime::reqwest::Request,
        info: &AttemptInfo,
    ) -> Control {
        Control::Fail(format!("{} is not allowed here", info.operation_id))
    }
}

#[tokio::test]
async fn a_hook_can_fail_a_call_before_it_is_sent() {
    let server = MockServer::start().await;
    let err = transport(config(&server).with_hook(Deny))
        .execute(get("/things"))
        .await
        .expect_err("denied");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(
        err.to_string().contains("getThing is not allowed here"),
        "{err}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn bad_default_headers_and_scheme_token_urls_fail_the_build() {
    let server = MockServer::start().await;
    let bad_header = Transport::new(config(&server).with_default_header("bad header", "x"));
    assert!(bad_header.is_err());
    const BROKEN: &[SecurityScheme] = &[SecurityScheme::new(
        "o",
        "o",
        SchemeKind::OAuth2 {
            token_url: Some("not a url"),
        },
    )];
    let err = Transport::new(
        config(&server)
            .with_security_schemes(BROKEN)
            .with_credentials(Credentials::client_credentials("id", "secret")),
    )
    .expect_err("token URL refused");
    assert!(
        err.to_string().contains("invalid token URL `not a url`"),
        "{err}"
    );
}
