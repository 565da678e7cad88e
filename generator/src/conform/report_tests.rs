//! Tests of the verdicts (`report.rs`).
use super::*;

fn line(fill: &str, examples: bool, outcome: &str, status: u16, violations: &str) -> Line {
    Line {
        op: "op".into(),
        fill: fill.into(),
        examples,
        sources: if examples {
            "example".into()
        } else {
            "synthesized".into()
        },
        outcome: outcome.into(),
        status: Some(status),
        violations: (!violations.is_empty()).then(|| violations.to_owned()),
        detail: None,
        lenient: 0,
    }
}

/// A verdict of a request the judge rejected with `evidence`, as the rules see it.
fn rejected(evidence: &str) -> Verdict {
    Verdict {
        conforms: false,
        cause: Some(Cause::new(Party::Ours, "request rejected", evidence)),
        spec_defect: None,
        judge: "prism".into(),
        lenient: false,
    }
}

#[test]
fn an_operation_conforming_only_by_the_liberal_reading_is_marked() {
    let mut relaxed = line("required", false, "ok", 200, "");
    relaxed.lenient = 1;
    let strict = line("required", true, "ok", 200, "");
    let only_relaxed = verdict(&[&relaxed]);
    assert!(only_relaxed.conforms && only_relaxed.lenient);
    // One strict pass of the same fill is enough: leniency did not decide it.
    let both = verdict(&[&relaxed, &strict]);
    assert!(both.conforms && !both.lenient);
}

const REJECTED: &str = r#"[{"location":["request","body"],"severity":"Error","code":"required","message":"Request body must have required property 'name'"}]"#;
const WARNED: &str =
    r#"[{"location":["request","query"],"severity":"Warning","code":"x","message":"meh"}]"#;

#[test]
fn the_judges_own_problem_documents_are_classified() {
    let mut rejected = line("required", false, "unexpected", 422, "");
    rejected.detail = Some(
        r#"undocumented status; body: {"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","status":422,"validation":[{"location":["request","header"],"severity":"Error","code":"required","message":"Request header must have required property 'x-trace'"}]}"#
            .into(),
    );
    let cause = verdict(&[&rejected]).cause.expect("a cause");
    assert_eq!(cause.label(), "ours: request rejected");
    assert!(
        cause.evidence.contains("'x-trace' (request.header)"),
        "{cause:?}"
    );
    let mut limit = line("required", false, "unexpected", 500, "");
    limit.detail = Some(
        r#"undocumented status; body: {"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","status":500}"#.into(),
    );
    let cause = verdict(&[&limit]).cause.expect("a cause");
    assert_eq!(cause.label(), "judge: judge error");
    let mut media = line("required", false, "unexpected", 415, "");
    media.detail = Some("undocumented status; body: {\"type\":\"https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE\"}".into());
    assert_eq!(
        verdict(&[&media]).cause.map(|c| c.label()).as_deref(),
        Some("ours: media type")
    );
}

#[test]
fn a_list_of_violations_cut_short_is_still_read() {
    let cut = r#"Too many violations! [{"location":["response","body","a"],"severity":"Error","code":"enum","message":"Response body property a must be"#;
    let ok = line("required", false, "ok", 200, cut);
    let verdict = verdict(&[&ok]);
    assert!(verdict.conforms);
    assert_eq!(
        verdict.spec_defect.map(|d| d.label()).as_deref(),
        Some("spec: response breaks its schema")
    );
}

#[test]
fn accepted_and_decoded_conforms() {
    let ok = line("required", true, "ok", 200, WARNED);
    assert!(verdict(&[&ok]).conforms);
}

#[test]
fn a_rejected_request_is_ours_with_the_judges_words() {
    let bad = line("required", false, "api", 422, REJECTED);
    let verdict = verdict(&[&bad]);
    assert!(!verdict.conforms);
    let cause = verdict.cause.expect("a cause");
    assert_eq!(cause.label(), "ours: request rejected");
    assert!(
        cause.evidence.contains("required property 'name'"),
        "{cause:?}"
    );
}

#[test]
fn a_served_example_that_is_json_text_in_a_string_is_the_specs() {
    let mut served = line("required", true, "undecoded", 200, "");
    served.detail = Some(
        r#"the body of response 200 does not match the documented type: invalid type: string "{ \"Name\": \"My Docs\" }", expected struct Folder at line 1 column 30"#
            .into(),
    );
    let cause = verdict(&[&served]).cause.expect("a cause");
    assert_eq!(cause.label(), "spec: example is JSON text in a string");
    let mut plain = line("required", true, "undecoded", 200, "");
    plain.detail = Some(
        r#"the body of response 200 does not match the documented type: invalid type: string "abc", expected struct Folder"#
            .into(),
    );
    assert_eq!(
        verdict(&[&plain]).cause.map(|c| c.label()).as_deref(),
        Some("ours: decode")
    );
}

