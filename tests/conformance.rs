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
use alexa_apis::runtime::Uri;
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

#[path = "conformance/service.rs"]
mod service;
#[path = "conformance/suites.rs"]
mod suites;

use service::Service;
use suites::*;
