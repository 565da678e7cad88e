//! OpenAPI 3.1 and Swagger 2.0: snapshots of each rewrite into the 3.0 shape (the construct
//! rewritten, and what cannot be expressed giving a located warning), and equivalence with
//! the 3.0 fixtures they were converted from.

mod common;

use std::path::{Path, PathBuf};

use common::{render, render_fixture};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn versions() {
    insta::glob!("fixtures/versions/*.yaml", |path| {
        insta::assert_snapshot!(render_fixture(path));
    });
}

/// Warnings about rewritten nodes name the pointer and line the user wrote.
#[test]
fn warnings_point_into_the_original_file() {
    let warnings = |name: &str| -> Vec<String> {
        render(&fixtures().join("versions").join(name))
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let has = |all: &[String], needle: &str| {
        assert!(
            all.iter().any(|w| w.contains(needle)),
            "no warning containing `{needle}` in:\n{}",
            all.join("\n")
        );
    };
    let swagger = warnings("v20_responses.yaml");
    has(
        &swagger,
        "v20_responses.yaml:50: warning: `not` is not expressible in Rust types; typed as JSON (at #/definitions/Report/properties/anything_but_text)",
    );
    has(
        &swagger,
        "v20_responses.yaml:47: warning: a list of item schemas (a tuple)",
    );
    let params = warnings("v20_parameters.yaml");
    has(
        &params,
        "v20_parameters.yaml:18: warning: collectionFormat `tsv`",
    );
    let documents = warnings("v31_documents.yaml");
    has(
        &documents,
        "v31_documents.yaml:51: warning: `not` is not expressible in Rust types; typed as JSON (at #/components/pathItems/Pet/get/responses/200/content/application~1json/schema)",
    );
    has(&documents, "v31_documents.yaml:18: warning: webhooks");
    let keywords = warnings("v31_keywords.yaml");
    has(
        &keywords,
        "(at #/components/schemas/Measure/properties/point/prefixItems)",
    );
}

/// Files allowed to differ between a 3.0 fixture and its 3.1/2.0 equivalent, and why.
const TRUE_DIFFERENCES: &[(&str, &str, &str)] = &[
    // 2.0 response headers have no `required`: the 3.0 fixture's required `Location` is a
    // plain field there, an `Option` here.
    (
        "responses.v20.yaml",
        "src/operations/widgets.rs",
        "response headers cannot be required",
    ),
    // 2.0 non-body parameters cannot `$ref` a schema: the query parameter's enum is written
    // inline, so it becomes its own type `ListOrdersStatus` instead of reusing `Status`.
    (
        "enums.v20.yaml",
        "src/operations/orders.rs",
        "inline parameter enum",
    ),
    (
        "enums.v20.yaml",
        "src/types/orders.rs",
        "inline parameter enum",
    ),
    (
        "enums.v20.yaml",
        "src/lib.rs",
        "one more type in the crate docs",
    ),
];

/// The generated crate, file by file, without the `@generated` header (it names the spec
/// file and its hash) and with the spec's file name replaced.
fn comparable(path: &Path, base_name: &str) -> Vec<(String, String)> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    render(path)
        .files
        .iter()
        .map(|file| {
            let contents: String = file
                .contents
                .lines()
                .filter(|line| !line.contains("@generated"))
                .map(|line| format!("{}\n", line.replace(&name, base_name)))
                .collect();
            (file.path.display().to_string(), contents)
        })
        .collect()
}

/// 3.0 fixtures hand-converted to 3.1 and to 2.0 (`fixtures/equivalence/NAME.v31.yaml`,
/// `NAME.v20.yaml`) generate the same crate as `fixtures/constructs/NAME.yaml`, except
/// where the versions really differ (`TRUE_DIFFERENCES`).
#[test]
fn converted_fixtures_generate_identical_crates() {
    let dir = fixtures().join("equivalence");
    let mut compared = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let base = file_name.split('.').next().unwrap().to_owned();
        let base_name = format!("{base}.yaml");
        let expected = comparable(&fixtures().join("constructs").join(&base_name), &base_name);
        let actual = comparable(&path, &base_name);
        let allowed = |file: &str| {
            TRUE_DIFFERENCES
                .iter()
                .any(|(spec, f, _)| *spec == file_name && *f == file)
        };
        for (file, contents) in &expected {
            match actual.iter().find(|(f, _)| f == file) {
                Some((_, other)) if other == contents || allowed(file) => {}
                Some(_) => failures.push(format!("{file_name}: {file} differs")),
                None if allowed(file) => {}
                None => failures.push(format!("{file_name}: {file} missing")),
            }
        }
        for (file, _) in &actual {
            if !expected.iter().any(|(f, _)| f == file) && !allowed(file) {
                failures.push(format!("{file_name}: extra file {file}"));
            }
        }
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} equivalence fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
