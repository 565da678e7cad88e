//! The client generated from `generator/tests/fixtures/constructs/security_schemes.yaml`
//! (by `build.rs`, in module mode) against wiremock: every scheme kind puts its credential
//! where the spec says, requirement alternatives, combinations, optional and empty security,
//! the document default, credentials kept off other hosts on redirects and out of errors,
//! and the HTTP client the user owns (own reqwest client, default headers, hook, timeout).

// The included client re-exports what a user's crate would use; these tests use part of it.
#[allow(unused_imports, dead_code)]
mod secured {
    include!(concat!(env!("OUT_DIR"), "/secured/secured.rs"));
}

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use oapigen_runtime::{Answer, AttemptInfo, Control, Credentials, ErrorKind, Hook, ResponseInfo};
use secured::{Client, ClientBuilder};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri())
}

async fn ok_at(server: &MockServer, route: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(204))
        .mount(server)
        .await;
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 1, "{received:?}");
    received.remove(0)
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn api_key_in_a_header_is_the_document_default() {
    let server = MockServer::start().await;
    ok_at(&server, "/default").await;
    let client = builder(&server)
        .header_key("k-123")
        .build()
        .expect("builds");
    client.uses_default().send().await.expect("sent");
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "x-api-key"), Some("k-123"));
    assert_eq!(header_of(&request, "authorization"), None);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn api_key_in_the_query_and_in_a_cookie() {
    let server = MockServer::start().await;
    ok_at(&server, "/query").await;
    ok_at(&server, "/cookie").await;
    let client = builder(&server)
        .query_key("q-1")
        .cookie_key("c-1")
        .build()
        .expect("builds");
    client.query_key().send().await.expect("query");
    client.cookie_key().send().await.expect("cookie");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received[0].url.query(), Some("key=q-1"));
    assert_eq!(header_of(&received[0], "cookie"), None);
    assert_eq!(header_of(&received[1], "cookie"), Some("session_id=c-1"));
    assert_eq!(received[1].url.query(), None);
}

#[tokio::test]
async fn http_basic_bearer_and_other_schemes_use_authorization() {
    let server = MockServer::start().await;
    for route in ["/basic", "/bearer", "/token"] {
        ok_at(&server, route).await;
    }
    let client = builder(&server)
        .basic("Aladdin", "open sesame")
        .bearer("jwt-1")
        .token("tok-1")
        .build()
        .expect("builds");
    client.basic_only().send().await.expect("basic");
    client.bearer_only().send().await.expect("bearer");
    client.token_scheme().send().await.expect("token");
    let received = server.received_requests().await.expect("recording");
    let auth: Vec<Option<&str>> = received
        .iter()
        .map(|r| header_of(r, "authorization"))
        .collect();
    assert_eq!(
        auth,
        [
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            Some("Bearer jwt-1"),
            Some("Token tok-1"),
        ]
    );
}

#[tokio::test]
async fn oauth_scheme_fetches_a_token_with_the_operation_scopes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=read"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "at-1", "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server)
        .token_url(format!("{}/token", server.uri()))
        .oauth(Credentials::client_credentials("id", "secret"))
        .build()
        .expect("builds");
    client.oauth_only().send().await.expect("first");
    client.oauth_only().send().await.expect("cached token");
}

#[tokio::test]
async fn credentials_serve_the_oauth_and_openid_connect_schemes_only() {
    let server = MockServer::start().await;
    ok_at(&server, "/oauth").await;
    ok_at(&server, "/oidc").await;
    let client = builder(&server)
        .credentials(Credentials::bearer("legacy"))
        .build()
        .expect("builds");
    client.oauth_only().send().await.expect("oauth");
    client.oidc_only().send().await.expect("oidc");
    // This spec has OAuth schemes, so `credentials` does not go to its bearer scheme.
    let err = client
        .bearer_only()
        .send()
        .await
        .expect_err("no bearer token");
    assert_eq!(err.kind(), ErrorKind::Auth);
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(header_of(request, "authorization"), Some("Bearer legacy"));
    }
}

