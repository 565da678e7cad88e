//! What the report commands (`corpus`, `conform`) share: one spec's work in a child process of
//! this executable (a crash there is a row of the report, and peak memory is that spec's),
//! and the runtime crate the generated crates build against.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a child gave no answer.
pub enum Failure {
    /// It could not be started.
    Launch(String),
    /// It ended without printing its JSON line: a crash, always a bug.
    Died(String),
}

/// Runs `oapigen SUBCOMMAND ARGS…` and reads the JSON value it prints last.
pub fn run<T: DeserializeOwned>(subcommand: &str, args: &[&OsStr]) -> Result<T, Failure> {
    let exe = std::env::current_exe()
        .map_err(|err| Failure::Launch(format!("cannot find the oapigen executable: {err}")))?;
    let output = Command::new(exe)
        .arg(subcommand)
        .args(args)
        .output()
        .map_err(|err| Failure::Launch(format!("cannot run the worker: {err}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if let Some(value) = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str::<T>(line).ok())
    {
        return Ok(value);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
    Err(Failure::Died(format!(
        "generator process ended with {}: {}",
        output.status,
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    )))
}

/// What a worker subcommand ends with: `value` as one JSON line.
pub fn answer<T: Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string(value) {
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

/// The `oapigen-runtime` crate to build against: `given`, else the one of the source tree
/// this generator was built from; the error is printed.
pub fn runtime_crate(given: Option<&Path>) -> Result<PathBuf, ExitCode> {
    let default = || {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../runtime")
            .canonicalize()
            .ok()
    };
    match given.map(Path::to_path_buf).or_else(default) {
        Some(path) => path.canonicalize().map_err(|err| {
            eprintln!("error: runtime crate {}: {err}", path.display());
            ExitCode::from(2)
        }),
        None => {
            eprintln!("error: cannot find oapigen-runtime; pass --runtime-path DIR");
            Err(ExitCode::from(2))
        }
    }
}

/// The `Cargo.lock` beside the runtime's workspace, seeding the scratch workspace so that
/// dependency versions match a known-good set.
pub fn seed_lockfile(runtime: &Path) -> Option<PathBuf> {
    runtime
        .parent()
        .map(|root| root.join("Cargo.lock"))
        .filter(|lock| lock.is_file())
}
