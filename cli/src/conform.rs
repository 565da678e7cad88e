//! `oapigen conform SPEC|DIR…`: every operation of every spec called through its generated
//! client against Prism serving that spec (see `oapigen::conform`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use oapigen::conform::{self, Mode, Prepared};
use oapigen::corpus::Outcome;

use crate::worker;

#[derive(clap::Args, Debug)]
pub struct ConformArgs {
    /// OpenAPI spec files, or directories of them.
    #[arg(required = true)]
    specs: Vec<PathBuf>,
    /// Scratch workspace for the generated crates and their harnesses.
    #[arg(long, default_value = "target/oapigen-conform")]
    work: PathBuf,
    /// Target directory of the build (default: WORK/target).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// The `oapigen-runtime` crate to build against (default: the one beside this generator).
    #[arg(long)]
    runtime_path: Option<PathBuf>,
    /// The `prism` executable (default: `node_modules/.bin/prism` here or in a parent folder,
    /// else beside this generator's source).
    #[arg(long)]
    prism: Option<PathBuf>,
    /// Only specs whose file name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Which judge passes to run: `static` (the spec's examples), `dynamic` (schema-random
    /// bodies, fixed seed), or both.
    #[arg(long, value_delimiter = ',', default_value = "static,dynamic")]
    modes: Vec<String>,
    /// Longest wait, in seconds, for the judge to start serving one spec.
    #[arg(long, default_value_t = 90)]
    startup_timeout: u64,
    /// Longest build, in seconds, of one spec's crate and harness (then a row note).
    #[arg(long, default_value_t = 1200)]
    build_timeout: u64,
    /// Longest run, in seconds, of one spec's harness against the judge.
    #[arg(long, default_value_t = 600)]
    run_timeout: u64,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// List every failing operation with its evidence under the table.
    #[arg(long)]
    details: bool,
}

/// The source tree this generator was built from, when it runs from one.
fn source_root() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|root| root.canonicalize().ok())
}

pub fn run(args: &ConformArgs) -> ExitCode {
    let runtime = match worker::runtime_crate(args.runtime_path.as_deref()) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let prism = args.prism.clone().or_else(|| {
        let here = std::env::current_dir().ok()?;
        conform::judge::find_prism(&here)
            .or_else(|| source_root().and_then(|root| conform::judge::find_prism(&root)))
    });
    let Some(prism) = prism else {
        eprintln!(
            "error: cannot find Prism (node_modules/.bin/prism): run `npm ci` in the repository \
             root, or pass --prism PATH"
        );
        return ExitCode::from(2);
    };
    let mut modes = Vec::new();
    for mode in &args.modes {
        match mode.as_str() {
            "static" => modes.push(Mode::Static),
            "dynamic" => modes.push(Mode::Dynamic),
            other => {
                eprintln!("error: unknown mode `{other}` (expected static or dynamic)");
                return ExitCode::from(2);
            }
        }
    }
    let lockfile = worker::seed_lockfile(&runtime);
    let options = conform::Options {
        specs: args.specs.clone(),
        target_dir: args
            .target_dir
            .clone()
            .unwrap_or_else(|| args.work.join("target")),
        work: args.work.clone(),
        runtime,
        prism,
        filter: args.filter.clone(),
        modes: modes.clone(),
        startup: Duration::from_secs(args.startup_timeout),
        run_limit: Duration::from_secs(args.run_timeout),
        build_limit: Duration::from_secs(args.build_timeout),
        lockfile,
    };
    let mut prepare = prepare_in_child;
    let mut progress = |line: &str| eprintln!("{line}");
    let reports = match conform::run(&options, &mut prepare, &mut progress) {
        Ok(reports) => reports,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        let summary = conform::report::summary(&reports);
        let value = serde_json::json!({ "specs": reports, "summary": summary });
        match serde_json::to_string_pretty(&value) {
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!(
            "{}",
            conform::report::format(&reports, &modes, args.details)
        );
    }
    let all = reports
        .iter()
        .all(|r| r.notes.is_empty() && r.conforming() == r.operation_count);
    if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prepares one spec in a child process (see [`worker`]).
fn prepare_in_child(spec: &Path, work: &Path, name: &str, runtime: &str) -> Prepared {
    let args = [
        spec.as_os_str(),
        work.as_os_str(),
        name.as_ref(),
        runtime.as_ref(),
    ];
    let outcome = match worker::run::<Prepared>("conform-worker", &args) {
        Ok(prepared) => return prepared,
        Err(worker::Failure::Launch(message)) => Outcome::Failed(message),
        Err(worker::Failure::Died(message)) => Outcome::Panicked(message),
    };
    Prepared::new(outcome)
}

pub fn worker(spec: &Path, work: &Path, name: &str, runtime: &str) -> ExitCode {
    worker::answer(&conform::prepare_one(spec, work, name, runtime))
}