#[test]
fn a_rejected_value_of_an_unsatisfiable_schema_is_the_specs() {
    let mut bad = line("required", false, "api", 422, REJECTED);
    bad.sources = "synthesized+unsatisfiable".into();
    let cause = verdict(&[&bad]).cause.expect("a cause");
    assert_eq!(cause.label(), "spec: schema defect");
    assert!(cause.evidence.contains("'name'"), "{cause:?}");
}

#[test]
fn a_rejected_example_with_passing_synthesized_values_is_the_specs() {
    let example = line("required", true, "api", 422, REJECTED);
    let synthesized = line("required", false, "ok", 201, "");
    let verdict = verdict(&[&example, &synthesized]);
    assert!(verdict.conforms);
    assert_eq!(verdict.spec_defect.map(|c| c.party), Some(Party::Spec));
}

#[test]
fn the_judges_complaints_about_its_own_response_are_the_specs() {
    const RESPONSE: &str = r#"[{"location":["response","body"],"severity":"Error","code":"type","message":"Response body must be object"}]"#;
    let ok = line("required", false, "ok", 200, RESPONSE);
    let verdict = verdict(&[&ok]);
    assert!(verdict.conforms);
    let defect = verdict.spec_defect.expect("a spec defect");
    assert_eq!(defect.label(), "spec: response breaks its schema");
}

#[test]
fn a_random_body_the_second_judge_drew_against_the_schema_is_the_judges() {
    const RANDOM: &str = r#"[{"location":["response","body","id"],"severity":"Error","code":"required","message":"Random response body must have required property 'id'"}]"#;
    let mut undecoded = line("required", false, "undecoded", 200, RANDOM);
    undecoded.detail = Some("missing field `id` at line 1".into());
    let failed = verdict(&[&undecoded]);
    assert!(!failed.conforms);
    let cause = failed.cause.expect("a cause");
    assert_eq!(cause.label(), "judge: random body breaks the schema");
    // Decoded anyway: no spec defect either.
    let ok = line("required", false, "ok", 200, RANDOM);
    let passed = verdict(&[&ok]);
    assert!(passed.conforms);
    assert_eq!(passed.spec_defect, None);
}

#[test]
fn every_fill_must_pass_and_decode_failures_are_ours() {
    let required = line("required", true, "ok", 200, "");
    let mut everything = line("everything", true, "unexpected", 200, "");
    everything.detail = Some("missing field `id` at line 1".into());
    let verdict = verdict(&[&required, &everything]);
    assert!(!verdict.conforms);
    assert_eq!(
        verdict.cause.map(|c| c.label()).as_deref(),
        Some("ours: decode")
    );
}

#[test]
fn summary_counts_specs_fully_conforming() {
    let conforming = OperationReport {
        operation: "a".into(),
        modes: BTreeMap::from([(
            "static".to_owned(),
            Verdict {
                conforms: true,
                cause: None,
                spec_defect: None,
                judge: "prism".into(),
                lenient: false,
            },
        )]),
    };
    let failing = OperationReport {
        operation: "b".into(),
        modes: BTreeMap::from([(
            "static".to_owned(),
            Verdict {
                conforms: false,
                cause: Some(Cause::new(Party::Ours, "decode", "x")),
                spec_defect: None,
                judge: "prism".into(),
                lenient: false,
            },
        )]),
    };
    let reports = vec![
        SpecReport {
            spec: "a.yaml".into(),
            judge: "prism".into(),
            operations: vec![conforming.clone()],
            operation_count: 1,
            ..SpecReport::default()
        },
        SpecReport {
            spec: "b.yaml".into(),
            judge: "prism".into(),
            operations: vec![conforming, failing],
            operation_count: 2,
            ..SpecReport::default()
        },
    ];
    assert_eq!(
        summary(&reports),
        "2/3 operations conform (1/2 specs fully), 0 panics"
    );
    let table = format(&reports, &[Mode::Static], true);
    assert!(table.contains("ours: decode 1"), "{table}");
    assert!(
        table.contains("b.yaml b [static] ours: decode: x"),
        "{table}"
    );
}

