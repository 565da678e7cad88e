//! OAuth grants, token caching, single-flight refresh, 401 handling, token providers.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use oapigen_runtime::auth::TokenFuture;
use oapigen_runtime::futures::future::join_all;
use oapigen_runtime::serde_json::json;
use oapigen_runtime::{Credentials, TokenProvider};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api(token: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .and(header("authorization", format!("Bearer {token}")))
}

#[tokio::test]
async fn token_is_fetched_once_and_reused() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok-1", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-1")
        .respond_with(ResponseTemplate::new(200))
        .expect(3)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    for _ in 0..3 {
        let response = transport
            .execute(authed_get("/things"))
            .await
            .expect("call");
        assert_eq!((response.status, response.attempts), (200, 1));
    }
}

#[tokio::test]
async fn tokens_are_cached_per_scope_set() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok-both", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("scope=profile"))
        .respond_with(token_ok("tok-profile", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-both")
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    api("tok-profile")
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    let reversed: &'static [&'static str] = &["profile", "alexa::skills:messaging"];
    for request in [
        authed_get("/things"),
        get("/things").authenticated(&["profile"]),
        get("/things").authenticated(reversed),
        get("/things").authenticated(&["profile"]),
    ] {
        assert_eq!(transport.execute(request).await.expect("call").status, 200);
    }
}

#[tokio::test]
async fn token_is_refreshed_ahead_of_expiry() {
    let server = MockServer::start().await;
    // Valid 60.5 s, refreshed 60 s (the default) before expiry: after 0.5 s.
    token_request()
        .respond_with(token_ok("tok-1", json!(60.5)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_request()
        .respond_with(token_ok("tok-2", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-1")
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    api("tok-2")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    transport
        .execute(authed_get("/things"))
        .await
        .expect("first");
    transport
        .execute(authed_get("/things"))
        .await
        .expect("cached");
    tokio::time::sleep(ms(700)).await;
    transport
        .execute(authed_get("/things"))
        .await
        .expect("refreshed");
}

#[tokio::test]
async fn refresh_margin_is_configurable_and_expires_in_may_be_a_string() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok-1", json!("10")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_request()
        .respond_with(token_ok("tok-2", json!("3600")))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-1")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-2")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let config = oauth_config(&server).with_token_refresh_ahead(ms(9_800));
    let transport = transport(config);
    transport
        .execute(authed_get("/things"))
        .await
        .expect("first");
    tokio::time::sleep(ms(300)).await;
    transport
        .execute(authed_get("/things"))
        .await
        .expect("refreshed");
}

#[tokio::test]
async fn fifty_concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok-1", json!(3600)).set_delay(ms(200)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-1")
        .respond_with(ResponseTemplate::new(200))
        .expect(50)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    let calls = (0..50).map(|_| {
        let transport = transport.clone();
        tokio::spawn(async move { transport.execute(authed_get("/things")).await })
    });
    for result in join_all(calls).await {
        let response = result.expect("task").expect("call");
        assert_eq!(response.status, 200);
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_retries_once() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok-old", json!(3600)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_request()
        .respond_with(token_ok("tok-new", json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-old")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-new")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    let response = transport
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (200, 2));
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_again() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok("tok", json!(3600)))
        .expect(2)
        .mount(&server)
        .await;
    api("tok")
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    let response = transport
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (401, 2));
}

#[tokio::test]
async fn a_static_bearer_token_is_sent_and_a_401_not_retried() {
    let server = MockServer::start().await;
    api("static-tok")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let config = config(&server).with_credentials(Credentials::bearer("static-tok"));
    let response = transport(config)
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (401, 1));
}

#[tokio::test]
async fn unauthenticated_operations_carry_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(oauth_config(&server));
    transport.execute(get("/things")).await.expect("call");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "no token request");
    assert!(!requests[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn refresh_token_grant_uses_and_rotates_the_refresh_token() {
    let server = MockServer::start().await;
    let refresh = |old: &str, new: &str, token: &str| {
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(body_string_contains("grant_type=refresh_token"))
            .and(body_string_contains(format!("refresh_token={old}")))
            .and(body_string_contains(format!(
                "client_secret={CLIENT_SECRET}"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": token, "expires_in": 3600, "refresh_token": new,
            })))
            .expect(1)
    };
    refresh("rt-1", "rt-2", "tok-a").mount(&server).await;
    refresh("rt-2", "rt-3", "tok-b").mount(&server).await;
    api("tok-a")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    api("tok-b")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let config = config(&server)
        .with_credentials(Credentials::refresh_token(CLIENT_ID, CLIENT_SECRET, "rt-1"))
        .with_token_url(url(&server, TOKEN_PATH));
    let response = transport(config)
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (200, 2));
}

struct CountingProvider {
    tokens: AtomicUsize,
    invalidated: Arc<AtomicUsize>,
}

impl TokenProvider for CountingProvider {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(async move {
            assert_eq!(scopes, SCOPES);
            let n = self.tokens.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(format!("provided-{n}"))
        })
    }

    fn invalidate(&self, _scopes: &[&str]) {
        self.invalidated.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_token_provider_is_asked_again_after_a_401() {
    let server = MockServer::start().await;
    api("provided-1")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    api("provided-2")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let invalidated = Arc::new(AtomicUsize::new(0));
    let provider = CountingProvider {
        tokens: AtomicUsize::new(0),
        invalidated: invalidated.clone(),
    };
    let config = config(&server).with_credentials(Credentials::provider(provider));
    let response = transport(config)
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (200, 2));
    assert_eq!(invalidated.load(Ordering::SeqCst), 1);
}
