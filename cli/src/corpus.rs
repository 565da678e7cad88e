//! `oapigen corpus DIR`: the report over a directory of specs (see `oapigen::corpus`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use oapigen::corpus::{self, Outcome, Row};
use oapigen::RuntimeDependency;

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

/// The runtime crate of this source tree, when the generator runs from one.
fn default_runtime() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .ok()
}

pub fn run(args: &CorpusArgs) -> ExitCode {
    let runtime = match args.runtime_path.clone().or_else(default_runtime) {
        Some(path) => match path.canonicalize() {
            Ok(path) => path,
            Err(err) => {
                eprintln!("error: runtime crate {}: {err}", path.display());
                return ExitCode::from(2);
            }
        },
        None => {
            eprintln!("error: cannot find oapigen-runtime; pass --runtime-path DIR");
            return ExitCode::from(2);
        }
    };
    let lockfile = runtime
        .parent()
        .map(|root| root.join("Cargo.lock"))
        .filter(|lock| lock.is_file());
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

/// Runs one generation in a child process: a crash there is a row in the report, and the
/// child's peak memory is that spec's alone.
fn generate_in_child(spec: &Path, out: &Path, name: &str, runtime: RuntimeDependency) -> Outcome {
    let RuntimeDependency::Path(runtime) = runtime else {
        return Outcome::Failed("the corpus report builds against a runtime path".into());
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(err) => return Outcome::Failed(format!("cannot find the oapigen executable: {err}")),
    };
    let output = Command::new(exe)
        .arg("corpus-worker")
        .args([spec.as_os_str(), out.as_os_str()])
        .args([name, runtime.as_str()])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) => return Outcome::Failed(format!("cannot run the worker: {err}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str::<Outcome>(line).ok())
    {
        Some(outcome) => outcome,
        None => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
            Outcome::Panicked(format!(
                "generator process ended with {}: {}",
                output.status,
                tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
            ))
        }
    }
}

pub fn worker(spec: &Path, out: &Path, name: &str, runtime: &str) -> ExitCode {
    let outcome = corpus::generate_one(spec, out, name, RuntimeDependency::Path(runtime.into()));
    match serde_json::to_string(&outcome) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
