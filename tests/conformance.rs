//! Conformance of the generated clients with their specs, checked by a tool no one here wrote:
//! Prism (`@stoplight/prism-cli`, pinned in `package-lock.json`) serves each spec from
//! `specs/`, validates every request the client sends against it, and answers with the
//! spec's examples.
//!
//! For every operation of every client:
//! * typed requests built with the generated API (and every request example of the spec,
//!   decoded into its generated type) are sent without a `Prefer` header; Prism must accept
//!   them (a request it rejects is a client bug; its `sl-violations` verdict is shown); a
//!   documented counter-example (`x-counter-example`) must instead be refused before it is
//!   sent, and a served one need not decode (the call is still a success);
//! * every documented status is then requested with `Prefer: code=NNN` (plus `example=NAME`
//!   when a status has several named examples): a success decodes into the typed success
//!   value, whose body must equal the served example and whose typed headers
//!   (`X-Amzn-RequestId`, `Location`) the documented header examples; an error status must
//!   come back as `Error::Api` with the variant the status maps to, the example as its typed
//!   body, the documented headers, and a single attempt (retries are disabled).
//!
//! The (operationId, status, example) triples exercised are tracked as the calls are made;
//! the test prints a coverage line per service and fails if anything the specs document
//! (operations, success and error statuses, response examples) was not exercised.
//!
//! Needs Node.js 20 and `npm ci`; without them the test fails and says so.

mod common;

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::sync::Mutex;
use std::time::Instant;

use alexa_apis::notifications as nt;
use alexa_apis::proactive_events as pe;
use alexa_apis::proactive_suggestions as ps;
use alexa_apis::runtime::chrono::{DateTime, Utc};
use alexa_apis::runtime::futures::{Stream, StreamExt};
use alexa_apis::runtime::reqwest::header::HeaderMap;
use alexa_apis::runtime::serde::de::DeserializeOwned;
use alexa_apis::runtime::url::Url;
use alexa_apis::runtime::{Credentials, Error, RetryPolicy};
use alexa_apis::skill_development_notifications as sdn;
use common::prism::{require_prism, Prism};
use common::{same_json, spec_files, HeaderDoc, NamedExample, Operation, ResponseDoc, Spec};
use serde_json::{json, Value};

/// The header Prism puts its verdict on an invalid request in.
const VIOLATIONS: &str = "sl-violations";
const TOKEN: &str = "conformance-test-token";

// ---------------------------------------------------------------------------------------
// What the harness needs to know about the generated success values and error enums.
// ---------------------------------------------------------------------------------------

/// The typed success value of an operation.
trait Success: Debug {
    fn status(&self) -> u16;
    fn headers(&self) -> &HeaderMap;
    /// The typed `X-Amzn-RequestId` header.
    fn request_id(&self) -> Option<&str>;
    /// The typed body, serialized back to JSON (`Err`: why it did not decode); `None` for
    /// operations without a body.
    fn body(&self) -> Option<Result<Value, String>> {
        None
    }
    /// The typed `Location` header, for operations that document one.
    fn location(&self) -> Option<Option<&str>> {
        None
    }
}

macro_rules! success {
    (@common) => {
        fn status(&self) -> u16 {
            self.status
        }
        fn headers(&self) -> &HeaderMap {
            &self.headers
        }
        fn request_id(&self) -> Option<&str> {
            self.x_amzn_request_id.as_deref()
        }
    };
    (body: $($ty:ty),* $(,)?) => {$(
        impl Success for $ty {
            success!(@common);
            fn body(&self) -> Option<Result<Value, String>> {
                Some(decoded_json(&self.body))
            }
        }
    )*};
    (empty: $($ty:ty),* $(,)?) => {$(
        impl Success for $ty {
            success!(@common);
        }
    )*};
    (location: $($ty:ty),* $(,)?) => {$(
        impl Success for $ty {
            success!(@common);
            fn location(&self) -> Option<Option<&str>> {
                Some(Some(self.location.as_str()))
            }
        }
    )*};
}

success!(body:
    nt::operations::SendNotificationsOutput,
    nt::operations::QueryNotificationsOutput,
    ps::operations::CreateCampaignOutput,
    ps::operations::ListCampaignsOutput,
    ps::operations::QueryCampaignsOutput,
    ps::operations::GetCampaignResponse,
    sdn::operations::ListSubscribersOutput,
    sdn::operations::GetSubscriberResponse,
    sdn::operations::ListSubscriptionsOutput,
    sdn::operations::GetSubscriptionResponse,
);
success!(empty:
    nt::operations::DeleteNotificationsByUnitResponse,
    nt::operations::DeleteNotificationsResponse,
    pe::operations::CreateProactiveEventResponse,
    pe::operations::CreateDevelopmentProactiveEventResponse,
    ps::operations::DeleteCampaignResponse,
    sdn::operations::UpdateSubscriberResponse,
    sdn::operations::DeleteSubscriberResponse,
    sdn::operations::UpdateSubscriptionResponse,
    sdn::operations::DeleteSubscriptionResponse,
);
success!(location:
    sdn::operations::CreateSubscriberResponse,
    sdn::operations::CreateSubscriptionResponse,
);

/// A decoded body serialized back to JSON, or why it did not decode (the client keeps a
/// body of another shape as `Err(BodyError)`; Prism serves only documented ones).
fn decoded_json<T: serde::Serialize>(
    body: &Result<T, alexa_apis::runtime::BodyError>,
) -> Result<Value, String> {
    match body {
        Ok(body) => Ok(serde_json::to_value(body).expect("a decoded body serializes")),
        Err(err) => Err(format!("{err}; body: {}", err.raw_text())),
    }
}

