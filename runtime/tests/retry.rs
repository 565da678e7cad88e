//! Retries, backoff, Retry-After and timeouts.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use oapigen_runtime::reqwest::Method;
use oapigen_runtime::{ApiRequest, Error, ErrorKind, RetryPolicy, Timeouts};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn route(verb: &str) -> wiremock::MockBuilder {
    Mock::given(method(verb)).and(path("/v1/things"))
}

async fn mount(server: &MockServer, verb: &str, status: u16, times: u64) {
    route(verb)
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

fn request(verb: Method) -> ApiRequest {
    if verb == Method::POST {
        post("/things")
    } else {
        ApiRequest::new(verb, "/things".to_owned(), "thing")
    }
}

#[tokio::test]
async fn retries_up_to_max_attempts_within_backoff_bounds() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(ResponseTemplate::new(503))
        .expect(4)
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(ms(50), ms(80));
    let transport = transport(config(&server).with_retry(policy));
    let started = Instant::now();
    let response = transport.execute(get("/things")).await.expect("call");
    let elapsed = started.elapsed();
    assert_eq!((response.status, response.attempts), (503, 4));
    // Full jitter: each delay is at most its cap (50 + 80 + 80 ms in all).
    assert!(elapsed < ms(210 + 800), "took {elapsed:?}");
}

#[tokio::test]
async fn a_transient_failure_then_success() {
    let server = MockServer::start().await;
    mount(&server, "GET", 502, 1).await;
    mount(&server, "GET", 504, 1).await;
    mount(&server, "GET", 200, 1).await;
    let response = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (200, 3));
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount(&server, "GET", 200, 1).await;
    let started = Instant::now();
    let response = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (200, 2));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = oapigen_runtime::chrono::DateTime::<oapigen_runtime::chrono::Utc>::from(
        SystemTime::now() + Duration::from_secs(2),
    );
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    route("GET")
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount(&server, "GET", 200, 1).await;
    let started = Instant::now();
    let response = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    assert_eq!(response.status, 200);
    // The date has whole seconds: the wait is between 1 and 2 s.
    assert!(started.elapsed() >= ms(900), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_returns_at_once() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (503, 1));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        mount(&server, "GET", status, 1).await;
        let response = transport(config(&server))
            .execute(get("/things"))
            .await
            .expect("call");
        assert_eq!((response.status, response.attempts), (status, 1));
    }
}

