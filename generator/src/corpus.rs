//! The corpus report: generate a crate for every spec in a directory, `cargo check` them all
//! in one scratch workspace with warnings denied, and tabulate what happened.
//!
//! Generation of each spec is isolated by the caller (the CLI runs each in a child process
//! so a crash or a runaway spec cannot take the report down, and so peak memory is per
//! spec); [`generate_one`] is what that child runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{Config, RuntimeDependency};

// Not `corpus/growth.rs`: a `corpus/` folder reads as committed corpus specs to tooling.
#[path = "corpus_growth.rs"]
pub mod growth;
#[path = "corpus_lines.rs"]
pub mod lines;

pub use lines::Lines;

/// The spec files (`.json`, `.yaml`, `.yml`) directly in `dir`, sorted by name.
pub fn spec_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"));
        if is_spec && path.is_file() {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// The package name the report gives a spec's crate (`corpus-oai-petstore`).
pub fn crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("corpus-{}", heck::ToKebabCase::to_kebab_case(stem.as_str()))
}

/// What generating one spec gave.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Generation {
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Warnings: constructs typed loosely, skipped or repaired.
    pub diagnostics: usize,
    /// Wall time of load + IR + emit + format + write, in milliseconds.
    pub millis: f64,
    /// Peak resident memory of the generating process, in KiB (Linux only).
    pub peak_kib: Option<u64>,
    /// `GET` operations answering a list (see [`Paging`](crate::Paging)).
    #[serde(default)]
    pub lists: usize,
    /// Paginated operations by pattern (`link`, `cursor`, …, `x-pagination`).
    #[serde(default)]
    pub paginators: BTreeMap<String, usize>,
    /// Lines of the generated Rust: in total, in operations and in types.
    #[serde(default)]
    pub lines: Lines,
}

impl Generation {
    /// How many operations got a paginator.
    pub fn paginated(&self) -> usize {
        self.paginators.values().sum()
    }
}

/// The outcome of generating one spec.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Outcome {
    /// A crate was written.
    Generated(Generation),
    /// The generator refused the spec with located errors (not a crash).
    Failed(String),
    /// The generator panicked or the process died: always a bug.
    Panicked(String),
}

