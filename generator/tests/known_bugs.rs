//! Regression tests for generator bugs the fixture suite found: Rust keywords as schema
//! names and operationIds once produced unparseable module declarations.

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
fn keyword_schema_names_render() {
    render("keyword_schema_name.yaml").unwrap();
}

/// An operationId that is a Rust keyword (`self`, `type`) becomes a module in
/// `operations/mod.rs` the same way (`self` cannot even be a raw identifier).
#[test]
fn keyword_operation_ids_render() {
    render("keyword_operation_id.yaml").unwrap();
}
