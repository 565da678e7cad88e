//! Generator bugs found by the fixture suite. Each test asserts the *correct* behaviour
//! and is ignored until the bug is fixed (`cargo test -- --ignored` to check).

use std::path::PathBuf;

fn render(name: &str) -> Result<(), String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/known_bugs")
        .join(name);
    let out_dir = std::env::temp_dir().join("oapigen-known-bugs-nonexistent");
    oapigen::Config::new(&path, out_dir)
        .crate_name("fixture")
        .render()
        .map(|_| ())
        .map_err(|err| err.to_string())
}

/// A component schema named like a Rust keyword (`type`, `match`) becomes a module
/// `mod type;` in `types/mod.rs`: "generator bug: ... expected identifier, found keyword".
#[test]
#[ignore = "generator bug: keyword schema names produce unparseable module declarations"]
fn keyword_schema_names_render() {
    render("keyword_schema_name.yaml").unwrap();
}

/// An operationId that is a Rust keyword (`self`, `type`) becomes a module in
/// `operations/mod.rs` the same way (`self` cannot even be a raw identifier).
#[test]
#[ignore = "generator bug: keyword operationIds produce unparseable module declarations"]
fn keyword_operation_ids_render() {
    render("keyword_operation_id.yaml").unwrap();
}

/// Documents today's behaviour so a fix is noticed: both fail with a generator-bug error.
#[test]
fn keyword_names_currently_fail_cleanly() {
    for name in ["keyword_schema_name.yaml", "keyword_operation_id.yaml"] {
        let err = render(name).expect_err("fixed? un-ignore the tests above and drop this one");
        assert!(err.contains("generator bug"), "{name}: {err}");
        assert!(err.contains("found keyword"), "{name}: {err}");
    }
}