/// A generated `{Op}Error` enum: which status each variant stands for, and its body.
trait Documented: Debug {
    fn status_and_body(&self) -> (u16, Result<Value, String>);
}

/// Maps each variant to the status it must come from. A variant missing from an enum does
/// not compile; a variant missing from the list panics when it turns up.
macro_rules! documented {
    ($($ty:ty { $($variant:ident = $status:literal),* $(,)? })*) => {$(
        impl Documented for $ty {
            fn status_and_body(&self) -> (u16, Result<Value, String>) {
                match self {
                    $(Self::$variant(body) => ($status, decoded_json(body)),)*
                    other => panic!("variant missing from the conformance table: {other:?}"),
                }
            }
        }
    )*};
}

documented! {
    nt::operations::SendNotificationsError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    nt::operations::DeleteNotificationsByUnitError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    nt::operations::DeleteNotificationsError {
        BadRequest = 400, Unauthorized = 401, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    nt::operations::QueryNotificationsError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    pe::operations::CreateProactiveEventError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404, Conflict = 409,
        TooManyRequests = 429, Status432 = 432, InternalServerError = 500,
        ServiceUnavailable = 503,
    }
    pe::operations::CreateDevelopmentProactiveEventError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404, Conflict = 409,
        TooManyRequests = 429, Status432 = 432, InternalServerError = 500,
        ServiceUnavailable = 503,
    }
    ps::operations::CreateCampaignError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    ps::operations::ListCampaignsError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    ps::operations::QueryCampaignsError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    ps::operations::GetCampaignError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    ps::operations::DeleteCampaignError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500,
    }
    sdn::operations::CreateSubscriberError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, TooManyRequests = 429,
        InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::ListSubscribersError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::GetSubscriberError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::UpdateSubscriberError {
        BadRequest = 400, Unauthorized = 401, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::DeleteSubscriberError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::CreateSubscriptionError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::ListSubscriptionsError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::GetSubscriptionError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::UpdateSubscriptionError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
    sdn::operations::DeleteSubscriptionError {
        BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        TooManyRequests = 429, InternalServerError = 500, ServiceUnavailable = 503,
    }
}

/// Builds a request with `headers` added through the builder's `.header(name, value)`, and
/// sends it.
macro_rules! send {
    ($builder:expr, $headers:expr) => {{
        let mut builder = $builder;
        for (name, value) in $headers {
            builder = builder.header(name, value);
        }
        builder.send()
    }};
}

// ---------------------------------------------------------------------------------------
// The harness: one Prism per service, coverage bookkeeping, the checks.
// ---------------------------------------------------------------------------------------

/// What one call exercised: operationId, status and (for named examples) the example.
type Exercised = (String, u16, Option<String>);

struct Service {
    spec: Spec,
    prism: Prism,
    /// operationIds whose success response passed all checks.
    operations: Mutex<BTreeSet<String>>,
    /// Documented responses (and examples) that passed all checks.
    exercised: Mutex<BTreeSet<Exercised>>,
    /// Request examples sent and accepted: (operationId, example name).
    request_examples: Mutex<BTreeSet<(String, String)>>,
}

/// Headers of one call: a `Prefer` asking Prism for one documented response.
fn prefer(response: &ResponseDoc, example: Option<&NamedExample>) -> Vec<(String, String)> {
    let mut value = format!("code={}", response.status);
    if response.examples.len() > 1 {
        let name = example.and_then(|e| e.name.as_deref()).expect("named");
        value.push_str(&format!(", example={name}"));
    }
    vec![("Prefer".to_owned(), value)]
}

impl Service {
    async fn start(spec_file: &str) -> Service {
        Service {
            spec: Spec::load(spec_file),
            prism: Prism::start(spec_file).await,
            operations: Mutex::default(),
            exercised: Mutex::default(),
            request_examples: Mutex::default(),
        }
    }

    fn name(&self) -> &str {
        self.spec.service()
    }

    fn fail(&self, context: &str, why: impl std::fmt::Display) -> ! {
        panic!(
            "{}: {context}: {why}\n--- last lines of the Prism log ---\n{}",
            self.name(),
            self.prism.log_tail(25)
        )
    }

    /// Fails when Prism flagged the request as invalid.
    fn check_accepted(&self, context: &str, headers: &HeaderMap, body: impl Debug) {
        self.check_verdict(context, headers, body, false);
    }

    /// Like [`check_accepted`](Self::check_accepted); with `served_counter`, Prism's verdict
    /// on the documented counter-example it served (`location` starting at `response`) is
    /// expected, and only violations of the request fail.
    fn check_verdict(
        &self,
        context: &str,
        headers: &HeaderMap,
        body: impl Debug,
        served_counter: bool,
    ) {
        let verdict = headers.get(VIOLATIONS).filter(|verdict| {
            let violations: Vec<Value> =
                serde_json::from_slice(verdict.as_bytes()).unwrap_or_else(|_| vec![Value::Null]);
            !served_counter || violations.iter().any(|v| v["location"][0] != "response")
        });
        if let Some(verdict) = verdict {
            self.fail(
                context,
                format!(
                    "Prism rejected the request the client sent (a client bug):\n\
                     {VIOLATIONS}: {}\nbody: {body:?}",
                    String::from_utf8_lossy(verdict.as_bytes())
                ),
            );
        }
    }

