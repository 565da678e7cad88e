//! Broken specs must fail with a located error, never a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name)
}

/// Renders `name` and returns the error's Display text.
fn error_of(name: &str) -> String {
    let path = fixture(name);
    let out_dir = std::env::temp_dir()
        .join("oapigen-bad-input-tests-nonexistent")
        .join(name);
    let result = catch_unwind(AssertUnwindSafe(|| {
        oapigen::Config::new(&path, &out_dir)
            .crate_name("fixture")
            .render()
    }));
    let result = result.unwrap_or_else(|_| panic!("render panicked on {name}"));
    match result {
        Ok(_) => panic!("render accepted broken spec {name}"),
        Err(err) => {
            let text = err.to_string();
            eprintln!("{name}: {text}");
            assert!(
                text.contains(name),
                "error for {name} does not name the file:\n{text}"
            );
            text
        }
    }
}

fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected `{needle}` in:\n{text}");
}

#[test]
fn unresolvable_schema_ref() {
    let text = error_of("unresolved_schema_ref.yaml");
    assert_contains(&text, "unresolved_schema_ref.yaml:18: error:");
    assert_contains(&text, "#/components/schemas/Missing");
    assert_contains(&text, "(at #/components/schemas/Owner/properties/pet)");
    // Every broken ref is reported, not just the first.
    assert_contains(&text, "unresolved_schema_ref.yaml:12: error:");
    assert_contains(
        &text,
        "(at #/paths/~1pets/get/responses/200/content/application~1json/schema)",
    );
}

#[test]
fn unresolvable_response_ref() {
    let text = error_of("unresolved_response_ref.yaml");
    assert_contains(&text, "unresolved_response_ref.yaml:7: error:");
    assert_contains(&text, "#/components/responses/NotFound");
    assert_contains(&text, "(at #/paths/~1pets/get/responses/404)");
}

#[test]
fn paths_is_a_number() {
    let text = error_of("paths_wrong_type.yaml");
    assert_contains(&text, "paths_wrong_type.yaml:3: error:");
    assert_contains(&text, "invalid type: integer `5`");
    assert_contains(&text, "(at #/paths)");
}

#[test]
fn responses_is_a_string() {
    let text = error_of("responses_wrong_type.yaml");
    assert_contains(&text, "invalid type: string \"x\"");
    assert_contains(&text, "responses_wrong_type.yaml:7: error:");
    assert_contains(&text, "(at #/paths/~1pets/get/responses)");
}

#[test]
fn operation_without_responses() {
    let text = error_of("no_responses.yaml");
    assert_contains(&text, "missing field `responses`");
    assert_contains(&text, "no_responses.yaml:5: error:");
    assert_contains(&text, "(at #/paths/~1pets/get)");
}

#[test]
fn empty_responses_and_duplicate_ids_are_repaired_when_lenient() {
    let dir = std::env::temp_dir().join("oapigen-bad-input-lenient");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("repairable.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Repairable, version: '1'}\npaths:\n  /health:\n    get:\n      operationId: health\n      responses: {}\n    head:\n      operationId: health\n      responses:\n        '204': {description: ok}\n",
    )
    .expect("write spec");
    let strict = oapigen::Config::new(&spec, dir.join("out")).render();
    let Err(err) = strict else {
        panic!("strict mode accepted a duplicate operationId")
    };
    let text = err.to_string();
    assert_contains(
        &text,
        "repairable.yaml:9: error: duplicate operationId `health`",
    );
    assert_contains(&text, "--lenient renames it");
    assert_contains(&text, "operation has no `responses`");

    let rendered = oapigen::Config::new(&spec, dir.join("out"))
        .lenient(true)
        .render()
        .expect("lenient mode repairs the spec");
    assert_eq!(rendered.operations, 2);
    let warnings: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    let warnings = warnings.join("\n");
    assert_contains(&warnings, "generated as `health head`");
    assert_contains(
        &warnings,
        "any 2xx answer is taken as success, its body as bytes",
    );
    let client_code: String = rendered
        .files
        .iter()
        .map(|file| file.contents.as_str())
        .collect();
    assert_contains(&client_code, "pub fn health_head(&self)");
    // No documented response: a 2xx is a success carrying the bytes, never an error.
    assert_contains(
        &client_code,
        "200..=299 => {\n            Ok(HealthResponse {",
    );
    assert_contains(&client_code, "body: response.body.clone(),");
}

