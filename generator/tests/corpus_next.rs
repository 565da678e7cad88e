//! The shared corpus of OpenAPI 3.1 and Swagger 2.0 specs (`../shared/corpus-next`): every
//! spec is normalised and generates without a panic, and its output parses as Rust; a few
//! small ones compile with no warning. The full report is
//! `oapigen corpus ../shared/corpus-next` (see README).

mod common;

use std::path::PathBuf;

use oapigen::corpus;

fn corpus_dir() -> PathBuf {
    common::shared_corpus("corpus-next")
}

#[test]
fn every_corpus_next_spec_generates_and_parses() {
    let specs = corpus::spec_files(&corpus_dir()).expect("read corpus-next dir");
    assert!(
        specs.len() >= 15,
        "expected the 15 corpus-next specs, found {}",
        specs.len()
    );
    // INDEX.tsv: file, …, openapi version (6th column), …
    let index = std::fs::read_to_string(corpus_dir().join("INDEX.tsv")).expect("INDEX.tsv");
    let swagger: Vec<&str> = index
        .lines()
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            (columns.get(5) == Some(&"2.0")).then(|| columns[0])
        })
        .collect();
    assert_eq!(
        swagger.len(),
        3,
        "the Swagger 2.0 specs of INDEX.tsv: {swagger:?}"
    );
    common::assert_all_render(&specs, |spec, warning| {
        // Pointers are translated back into the user's file: no 3.0-only locations of a
        // Swagger document.
        let file_name = spec.file_name().unwrap_or_default().to_string_lossy();
        if swagger.iter().any(|s| *s == file_name) {
            assert!(
                !warning.pointer.starts_with("/components/schemas"),
                "{}: untranslated pointer: {warning}",
                spec.display()
            );
        }
    });
}

/// Small 3.1 and 2.0 specs (type lists, `const`, `examples`, `$ref` siblings, webhooks,
/// `license.identifier`; body and form parameters, `collectionFormat`, integer status
/// codes), generated and checked with warnings counted as failures, through the same
/// code as the report.
#[test]
fn small_corpus_next_specs_compile_without_warnings() {
    const SMALL: &[&str] = &[
        "modelcontextprotocol__registry.yaml",
        "dotnet__eshop-catalog.json",
        "bump-sh-examples__train-travel.yaml",
        "jupyter-server__jupyter-server.yaml",
    ];
    common::assert_compile_clean(&corpus_dir(), SMALL, "corpus-next-small");
}