#[test]
fn a_row_with_two_judges_says_which_served_each_operation() {
    let judged = |operation: &str, judge: &str, cause: Option<Cause>| OperationReport {
        operation: operation.into(),
        modes: BTreeMap::from([(
            "static".to_owned(),
            Verdict {
                conforms: cause.is_none(),
                cause,
                spec_defect: None,
                judge: judge.into(),
                lenient: false,
            },
        )]),
    };
    let mut report = SpecReport {
        spec: "a.yaml".into(),
        operations: vec![
            judged("a", "prism", None),
            judged("b", "openapi-backend", None),
            judged(
                "c",
                "openapi-backend",
                Some(Cause::new(Party::Ours, "decode", "x")),
            ),
        ],
        operation_count: 3,
        ..SpecReport::default()
    };
    report.judge = report.judge_label().expect("judges");
    assert_eq!(report.judge, "prism+openapi-backend");
    let table = format(&[report], &[Mode::Static], true);
    assert!(
        table.contains("(judged by prism 1, openapi-backend 2)"),
        "{table}"
    );
    assert!(
        table.contains("a.yaml c [static, openapi-backend] ours: decode: x"),
        "{table}"
    );
}

#[test]
fn a_documented_401_is_credentials_only_when_the_judge_says_so() {
    // svix's `expunge-content` documents no success: the judge serves its 401.
    let served = line("required", false, "api", 401, "");
    assert!(verdict(&[&served]).conforms);
    let refused = line(
        "required",
        false,
        "api",
        401,
        r#"[{"location":["request"],"severity":"Error","code":401,"message":"Invalid security scheme used"}]"#,
    );
    let cause = verdict(&[&refused]).cause.expect("refused");
    assert_eq!(cause.label(), "ours: credentials");
}

