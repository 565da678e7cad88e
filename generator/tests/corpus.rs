//! The shared corpus of real-world specs (`../shared/corpus`): every spec generates without a
//! panic and its output parses as Rust; a handful of small ones compile with no warning.
//! The full report with `cargo check` of all of them is `oapigen corpus DIR` (see README).

mod common;

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
    common::assert_all_render(&specs, |_, _| {});
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
