//! Tests of re-judging (`passes.rs`).
use super::*;

fn line(op: &str, outcome: &str, status: u16, detail: &str) -> Line {
    serde_json::from_value(serde_json::json!({
        "op": op, "fill": "required", "examples": false, "sources": "synthesized",
        "outcome": outcome, "status": status, "detail": detail,
    }))
    .expect("a line")
}

const TEXT_LIMIT: &str = r#"undocumented status; body: {"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","status":500}"#;

fn ops(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

#[test]
fn only_operations_failing_on_a_judge_limit_are_re_judged() {
    let lines = vec![
        line("fine", "ok", 200, ""),
        line("text", "unexpected", 500, TEXT_LIMIT),
        line("silent", "transport", 0, "connection reset"),
        line("decode", "unexpected", 200, "missing field `id`"),
    ];
    let all = ops(&["fine", "text", "silent", "decode", "absent"]);
    assert_eq!(
        judge_limited(&all, &lines, &|_, _| {}),
        ops(&["text", "silent"])
    );
    // An adjustment naming the judge (a multipart list it read as a scalar) counts too.
    let as_judge = |op: &str, verdict: &mut report::Verdict| {
        if op == "decode" {
            verdict.cause = Some(report::Cause::judge_limit("x"));
        }
    };
    assert_eq!(
        judge_limited(&all, &lines, &as_judge),
        ops(&["text", "silent", "decode"])
    );
}

#[test]
fn the_second_judges_lines_replace_the_first_judges_for_the_operations_it_answered() {
    let mut lines = vec![
        line("fine", "ok", 200, ""),
        line("text", "unexpected", 500, TEXT_LIMIT),
        line("silent", "transport", 0, "connection reset"),
    ];
    // The second judge ran only the limited operations; it printed nothing for `silent`.
    let second = vec![line("text", "ok", 200, ""), line("fine", "api", 404, "")];
    let replaced = merge(&mut lines, &ops(&["text", "silent"]), second);
    assert_eq!(replaced, BTreeSet::from(["text".to_owned()]));
    let outcome = |op: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|line| line.op == op)
            .map(|line| line.outcome.as_str())
            .collect()
    };
    assert_eq!(outcome("fine"), ["ok"]);
    assert_eq!(outcome("text"), ["ok"]);
    assert_eq!(outcome("silent"), ["transport"]);
    let pass = Pass {
        lines,
        judge: "prism",
        rejudged: replaced,
        second: "openapi-backend",
        note: None,
        own_path: BTreeSet::new(),
    };
    assert_eq!(pass.judge_of("text"), "openapi-backend");
    assert_eq!(pass.judge_of("silent"), "prism");
}

#[test]
fn operations_routed_to_another_template_are_selected_for_their_own_paths() {
    let rejected = |op: &str| {
        let mut line = line(op, "ok", 422, "");
        line.violations = Some(
            r#"[{"location":["request","path","ContactNumber"],"severity":"Error","message":"must be uuid"}]"#
                .to_owned(),
        );
        line
    };
    let lines = vec![
        rejected("byId"),
        rejected("byNumber"),
        line("fine", "ok", 200, ""),
    ];
    let all = ops(&["byId", "byNumber", "fine"]);
    // `byNumber` has the parameter the judge complained about: a request bug, not routing.
    let own = |op: &str, verdict: &mut report::Verdict| {
        let params = if op == "byNumber" {
            ops(&["ContactNumber"])
        } else {
            ops(&["ContactID"])
        };
        report::ambiguous_path(verdict, &params);
    };
    assert_eq!(own_path_routed(&all, &lines, &own), ops(&["byId"]));
    assert!(judge_limited(&all, &lines, &own).is_empty());
}

#[test]
fn routes_that_collide_without_their_fragments_go_to_separate_copies() {
    let route = |path: &str| (path.to_owned(), "post".to_owned());
    let routes = BTreeMap::from([
        (
            "batchGet".to_owned(),
            route("/#X-Amz-Target=Db.BatchGetItem"),
        ),
        ("putItem".to_owned(), route("/#X-Amz-Target=Db.PutItem")),
        ("other".to_owned(), route("/other")),
    ]);
    let groups = route_groups(&ops(&["batchGet", "putItem", "other", "unknown"]), &routes);
    let names: Vec<Vec<&str>> = groups
        .iter()
        .map(|group| group.iter().map(|(op, _)| op.as_str()).collect())
        .collect();
    assert_eq!(names, [vec!["batchGet", "other"], vec!["putItem"]]);
}
