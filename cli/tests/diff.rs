//! `oapigen diff` on the command line: formats and exit codes (the report itself is tested in
//! `generator/tests/diff.rs`).

use std::process::Command;

#[test]
fn command_line_formats_and_exit_codes() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_oapigen"))
            .arg("diff")
            .args(args)
            .output()
            .expect("oapigen runs")
    };
    let old = "../generator/tests/fixtures/diff/enums/old.yaml";
    let new = "../generator/tests/fixtures/diff/enums/new.yaml";
    let plain = run(&[old, new, "--current-version", "0.1.0"]);
    assert_eq!(plain.status.code(), Some(0));
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.contains("breaking → minor bump (0.x rule): 0.1.0 → 0.2.0"),
        "{text}"
    );
    let denied = run(&[old, new, "--deny", "breaking"]);
    assert_eq!(denied.status.code(), Some(3));
    let docs = "../generator/tests/fixtures/diff/docs_only";
    let allowed = run(&[
        &format!("{docs}/old.yaml"),
        &format!("{docs}/new.yaml"),
        "--deny",
        "breaking",
    ]);
    assert_eq!(allowed.status.code(), Some(0));
    let json = run(&[old, new, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(value["crates"][0]["changes"][0]["impact"], "additive");
    let markdown = run(&[old, new, "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with("## Spec-change report"));
    let bad = run(&["no/such.yaml", new]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no/such.yaml"));
}
