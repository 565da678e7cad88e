//! The shared corpus of real-world specs (`../shared/corpus`): every spec generates without a
//! panic and its output parses as Rust; a handful of small ones compile with no warning.
//! The full report with `cargo check` of all of them is `oapigen corpus DIR` (see README).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oapigen::corpus::{self, Outcome};

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    assert!(
        dir.is_dir(),
        "the shared corpus is missing at {}: clone the project with `shared/` beside it",
        dir.display()
    );
    dir
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-small");
    let specs = scratch.join("specs");
    std::fs::create_dir_all(&specs).expect("create scratch dir");
    for name in SMALL {
        std::fs::copy(corpus_dir().join(name), specs.join(name)).expect("copy spec");
    }
    let options = corpus::Options {
        specs,
        work: scratch.join("work"),
        target_dir: scratch.join("target"),
        runtime: root.join("runtime").canonicalize().expect("runtime crate"),
        filter: None,
        check: true,
        lockfile: Some(root.join("Cargo.lock")),
    };
    let mut generate = |spec: &Path, out: &Path, name: &str, runtime| {
        corpus::generate_one(spec, out, name, runtime)
    };
    let rows = corpus::run(&options, &mut generate, &mut |_| {}).expect("corpus run");
    let report = corpus::format_report(&rows, true);
    println!("{report}");
    assert_eq!(rows.len(), SMALL.len(), "{report}");
    for row in &rows {
        assert!(
            matches!(row.outcome, Outcome::Generated(_)),
            "{} did not generate:\n{report}",
            row.spec
        );
        assert!(
            row.compiles_clean(),
            "{} does not compile clean:\n{report}",
            row.spec
        );
    }
    assert!(
        report.ends_with(&format!(
            "{0}/{0} specs compile clean, 0 panics\n",
            SMALL.len()
        )),
        "{report}"
    );
}
