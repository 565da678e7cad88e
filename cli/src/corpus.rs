//! `oapigen corpus DIR`: the report over a directory of specs (see `oapigen::corpus`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use oapigen::corpus::{self, Outcome, Row};
use oapigen::RuntimeDependency;

use crate::worker;

#[derive(clap::Args, Debug)]
pub struct CorpusArgs {
    /// Directory of OpenAPI specs (`.json`, `.yaml`, `.yml`).
    dir: PathBuf,
    /// Scratch workspace for the generated crates.
    #[arg(long, default_value = "target/oapigen-corpus")]
    work: PathBuf,
    /// Target directory of the check (default: WORK/target).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// The `oapigen-runtime` crate to build against (default: the one beside this generator).
    #[arg(long)]
    runtime_path: Option<PathBuf>,
    /// Only specs whose file name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Generate only; skip `cargo check`.
    #[arg(long)]
    no_check: bool,
}

pub fn run(args: &CorpusArgs) -> ExitCode {
    let runtime = match worker::runtime_crate(args.runtime_path.as_deref()) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let lockfile = worker::seed_lockfile(&runtime);
    let options = corpus::Options {
        specs: args.dir.clone(),
        target_dir: args
            .target_dir
            .clone()
            .unwrap_or_else(|| args.work.join("target")),
        work: args.work.clone(),
        runtime,
        filter: args.filter.clone(),
        check: !args.no_check,
        lockfile,
    };
    let mut generate = generate_in_child;
    let mut progress = |row: &Row| {
        let what = match &row.outcome {
            Outcome::Generated(g) => format!("generated in {:.0} ms", g.millis),
            Outcome::Failed(_) => "refused".to_owned(),
            Outcome::Panicked(_) => "PANICKED".to_owned(),
        };
        eprintln!("{}: {what}", row.spec);
    };
    if options.check {
        eprintln!(
            "(then `cargo check` of every generated crate; the first run builds dependencies)"
        );
    }
    let rows = match corpus::run(&options, &mut generate, &mut progress) {
        Ok(rows) => rows,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    print!("{}", corpus::format_report(&rows, options.check));
    let all_good = rows.iter().all(|row| {
        if options.check {
            row.compiles_clean()
        } else {
            matches!(row.outcome, Outcome::Generated(_))
        }
    });
    if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs one generation in a child process (see [`worker`]).
fn generate_in_child(spec: &Path, out: &Path, name: &str, runtime: RuntimeDependency) -> Outcome {
    let RuntimeDependency::Path(runtime) = runtime else {
        return Outcome::Failed("the corpus report builds against a runtime path".into());
    };
    let args = [
        spec.as_os_str(),
        out.as_os_str(),
        name.as_ref(),
        runtime.as_ref(),
    ];
    match worker::run::<Outcome>("corpus-worker", &args) {
        Ok(outcome) => outcome,
        Err(worker::Failure::Launch(message)) => Outcome::Failed(message),
        Err(worker::Failure::Died(message)) => Outcome::Panicked(message),
    }
}

pub fn worker(spec: &Path, out: &Path, name: &str, runtime: &str) -> ExitCode {
    worker::answer(&corpus::generate_one(
        spec,
        out,
        name,
        RuntimeDependency::Path(runtime.into()),
    ))
}