#[tokio::test]
async fn post_is_not_retried_on_500_by_default() {
    let server = MockServer::start().await;
    mount(&server, "POST", 500, 1).await;
    let response = transport(config(&server))
        .execute(post("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (500, 1));
}

#[tokio::test]
async fn post_is_retried_on_500_when_opted_in() {
    let server = MockServer::start().await;
    mount(&server, "POST", 500, 2).await;
    mount(&server, "POST", 201, 1).await;
    let mut config = config(&server);
    config.retry.retry_non_idempotent = true;
    let response = transport(config)
        .execute(post("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (201, 3));
    let requests = server.received_requests().await.expect("recorded");
    assert!(requests
        .iter()
        .all(|request| request.body == br#"{"name":"x"}"#));
}

#[tokio::test]
async fn post_is_retried_on_429_432_and_503() {
    let server = MockServer::start().await;
    mount(&server, "POST", 429, 1).await;
    mount(&server, "POST", 432, 1).await;
    mount(&server, "POST", 503, 1).await;
    mount(&server, "POST", 201, 1).await;
    let config = config(&server).with_retry(
        RetryPolicy::default()
            .with_max_attempts(4)
            .with_backoff(ms(10), ms(20)),
    );
    let response = transport(config)
        .execute(post("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (201, 4));
}

#[tokio::test]
async fn idempotent_methods_are_retried_on_5xx() {
    for verb in [Method::PUT, Method::DELETE, Method::HEAD, Method::OPTIONS] {
        let server = MockServer::start().await;
        mount(&server, verb.as_str(), 500, 1).await;
        mount(&server, verb.as_str(), 204, 1).await;
        let response = transport(config(&server))
            .execute(request(verb))
            .await
            .expect("call");
        assert_eq!((response.status, response.attempts), (204, 2));
    }
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::start().await;
    mount(&server, "GET", 503, 1).await;
    let config = config(&server).with_retry(RetryPolicy::disabled());
    let response = transport(config)
        .execute(get("/things"))
        .await
        .expect("call");
    assert_eq!((response.status, response.attempts), (503, 1));
}

fn timeouts(attempt: u64, total: u64) -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(1),
        attempt: ms(attempt),
        total: ms(total),
    }
}

#[tokio::test]
async fn the_attempt_timeout_fires_and_idempotent_calls_are_retried() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(ResponseTemplate::new(200).set_delay(ms(2_000)))
        .expect(2)
        .mount(&server)
        .await;
    let config = config(&server)
        .with_timeouts(timeouts(100, 5_000))
        .with_retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(ms(10), ms(10)),
        );
    let started = Instant::now();
    let failure = transport(config)
        .execute(get("/things"))
        .await
        .expect_err("timeout");
    assert!(started.elapsed() < ms(1_500), "{:?}", started.elapsed());
    let error = Error::<()>::from(failure);
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Timeout, 2));
    assert!(
        error.to_string().contains("attempt timed out after 100ms"),
        "{error}"
    );
}

#[tokio::test]
async fn a_timed_out_post_is_not_retried() {
    let server = MockServer::start().await;
    route("POST")
        .respond_with(ResponseTemplate::new(200).set_delay(ms(600)))
        .expect(1)
        .mount(&server)
        .await;
    let config = config(&server).with_timeouts(timeouts(100, 5_000));
    let failure = transport(config)
        .execute(post("/things"))
        .await
        .expect_err("timeout");
    assert!(matches!(failure.error(), Error::Timeout(_)));
    assert_eq!(failure.attempts(), 1);
}

#[tokio::test]
async fn the_total_budget_bounds_the_whole_call() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(ResponseTemplate::new(200).set_delay(ms(3_000)))
        .expect(1)
        .mount(&server)
        .await;
    let config = config(&server).with_timeouts(timeouts(2_000, 150));
    let started = Instant::now();
    let error = Error::<()>::from(
        transport(config)
            .execute(get("/things"))
            .await
            .expect_err("budget"),
    );
    assert!(started.elapsed() < ms(1_500), "{:?}", started.elapsed());
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Timeout, 1));
    assert!(error.to_string().contains("total time budget"), "{error}");
}

fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn connection_errors_are_retried_for_idempotent_methods_only() {
    let port = closed_port();
    let base =
        oapigen_runtime::url::Url::parse(&format!("http://127.0.0.1:{port}/v1")).expect("url");
    let config = oapigen_runtime::ClientConfig::new(base, "tests")
        .with_retry(RetryPolicy::default().with_backoff(ms(10), ms(20)));
    let transport = transport(config);

    let error = Error::<()>::from(
        transport
            .execute(get("/things"))
            .await
            .expect_err("refused"),
    );
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Transport, 3));
    let text = error.to_string();
    assert!(
        text.contains("could not connect after 3 attempt(s)"),
        "{text}"
    );
    // The cause is chained, not repeated in the message.
    let source = std::error::Error::source(&error)
        .expect("a cause")
        .to_string();
    assert!(!text.contains(&source), "{text} / {source}");

    let failure = transport
        .execute(post("/things"))
        .await
        .expect_err("refused");
    assert_eq!(
        (failure.kind(), failure.attempts()),
        (ErrorKind::Transport, 1)
    );
}

#[tokio::test]
async fn errors_carry_request_id_status_and_attempts() {
    let server = MockServer::start().await;
    route("GET")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-amzn-requestid", "req-1234")
                .set_body_string("busy"),
        )
        .expect(3)
        .mount(&server)
        .await;
    let raw = transport(config(&server))
        .execute(get("/things"))
        .await
        .expect("call");
    let error: Error<String> = Error::api(raw.clone(), raw.text());
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.request_id(), Some("req-1234"));
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.api_error().map(String::as_str), Some("busy"));
    assert_eq!(
        error.to_string(),
        r#"getThing (GET): service answered 503 (request id req-1234): "busy""#
    );

    assert_eq!(error.operation().map(|o| o.id()), Some("getThing"));

    let unexpected = Error::<()>::unexpected(raw, None);
    assert_eq!(unexpected.request_id(), Some("req-1234"));
    assert_eq!(unexpected.operation().map(|o| o.id()), Some("getThing"));
    assert_eq!(unexpected.attempts(), 3);
}
