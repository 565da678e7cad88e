//! `oapigen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

mod conform;
mod corpus;
mod diff;
mod worker;

// mimalloc: glibc malloc was a fifth of generation time. Built without its transparent huge
// page hint (`no_thp`): with it, peak memory on a mid-size spec was 2.5x (49 vs 21 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates typed Rust client crates from OpenAPI 3.0 specs.
///
/// With no arguments, regenerates every spec of the project described by `oapigen.toml`
/// in the current directory.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Write nothing; exit 1 when generated code is stale, listing each stale file and why.
    #[arg(long)]
    check: bool,
    /// One spec to generate (instead of the project's).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Output directory for `--spec`.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Package name of the generated crate (default: the spec file's stem).
    #[arg(long, requires = "spec")]
    crate_name: Option<String>,
    /// Path of `oapigen-runtime`, relative to the generated crate (default: crates.io).
    #[arg(long, requires = "spec")]
    runtime_path: Option<String>,
    /// Project file (default: ./oapigen.toml).
    #[arg(long, default_value = "oapigen.toml")]
    project: PathBuf,
    /// Print the warnings (constructs typed loosely) of each spec.
    #[arg(long, short)]
    verbose: bool,
    /// Print the time each phase took.
    #[arg(long)]
    timings: bool,
    /// Repair spec violations that have an obvious fix (duplicate operationIds, operations
    /// without responses) with a warning instead of failing.
    #[arg(long)]
    lenient: bool,
    /// After generating, bump each changed crate's version by the spec-change report against
    /// `--base` (see `diff`) and add the report to its CHANGELOG.md.
    #[arg(long, conflicts_with = "check")]
    bump: bool,
    /// Overwrite files in the output folder that oapigen did not write (without its
    /// `@generated` header). Without it, generation lists them and writes nothing.
    #[arg(long)]
    force: bool,
    /// The largest spec file read, in MiB; larger files are refused.
    #[arg(long, value_name = "MIB", default_value_t = oapigen::DEFAULT_MAX_INPUT >> 20)]
    max_input_mib: u64,
    /// The git revision `--bump` compares with.
    #[arg(long, requires = "bump", value_name = "REV", default_value = "HEAD")]
    base: String,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Generate a crate for every spec in DIR, `cargo check` them with warnings denied in one
    /// scratch workspace, and print a table ending `N/M specs compile clean, K panics`.
    Corpus(corpus::CorpusArgs),
    /// Call every operation of every spec through its generated client against Prism serving
    /// that spec, and print per spec how many operations were accepted and decoded, ending
    /// `N/M operations conform (K/S specs fully), P panics`.
    Conform(conform::ConformArgs),
    /// Report what changed in the generated API between two specs (OLD NEW) or since a git
    /// revision (`--base REV`, default HEAD): each change breaking/additive/docs-only, and the
    /// semver bump. Exit 2 on bad input, 3 with `--deny breaking` when a change is breaking.
    Diff(diff::DiffArgs),
    /// Generate one spec in this process and print the outcome as JSON (used by `corpus`).
    #[command(hide = true)]
    CorpusWorker {
        spec: PathBuf,
        out: PathBuf,
        name: String,
        runtime: String,
    },
    /// Prepare one spec for `conform` in this process (crate, harness, judge copy) and print
    /// the outcome as JSON.
    #[command(hide = true)]
    ConformWorker {
        spec: PathBuf,
        work: PathBuf,
        name: String,
        runtime: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Corpus(args)) => return corpus::run(args),
        Some(Command::Diff(args)) => return diff::run(args),
        Some(Command::Conform(args)) => return conform::run(args),
        Some(Command::ConformWorker {
            spec,
            work,
            name,
            runtime,
        }) => return conform::worker(spec, work, name, runtime),
        Some(Command::CorpusWorker {
            spec,
            out,
            name,
            runtime,
        }) => return corpus::worker(spec, out, name, runtime),
        None => {}
    }
    let configs = match (&cli.spec, &cli.out) {
        (Some(spec), Some(out)) => {
            let mut config = oapigen::Config::new(spec, out);
            if let Some(name) = &cli.crate_name {
                config = config.crate_name(name.clone());
            }
            if let Some(path) = &cli.runtime_path {
                config = config.runtime_dependency(oapigen::RuntimeDependency::Path(path.clone()));
            }
            vec![config]
        }
        _ => match oapigen::project::configs(&cli.project) {
            Ok(configs) => configs,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        },
    };
    let configs: Vec<_> = configs
        .into_iter()
        .map(|config| {
            config
                .lenient(cli.lenient)
                .force(cli.force)
                .max_input_bytes(cli.max_input_mib.saturating_mul(1 << 20))
        })
        .collect();
    if cli.check {
        check(&configs)
    } else {
        generate(&configs, &cli)
    }
}

fn check(configs: &[oapigen::Config]) -> ExitCode {
    let mut stale = 0;
    for config in configs {
        match config.check() {
            Ok(files) => {
                for file in &files {
                    println!("stale: {file}");
                }
                stale += files.len();
            }
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        }
    }
    if stale == 0 {
        println!("generated code is up to date ({} spec(s))", configs.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("{stale} stale file(s): run `cargo run -p oapigen-cli` to regenerate");
        ExitCode::FAILURE
    }
}

fn generate(configs: &[oapigen::Config], cli: &Cli) -> ExitCode {
    let mut failed = false;
    for config in configs {
        let started = std::time::Instant::now();
        let bump = cli.bump.then(|| diff::bump_report(config, &cli.base));
        match config.generate() {
            Ok(generated) => {
                println!(
                    "{} -> {}: {} operations, {} types, {} file(s) changed, {} warning(s), {} ms",
                    config.spec().display(),
                    config.out_dir().display(),
                    generated.operations,
                    generated.types,
                    generated.changed(),
                    generated.warnings.len(),
                    started.elapsed().as_millis()
                );
                match &bump {
                    Some(Ok(report)) => {
                        if let Err(err) = diff::apply_bump(config, report) {
                            eprintln!("error: {err}");
                            failed = true;
                        }
                    }
                    Some(Err(err)) => {
                        eprintln!("error: {err}");
                        failed = true;
                    }
                    None => {}
                }
                if cli.verbose {
                    for warning in &generated.warnings {
                        println!("  {warning}");
                    }
                    let paging = &generated.paging;
                    if !paging.paginators.is_empty() {
                        println!(
                            "  {} paginated operation(s); {} GET operation(s) answer a list:",
                            paging.paginators.len(),
                            paging.lists
                        );
                    }
                    for paginator in &paging.paginators {
                        println!("    {}: {}", paginator.operation_id, paginator.pattern);
                    }
                }
                if cli.timings {
                    let t = &generated.timings;
                    println!(
                        "  load {:?}, ir {:?}, emit {:?}, format {:?}, write {:?}",
                        t.load, t.ir, t.emit, t.format, t.write
                    );
                }
            }
            Err(err) => {
                eprintln!("error: {err}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
