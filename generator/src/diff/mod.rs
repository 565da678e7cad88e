//! Spec-change impact report: what changed in the generated API between two versions of a
//! spec, how each change affects Rust users of the generated crate, and the semver bump
//! that follows.
//!
//! Both sides are compared as IR (the internal `ir::Api`), so the report speaks of what the
//! generated code has (methods, arguments, setters, fields, variants), not of YAML. The
//! impact of each kind of change comes from one table, [`conventions::CONVENTIONS`].
//!
//! ```no_run
//! use std::path::Path;
//! let report = oapigen::diff::diff_files(
//!     Path::new("old.yaml"),
//!     Path::new("new.yaml"),
//!     "my-client",
//!     Some("0.3.1"),
//! )?;
//! println!("{}", oapigen::diff::report::markdown(&oapigen::diff::Report { crates: vec![report] }));
//! # Ok::<(), oapigen::diff::DiffError>(())
//! ```

pub mod changelog;
mod compare;
pub mod conventions;
pub mod git;
pub mod report;
pub mod semver;
mod shape;
mod types;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use conventions::{ChangeKind, Impact};
pub use semver::{Bump, Version};

use crate::error::GenerateError;
use crate::ir::{self, Api};

/// Why a diff could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// One side's spec does not generate.
    #[error("{side} spec: {source}")]
    Spec {
        /// `old` or `new`.
        side: &'static str,
        /// Why.
        source: GenerateError,
    },
    /// A git command failed.
    #[error("git: {0}")]
    Git(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The crate's manifest has no version line to bump.
    #[error("{}: no `version = \"…\"` line to bump", path.display())]
    NoVersion {
        /// The manifest.
        path: PathBuf,
    },
    /// A crate version is not `MAJOR.MINOR.PATCH`.
    #[error("version `{0}` is not MAJOR.MINOR.PATCH")]
    Version(String),
    /// The project file is unreadable.
    #[error("{0}")]
    Project(GenerateError),
}

/// Where in the generated crate a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// The crate as a whole: client, regions, API info.
    Crate,
    /// An operation: its client method, request builder, response and error types.
    Operation,
    /// A named type in `types`.
    Type,
}

/// One change, classified.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// Its effect on users ([`conventions::classify`] of `kind`).
    pub impact: Impact,
    /// Where.
    pub area: Area,
    /// The operation's method name or the type's name (empty for the crate).
    pub item: String,
    /// What changed, one sentence (Markdown inline code allowed).
    pub detail: String,
    /// Why it has its impact: the convention of the generated code it relies on.
    pub because: &'static str,
}

impl Change {
    pub(crate) fn new(kind: ChangeKind, area: Area, item: &str, detail: String) -> Self {
        Self {
            kind,
            impact: conventions::classify(kind),
            area,
            item: crate::naming::unraw(item).to_owned(),
            detail,
            because: conventions::convention(kind).because,
        }
    }
}

/// The report of one generated crate.
#[derive(Clone, Debug, Serialize)]
pub struct CrateReport {
    /// Package name.
    pub crate_name: String,
    /// The spec (new side).
    pub spec: String,
    /// SHA-256 of the new spec.
    pub spec_sha256: String,
    /// Whether the spec is new (nothing to compare with).
    pub new_crate: bool,
    /// Every change, operations first, then types, in spec order.
    pub changes: Vec<Change>,
    /// The strongest impact, if anything changed.
    pub impact: Option<Impact>,
    /// The version component to increment (0.x rule applied).
    pub bump: Bump,
    /// The crate's version before the change, when known.
    pub current_version: Option<String>,
    /// The crate's version after the bump, when the current one is known.
    pub next_version: Option<String>,
}

impl CrateReport {
    /// Builds the report of `changes`, computing the bump from `current_version`.
    pub fn new(
        crate_name: &str,
        spec: &Path,
        spec_sha256: &str,
        changes: Vec<Change>,
        current_version: Option<&str>,
    ) -> Result<Self, DiffError> {
        let impact = changes.iter().map(|c| c.impact).max();
        let current = current_version.map(Version::parse).transpose()?;
        let bump = semver::bump_for(impact, current.as_ref());
        let next_version = current.map(|v| v.bumped(bump).to_string());
        Ok(Self {
            crate_name: crate_name.to_owned(),
            spec: spec.display().to_string(),
            spec_sha256: spec_sha256.to_owned(),
            new_crate: false,
            changes,
            impact,
            bump,
            current_version: current_version.map(str::to_owned),
            next_version,
        })
    }

    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.impact == Some(Impact::Breaking)
    }
}

/// Reports of every crate compared.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// One per crate, in project order.
    pub crates: Vec<CrateReport>,
}

impl Report {
    /// Whether any crate has a breaking change.
    pub fn has_breaking(&self) -> bool {
        self.crates.iter().any(CrateReport::has_breaking)
    }
}

