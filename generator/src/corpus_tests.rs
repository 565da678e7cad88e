//! Tests of the corpus report.

use super::*;

#[test]
fn package_names_from_both_id_formats() {
    assert_eq!(
        package_name("path+file:///w/x#corpus-oai-petstore@0.1.0").as_deref(),
        Some("corpus-oai-petstore")
    );
    assert_eq!(
        package_name("path+file:///w/corpus-xkcd#0.1.0").as_deref(),
        Some("corpus-xkcd")
    );
    assert_eq!(
        package_name("corpus-xkcd 0.1.0 (path+file:///w/x)").as_deref(),
        Some("corpus-xkcd")
    );
}

#[test]
fn records_first_error_and_ignores_abort_summary() {
    let mut checks = BTreeMap::new();
    let error = serde_json::json!({
        "reason": "compiler-message",
        "package_id": "path+file:///w/a#corpus-a@0.1.0",
        "message": {"level": "warning", "message": "field `path` is never read",
                    "spans": [{"file_name": "src/x.rs", "line_start": 27}]}
    });
    let abort = serde_json::json!({
        "reason": "compiler-message",
        "package_id": "path+file:///w/a#corpus-a@0.1.0",
        "message": {"level": "error", "message": "aborting due to 1 previous error", "spans": []}
    });
    let note = serde_json::json!({
        "reason": "compiler-message",
        "package_id": "path+file:///w/a#corpus-a@0.1.0",
        "message": {"level": "note", "message": "some note", "spans": []}
    });
    record(&error, &mut checks);
    record(&abort, &mut checks);
    record(&note, &mut checks);
    let check = &checks["corpus-a"];
    assert_eq!(check.errors, 1);
    assert_eq!(
        check.first_error.as_deref(),
        Some("src/x.rs:27: warning: field `path` is never read")
    );
    assert!(!check.checked);
}

#[test]
fn summary_counts_clean_and_panics() {
    let generated = Outcome::Generated(Generation {
        lists: 3,
        paginators: BTreeMap::from([("cursor".to_owned(), 2)]),
        operations: 1,
        types: 2,
        diagnostics: 0,
        millis: 1.0,
        peak_kib: Some(2048),
        lines: Lines {
            total: 90,
            operations: 40,
            types: 30,
        },
    });
    let rows = vec![
        Row {
            spec: "a.yaml".into(),
            crate_name: "corpus-a".into(),
            outcome: generated.clone(),
            check: Some(Check {
                errors: 0,
                first_error: None,
                checked: true,
            }),
            bytes: Some(100),
        },
        Row {
            spec: "b.yaml".into(),
            crate_name: "corpus-b".into(),
            outcome: Outcome::Panicked("boom".into()),
            check: None,
            bytes: Some(100),
        },
    ];
    let report = format_report(&rows, true);
    assert!(
        report.ends_with("1/2 specs compile clean, 1 panics\n"),
        "{report}"
    );
    assert!(report.contains("PANIC: boom"), "{report}");
    assert!(
        report.contains("        2/3        90     40      15  ok"),
        "{report}"
    );
    assert!(
        report.contains("  lines   L/op  L/type  result"),
        "{report}"
    );
    assert!(report.contains("\n  a.yaml: cursor 2\n"), "{report}");
    assert!(report.contains("\ngrowth: "), "{report}");
}
