//! Traces name the operation, method and attempts, and carry no secret.
//!
//! Alone in its own test binary: `tracing` caches per-callsite interest process-wide, so a
//! thread-local subscriber can miss events that tests on other threads registered first.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use oapigen_runtime::serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "access-token-value-91c2";

fn assert_hidden(text: &str) {
    for secret in [CLIENT_SECRET, TOKEN, "hunter2"] {
        assert!(!text.contains(secret), "{secret} leaked in: {text}");
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_operation_and_attempts_but_no_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    token_request()
        .respond_with(token_ok(TOKEN, json!(3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(503).insert_header("set-cookie", "session=hunter2"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200).insert_header("set-cookie", "session=hunter2"))
        .expect(1)
        .mount(&server)
        .await;
    let response = transport(oauth_config(&server))
        .execute(authed_get("/things"))
        .await
        .expect("call");
    assert_eq!(response.attempts, 2);
    // Response headers that carry secrets are marked sensitive, so Debug hides them.
    assert_hidden(&format!("{response:?}"));

    let logs =
        String::from_utf8_lossy(&capture.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    for expected in [
        "oapigen.call",
        "operation=\"getThing\"",
        "method=GET",
        "oapigen.attempt",
        "attempt=2",
        "status=503",
        "latency_ms",
        "oapigen.token",
        "retrying",
    ] {
        assert!(logs.contains(expected), "{expected} missing from:\n{logs}");
    }
    assert_hidden(&logs);
}
