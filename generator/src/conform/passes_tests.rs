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
    };
    assert_eq!(pass.judge_of("text"), "openapi-backend");
    assert_eq!(pass.judge_of("silent"), "prism");
}