    /// The success value of `result`, after checking Prism accepted the request.
    fn expect_success<R: Success, E: Documented>(
        &self,
        context: &str,
        result: Result<R, Error<E>>,
    ) -> R {
        self.expect_served_success(context, result, false)
    }

    /// [`expect_success`](Self::expect_success) of a response Prism served from an example,
    /// a documented counter-example when `counter`.
    fn expect_served_success<R: Success, E: Documented>(
        &self,
        context: &str,
        result: Result<R, Error<E>>,
        counter: bool,
    ) -> R {
        match result {
            Ok(value) => {
                self.check_verdict(context, value.headers(), value.body(), counter);
                value
            }
            Err(Error::Api(api)) => {
                self.check_accepted(context, &api.headers, &api.body);
                self.fail(
                    context,
                    format!("documented error instead of success: {api}"),
                )
            }
            Err(Error::UnexpectedResponse(unexpected)) => {
                self.check_accepted(context, &unexpected.headers, &unexpected.body);
                self.fail(
                    context,
                    format!(
                        "{unexpected}; decode error: {:?}; body: {}",
                        unexpected.decode_error,
                        String::from_utf8_lossy(&unexpected.body)
                    ),
                )
            }
            Err(other) => self.fail(context, format!("{} error: {other}", kind(&other))),
        }
    }

    /// Checks a success value against a documented response and example.
    fn check_success<R: Success>(
        &self,
        context: &str,
        op: &Operation,
        value: &R,
        example: Option<&NamedExample>,
    ) -> ResponseDoc {
        let Some(response) = op.responses.iter().find(|r| r.status == value.status()) else {
            self.fail(
                context,
                format!("undocumented success status {}", value.status()),
            )
        };
        if !response.is_success() {
            self.fail(context, format!("{} decoded as a success", value.status()));
        }
        match (response.has_body, value.body()) {
            (true, None) => self.fail(context, "the spec documents a body; the client drops it"),
            // A served counter-example need not decode: the call is still a success, the
            // body kept raw (receiving is liberal).
            (true, Some(Err(_))) if example.is_some_and(|e| e.counter) => {}
            (true, Some(Err(why))) => self.fail(context, format!("the body did not decode: {why}")),
            (false, Some(Ok(body))) => self.fail(context, format!("unexpected typed body {body}")),
            (false, Some(Err(why))) => self.fail(context, format!("unexpected body: {why}")),
            (true, Some(Ok(body))) => {
                let example = example.or(response.examples.first());
                if let Some(example) = example {
                    if let Err(diff) = same_json(&example.value, &body) {
                        self.fail(
                            context,
                            format!("typed body differs from the served example: {diff}"),
                        );
                    }
                }
            }
            (false, None) => {}
        }
        for header in &response.headers {
            let typed = match header.name.to_ascii_lowercase().as_str() {
                "x-amzn-requestid" => value.request_id(),
                "location" => match value.location() {
                    Some(location) => location,
                    None => self.fail(context, "the documented Location header is not typed"),
                },
                _ => self.fail(
                    context,
                    format!("documented header {} has no check here", header.name),
                ),
            };
            self.check_header(context, header, typed);
        }
        response.clone()
    }

    /// Prism sends a header's example; without one, a required header must still arrive.
    fn check_header(&self, context: &str, header: &HeaderDoc, got: Option<&str>) {
        match (header.example.as_ref().and_then(Value::as_str), got) {
            (Some(expected), Some(got)) if expected == got => {}
            (None, Some(_)) => {}
            (None, None) if !header.required => {}
            (expected, got) => self.fail(
                context,
                format!(
                    "header {}: expected the example {expected:?}, got {got:?}",
                    header.name
                ),
            ),
        }
    }

    /// Checks an error result against a documented error response and example.
    fn check_error<R: Success, E: Documented>(
        &self,
        context: &str,
        response: &ResponseDoc,
        example: Option<&NamedExample>,
        result: Result<R, Error<E>>,
    ) {
        let api = match result {
            Err(Error::Api(api)) => api,
            Ok(value) => {
                self.check_accepted(context, value.headers(), value.body());
                self.fail(context, format!("success instead of an error: {value:?}"))
            }
            Err(Error::UnexpectedResponse(unexpected)) => {
                self.check_accepted(context, &unexpected.headers, &unexpected.body);
                self.fail(
                    context,
                    format!(
                        "{unexpected}; decode error: {:?}; body: {}",
                        unexpected.decode_error,
                        String::from_utf8_lossy(&unexpected.body)
                    ),
                )
            }
            Err(other) => self.fail(context, format!("{} error: {other}", kind(&other))),
        };
        self.check_accepted(context, &api.headers, &api.body);
        let (variant_status, body) = api.body.status_and_body();
        if api.status != response.status || variant_status != response.status {
            self.fail(
                context,
                format!(
                    "status {} decoded as the variant of {variant_status}: {:?}",
                    api.status, api.body
                ),
            );
        }
        if api.attempts != 1 {
            self.fail(
                context,
                format!("{} attempts with retries disabled", api.attempts),
            );
        }
        let body = match body {
            Ok(body) => body,
            Err(why) => self.fail(context, format!("the error body did not decode: {why}")),
        };
        if let Some(example) = example.or(response.examples.first()) {
            if let Err(diff) = same_json(&example.value, &body) {
                self.fail(
                    context,
                    format!("typed error body differs from the example: {diff}"),
                );
            }
        }
        for header in &response.headers {
            let got = match header.name.to_ascii_lowercase().as_str() {
                "x-amzn-requestid" => api.request_id.as_deref(),
                // No typed field (the runtime reads it for retries); check it arrived.
                "retry-after" => api.headers.get("retry-after").and_then(|v| v.to_str().ok()),
                _ => self.fail(
                    context,
                    format!("documented header {} has no check here", header.name),
                ),
            };
            self.check_header(context, header, got);
        }
    }