/// Generates `spec` into `out` as crate `name`, leniently, catching panics.
pub fn generate_one(spec: &Path, out: &Path, name: &str, runtime: RuntimeDependency) -> Outcome {
    let started = Instant::now();
    let config = Config::new(spec, out)
        .crate_name(name)
        .runtime_dependency(runtime)
        .lenient(true);
    match std::panic::catch_unwind(|| config.generate()) {
        Ok(Ok(generated)) => Outcome::Generated(Generation {
            lists: generated.paging.lists,
            paginators: generated.paging.paginators.iter().fold(
                BTreeMap::new(),
                |mut counts, paginator| {
                    *counts.entry(paginator.pattern.to_owned()).or_default() += 1;
                    counts
                },
            ),
            operations: generated.operations,
            types: generated.types,
            diagnostics: generated.warnings.len(),
            millis: started.elapsed().as_secs_f64() * 1000.0,
            peak_kib: peak_rss_kib(),
            lines: Lines::of_sources(&out.join("src")),
        }),
        Ok(Err(err)) => Outcome::Failed(err.to_string()),
        Err(payload) => Outcome::Panicked(panic_message(payload.as_ref())),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-string payload".to_owned())
}

/// Peak resident set size of this process (`VmHWM`), where the OS reports it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What to run the report on.
#[derive(Clone, Debug)]
pub struct Options {
    /// Directory of specs.
    pub specs: PathBuf,
    /// Scratch workspace (created if missing); crates go in `work/<crate>/`.
    pub work: PathBuf,
    /// Shared target directory of the check.
    pub target_dir: PathBuf,
    /// Absolute path of the `oapigen-runtime` crate the generated crates depend on.
    pub runtime: PathBuf,
    /// Only specs whose file name contains this.
    pub filter: Option<String>,
    /// Run `cargo check` (otherwise only generate).
    pub check: bool,
    /// Seed for the workspace's `Cargo.lock`.
    pub lockfile: Option<PathBuf>,
}

/// Generates `spec` into `out` as crate `name` depending on `runtime`.
pub type Generate<'a> = dyn FnMut(&Path, &Path, &str, RuntimeDependency) -> Outcome + 'a;

/// Generates every spec (through `generate`, which the CLI runs in a child process), then
/// checks them all in one workspace. `progress` sees each row as generation finishes.
pub fn run(
    options: &Options,
    generate: &mut Generate<'_>,
    progress: &mut dyn FnMut(&Row),
) -> std::io::Result<Vec<Row>> {
    std::fs::create_dir_all(&options.work)?;
    let runtime = RuntimeDependency::Path(options.runtime.display().to_string());
    let mut rows = Vec::new();
    for spec in spec_files(&options.specs)? {
        let file_name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if options
            .filter
            .as_ref()
            .is_some_and(|f| !file_name.contains(f.as_str()))
        {
            continue;
        }
        let name = crate_name(&spec);
        let bytes = std::fs::metadata(&spec).ok().map(|m| m.len());
        let outcome = generate(&spec, &options.work.join(&name), &name, runtime.clone());
        let row = Row {
            spec: file_name,
            crate_name: name,
            outcome,
            check: None,
            bytes,
        };
        progress(&row);
        rows.push(row);
    }
    if options.check {
        let members: Vec<String> = rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Generated(_)))
            .map(|r| r.crate_name.clone())
            .collect();
        write_workspace(&options.work, &members, options.lockfile.as_deref())?;
        let mut checks = cargo_check(&options.work, &options.target_dir)?;
        for row in &mut rows {
            if matches!(row.outcome, Outcome::Generated(_)) {
                row.check = Some(checks.remove(&row.crate_name).unwrap_or_default());
            }
        }
    }
    Ok(rows)
}

/// What `cargo check` said about one crate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Check {
    /// Errors and warnings (warnings are denied).
    pub errors: usize,
    /// The first of them, one line: `file:line: message`.
    pub first_error: Option<String>,
    /// Whether cargo finished checking the crate.
    pub checked: bool,
}

/// Writes the scratch workspace manifest listing `members` (directories under `work`).
/// `lockfile`, when given and no lockfile exists yet, seeds `Cargo.lock` so dependency
/// versions match a known-good set.
pub fn write_workspace(
    work: &Path,
    members: &[String],
    lockfile: Option<&Path>,
) -> std::io::Result<()> {
    let mut manifest = String::from(
        "# Scratch workspace written by `oapigen corpus`; safe to delete.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(manifest, "    {},", toml_string(member));
    }
    manifest.push_str("]\n");
    std::fs::write(work.join("Cargo.toml"), manifest)?;
    let lock = work.join("Cargo.lock");
    if let Some(seed) = lockfile.filter(|_| !lock.exists()) {
        std::fs::copy(seed, lock)?;
    }
    Ok(())
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Runs `cargo check --workspace --keep-going` in `work` and returns what it said per
/// crate, keyed by package name. Warnings count as errors; they are read from cargo's
/// messages rather than denied with `RUSTFLAGS`, which would change every dependency's
/// fingerprint and forbid sharing a target directory with ordinary builds.
pub fn cargo_check(work: &Path, target_dir: &Path) -> std::io::Result<BTreeMap<String, Check>> {
    cargo_workspace(work, target_dir, "check")
}

/// Runs `cargo SUBCOMMAND --workspace --keep-going` (`check` or `build`) in `work` and
/// returns what it said per crate, as [`cargo_check`] does.
pub fn cargo_workspace(
    work: &Path,
    target_dir: &Path,
    subcommand: &str,
) -> std::io::Result<BTreeMap<String, Check>> {
    cargo_workspace_within(work, target_dir, subcommand, None).map(|built| built.checks)
}

/// What one bounded cargo run said.
#[derive(Clone, Debug, Default)]
pub struct Built {
    /// Per crate, keyed by package name.
    pub checks: BTreeMap<String, Check>,
    /// The run was stopped at its time limit.
    pub timed_out: bool,
}

/// [`cargo_workspace`], stopped (cargo and the compilers it started) once `limit` has
/// passed: one huge crate must not hold up a whole report.
pub fn cargo_workspace_within(
    work: &Path,
    target_dir: &Path,
    subcommand: &str,
    limit: Option<Duration>,
) -> std::io::Result<Built> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            subcommand,
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // Its own process group, so that stopping it also stops the rustc processes.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn()?;
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut checks: BTreeMap<String, Check> = BTreeMap::new();
        if let Some(stdout) = stdout {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) {
                    record(&message, &mut checks);
                }
            }
        }
        checks
    });
    let started = Instant::now();
    let mut timed_out = false;
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if limit.is_some_and(|limit| started.elapsed() > limit) {
            timed_out = true;
            stop_group(&mut child);
            child.wait()?;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let checks = reader.join().unwrap_or_default();
    Ok(Built { checks, timed_out })
}