#[test]
fn a_rejected_path_parameter_the_operation_lacks_is_an_ambiguous_template() {
    let own = ["ContactNumber".to_owned()];
    let mut other =
        rejected(r#"Request path parameter contactid must match format "uuid" (path.contactid)"#);
    ambiguous_path(&mut other, &own);
    let cause = other.cause.expect("a cause");
    assert_eq!(cause.label(), "spec: ambiguous path templates");
    assert!(cause.evidence.contains("`contactid`"), "{cause:?}");
    let mut backend = rejected(r#"must match format "uuid" (request.path.AttachmentID)"#);
    ambiguous_path(&mut backend, &["FileName".to_owned()]);
    assert_eq!(
        backend.cause.map(|c| c.label()).as_deref(),
        Some("spec: ambiguous path templates")
    );
    // Its own parameter rejected is ours.
    let mut mine =
        rejected("Request path parameter contactnumber must be integer (path.contactnumber)");
    ambiguous_path(&mut mine, &own);
    assert_eq!(
        mine.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
}

#[test]
fn a_rejected_request_on_a_path_with_a_fragment_is_the_specs() {
    let mut rejected =
        rejected("Request path must have required property 'conversation_id' (request.path)");
    fragment_path(&mut rejected);
    assert_eq!(
        rejected.cause.map(|c| c.label()).as_deref(),
        Some("spec: path with a fragment")
    );
    let mut decode = Verdict {
        conforms: false,
        cause: Some(Cause::new(Party::Ours, "decode", "200: missing field")),
        spec_defect: None,
        judge: "prism".into(),
        lenient: false,
    };
    fragment_path(&mut decode);
    assert_eq!(
        decode.cause.map(|c| c.label()).as_deref(),
        Some("ours: decode")
    );
}

#[test]
fn a_multipart_list_rejected_as_no_array_is_the_judges_limit() {
    let mut list = rejected("Request body property tags must be array (body.tags)");
    multipart_list(&mut list);
    assert_eq!(
        list.cause.map(|c| c.label()).as_deref(),
        Some("judge: multipart list read as a scalar")
    );
    let mut other = rejected("Request body property name must be string (body.name)");
    multipart_list(&mut other);
    assert_eq!(
        other.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
    // box's upload: the `attributes` part is JSON, which Prism reads as text.
    let mut json_part =
        rejected("Request body property attributes must be object (request.body.attributes)");
    multipart_list(&mut json_part);
    assert_eq!(
        json_part.cause.map(|c| c.label()).as_deref(),
        Some("judge: multipart JSON part read as text")
    );
}

#[test]
fn a_declared_path_parameter_its_template_lacks_is_the_specs() {
    let mut radarr = rejected("Request path must have required property 'path' (path)");
    unplaced_path_parameter(&mut radarr, "/");
    let cause = radarr.cause.expect("a cause");
    assert_eq!(cause.label(), "spec: path parameter outside its template");
    assert!(cause.evidence.contains("`{path}`"), "{cause:?}");
    // A parameter the template names stays ours.
    let mut ours = rejected("Request path must have required property 'id' (path)");
    unplaced_path_parameter(&mut ours, "/items/{id}");
    assert_eq!(
        ours.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
}

#[test]
fn a_rejected_form_whose_schema_is_no_object_is_the_specs() {
    let mut kittycad = rejected("Request body must be string (body)");
    undescribed_parts(&mut kittycad);
    assert_eq!(
        kittycad.cause.map(|c| c.label()).as_deref(),
        Some("spec: multipart schema is no object")
    );
}

#[test]
fn a_path_template_with_a_query_the_judge_did_not_route_is_the_specs() {
    let mut beta = Verdict {
        conforms: false,
        cause: Some(Cause::new(
            Party::Ours,
            "wrong path",
            "404 NO_PATH_MATCHED_ERROR: undocumented status",
        )),
        spec_defect: None,
        judge: "prism".into(),
        lenient: false,
    };
    query_path(&mut beta);
    assert_eq!(
        beta.cause.map(|c| c.label()).as_deref(),
        Some("spec: path with a query")
    );
    assert_eq!(
        crate::conform::judge::without_fragment("/responses?beta=true"),
        "/responses"
    );
}

#[test]
fn an_absent_optional_object_parameter_read_as_empty_is_the_judges() {
    const TYPESENSE: &str = r#"[{"location":["request","query","deletedocumentsparameters"],"severity":"Error","code":"required","message":"Request query parameter deletedocumentsparameters must have required property 'filter_by'"}]"#;
    let optional = vec!["deleteDocumentsParameters".to_owned()];
    // Left out in the `required` fill: Prism read the absent parameter as `{}`.
    let mut absent = verdict(&[&line("required", false, "ok", 200, TYPESENSE)]);
    absent_object_parameter(&mut absent, &optional);
    assert_eq!(
        absent.cause.map(|c| c.label()).as_deref(),
        Some("judge: absent object parameter read as empty")
    );
    // Sent in the `everything` fill: a missing property is ours.
    let mut sent = verdict(&[
        &line("everything", false, "ok", 200, TYPESENSE),
        &line("required", false, "ok", 200, ""),
    ]);
    absent_object_parameter(&mut sent, &optional);
    assert_eq!(
        sent.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
    // A parameter that is not an optional object stays ours.
    let mut other = verdict(&[&line("required", false, "ok", 200, TYPESENSE)]);
    absent_object_parameter(&mut other, &["filter".to_owned()]);
    assert_eq!(
        other.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
}

#[test]
fn a_query_list_of_objects_rejected_item_by_item_is_the_specs() {
    let mut box_search =
        rejected("Request query parameter mdfilters.0 must be object (request.query.mdfilters.0)");
    query_object_list(&mut box_search);
    assert_eq!(
        box_search.cause.map(|c| c.label()).as_deref(),
        Some("spec: query list of objects")
    );
    // The second judge's wording (Stripe's `lines`, `style: deepObject` on a list).
    let mut stripe = rejected("must be object (request.query.lines.0)");
    query_object_list(&mut stripe);
    assert_eq!(
        stripe.cause.map(|c| c.label()).as_deref(),
        Some("spec: query list of objects")
    );
    // An object parameter (no item index) is the client's to spell: still ours.
    let mut object =
        rejected("Request query parameter filter must be object (request.query.filter)");
    query_object_list(&mut object);
    assert_eq!(
        object.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
}

#[test]
fn an_empty_form_called_missing_is_the_judges_limit() {
    const MISSING: &str = r#"[{"location":["request"],"severity":"Error","code":"required","message":"Body parameter is required"}]"#;
    let mut empty = verdict(&[&line("required", false, "ok", 200, MISSING)]);
    empty_form(&mut empty);
    assert_eq!(
        empty.cause.map(|c| c.label()).as_deref(),
        Some("judge: empty form read as no body")
    );
    // The second judge says it its way.
    let mut again = verdict(&[&line(
        "required",
        false,
        "ok",
        200,
        r#"[{"location":["request","body"],"severity":"Error","code":"required","message":"must have required property 'requestBody'"}]"#,
    )]);
    empty_form(&mut again);
    assert_eq!(
        again.cause.map(|c| c.label()).as_deref(),
        Some("judge: empty form read as no body")
    );
    // With every field filled, a missing body is ours.
    let mut filled = verdict(&[
        &line("everything", false, "ok", 200, MISSING),
        &line("required", false, "ok", 200, ""),
    ]);
    empty_form(&mut filled);
    assert_eq!(
        filled.cause.map(|c| c.label()).as_deref(),
        Some("ours: request rejected")
    );
}