#[tokio::test]
async fn the_first_alternative_with_credentials_is_sent() {
    let server = MockServer::start().await;
    ok_at(&server, "/either").await;
    let basic_only = builder(&server).basic("u", "p").build().expect("builds");
    basic_only
        .either_key_or_basic()
        .send()
        .await
        .expect("basic");
    let both = builder(&server)
        .basic("u", "p")
        .query_key("q")
        .build()
        .expect("builds");
    both.either_key_or_basic().send().await.expect("key first");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(header_of(&received[0], "authorization"), Some("Basic dTpw"));
    assert_eq!(received[0].url.query(), None);
    assert_eq!(header_of(&received[1], "authorization"), None);
    assert_eq!(received[1].url.query(), Some("key=q"));
}

#[tokio::test]
async fn a_combination_sends_both_or_fails_before_sending() {
    let server = MockServer::start().await;
    ok_at(&server, "/both").await;
    let full = builder(&server)
        .header_key("k")
        .basic("u", "p")
        .build()
        .expect("builds");
    full.key_and_basic().send().await.expect("both");
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "x-api-key"), Some("k"));
    assert_eq!(header_of(&request, "authorization"), Some("Basic dTpw"));

    let half = builder(&server).header_key("k").build().expect("builds");
    let err = half
        .key_and_basic()
        .send()
        .await
        .expect_err("basic missing");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(
        err.to_string(),
        "keyAndBasic (GET /both): authentication failed: missing_credentials (`keyAndBasic` needs credentials for \
         `header_key` (ClientBuilder::header_key) and `basic` (ClientBuilder::basic); none \
         were given to the client)"
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn missing_credentials_fail_before_sending_and_name_the_accepted_schemes() {
    let server = MockServer::start().await;
    ok_at(&server, "/either").await;
    let client = builder(&server).header_key("k").build().expect("builds");
    let err = client
        .either_key_or_basic()
        .send()
        .await
        .expect_err("neither query key nor basic");
    let text = err.to_string();
    assert!(
        text.contains(
            "one of `query_key` (ClientBuilder::query_key), or `basic` (ClientBuilder::basic)"
        ),
        "{text}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn optional_and_empty_security() {
    let server = MockServer::start().await;
    ok_at(&server, "/optional").await;
    ok_at(&server, "/public").await;
    let anonymous = builder(&server).build().expect("builds");
    anonymous
        .optional_key()
        .send()
        .await
        .expect("without a key");
    let keyed = builder(&server)
        .header_key("k")
        .basic("u", "p")
        .query_key("q")
        .cookie_key("c")
        .credentials(Credentials::bearer("t"))
        .build()
        .expect("builds");
    keyed.optional_key().send().await.expect("with the key");
    keyed.public().send().await.expect("public");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(header_of(&received[0], "x-api-key"), None);
    assert_eq!(header_of(&received[1], "x-api-key"), Some("k"));
    let public = &received[2];
    for name in ["x-api-key", "authorization", "cookie"] {
        assert_eq!(header_of(public, name), None, "{name}");
    }
    assert_eq!(public.url.query(), None);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_no_credential_leaves() {
    let other = MockServer::start().await;
    ok_at(&other, "/landing").await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/redirect"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/landing?page=2", other.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    let client = builder(&server)
        .header_key("hk")
        .query_key("qk")
        .cookie_key("ck")
        .build()
        .expect("builds");
    let err = client.redirected().send().await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.to_string().contains("redirect refused"), "{err}");
    let first = only_request(&server).await;
    assert_eq!(header_of(&first, "x-api-key"), Some("hk"));
    assert_eq!(first.url.query(), Some("key=qk"));
    assert!(other
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn credentials_follow_a_redirect_on_the_same_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/redirect"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/landing"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/landing"))
        .and(header("x-api-key", "hk"))
        .and(header("cookie", "session_id=ck"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .header_key("hk")
        .query_key("qk")
        .cookie_key("ck")
        .build()
        .expect("builds");
    client.redirected().send().await.expect("followed");
}

#[tokio::test]
async fn a_query_api_key_is_redacted_from_errors() {
    // A port nothing listens on: the connection is refused, and reqwest's error names the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .query_key("very-secret-key")
        .retry(oapigen_runtime::RetryPolicy::disabled())
        .build()
        .expect("builds");
    let err = client.query_key().send().await.expect_err("refused");
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains("very-secret-key"), "{shown}");
    let debug = format!("{client:?}");
    assert!(!debug.contains("very-secret-key"), "{debug}");
}

#[tokio::test]
async fn own_http_client_default_headers_and_request_headers() {
    let server = MockServer::start().await;
    ok_at(&server, "/public").await;
    let http = oapigen_runtime::http_client_builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("reqwest client");
    let client = builder(&server)
        .http_client(http)
        .user_agent("mine/1.0")
        .default_header("X-GitHub-Api-Version", "2022-11-28")
        .default_header("X-Team", "default")
        .build()
        .expect("builds");
    client
        .public()
        .header("X-Team", "override")
        .send()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        header_of(&request, "x-github-api-version"),
        Some("2022-11-28")
    );
    assert_eq!(header_of(&request, "x-team"), Some("override"));
    assert_eq!(header_of(&request, "user-agent"), Some("mine/1.0"));
}

#[tokio::test]
async fn a_client_that_follows_redirects_itself_is_refused_across_hosts() {
    let other = MockServer::start().await;
    ok_at(&other, "/landing").await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/landing", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .http_client(oapigen_runtime::reqwest::Client::new())
        .build()
        .expect("builds");
    let err = client.public().send().await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.to_string().contains("Policy::none()"), "{err}");
}

/// Signs every request, counts responses, and answers `/optional` itself.
#[derive(Default)]
struct Recorder {
    responses: AtomicU32,
    seen: std::sync::Mutex<Vec<String>>,
}

struct RecorderHook(Arc<Recorder>);

impl Hook for RecorderHook {
    fn on_request(
        &self,
        request: &mut oapigen_runtime::reqwest::Request,
        info: &AttemptInfo,
    ) -> Control {
        if request.url().path() == "/optional" {
            return Control::Respond(Answer::new(204, ""));
        }
        let signature = format!("{}:{}", info.operation_id, info.attempt);
        request
            .headers_mut()
            .insert("x-signature", signature.parse().expect("header value"));
        Control::Send
    }

    fn on_response(&self, response: &ResponseInfo<'_>) {
        self.0.responses.fetch_add(1, Ordering::SeqCst);
        let line = format!("{} {} {}", response.method, response.url, response.status);
        self.0.seen.lock().expect("lock").push(line);
    }
}

#[tokio::test]
async fn the_hook_signs_observes_and_short_circuits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(header("x-signature", "queryKey:1"))
        .and(query_param("key", "q-secret"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server)
        .query_key("q-secret")
        .hook(RecorderHook(recorder.clone()))
        .build()
        .expect("builds");
    client.query_key().send().await.expect("signed");
    client
        .optional_key()
        .send()
        .await
        .expect("answered by the hook");
    assert_eq!(recorder.responses.load(Ordering::SeqCst), 1);
    let seen = recorder.seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [format!("GET {}/query?key=redacted 204", server.uri())]
    );
    // Only the signed request reached the server.
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn a_per_request_timeout_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/public"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = builder(&server).build().expect("builds");
    let started = std::time::Instant::now();
    let err = client
        .public()
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("times out");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn required_response_headers_are_required_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/created"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", "/things/1")
                .insert_header("x-count", "3"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/created"))
        .respond_with(ResponseTemplate::new(201).insert_header("x-count", "3"))
        .mount(&server)
        .await;
    let client = builder(&server).build().expect("builds");
    let created = client.create_thing().send().await.expect("created");
    let location: String = created.location;
    let count: i64 = created.x_count;
    assert_eq!((location.as_str(), count), ("/things/1", 3));
    assert_eq!(created.x_optional, None);
    let err = client.create_thing().send().await.expect_err("no Location");
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    let cause = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(
        cause.as_deref(),
        Some("the required response header `location` is missing")
    );
}

#[tokio::test]
async fn no_credential_goes_over_plain_http_off_loopback() {
    // Refused before anything is sent, so no connection to this host is attempted.
    let client = Client::builder()
        .base_url("http://api.example.com/v1")
        .header_key("k")
        .build()
        .expect("builds");
    let err = client.uses_default().send().await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("insecure_transport"), "{err}");
}