#[test]
fn duplicate_operation_ids() {
    let text = error_of("duplicate_operation_id.yaml");
    assert_contains(&text, "duplicate_operation_id.yaml:11: error:");
    assert_contains(&text, "duplicate operationId `getThing`");
    assert_contains(&text, "first used at #/paths/~1pets/get");
    assert_contains(&text, "(at #/paths/~1owners/get/operationId)");
}

#[test]
fn invalid_yaml_indentation() {
    let text = error_of("bad_indentation.yaml");
    // Syntax errors have line and column but, by design, no JSON pointer.
    assert_contains(&text, "bad_indentation.yaml:9:6: not valid YAML/JSON:");
    assert!(!text.contains("(at #"), "unexpected pointer in:\n{text}");
}

#[test]
fn invalid_json() {
    let text = error_of("bad_json.json");
    assert_contains(&text, "bad_json.json:4:13: not valid YAML/JSON:");
}

/// Renders a minimal document of another version (`fixtures/versions/`): it is read, not
/// refused.
fn accepted(name: &str) -> oapigen::config::Rendered {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/versions")
        .join(name);
    let out_dir = std::env::temp_dir()
        .join("oapigen-bad-input-tests-nonexistent")
        .join(name);
    let result = catch_unwind(AssertUnwindSafe(|| {
        oapigen::Config::new(&path, &out_dir)
            .crate_name("fixture")
            .render()
    }));
    match result {
        Ok(Ok(rendered)) => rendered,
        Ok(Err(err)) => panic!("{name} was refused:\n{err}"),
        Err(_) => panic!("render panicked on {name}"),
    }
}

#[test]
fn swagger_2() {
    let rendered = accepted("minimal_swagger2.yaml");
    assert!(!rendered.files.is_empty());
    assert_eq!(rendered.operations, 0);
}

#[test]
fn openapi_3_1() {
    let rendered = accepted("minimal_openapi31.json");
    assert!(!rendered.files.is_empty());
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
}

#[test]
fn swagger_errors_point_into_the_original_file() {
    // The schema is `/components/schemas/Pet` once normalised; the error names the file's
    // own pointer and line.
    let text = error_of("swagger2_bad_definition.yaml");
    assert_contains(&text, "swagger2_bad_definition.yaml:5: error:");
    assert_contains(&text, "expected usize");
    assert_contains(&text, "(at #/definitions/Pet)");
    // A broken `$ref` is named as written, not as rewritten (`#/components/schemas/…`).
    let text = error_of("swagger2_unresolved_ref.yaml");
    assert_contains(
        &text,
        "swagger2_unresolved_ref.yaml:9: error: `$ref` target `#/definitions/Missing` does not exist (at #/paths/~1pets/get/responses/200/schema)",
    );
}

#[test]
fn unsupported_versions() {
    let text = error_of("openapi4.yaml");
    // Version errors name the file only: no line, no pointer.
    assert_contains(&text, "openapi4.yaml: OpenAPI 4.0.0 is not supported");
    assert_contains(&text, "reads OpenAPI 3.0.x, OpenAPI 3.1.x and Swagger 2.0");
    assert!(!text.contains("(at #"), "unexpected pointer in:\n{text}");
    let text = error_of("swagger12.yaml");
    assert_contains(&text, "swagger12.yaml: Swagger 1.2 is not supported");
}

#[test]
fn every_broken_fixture_fails_cleanly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") || name.ends_with(".json") {
            error_of(&name);
            count += 1;
        }
    }
    assert!(count >= 10, "only {count} broken fixtures found");
}
