//! `oapigen conform` on a handful of small corpus specs and the four Alexa specs: every
//! operation called through its generated client against Prism serving the spec, in both
//! judge passes (static examples, dynamic schema-random bodies). The full corpus run is a
//! report command (`oapigen conform ../shared/corpus ../shared/corpus-next`, see README).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use oapigen::conform::{self, Mode};

/// Small specs covering no security, path-level parameters, form bodies, callbacks,
/// `default` responses, an API key in a header and OAuth 2.0 (petstore3, whose `loginUser`
/// offers XML before JSON) and HTTP basic (configcat); each must conform fully. The Alexa
/// specs add OAuth 2.0 client credentials.
const SMALL: &[&str] = &[
    "swagger-api__petstore3.yaml",
    "zijianhuang__configcat.yaml",
    "OAI__petstore.yaml",
    "OAI__petstore-expanded.yaml",
    "OAI__uspto.yaml",
    "OAI__callback-example.yaml",
    "oxidecomputer__keeper.json",
    "PagerDuty__events-v2.json",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn options(scratch: &str, specs: Vec<PathBuf>) -> conform::Options {
    let root = root();
    let prism = conform::judge::find_prism(&root).unwrap_or_else(|| {
        panic!("Prism is not installed: run `npm ci` in the repository root (bash scripts/test.sh does)")
    });
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conform");
    conform::Options {
        specs,
        work: tmp.join(scratch),
        // Shared by the tests of this file: dependencies are built once.
        target_dir: tmp.join("target"),
        runtime: root.join("runtime").canonicalize().expect("runtime crate"),
        prism,
        filter: None,
        modes: vec![Mode::Static, Mode::Dynamic],
        startup: Duration::from_secs(90),
        run_limit: Duration::from_secs(300),
        build_limit: Duration::from_secs(900),
        lockfile: Some(root.join("Cargo.lock")),
    }
}

#[test]
fn small_specs_and_the_alexa_specs_conform_in_both_passes() {
    let corpus = common::shared_corpus("corpus");
    let mut specs: Vec<PathBuf> = SMALL.iter().map(|name| corpus.join(name)).collect();
    specs.push(root().join("specs"));
    let options = options("conforming", specs);
    let mut prepare = |spec: &Path, work: &Path, name: &str, runtime: &str| {
        conform::prepare_one(spec, work, name, runtime)
    };
    let reports =
        conform::run(&options, &mut prepare, &mut |line| eprintln!("{line}")).expect("conform run");
    let table = conform::report::format(&reports, &options.modes, true);
    println!("{table}");
    assert_eq!(reports.len(), SMALL.len() + 4, "{table}");
    let operations: usize = reports.iter().map(|r| r.operation_count).sum();
    for report in &reports {
        assert_eq!(report.judge, "prism", "{}: no judge\n{table}", report.spec);
        assert!(
            report.notes.is_empty(),
            "{}: {:?}\n{table}",
            report.spec,
            report.notes
        );
        assert!(report.operation_count > 0, "{table}");
        assert_eq!(
            report.conforming(),
            report.operation_count,
            "{} does not conform fully\n{table}",
            report.spec
        );
        // Both passes ran for every operation.
        for op in &report.operations {
            assert_eq!(
                op.modes.len(),
                2,
                "{} {}\n{table}",
                report.spec,
                op.operation
            );
        }
    }
    assert!(
        table.ends_with(&format!(
            "{operations}/{operations} operations conform ({0}/{0} specs fully), 0 panics\n",
            reports.len()
        )),
        "{table}"
    );
}

/// The judge serves a stricter spec than the client was generated from: the report must
/// name what the client missed (a required header, a required body property), tell a
/// served example that breaks the judge's schema from a failure of ours, re-judge with the
/// second judge what Prism cannot judge, and count.
#[test]
fn what_the_judge_rejects_is_reported_with_its_evidence() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conform");
    let options = options("judged", vec![fixtures.join("judged.yaml")]);
    let strict = fixtures.join("judged.judge.yaml");
    let mut prepare = |spec: &Path, work: &Path, name: &str, runtime: &str| {
        let prepared = conform::prepare_one(spec, work, name, runtime);
        let judge_spec = conform::Layout::new(work, name).judge_spec;
        let text = std::fs::read_to_string(&strict).expect("read the judge's spec");
        conform::judge::prepare_spec(&text, false, &judge_spec).expect("write the judge's spec");
        prepared
    };
    let reports =
        conform::run(&options, &mut prepare, &mut |line| eprintln!("{line}")).expect("conform run");
    let table = conform::report::format(&reports, &options.modes, true);
    println!("{table}");
    let [report] = reports.as_slice() else {
        panic!("one spec expected\n{table}");
    };
    let verdict = |operation: &str, mode: Mode| {
        report
            .operations
            .iter()
            .find(|op| op.operation == operation)
            .and_then(|op| op.modes.get(mode.label()))
            .cloned()
            .unwrap_or_else(|| panic!("no verdict for {operation}\n{table}"))
    };
    for mode in [Mode::Static, Mode::Dynamic] {
        let header = verdict("listItems", mode).cause.expect("listItems fails");
        assert_eq!(header.label(), "ours: request rejected", "{table}");
        assert!(header.evidence.contains("x-trace"), "{header:?}");
        let body = verdict("createItem", mode).cause.expect("createItem fails");
        assert_eq!(body.label(), "ours: request rejected", "{table}");
        assert!(body.evidence.contains("'size'"), "{body:?}");
    }
    // Static: the served example (`id: abc`) breaks the judge's schema; the client decodes
    // it, so the operation conforms and the spec's defect is noted.
    let served = verdict("getItem", Mode::Static);
    assert!(served.conforms, "{table}");
    assert_eq!(
        served.spec_defect.map(|d| d.label()).as_deref(),
        Some("spec: response breaks its schema"),
        "{table}"
    );
    // Dynamic: the judge sends an integer `id` its schema allows where the client's type
    // wants a string: the runtime's liberal reading keeps it as its text, and the verdict
    // says the operation conforms only thanks to that.
    let random = verdict("getItem", Mode::Dynamic);
    assert!(random.conforms && random.lenient, "{table}");
    assert!(table.contains("(decoded leniently: 1)"), "{table}");
    // Prism cannot serialise `getLabel`'s object as text: the second judge re-judged it,
    // and the verdict and the row name the judge.
    for mode in [Mode::Static, Mode::Dynamic] {
        let label = verdict("getLabel", mode);
        assert!(label.conforms, "{table}");
        assert_eq!(label.judge, "openapi-backend", "{table}");
        assert_eq!(verdict("getItem", mode).judge, "prism", "{table}");
    }
    assert_eq!(report.judge, "prism+openapi-backend", "{table}");
    assert!(
        table.contains("(judged by prism 3, openapi-backend 1)"),
        "{table}"
    );
    assert!(
        table.ends_with("2/4 operations conform (0/1 specs fully), 0 panics\n"),
        "{table}"
    );
}