/// Kills `child` and, on Unix, every process of its group.
fn stop_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
}

/// Folds one `--message-format=json` line into `checks`.
fn record(message: &serde_json::Value, checks: &mut BTreeMap<String, Check>) {
    let Some(package) = message
        .get("package_id")
        .and_then(|p| p.as_str())
        .and_then(package_name)
    else {
        return;
    };
    match message.get("reason").and_then(|r| r.as_str()) {
        Some("compiler-artifact") => checks.entry(package).or_default().checked = true,
        Some("compiler-message") => {
            let diagnostic = &message["message"];
            let level = diagnostic["level"].as_str().unwrap_or_default();
            if !matches!(level, "error" | "warning") {
                return;
            }
            let text = diagnostic["message"].as_str().unwrap_or_default();
            // Summaries, not diagnostics.
            if text.starts_with("aborting due to")
                || text.contains("warning emitted")
                || text.contains("warnings emitted")
            {
                return;
            }
            let text = format!("{level}: {text}");
            let check = checks.entry(package).or_default();
            check.errors += 1;
            if check.first_error.is_none() {
                let span = diagnostic["spans"]
                    .as_array()
                    .and_then(|spans| spans.first())
                    .map(|span| {
                        format!(
                            "{}:{}: ",
                            span["file_name"].as_str().unwrap_or("?"),
                            span["line_start"].as_u64().unwrap_or(0)
                        )
                    })
                    .unwrap_or_default();
                check.first_error = Some(format!("{span}{text}"));
            }
        }
        _ => {}
    }
}

/// The package name in a cargo package id: `path+file:///w/x#name@0.1.0` (cargo ≥ 1.77)
/// or `name 0.1.0 (path+file:///w/x)`.
fn package_name(id: &str) -> Option<String> {
    if let Some((_, fragment)) = id.rsplit_once('#') {
        let name = fragment.split('@').next()?;
        // `path+file:///w/name#0.1.0`: the fragment is only a version.
        if name.chars().next()?.is_ascii_digit() {
            let url = id.rsplit_once('#')?.0;
            return url.rsplit('/').next().map(str::to_owned);
        }
        return Some(name.to_owned());
    }
    id.split_whitespace().next().map(str::to_owned)
}

/// One row of the report.
#[derive(Clone, Debug)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// The crate's package name.
    pub crate_name: String,
    /// What generation gave.
    pub outcome: Outcome,
    /// What `cargo check` said (`None` when not checked).
    pub check: Option<Check>,
    /// The spec file's size in bytes (`None` if it could not be read).
    pub bytes: Option<u64>,
}