    fn record(&self, op: &str, status: u16, example: Option<&NamedExample>) {
        let name = example.and_then(|e| e.name.clone());
        self.exercised
            .lock()
            .unwrap()
            .insert((op.to_owned(), status, name));
    }

    /// Sends `request` as built (no `Prefer`: Prism answers the first documented success)
    /// and then asks for every documented response and example of `op_id` in turn.
    async fn exercise<R, E, F, Fut>(&self, op_id: &str, call: F) -> R
    where
        R: Success,
        E: Documented,
        F: Fn(Vec<(String, String)>) -> Fut,
        Fut: Future<Output = Result<R, Error<E>>>,
    {
        let op = self.spec.operation(op_id);
        let context = format!("{op_id} (plain request)");
        let first = self.expect_success(&context, call(Vec::new()).await);
        self.check_success(&context, &op, &first, None);
        self.operations.lock().unwrap().insert(op.id.clone());
        for response in &op.responses {
            let examples: Vec<Option<&NamedExample>> = if response.examples.len() > 1 {
                response.examples.iter().map(Some).collect()
            } else {
                vec![response.examples.first()]
            };
            for example in examples {
                let headers = prefer(response, example);
                let context = format!("{op_id} with Prefer: {}", headers[0].1);
                let result = call(headers).await;
                if response.is_success() {
                    let counter = example.is_some_and(|e| e.counter);
                    let value = self.expect_served_success(&context, result, counter);
                    let answered = self.check_success(&context, &op, &value, example);
                    if answered.status != response.status {
                        self.fail(&context, format!("answered {}", answered.status));
                    }
                } else {
                    self.check_error(&context, response, example, result);
                }
                self.record(&op.id, response.status, example);
            }
        }
        first
    }

    /// Decodes every request example of `op_id` into its generated type and sends it; Prism
    /// must accept each one and answer a documented success.
    async fn send_request_examples<B, R, E, F, Fut>(&self, op_id: &str, call: F)
    where
        B: DeserializeOwned,
        R: Success,
        E: Documented,
        F: Fn(B) -> Fut,
        Fut: Future<Output = Result<R, Error<E>>>,
    {
        let op = self.spec.operation(op_id);
        assert!(
            !op.request_examples.is_empty(),
            "{}: {op_id} has no request example",
            self.name()
        );
        for example in &op.request_examples {
            let name = example.name.clone().unwrap_or_else(|| "example".to_owned());
            let context = format!("{op_id} request example {name}");
            if example.counter {
                // A documented counter-example: the client refuses it before anything is
                // sent (it cannot be built, or it fails client-side validation), or, when
                // its only violation is a value outside a documented enum (which passes
                // validation: a server's `Unknown` can be sent back), the service does.
                if let Ok(body) = serde_json::from_value::<B>(example.value.clone()) {
                    match call(body).await {
                        Err(Error::Validation(_)) => {}
                        Err(Error::Api(refused)) if refused.status() == 400 => {}
                        Err(other) => {
                            self.fail(&context, format!("counter-example not refused: {other}"))
                        }
                        Ok(value) => {
                            self.fail(&context, format!("counter-example sent: {value:?}"))
                        }
                    }
                }
                self.request_examples
                    .lock()
                    .unwrap()
                    .insert((op_id.to_owned(), name));
                continue;
            }
            let body: B = serde_json::from_value(example.value.clone())
                .unwrap_or_else(|err| self.fail(&context, format!("does not decode: {err}")));
            let value = self.expect_success(&context, call(body).await);
            self.check_success(&context, &op, &value, None);
            self.request_examples
                .lock()
                .unwrap()
                .insert((op_id.to_owned(), name));
        }
    }

    /// Follows the continuation token once: the second request carries the token of the
    /// first page where the spec's `x-pagination` says, and Prism must accept it.
    async fn two_pages<R, E>(&self, op_id: &str, pages: impl Stream<Item = Result<R, Error<E>>>)
    where
        R: Success,
        E: Documented,
    {
        let op = self.spec.operation(op_id);
        assert!(
            self.spec
                .doc
                .pointer(&op.pointer)
                .is_some_and(|o| o.get("x-pagination").is_some()),
            "{op_id} is not paginated"
        );
        let pages: Vec<Result<R, Error<E>>> = Box::pin(pages).take(2).collect().await;
        assert_eq!(pages.len(), 2, "{op_id}: the example page carries a token");
        for (index, page) in pages.into_iter().enumerate() {
            let context = format!("{op_id} page {}", index + 1);
            let value = self.expect_success(&context, page);
            self.check_success(&context, &op, &value, None);
        }
    }

