//! Shared by the corpus suites: locating a shared corpus, and compiling a few of its specs
//! through the same code as `oapigen corpus`.

use std::path::{Path, PathBuf};

use oapigen::corpus::{self, Outcome};

/// `../shared/NAME` beside the repository, or a failure saying how to get it.
pub fn shared_corpus(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(name);
    assert!(
        dir.is_dir(),
        "the shared {name} is missing at {}: clone the project with `shared/` beside it",
        dir.display()
    );
    dir
}

/// Generates `names` from `corpus` into a scratch workspace named `scratch_name` and
/// `cargo check`s them (warnings count as failures), asserting every one compiles clean.
/// All callers share one target directory, so dependencies are built once.
pub fn assert_compile_clean(corpus: &Path, names: &[&str], scratch_name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join(scratch_name);
    let specs = scratch.join("specs");
    std::fs::create_dir_all(&specs).expect("create scratch dir");
    for name in names {
        std::fs::copy(corpus.join(name), specs.join(name)).expect("copy spec");
    }
    let options = corpus::Options {
        specs,
        work: scratch.join("work"),
        target_dir: tmp.join("corpus-small/target"),
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
    assert_eq!(rows.len(), names.len(), "{report}");
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
            names.len()
        )),
        "{report}"
    );
}