impl Row {
    /// Generated, checked, and not one error or warning.
    pub fn compiles_clean(&self) -> bool {
        matches!(self.outcome, Outcome::Generated(_))
            && self
                .check
                .as_ref()
                .is_some_and(|c| c.checked && c.errors == 0)
    }
}

/// The report table, the growth section (see [`growth`]), and the summary line
/// `N/M specs compile clean, K panics`, which stays last so scripts and tests can read it.
pub fn format_report(rows: &[Row], checked: bool) -> String {
    let width = rows.iter().map(|r| r.spec.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>5}  {:>5}  {:>5}  {:>9}  {:>8}  {:>9}  {:>8}  {:>5}  {:>6}  result",
        "spec", "ops", "types", "diag", "gen ms", "peak MiB", "paged", "lines", "L/op", "L/type"
    );
    for row in rows {
        let _ = match &row.outcome {
            Outcome::Generated(g) => writeln!(
                out,
                "{:<width$}  {:>5}  {:>5}  {:>5}  {:>9.1}  {:>8}  {:>9}  {:>8}  {:>5}  {:>6}  {}",
                row.spec,
                g.operations,
                g.types,
                g.diagnostics,
                g.millis,
                g.peak_kib
                    .map_or_else(|| "-".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0)),
                format!("{}/{}", g.paginated(), g.lists),
                g.lines.total,
                g.lines.per_operation(g.operations),
                g.lines.per_type(g.types),
                check_cell(row.check.as_ref(), checked)
            ),
            Outcome::Failed(message) => writeln!(
                out,
                "{:<width$}  {:>5}  {:>5}  {:>5}  {:>9}  {:>8}  {:>9}  {:>8}  {:>5}  {:>6}  refused: {}",
                row.spec,
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                first_line(message)
            ),
            Outcome::Panicked(message) => writeln!(
                out,
                "{:<width$}  {:>5}  {:>5}  {:>5}  {:>9}  {:>8}  {:>9}  {:>8}  {:>5}  {:>6}  PANIC: {}",
                row.spec,
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                first_line(message)
            ),
        };
    }
    out.push('\n');
    out.push_str(&paging_section(rows));
    out.push('\n');
    out.push_str(&growth::section(rows));
    out.push('\n');
    let clean = rows.iter().filter(|r| r.compiles_clean()).count();
    let panics = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Panicked(_)))
        .count();
    if checked {
        let _ = writeln!(
            out,
            "{clean}/{} specs compile clean, {panics} panics",
            rows.len()
        );
    } else {
        let generated = rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Generated(_)))
            .count();
        let _ = writeln!(
            out,
            "{generated}/{} specs generated (not compiled: --no-check), {panics} panics",
            rows.len()
        );
    }
    out
}

/// The `paged` column explained, and each spec's paginators by pattern.
fn paging_section(rows: &[Row]) -> String {
    let mut out = String::from(
        "paged: operations with pages()/into_stream() / GET operations answering a list; by pattern:\n",
    );
    for row in rows {
        let Outcome::Generated(g) = &row.outcome else {
            continue;
        };
        if g.paginators.is_empty() {
            continue;
        }
        let patterns: Vec<String> = g
            .paginators
            .iter()
            .map(|(pattern, count)| format!("{pattern} {count}"))
            .collect();
        let _ = writeln!(out, "  {}: {}", row.spec, patterns.join(", "));
    }
    out
}

fn check_cell(check: Option<&Check>, checked: bool) -> String {
    match check {
        _ if !checked => "generated".to_owned(),
        Some(c) if c.errors > 0 => format!(
            "FAIL ({} errors/warnings): {}",
            c.errors,
            c.first_error.as_deref().map(first_line).unwrap_or_default()
        ),
        Some(c) if c.checked => "ok".to_owned(),
        _ => "FAIL: not checked (a dependency failed?)".to_owned(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[cfg(test)]
#[path = "corpus_tests.rs"]
mod tests;