    /// The coverage line, and what the spec documents that was not exercised.
    fn coverage(&self) -> (String, Vec<String>) {
        let operations = self.spec.operations();
        let exercised = self.exercised.lock().unwrap();
        let called = self.operations.lock().unwrap();
        let requests = self.request_examples.lock().unwrap();
        let mut missing = Vec::new();
        let (mut ops, mut ok, mut errors, mut errors_ok) = (0, 0, 0, 0);
        let (mut successes, mut successes_ok, mut examples, mut examples_ok) = (0, 0, 0, 0);
        let (mut req, mut req_ok) = (0, 0);
        for op in &operations {
            ops += 1;
            if called.contains(&op.id) {
                ok += 1;
            } else {
                missing.push(format!("operation {}", op.id));
            }
            for response in &op.responses {
                let done: Vec<&Exercised> = exercised
                    .iter()
                    .filter(|(id, status, _)| *id == op.id && *status == response.status)
                    .collect();
                let (total, hit) = if response.is_success() {
                    (&mut successes, &mut successes_ok)
                } else {
                    (&mut errors, &mut errors_ok)
                };
                *total += 1;
                if done.is_empty() {
                    missing.push(format!("{} status {}", op.id, response.status));
                } else {
                    *hit += 1;
                }
                for example in &response.examples {
                    examples += 1;
                    let served = response.examples.len() == 1
                        || done.iter().any(|(_, _, name)| *name == example.name);
                    if served {
                        examples_ok += 1;
                    } else {
                        missing.push(format!(
                            "{} status {} example {:?}",
                            op.id, response.status, example.name
                        ));
                    }
                }
            }
            for example in &op.request_examples {
                req += 1;
                let name = example.name.clone().unwrap_or_else(|| "example".to_owned());
                if requests.contains(&(op.id.clone(), name.clone())) {
                    req_ok += 1;
                } else {
                    missing.push(format!("{} request example {name}", op.id));
                }
            }
        }
        let line = format!(
            "{}: operations {ok}/{ops}, success statuses {successes_ok}/{successes}, \
             error statuses {errors_ok}/{errors}, response examples {examples_ok}/{examples}, \
             request examples {req_ok}/{req}",
            self.name()
        );
        (line, missing)
    }
}

fn kind<E>(err: &Error<E>) -> &'static str {
    match err {
        Error::Validation(_) => "client-side validation",
        Error::Auth(_) => "auth",
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        _ => "other",
    }
}

// ---------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------

