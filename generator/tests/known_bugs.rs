//! Regression tests for generator bugs the fixture suite and the conformance report found:
//! Rust keywords as schema names and operationIds once produced unparseable module
//! declarations; a union behind an annotated `allOf` once became an empty struct.

mod common;

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

/// `allOf: [{$ref: Toy}, {nullable: true}]` with `Toy` a `oneOf` (OpenAI's `tool_choice`)
/// was merged into a struct with no fields, which neither `"none"` nor an object decodes
/// into (the conformance report's `decode` failures of OpenAI's run operations). It is an
/// alias of the union now, and the crate builds with warnings denied.
#[test]
fn a_union_behind_an_annotated_all_of_is_the_union() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs");
    let rendered = oapigen::Config::new(
        fixtures.join("all_of.yaml"),
        std::env::temp_dir().join("oapigen-all-of-unused"),
    )
    .crate_name("fixture")
    .render()
    .expect("renders");
    let types: String = rendered
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/types"))
        .map(|f| f.contents.as_str())
        .collect();
    assert!(types.contains("pub type DogToy = Toy;"), "{types}");
    assert!(!types.contains("pub struct DogToy"), "{types}");
    common::assert_compile_clean(&fixtures, &["all_of.yaml"], "all-of-compile");
}

/// `allOf: [{$ref: Currency}, {example: USD}]` with `Currency` a string enum (lago's query
/// parameters and fields) was merged into an empty struct, which `"USD"` does not decode
/// into (the conformance report's `value type` failures of lago). An annotated enum,
/// scalar or array (referenced or inline: box's `sequence_id`) is that type itself now, one
/// of nothing but annotations any JSON value (box's metadata values), and the crate builds.
#[test]
fn an_enum_or_scalar_behind_an_annotated_all_of_is_that_type() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known_bugs");
    let rendered = oapigen::Config::new(
        fixtures.join("annotated_all_of_enum.yaml"),
        std::env::temp_dir().join("oapigen-annotated-all-of-unused"),
    )
    .crate_name("fixture")
    .render()
    .expect("renders");
    let code: String = rendered.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(!code.contains("pub struct FindAllUsagesCurrency"), "{code}");
    assert!(!code.contains("pub struct FindAllUsagesLimit"), "{code}");
    assert!(!code.contains("ResponseBodyCurrency {"), "{code}");
    assert!(!code.contains("ResponseBodyTags {"), "{code}");
    assert!(!code.contains("ResponseBodySequenceId {"), "{code}");
    assert!(
        code.contains("BTreeMap<String, ::serde_json::Value>")
            || code.contains("ExtraValue = ::serde_json::Value"),
        "{code}"
    );
    common::assert_compile_clean(
        &fixtures,
        &["annotated_all_of_enum.yaml"],
        "annotated-all-of",
    );
}