/// A spec's IR and SHA-256, built exactly as generation builds it.
pub struct SpecIr {
    /// The model.
    pub api: Api,
    /// SHA-256 of the spec file.
    pub sha256: String,
}

/// Loads `spec` and builds its IR (the same steps as [`crate::Config::render`]).
pub fn load_ir(spec: &Path, strictness: ir::Strictness) -> Result<SpecIr, GenerateError> {
    let loaded = crate::load::load(spec)?;
    let built = ir::build(&loaded, strictness)?;
    Ok(SpecIr {
        api: built.api,
        sha256: loaded.sha256,
    })
}

/// Every change from `old` to `new`, classified. `same_text` says whether the two spec
/// files are byte-identical: when they differ but the IR does not, the report says so.
pub fn diff_apis(old: &Api, new: &Api, same_text: bool) -> Vec<Change> {
    let mut changes = compare::crate_changes(old, new);
    changes.extend(compare::operation_changes(old, new));
    changes.extend(types::type_changes(old, new));
    if changes.is_empty() && !same_text {
        changes.push(Change::new(
            ChangeKind::SpecTextChanged,
            Area::Crate,
            "",
            "the spec changed, but not in anything the generated code contains (examples, formatting, order)".into(),
        ));
    }
    changes
}

/// Compares two spec files as the crate `crate_name` at `current_version`.
pub fn diff_files(
    old: &Path,
    new: &Path,
    crate_name: &str,
    current_version: Option<&str>,
) -> Result<CrateReport, DiffError> {
    let strictness = ir::Strictness::default();
    let old_ir = load_ir(old, strictness).map_err(|source| DiffError::Spec {
        side: "old",
        source,
    })?;
    let new_ir = load_ir(new, strictness).map_err(|source| DiffError::Spec {
        side: "new",
        source,
    })?;
    let changes = diff_apis(&old_ir.api, &new_ir.api, old_ir.sha256 == new_ir.sha256);
    CrateReport::new(crate_name, new, &new_ir.sha256, changes, current_version)
}

/// The report of a spec that has no old version: every operation and type is new.
pub fn new_crate_report(
    spec: &Path,
    crate_name: &str,
    current_version: Option<&str>,
) -> Result<CrateReport, DiffError> {
    let new_ir = load_ir(spec, ir::Strictness::default()).map_err(|source| DiffError::Spec {
        side: "new",
        source,
    })?;
    let empty = Api {
        title: new_ir.api.title.clone(),
        version: new_ir.api.version.clone(),
        description: new_ir.api.description.clone(),
        servers: Vec::new(),
        types: Vec::new(),
        operations: Vec::new(),
        groups: Vec::new(),
        token_url: new_ir.api.token_url.clone(),
        security_schemes: new_ir.api.security_schemes.clone(),
    };
    let changes = diff_apis(&empty, &new_ir.api, false);
    let mut report = CrateReport::new(crate_name, spec, &new_ir.sha256, changes, None)?;
    report.new_crate = true;
    report.bump = Bump::None;
    report.current_version = current_version.map(str::to_owned);
    report.next_version = current_version.map(str::to_owned);
    Ok(report)
}

/// The `[package] version` of a crate's `Cargo.toml` text.
pub fn package_version(cargo_toml: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(cargo_toml).ok()?;
    value
        .get("package")?
        .get("version")?
        .as_str()
        .map(str::to_owned)
}

/// Compares each spec of the project (`oapigen.toml` at `project`) with its version at the
/// git revision `rev`; the current version of each crate is its `Cargo.toml` at `rev` (the
/// working tree's when the crate is new there).
pub fn diff_base(project: &Path, rev: &str) -> Result<Report, DiffError> {
    let configs = crate::project::configs(project).map_err(DiffError::Project)?;
    let mut crates = Vec::new();
    for config in &configs {
        crates.push(diff_config_base(config, rev)?);
    }
    Ok(Report { crates })
}

/// Compares one project config's spec with its version at git revision `rev`.
pub fn diff_config_base(config: &crate::Config, rev: &str) -> Result<CrateReport, DiffError> {
    git::verify_revision(config.spec(), rev)?;
    let crate_name = config
        .out_dir()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let manifest = config.out_dir().join("Cargo.toml");
    let version = git::show(&manifest, rev)?
        .as_deref()
        .and_then(package_version)
        .or_else(|| {
            std::fs::read_to_string(&manifest)
                .ok()
                .as_deref()
                .and_then(package_version)
        });
    match git::show_to_temp(config.spec(), rev)? {
        Some(old) => diff_files(old.path(), config.spec(), &crate_name, version.as_deref()),
        None => new_crate_report(config.spec(), &crate_name, version.as_deref()),
    }
}