/// The spec files this test has a suite for; a new spec needs a suite here.
const SERVICES: [&str; 4] = [
    "notifications.yaml",
    "proactive-events.yaml",
    "proactive-suggestions.yaml",
    "skill-development-notifications.yaml",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_conforms_to_its_spec_under_prism() {
    let started = Instant::now();
    require_prism();
    assert_eq!(
        spec_files(),
        SERVICES.to_vec(),
        "every spec in specs/ needs a conformance suite in tests/conformance.rs"
    );
    // Four Prism servers, started in parallel; each is killed when its Service drops.
    let (notifications, events, suggestions, sdns) = tokio::join!(
        Service::start(SERVICES[0]),
        Service::start(SERVICES[1]),
        Service::start(SERVICES[2]),
        Service::start(SERVICES[3]),
    );
    let ready = started.elapsed();
    tokio::join!(
        notifications_suite(&notifications),
        proactive_events_suite(&events),
        proactive_suggestions_suite(&suggestions),
        skill_development_notifications_suite(&sdns),
    );
    let mut missing = Vec::new();
    for service in [&notifications, &events, &suggestions, &sdns] {
        let (line, gaps) = service.coverage();
        println!("{line}");
        missing.extend(
            gaps.into_iter()
                .map(|gap| format!("{}: {gap}", service.name())),
        );
    }
    println!(
        "conformance: Prism ready after {:.1?}, all checks done after {:.1?}",
        ready,
        started.elapsed()
    );
    assert!(
        missing.is_empty(),
        "documented but not exercised:\n{}",
        missing.join("\n")
    );
}

/// Bearer token (the Authorization header Prism checks for the OAuth scheme; plain http is
/// allowed because Prism is on loopback) and no retries, so a 429/503 is one attempt.
macro_rules! client {
    ($module:ident, $service:expr) => {
        $module::Client::builder()
            .base_url($service.prism.base_url())
            .credentials(Credentials::bearer(TOKEN))
            .retry(RetryPolicy::disabled())
            .build()
            .expect("client builds")
    };
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("RFC 3339 date-time")
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("URL")
}

// --- Notifications ---------------------------------------------------------------------

fn nt_recipients(count: usize) -> Vec<nt::types::Recipient> {
    (1..=count)
        .map(|i| {
            nt::types::Recipient::new(
                nt::types::RecipientType::Unit,
                format!("amzn1.alexa.unit.did.AH3Q5EXAMPLE{i}"),
            )
        })
        .collect()
}

fn nt_send_body() -> nt::types::SendNotificationsRequest {
    use nt::types::*;
    let spoken = SpokenContent::new(vec![SpokenTextContent::new(
        SpokenTextContentType::SpokenText,
        vec![
            LocalizedSpokenText::new("en-US".into(), "Happy hour starts at 5 pm.".into()),
            LocalizedSpokenText::new("de-DE".into(), "Die Happy Hour beginnt um 17 Uhr.".into()),
        ],
    )]);
    let text_wrapping = TextWrappingTemplate::new(
        "en-US".into(),
        TextWrappingDocument::new(
            DocumentType::Link,
            TextWrappingDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertTextWrappingTemplate,
        ),
        TextWrappingDatasources::new(
            DisplayText::new("Happy hour at the pool bar".into())
                .with_secondary_text("5 to 7 pm".into()),
        )
        .with_background(
            Background::new().with_background_image_source(url("https://www.example.com/pool.jpg")),
        )
        .with_attribution(AttributionText::new("Example Hotel".into()).into()),
    );
    let media = MediaThumbnailTemplate::new(
        "en-US".into(),
        MediaThumbnailDocument::new(
            DocumentType::Link,
            MediaThumbnailDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertMediaThumbnailTemplate,
        ),
        MediaThumbnailDatasources::new(DisplayText::new("Spa".into()))
            .with_thumbnail(Thumbnail::new(url("https://www.example.com/spa.jpg")))
            .with_attribution(
                AttributionImage::new(url("https://www.example.com/logo.png")).into(),
            ),
    );
    let rating = RatingTemplate::new(
        "en-US".into(),
        RatingDocument::new(
            DocumentType::Link,
            RatingDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertRatingTemplate,
        ),
        RatingDatasources::new(
            RatingDisplayText::new("Pool bar".into(), 4.5, "4.5 / 5".into())
                .with_hint_text("Open until 10 pm".into()),
        ),
    );
    let alert = PersistentVisualAlert::new(VisualAlertContent::new(vec![V0TemplateContent::new(
        V0TemplateContentType::V0Template,
        vec![text_wrapping.into(), media.into(), rating.into()],
    )]))
    .with_dismissal_time(at("2030-04-30T10:00:00Z"));
    let notification = Notification::new(vec![
        DeviceNotification::new(spoken.clone()).into(),
        Announcement::new(spoken).into(),
        alert.into(),
    ])
    .with_reference_id("2f1d7a52-5c1b-4a8e-9d1e-0b6c1f8e3a77".into());
    SendNotificationsRequest::new(nt_recipients(3), notification)
}

fn nt_query_by_units() -> nt::types::QueryNotificationsRequest {
    use nt::types::*;
    let units: Vec<QueryFilter> = nt_recipients(2)
        .into_iter()
        .map(|r| MatchFilter::new(RecipientIdMatch::new(r.id).into()).into())
        .collect();
    let query = QueryByUnits::new(vec![
        OrFilter::new(units).into(),
        MatchFilter::new(RecipientTypeMatch::new(RecipientType::Unit).into()).into(),
        MatchFilter::new(
            NotificationVariantTypeMatch::new(
                NotificationVariantTypeMatchNotificationVariantsType::PersistentVisualAlert,
            )
            .into(),
        )
        .into(),
    ]);
    QueryNotificationsRequest::new(query.into())
        .with_pagination_context(QueryPaginationContext::new().with_max_results(10))
}

fn nt_query_by_reference_ids() -> nt::types::QueryNotificationsRequest {
    use nt::types::*;
    let query = QueryByReferenceIds::new(vec![MatchFilter::new(
        ReferenceIdMatch::new("2f1d7a52-5c1b-4a8e-9d1e-0b6c1f8e3a77".into()).into(),
    )]);
    QueryNotificationsRequest::new(query.into()).with_pagination_context(
        QueryPaginationContext::new()
            .with_max_results(100)
            .with_next_token("page-2".into()),
    )
}

async fn notifications_suite(service: &Service) {
    use nt::types::{DeletableNotificationType, DeleteNotificationsRequest, RecipientType};
    let client = &client!(nt, service);
    let sent = service
        .exercise("sendNotifications", |headers| {
            send!(client.send_notifications(nt_send_body()), headers)
        })
        .await;
    assert_eq!(sent.status, 202);
    service
        .send_request_examples("sendNotifications", |body| {
            client.send_notifications(body).send()
        })
        .await;
    service
        .exercise("deleteNotificationsByUnit", |headers| {
            send!(
                client.delete_notifications_by_unit(
                    "amzn1.alexa.unit.did.AH3Q5EXAMPLE1".into(),
                    RecipientType::Unit,
                    DeletableNotificationType::PersistentVisualAlert,
                ),
                headers
            )
        })
        .await;
    service
        .exercise("deleteNotifications", |headers| {
            let body = DeleteNotificationsRequest::new(
                nt_recipients(100),
                vec![DeletableNotificationType::DeviceNotification],
            );
            send!(client.delete_notifications(body), headers)
        })
        .await;
    service
        .send_request_examples("deleteNotifications", |body| {
            client.delete_notifications(body).send()
        })
        .await;
    let page = service
        .exercise("queryNotifications", |headers| {
            send!(client.query_notifications(nt_query_by_units()), headers)
        })
        .await;
    let page = page.body.expect("the query page decodes");
    assert!(!page.success_results.unwrap_or_default().is_empty());
    service
        .two_pages(
            "queryNotifications",
            client.query_notifications(nt_query_by_units()).pages(),
        )
        .await;
    let by_reference = client
        .query_notifications(nt_query_by_reference_ids())
        .send()
        .await;
    service.expect_success("queryNotifications by reference IDs", by_reference);
    service
        .send_request_examples("queryNotifications", |body| {
            client.query_notifications(body).send()
        })
        .await;
}

// --- Proactive Events ------------------------------------------------------------------

fn pe_event(audience: pe::types::RelevantAudience) -> pe::types::ProactiveEvent {
    use pe::types::*;
    let payload = json!({
        "state": {"status": "ORDER_SHIPPED", "deliveryDetails": {"expectedArrival": "2030-06-23T18:00:00Z"}},
        "order": {"seller": {"name": "localizedattribute:sellerName"}},
    });
    let payload = serde_json::from_value(payload).expect("payload map");
    let mut en = LocalizedAttributes::new(Locale::EnUs);
    en.additional_properties
        .insert("sellerName".into(), "AnyCompany".into());
    let mut de = LocalizedAttributes::new(Locale::DeDe);
    de.additional_properties
        .insert("sellerName".into(), "AnyCompany Deutschland".into());
    ProactiveEvent::new(
        at("2030-06-22T20:00:00Z"),
        "order-1234.shipped_v1~a".into(),
        at("2030-06-23T20:00:00Z"),
        Event::new("AMAZON.OrderStatus.Updated".into(), payload),
        vec![en, de],
        audience,
    )
}

fn pe_unicast() -> pe::types::RelevantAudience {
    use pe::types::*;
    UnicastAudience::new(
        UnicastAudiencePayload::new().with_user("amzn1.ask.account.AEXAMPLE".into()),
    )
    .into()
}

fn pe_multicast() -> pe::types::RelevantAudience {
    use pe::types::*;
    MulticastAudience::new(MulticastAudiencePayload::new()).into()
}

async fn proactive_events_suite(service: &Service) {
    let client = &client!(pe, service);
    service
        .exercise("createProactiveEvent", |headers| {
            send!(
                client.create_proactive_event(pe_event(pe_unicast())),
                headers
            )
        })
        .await;
    let multicast = client
        .create_proactive_event(pe_event(pe_multicast()))
        .send()
        .await;
    service.expect_success("createProactiveEvent multicast", multicast);
    service
        .send_request_examples("createProactiveEvent", |body| {
            client.create_proactive_event(body).send()
        })
        .await;
    service
        .exercise("createDevelopmentProactiveEvent", |headers| {
            send!(
                client.create_development_proactive_event(pe_event(pe_multicast())),
                headers
            )
        })
        .await;
    service
        .send_request_examples("createDevelopmentProactiveEvent", |body| {
            client.create_development_proactive_event(body).send()
        })
        .await;
}

// --- Proactive Suggestions -------------------------------------------------------------

fn ps_campaign() -> ps::types::CreateCampaignRequest {
    use ps::types::*;
    let content = |locale: &str, title: &str, body: &str| {
        LocalizedSuggestionContent::new(
            locale.into(),
            SuggestionDocument::new(
                SuggestionDocumentType::Link,
                SuggestionDocumentSrc::DocAlexaAplDocumentsEnterpriseSuggestionsHomeDefaultTemplate,
            ),
            SuggestionDatasources::new()
                .with_display_text(
                    SuggestionDisplayText::new()
                        .with_title(title.into())
                        .with_body(body.into())
                        .with_action(
                            SkillConnectionAction::new()
                                .with_type(SkillConnectionActionType::SkillConnection)
                                .with_uri(
                                    "connection://AMAZON.ColdLaunch/1?provider=amzn1.ask.skill.0f9e8d7c"
                                        .into(),
                                ),
                        ),
                )
                .with_background(Background::new(url("https://www.example.com/spa.jpg"))),
        )
    };
    let suggestion = Suggestion::new(vec![SuggestionVariant::new(
        Placement::new(Channel::Home),
        SuggestionContent::new(vec![
            content("en-US", "Spa afternoon", "Massages half price until 6 pm."),
            content(
                "fr-FR",
                "Après-midi spa",
                "Massages à moitié prix jusqu'à 18 h.",
            ),
        ]),
    )]);
    let targeting = UnitsTargeting::new(
        UnitsTargetingType::Units,
        vec![
            UnitTarget::new("amzn1.alexa.unit.did.AH3Q5EXAMPLE1".into()),
            UnitTarget::new("amzn1.alexa.unit.did.AH3Q5EXAMPLE2".into()),
        ],
    );
    let window = ActivationWindow::new(at("2030-01-01T10:00:00Z"), at("2030-01-31T10:00:00Z"));
    CreateCampaignRequest::new(suggestion, targeting, Scheduling::new(window))
}

fn ps_query() -> ps::types::QueryCampaignsRequest {
    use ps::types::*;
    let units: Vec<QueryFilter> = ["amzn1.alexa.unit.did.AH3Q5EXAMPLE1", "U2"]
        .into_iter()
        .map(|id| MatchFilter::new(TargetingValueIdMatch::new(id.into()).into()).into())
        .collect();
    let query = CampaignQuery::new(vec![
        OrFilter::new(units).into(),
        MatchFilter::new(TargetingTypeMatch::new(TargetingTypeMatchTargetingType::Units).into())
            .into(),
    ]);
    QueryCampaignsRequest::new(query)
        .with_pagination_context(QueryPaginationContext::new().with_max_results(10))
}

async fn proactive_suggestions_suite(service: &Service) {
    let client = &client!(ps, service);
    let created = service
        .exercise("createCampaign", |headers| {
            send!(client.create_campaign(ps_campaign()), headers)
        })
        .await;
    service
        .send_request_examples("createCampaign", |body| client.create_campaign(body).send())
        .await;
    let campaign_id = created
        .body
        .expect("the created campaign decodes")
        .campaign_id;
    service
        .exercise("listCampaigns", |headers| {
            send!(
                client
                    .list_campaigns()
                    .max_results(5)
                    .next_token("token-from-previous-page".into()),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listCampaigns",
            client.list_campaigns().max_results(2).pages(),
        )
        .await;
    service
        .exercise("queryCampaigns", |headers| {
            send!(client.query_campaigns(ps_query()), headers)
        })
        .await;
    service
        .two_pages("queryCampaigns", client.query_campaigns(ps_query()).pages())
        .await;
    service
        .send_request_examples("queryCampaigns", |body| client.query_campaigns(body).send())
        .await;
    service
        .exercise("getCampaign", |headers| {
            send!(client.get_campaign(campaign_id.clone()), headers)
        })
        .await;
    service
        .exercise("deleteCampaign", |headers| {
            send!(client.delete_campaign(campaign_id.clone()), headers)
        })
        .await;
}

// --- Skill Development Notifications ---------------------------------------------------

fn sdn_endpoint() -> sdn::types::Endpoint {
    use sdn::types::*;
    Endpoint::new(
        url("arn:aws:sns:us-east-1:123456789012:skill-development-events"),
        AwsIamAuthorization::new(
            AwsIamAuthorizationType::AwsIam,
            "arn:aws:iam::123456789012:role/sdns-publisher".into(),
        ),
    )
}

/// The last path segment of a `Location` header: the new resource's ID.
fn id_from_location(location: &str) -> String {
    location.rsplit('/').next().expect("a segment").to_owned()
}

/// Takes the token off every request: an operation that requires one fails before sending
/// when the client has none, so the control request is sent with one and stripped here.
struct WithoutToken;

impl alexa_apis::runtime::Hook for WithoutToken {
    fn on_request(
        &self,
        request: &mut alexa_apis::runtime::reqwest::Request,
        _info: &alexa_apis::runtime::AttemptInfo,
    ) -> alexa_apis::runtime::Control {
        request
            .headers_mut()
            .remove(alexa_apis::runtime::reqwest::header::AUTHORIZATION);
        alexa_apis::runtime::Control::Send
    }
}

async fn skill_development_notifications_suite(service: &Service) {
    use sdn::types::*;
    let client = &client!(sdn, service);
    let vendor = "M2EXAMPLEVENDOR";
    let created = service
        .exercise("createSubscriber", |headers| {
            let body =
                CreateSubscriberRequest::new("ops-alerts".into(), vendor.into(), sdn_endpoint());
            send!(client.create_subscriber(body), headers)
        })
        .await;
    let subscriber_id = id_from_location(&created.location);
    // Control: Prism's verdict on a bad request reaches the client's error, so its absence
    // everywhere else means Prism accepted the requests. No token is a bad request.
    let anonymous = sdn::Client::builder()
        .base_url(service.prism.base_url())
        .credentials(Credentials::bearer(TOKEN))
        .hook(WithoutToken)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client builds");
    match anonymous.get_subscriber(subscriber_id.clone()).send().await {
        Err(Error::Api(api)) if api.status == 401 && api.headers.contains_key(VIOLATIONS) => {}
        other => service.fail(
            "control request without a token",
            format!("Prism did not flag it: {other:?}"),
        ),
    }
    service
        .send_request_examples("createSubscriber", |body| {
            client.create_subscriber(body).send()
        })
        .await;
    service
        .exercise("listSubscribers", |headers| {
            send!(
                client
                    .list_subscribers(vendor.into())
                    .max_results(50)
                    .next_token("a".repeat(2047)),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listSubscribers",
            client
                .list_subscribers(vendor.into())
                .max_results(2)
                .pages(),
        )
        .await;
    service
        .exercise("getSubscriber", |headers| {
            send!(client.get_subscriber(subscriber_id.clone()), headers)
        })
        .await;
    service
        .exercise("updateSubscriber", |headers| {
            let body = UpdateSubscriberRequest::new("ops-alerts-v2".into(), sdn_endpoint());
            send!(
                client.update_subscriber(subscriber_id.clone(), body),
                headers
            )
        })
        .await;
    service
        .send_request_examples("updateSubscriber", |body| {
            client.update_subscriber(subscriber_id.clone(), body).send()
        })
        .await;
    let created = service
        .exercise("createSubscription", |headers| {
            let body = CreateSubscriptionRequest::new(
                "certification-and-publishing".into(),
                vec![
                    DevelopmentEventName::AlexaDevelopmentEventSkillCertification,
                    DevelopmentEventName::AlexaDevelopmentEventSkillPublish,
                ],
                vendor.into(),
                subscriber_id.clone(),
            );
            send!(client.create_subscription(body), headers)
        })
        .await;
    let subscription_id = id_from_location(&created.location);
    service
        .send_request_examples("createSubscription", |body| {
            client.create_subscription(body).send()
        })
        .await;
    service
        .exercise("listSubscriptions", |headers| {
            send!(
                client
                    .list_subscriptions()
                    .vendor_id(vendor.into())
                    .subscriber_id(subscriber_id.clone())
                    .max_results(1),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listSubscriptions",
            client.list_subscriptions().vendor_id(vendor.into()).pages(),
        )
        .await;
    service
        .exercise("getSubscription", |headers| {
            send!(client.get_subscription(subscription_id.clone()), headers)
        })
        .await;
    service
        .exercise("updateSubscription", |headers| {
            let body = UpdateSubscriptionRequest::new(
                "everything".into(),
                vec![
                    DevelopmentEventName::AlexaDevelopmentEventAll,
                    DevelopmentEventName::AlexaCustomerFeedbackEventSkillReviewPublish,
                ],
            );
            send!(
                client.update_subscription(subscription_id.clone(), body),
                headers
            )
        })
        .await;
    service
        .send_request_examples("updateSubscription", |body| {
            client
                .update_subscription(subscription_id.clone(), body)
                .send()
        })
        .await;
    service
        .exercise("deleteSubscription", |headers| {
            send!(client.delete_subscription(subscription_id.clone()), headers)
        })
        .await;
    service
        .exercise("deleteSubscriber", |headers| {
            send!(client.delete_subscriber(subscriber_id.clone()), headers)
        })
        .await;
}
