//! Benchmarks of the generator's in-process phases on three large real-world specs.
//!
//! For each of GitHub (`oxidecomputer__api.github.com.json`), Stripe (`stripe__spec3.json`)
//! and Nexus (`oxidecomputer__nexus.json`), a criterion group named after the spec measures:
//!
//! - `load`: [`oapigen::load::load`], reading, parsing and normalising the file;
//! - `ir`: [`oapigen::ir::build`] on the loaded spec, leniently like the CLI on corpus specs;
//! - `render`: emit + format of the whole crate, in memory. [`oapigen::Config::render`] also
//!   loads the spec and builds the IR, so each iteration runs it whole and counts only the
//!   `emit + format` time it reports in its [`Timings`](oapigen::config::Timings);
//! - `write_fresh`: [`oapigen::output::write_all`] of the rendered crate into an empty
//!   temporary directory (every file created);
//! - `write_unchanged`: the same into a directory that already holds that crate, the
//!   write-if-changed path of regenerating in place (every file read and compared, none
//!   written).
//!
//! The corpus is `$CARGO_MANIFEST_DIR/../../shared/corpus` (the repository sits beside
//! `shared`) unless the `OAPIGEN_CORPUS` environment variable names another directory.
//! Without it, or without one of the specs, the benchmarks say so and skip.
//!
//! ```text
//! cargo bench -p oapigen --features unstable --bench phases           # everything, a few minutes
//! cargo bench -p oapigen --features unstable --bench phases -- nexus  # one spec (or `load`, `stripe/ir`…)
//! cargo bench -p oapigen --features unstable --bench phases -- --test # each benchmark once, a smoke test
//! OAPIGEN_CORPUS=/path/to/corpus cargo bench -p oapigen --features unstable --bench phases
//! ```
//!
//! Samples are few (10 per benchmark, about 5 s of measurement) so that a run fits on a
//! small machine; criterion's command-line options (`--sample-size`, `--measurement-time`)
//! override them. Compare runs made on the same machine.

use std::cell::OnceCell;
use std::fmt::Display;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode};
use oapigen::config::Rendered;
use oapigen::ir::{self, Strictness};
use oapigen::load::{self, LoadedSpec};
use oapigen::{output, Config, FileStatus};

/// The specs measured: (criterion group, file in the corpus).
const SPECS: [(&str, &str); 3] = [
    ("github", "oxidecomputer__api.github.com.json"),
    ("stripe", "stripe__spec3.json"),
    ("nexus", "oxidecomputer__nexus.json"),
];

/// Corpus specs need the repairs the CLI's `--lenient` makes.
const LENIENT: Strictness = Strictness { lenient: true };

fn main() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    for (name, file) in SPECS {
        let spec = corpus.join(file);
        if spec.is_file() {
            bench_spec(&mut criterion, name, &spec);
        } else {
            eprintln!(
                "oapigen benches: skipping {name}, {} not found",
                spec.display()
            );
        }
    }
    criterion.final_summary();
}

/// The spec corpus, or `None` (having said why) when it is missing.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OAPIGEN_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "oapigen benches: no spec corpus at {}; skipping every benchmark \
             (set OAPIGEN_CORPUS to the directory holding {})",
            dir.display(),
            SPECS.map(|(_, file)| file).join(", "),
        );
        None
    }
}

/// Every phase of one spec, as the criterion group `name`.
fn bench_spec(criterion: &mut Criterion, name: &str, spec: &Path) {
    // Prepared on first use: a filter that skips this spec's benchmarks skips these too.
    let loaded: OnceCell<LoadedSpec> = OnceCell::new();
    let rendered: OnceCell<Rendered> = OnceCell::new();
    let out = std::env::temp_dir().join(format!("oapigen-bench-{}-{name}", std::process::id()));
    let config = Config::new(spec, &out).lenient(true);
    let render = || {
        config
            .render()
            .unwrap_or_else(|err| fail(spec, "render", err))
    };

    let mut group = criterion.benchmark_group(name);
    // Iterations take from milliseconds to seconds: the same count in every sample.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("load", |b| {
        b.iter(|| load::load(black_box(spec)).unwrap_or_else(|err| fail(spec, "load", err)))
    });
    group.bench_function("ir", |b| {
        let loaded =
            loaded.get_or_init(|| load::load(spec).unwrap_or_else(|e| fail(spec, "load", e)));
        b.iter(|| ir::build(black_box(loaded), LENIENT).unwrap_or_else(|err| fail(spec, "ir", err)))
    });
    group.bench_function("render", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let timings = black_box(render()).timings;
                    timings.emit + timings.format
                })
                .sum()
        })
    });
    group.bench_function("write_fresh", |b| {
        let files = &rendered.get_or_init(render).files;
        b.iter_batched(
            || remove_dir(&out),
            |()| {
                output::write_all(&out, files, false).unwrap_or_else(|err| fail(spec, "write", err))
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("write_unchanged", |b| {
        let files = &rendered.get_or_init(render).files;
        let write =
            || output::write_all(&out, files, false).unwrap_or_else(|err| fail(spec, "write", err));
        write();
        assert!(
            write()
                .iter()
                .all(|status| matches!(status, FileStatus::Unchanged(_))),
            "rewriting {} into {} changed files",
            spec.display(),
            out.display(),
        );
        b.iter(write)
    });
    group.finish();
    remove_dir(&out);
}

fn remove_dir(dir: &Path) {
    match std::fs::remove_dir_all(dir) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            panic!("cannot remove {}: {err}", dir.display())
        }
        _ => {}
    }
}

fn fail(spec: &Path, phase: &str, err: impl Display) -> ! {
    panic!("{phase} of {} failed: {err}", spec.display())
}
