//! One spec under Prism: the calls, the checks on each response, and the coverage of what
//! the spec documents.

use super::*;

pub(super) struct Service {
    pub(super) spec: Spec,
    pub(super) prism: Prism,
    /// operationIds whose success response passed all checks.
    pub(super) operations: Mutex<BTreeSet<String>>,
    /// Documented responses (and examples) that passed all checks.
    pub(super) exercised: Mutex<BTreeSet<Exercised>>,
    /// Request examples sent and accepted: (operationId, example name).
    pub(super) request_examples: Mutex<BTreeSet<(String, String)>>,
}

/// Headers of one call: a `Prefer` asking Prism for one documented response.
pub(super) fn prefer(
    response: &ResponseDoc,
    example: Option<&NamedExample>,
) -> Vec<(String, String)> {
    let mut value = format!("code={}", response.status);
    if response.examples.len() > 1 {
        let name = example.and_then(|e| e.name.as_deref()).expect("named");
        value.push_str(&format!(", example={name}"));
    }
    vec![("Prefer".to_owned(), value)]
}

impl Service {
    pub(super) async fn start(spec_file: &str) -> Service {
        Service {
            spec: Spec::load(spec_file),
            prism: Prism::start(spec_file).await,
            operations: Mutex::default(),
            exercised: Mutex::default(),
            request_examples: Mutex::default(),
        }
    }

    pub(super) fn name(&self) -> &str {
        self.spec.service()
    }

    pub(super) fn fail(&self, context: &str, why: impl std::fmt::Display) -> ! {
        panic!(
            "{}: {context}: {why}\n--- last lines of the Prism log ---\n{}",
            self.name(),
            self.prism.log_tail(25)
        )
    }

    /// Fails when Prism flagged the request as invalid.
    pub(super) fn check_accepted(&self, context: &str, headers: &HeaderMap, body: impl Debug) {
        self.check_verdict(context, headers, body, false);
    }

    /// Like [`check_accepted`](Self::check_accepted); with `served_counter`, Prism's verdict
    /// on the documented counter-example it served (`location` starting at `response`) is
    /// expected, and only violations of the request fail.
    pub(super) fn check_verdict(
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
    pub(super) fn expect_success<R: Success, E: Documented>(
        &self,
        context: &str,
        result: Result<R, Error<E>>,
    ) -> R {
        self.expect_served_success(context, result, false)
    }

    /// [`expect_success`](Self::expect_success) of a response Prism served from an example,
    /// a documented counter-example when `counter`.
    pub(super) fn expect_served_success<R: Success, E: Documented>(
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
    pub(super) fn check_success<R: Success>(
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
    pub(super) fn check_header(&self, context: &str, header: &HeaderDoc, got: Option<&str>) {
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
    pub(super) fn check_error<R: Success, E: Documented>(
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

    pub(super) fn record(&self, op: &str, status: u16, example: Option<&NamedExample>) {
        let name = example.and_then(|e| e.name.clone());
        self.exercised
            .lock()
            .unwrap()
            .insert((op.to_owned(), status, name));
    }

    /// Sends `request` as built (no `Prefer`: Prism answers the first documented success)
    /// and then asks for every documented response and example of `op_id` in turn.
    pub(super) async fn exercise<R, E, F, Fut>(&self, op_id: &str, call: F) -> R
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
    pub(super) async fn send_request_examples<B, R, E, F, Fut>(&self, op_id: &str, call: F)
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
    pub(super) async fn two_pages<R, E>(
        &self,
        op_id: &str,
        pages: impl Stream<Item = Result<R, Error<E>>>,
    ) where
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
    pub(super) fn coverage(&self) -> (String, Vec<String>) {
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

pub(super) fn kind<E>(err: &Error<E>) -> &'static str {
    match err {
        Error::Validation(_) => "client-side validation",
        Error::Auth(_) => "auth",
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        _ => "other",
    }
}
