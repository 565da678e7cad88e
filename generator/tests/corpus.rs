//! The shared corpus of real-world specs (`../shared/corpus`): every spec generates without a
//! panic and its output parses as Rust; a handful of small ones compile with no warning.
//! The full report with `cargo check` of all of them is `oapigen corpus DIR` (see README).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use oapigen::corpus;

fn corpus_dir() -> PathBuf {
    common::shared_corpus("corpus")
}

#[test]
fn every_corpus_spec_generates_and_parses() {
    let specs = corpus::spec_files(&corpus_dir()).expect("read corpus dir");
    assert!(
        specs.len() >= 39,
        "expected the 39 corpus specs, found {}",
        specs.len()
    );
    let mut failures = Vec::new();
    for spec in &specs {
        let out = std::env::temp_dir().join("oapigen-corpus-render-only");
        // `render` parses every generated file with syn: success means the output is Rust.
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            oapigen::Config::new(spec, &out)
                .crate_name(corpus::crate_name(spec))
                .lenient(true)
                .render()
        }));
        match rendered {
            Ok(Ok(rendered)) => {
                assert!(!rendered.files.is_empty(), "{}: no files", spec.display());
                for warning in &rendered.warnings {
                    assert!(
                        warning.pointer.starts_with('/') || warning.pointer.is_empty(),
                        "{}: diagnostic without a JSON pointer: {warning}",
                        spec.display()
                    );
                }
            }
            Ok(Err(err)) => failures.push(format!("{}: refused: {err}", spec.display())),
            Err(_) => failures.push(format!("{}: PANIC", spec.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Small specs covering callbacks, path-level parameters, `default` responses, operations
/// without `responses`, and form bodies, generated and checked with warnings counted as
/// failures, through the same code as the report.
#[test]
fn small_corpus_specs_compile_without_warnings() {
    const SMALL: &[&str] = &[
        "OAI__petstore.yaml",
        "OAI__petstore-expanded.yaml",
        "swagger-api__petstore3.yaml",
        "OAI__uspto.yaml",
        "OAI__callback-example.yaml",
        "oxidecomputer__keeper.json",
        "oxidecomputer__buildomat.json",
        "zijianhuang__xkcd.yaml",
    ];
    common::assert_compile_clean(&corpus_dir(), SMALL, "corpus-small");
}
