//! `oapigen diff`: the spec-change impact report (see `oapigen::diff`), and the `--bump`
//! step of `generate`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use oapigen::diff::{self, report, CrateReport, Report};

/// Exit code of `diff --deny breaking` when a breaking change is found.
pub const BREAKING_EXIT: u8 = 3;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Plain text.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum DenyArg {
    /// Exit 3 when any change is breaking.
    Breaking,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The old spec file (with NEW); without them, compares the project's specs with `--base`.
    #[arg(requires = "new", conflicts_with = "base")]
    old: Option<PathBuf>,
    /// The new spec file.
    new: Option<PathBuf>,
    /// Compare each spec of the project with its version at this git revision (default HEAD).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Shorthand for `--format json`.
    #[arg(long)]
    json: bool,
    /// Exit with code 3 when a change of this kind is found.
    #[arg(long, value_enum)]
    deny: Option<DenyArg>,
    /// Crate name for OLD NEW (default: the project's crate of NEW's file name, else its stem).
    #[arg(long)]
    crate_name: Option<String>,
    /// Current crate version for OLD NEW (default: the project's generated `Cargo.toml`).
    #[arg(long)]
    current_version: Option<String>,
    /// Project file.
    #[arg(long, default_value = "oapigen.toml")]
    project: PathBuf,
}

/// The project's crate name and current version for a spec file name, when it has one.
fn project_crate(project: &Path, spec: &Path) -> Option<(String, Option<String>)> {
    let configs = oapigen::project::configs(project).ok()?;
    let config = configs
        .iter()
        .find(|c| c.spec().file_name() == spec.file_name())?;
    let name = config.out_dir().file_name()?.to_string_lossy().into_owned();
    let version = std::fs::read_to_string(config.out_dir().join("Cargo.toml"))
        .ok()
        .as_deref()
        .and_then(diff::package_version);
    Some((name, version))
}

fn files_report(args: &DiffArgs, old: &Path, new: &Path) -> Result<Report, diff::DiffError> {
    let known = project_crate(&args.project, new);
    let name = args
        .crate_name
        .clone()
        .or_else(|| known.as_ref().map(|(name, _)| name.clone()))
        .unwrap_or_else(|| {
            new.file_stem()
                .map_or_else(|| "api".into(), |s| s.to_string_lossy().into_owned())
        });
    let version = args
        .current_version
        .clone()
        .or_else(|| known.and_then(|(_, version)| version));
    let krate = diff::diff_files(old, new, &name, version.as_deref())?;
    Ok(Report {
        crates: vec![krate],
    })
}

pub fn run(args: &DiffArgs) -> ExitCode {
    let result = match (&args.old, &args.new) {
        (Some(old), Some(new)) => files_report(args, old, new),
        _ => diff::diff_base(&args.project, args.base.as_deref().unwrap_or("HEAD")),
    };
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let format = match (args.json, args.format) {
        (true, _) | (_, FormatArg::Json) => report::Format::Json,
        (_, FormatArg::Markdown) => report::Format::Markdown,
        (_, FormatArg::Text) => report::Format::Text,
    };
    print!("{}", report::render(&report, format));
    if format == report::Format::Markdown {
        println!();
    }
    match args.deny {
        Some(DenyArg::Breaking) if report.has_breaking() => {
            eprintln!("breaking changes found (--deny breaking)");
            ExitCode::from(BREAKING_EXIT)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `generate --bump`: the report of `config`'s spec against `rev`, computed before generating.
pub fn bump_report(config: &oapigen::Config, rev: &str) -> Result<CrateReport, String> {
    diff::diff_config_base(config, rev).map_err(|err| format!("--bump: {err}"))
}

/// After generating: applies the bump and changelog entry, and says what it did.
pub fn apply_bump(config: &oapigen::Config, report: &CrateReport) -> Result<(), String> {
    match diff::changelog::apply(config.out_dir(), report) {
        Ok(diff::changelog::Applied::Bumped { version }) => {
            println!(
                "  {}: {}; version {version}, {} updated",
                report.crate_name,
                report::verdict(report),
                diff::changelog::FILE
            );
            Ok(())
        }
        Ok(diff::changelog::Applied::Nothing) => {
            println!("  {}: {}", report.crate_name, report::verdict(report));
            Ok(())
        }
        Err(err) => Err(format!("--bump: {err}")),
    }
}
