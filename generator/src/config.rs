//! The library entry point: a `Config` builder, usable from the CLI or a `build.rs`.
//!
//! ```no_run
//! // build.rs of a crate that generates its client at build time (into `OUT_DIR`):
//! oapigen::Config::from_spec("openapi.yaml").module("api").generate()?;
//! // then, in src/lib.rs: `pub mod api { include!(concat!(env!("OUT_DIR"), "/api.rs")); }`
//! # Ok::<(), oapigen::GenerateError>(())
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::customize::Customize;
use crate::diagnostics::Diagnostic;
use crate::emit::EmitOptions;
use crate::error::GenerateError;
use crate::ir::{self, Api, Operation, Ty};
use crate::output::{self, FileStatus, OutputFile, Staleness};
use crate::package::{Package, VersionPolicy};
use crate::{load, pipeline, render, templates};

/// Where generated code's runtime dependency comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A path, relative to the generated crate's directory, with this generator's version as
    /// the requirement a registry uses once the crate is published.
    Path(String),
    /// A registry version requirement (`"0.1"`); the default is this generator's version.
    Version(String),
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// A crate directory: `Cargo.toml`, `README.md`, `src/…`.
    Crate { name: Option<String> },
    /// One `NAME.rs` file for `include!`, its items under `crate::PATH`.
    Module { name: String, path: String },
}

/// Configures one generation, like `prost_build::Config`.
#[derive(Clone, Debug)]
pub struct Config {
    spec: PathBuf,
    out_dir: Option<PathBuf>,
    target: Target,
    runtime: RuntimeDependency,
    pub(crate) package: Package,
    pub(crate) customize: Customize,
    strictness: ir::Strictness,
    force: bool,
    max_input: u64,
}

/// The outcome of one generation.
#[derive(Debug)]
pub struct Generated {
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// What happened to each file.
    pub files: Vec<FileStatus>,
    /// What could not be typed precisely.
    pub warnings: Vec<Diagnostic>,
    /// Time per phase.
    pub timings: Timings,
    /// The operations that got `pages()` and `into_stream()`, and how many list.
    pub paging: Paging,
}

/// The paginated operations of a generated crate.
#[derive(Debug, Default, Clone)]
pub struct Paging {
    /// `GET` operations answering a list: a JSON array, or an object with an array of items.
    pub lists: usize,
    /// Every paginated operation, in spec order.
    pub paginators: Vec<Paginator>,
}

/// One paginated operation.
#[derive(Debug, Clone)]
pub struct Paginator {
    /// Its `operationId`.
    pub operation_id: String,
    /// How it pages: `x-pagination` (the spec says), or the inferred pattern: `link`,
    /// `has-more`, `cursor`, `next-url`, `page`, `offset`.
    pub pattern: &'static str,
}

impl Generated {
    /// Files written or removed.
    pub fn changed(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !matches!(f, FileStatus::Unchanged(_)))
            .count()
    }
}

/// Time spent in each phase.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub ir: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub write: Duration,
}

/// Files rendered in memory, not yet written.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub sha256: String,
    pub paging: Paging,
    pub operations: usize,
    pub types: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

impl Config {
    /// Generates a crate from `spec` into `out_dir`.
    pub fn new(spec: impl AsRef<Path>, out_dir: impl AsRef<Path>) -> Self {
        Self::from_spec(spec).with_out_dir(out_dir)
    }

    /// Generates from `spec` into the build script's `OUT_DIR` (set by Cargo while a
    /// `build.rs` runs); outside a build script, [`with_out_dir`](Self::with_out_dir) says
    /// where, or generating fails with a [`GenerateError::Config`].
    pub fn from_spec(spec: impl AsRef<Path>) -> Self {
        Self {
            spec: spec.as_ref().to_path_buf(),
            out_dir: std::env::var_os("OUT_DIR").map(PathBuf::from),
            target: Target::Crate { name: None },
            runtime: RuntimeDependency::Version(crate::VERSION.to_owned()),
            package: Package::default(),
            customize: Customize::default(),
            strictness: ir::Strictness::default(),
            force: false,
            max_input: load::DEFAULT_MAX_INPUT,
        }
    }

    /// The directory to write (default: `OUT_DIR` in a build script).
    pub fn with_out_dir(mut self, out_dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(out_dir.as_ref().to_path_buf());
        self
    }

    /// The generated crate's package name (default: the spec file's stem).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.target = Target::Crate {
            name: Some(name.into()),
        };
        self
    }

    /// Generates one `NAME.rs` file to `include!` as module `crate::NAME` instead of a crate.
    pub fn module(self, name: impl Into<String>) -> Self {
        let name = name.into();
        let path = name.clone();
        self.module_at(name, path)
    }

    /// Like [`module`](Self::module), for a module included at `crate::PATH` (`a::b`).
    pub fn module_at(mut self, name: impl Into<String>, path: impl Into<String>) -> Self {
        self.target = Target::Module {
            name: name.into(),
            path: path.into(),
        };
        self
    }

    /// Where generated crates get `oapigen-runtime` from (default: a registry, requirement
    /// this generator's version; a path only when asked).
    pub fn runtime_dependency(mut self, runtime: RuntimeDependency) -> Self {
        self.runtime = runtime;
        self
    }

    /// The version of a newly generated crate (an existing crate keeps its version); see
    /// [`Package::version`] for the other policy.
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.package.version = VersionPolicy::Keep(version.into());
        self
    }

    /// The `[package]` metadata of the generated crate's `Cargo.toml` (crate mode).
    pub fn package(mut self, package: Package) -> Self {
        self.package = package;
        self
    }

    /// Repairs spec violations that have an obvious fix (duplicate `operationId`s, operations
    /// without `responses`) with a warning instead of failing. Off by default.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.strictness.lenient = lenient;
        self
    }

    /// Overwrites files in the output folder that the generator did not write (those without
    /// its `@generated` header). Off by default: generation refuses and lists them. Symlinks
    /// are never written through, with or without this.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// The largest spec file read, in bytes (default [`load::DEFAULT_MAX_INPUT`]).
    pub fn max_input_bytes(mut self, limit: u64) -> Self {
        self.max_input = limit;
        self
    }

    /// The spec this config reads.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// The directory this config writes (empty when neither set nor in a build script).
    pub fn out_dir(&self) -> &Path {
        self.out_dir.as_deref().unwrap_or(Path::new(""))
    }

    fn require_out_dir(&self) -> Result<&Path, GenerateError> {
        self.out_dir.as_deref().ok_or_else(|| {
            GenerateError::Config(
                "no output directory: call Config::with_out_dir, or run from a build script (OUT_DIR is not set)".to_owned(),
            )
        })
    }

    /// A fingerprint of the settings that shape the output beside the spec (target, runtime
    /// dependency, package metadata, customisations), written into every file's header:
    /// `--check` tells a configuration change from a hand edit by it. Leniency is left out:
    /// it changes nothing unless a repair is made, and a repair shows in the output.
    fn fingerprint(&self) -> String {
        let settings = format!(
            "{:?}|{:?}|{:?}|{:?}",
            self.target, self.runtime, self.package, self.customize
        );
        let digest = Sha256::digest(settings.as_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    fn crate_name_or_default(&self) -> String {
        match &self.target {
            Target::Crate { name: Some(name) } => name.clone(),
            _ => self
                .spec
                .file_stem()
                .map(|s| heck::ToKebabCase::to_kebab_case(s.to_string_lossy().as_ref()))
                .unwrap_or_else(|| "api-client".to_owned()),
        }
    }

    /// Renders every file in memory.
    pub fn render(&self) -> Result<Rendered, GenerateError> {
        let mut timings = Timings::default();
        let started = Instant::now();
        let spec = load::load_capped(&self.spec, self.max_input)?;
        timings.load = started.elapsed();

        let started = Instant::now();
        let built = ir::build_with(&spec, self.strictness, &self.customize)?;
        timings.ir = started.elapsed();
        // The document (as JSON and as typed OpenAPI) is the biggest thing in memory and the
        // IR holds all emitting needs: free it before the output is built beside it.
        let sha256 = spec.sha256.clone();
        drop(spec);

        let spec_name = self
            .spec
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let header = output::header_text(&spec_name, &sha256, &self.fingerprint());
        let api = &built.api;
        let crate_name = self.crate_name_or_default();
        if let (Target::Crate { .. }, Some(problem)) =
            (&self.target, crate::naming::crate_name_error(&crate_name))
        {
            return Err(GenerateError::Config(format!(
                "{}: `{}` cannot be the crate name: {problem} (pass another with --crate-name)",
                self.spec.display(),
                crate_name.escape_debug()
            )));
        }
        let crate_ident = crate_name.replace('-', "_");
        let (root, crate_mode) = match &self.target {
            Target::Crate { .. } => ("crate".to_owned(), true),
            Target::Module { path, name } => {
                if crate::naming::crate_name_error(name).is_some() || name.contains('-') {
                    return Err(GenerateError::Config(format!(
                        "invalid module name `{}`: use a Rust identifier",
                        name.escape_debug()
                    )));
                }
                let root = format!("crate::{path}");
                if syn::parse_str::<syn::Path>(&root).is_err() {
                    return Err(GenerateError::Config(format!(
                        "invalid module path `{path}`"
                    )));
                }
                (root, false)
            }
        };
        let options = EmitOptions {
            root,
            crate_ident: crate_ident.clone(),
            doc_examples: crate_mode,
            // Module mode lives inside the user's crate, whose features are not ours.
            features: crate_mode,
        };
        let rust_header = format!("// {header}");
        let file_name = match &self.target {
            Target::Crate { .. } => None,
            Target::Module { name, .. } => Some(format!("{name}.rs")),
        };
        let target = match &file_name {
            None => render::Target::Files,
            Some(file_name) => render::Target::Single { file_name },
        };
        let output = pipeline::run(api, &options, &target, &rust_header)?;
        timings.emit = output.emit;
        timings.format = output.format;
        // A crate's files sit under `src/`, beside its manifest and README.
        let src = if crate_mode {
            Path::new("src")
        } else {
            Path::new("")
        };
        let mut files: Vec<OutputFile> = output
            .files
            .into_iter()
            .map(|file| OutputFile {
                path: src.join(file.path),
                contents: file.contents,
            })
            .collect();
        if crate_mode {
            let started = Instant::now();
            let context =
                self.crate_context(api, &header, &crate_name, &crate_ident, &spec_name)?;
            files.push(OutputFile {
                path: "Cargo.toml".into(),
                contents: templates::cargo_toml(&context)?,
            });
            files.push(OutputFile {
                path: "README.md".into(),
                contents: templates::readme(&context)?,
            });
            timings.format += started.elapsed();
        }
        Ok(Rendered {
            files,
            sha256,
            paging: crate::ir::pagination::summary(api),
            operations: api.operations.len(),
            types: api.types.len(),
            warnings: built.warnings,
            timings,
        })
    }

    fn crate_context(
        &self,
        api: &Api,
        header: &str,
        crate_name: &str,
        crate_ident: &str,
        spec_file: &str,
    ) -> Result<templates::CrateContext, GenerateError> {
        let uses = |pred: &dyn Fn(&Ty) -> bool| api_uses(api, pred);
        let groups = feature_rows(api);
        let taken = |name: &str| {
            !groups.is_empty()
                && (name == "default" || name == "full" || groups.iter().any(|g| g.name == name))
        };
        if let Some(name) = self.package.features.keys().find(|name| taken(name)) {
            return Err(GenerateError::Config(format!(
                "package feature `{name}`: the generated crate already has a feature of that name"
            )));
        }
        // A path dependency also names this generator's version: what a registry uses once
        // the crate is published.
        let (runtime_source, runtime_location) = match &self.runtime {
            RuntimeDependency::Path(path) => ("path", path),
            RuntimeDependency::Version(version) => ("version", version),
        };
        let crate_version = match &self.package.version {
            VersionPolicy::Fixed(version) => version.clone(),
            VersionPolicy::Keep(initial) => {
                read_existing_version(&self.out_dir().join("Cargo.toml"))
                    .unwrap_or_else(|| initial.clone())
            }
        };
        Ok(templates::CrateContext {
            header: header.to_owned(),
            crate_name: crate_name.to_owned(),
            crate_ident: crate_ident.to_owned(),
            crate_version,
            description: self.package.description.clone().unwrap_or_else(|| {
                let title = crate::emit::docs::plain_line(&api.title);
                format!("Typed client of {title} (generated by oapigen)")
            }),
            package: templates::PackageRows::new(&self.package)?,
            title: api.title.clone(),
            api_version: api.version.clone(),
            runtime_source: runtime_source.to_owned(),
            runtime_location: runtime_location.clone(),
            runtime_version: crate::VERSION.to_owned(),
            uses_chrono: uses(&|t| matches!(t, Ty::DateTime | Ty::Date)),
            uses_uuid: uses(&|t| matches!(t, Ty::Uuid)),
            operations: api
                .operations
                .iter()
                .map(|op| templates::OperationRow {
                    method: op.method_name.bare().to_owned(),
                    http: op.http_method.clone(),
                    path: op.path.clone(),
                    summary: table_cell(op.summary.as_deref().unwrap_or_default()),
                })
                .collect(),
            regions: api.servers.iter().map(|s| s.variant.clone()).collect(),
            spec_file: spec_file.to_owned(),
            example_method: api
                .operations
                .iter()
                .find(|op| {
                    op.body.as_ref().is_none_or(|b| !b.required)
                        && op.parameters.iter().all(|p| !p.required)
                })
                .map(|op| format!("{}()", op.method_name.code())),
            features: groups,
        })
    }

    /// Renders and writes, touching only files whose content changed.
    pub fn generate(&self) -> Result<Generated, GenerateError> {
        let out_dir = self.require_out_dir()?;
        let rendered = self.render()?;
        let mut timings = rendered.timings;
        let started = Instant::now();
        let files = output::write_all(out_dir, &rendered.files, self.force)?;
        timings.write = started.elapsed();
        Ok(Generated {
            paging: rendered.paging,
            operations: rendered.operations,
            types: rendered.types,
            files,
            warnings: rendered.warnings,
            timings,
        })
    }

    /// Every file under the output directory that differs from what would be generated.
    pub fn check(&self) -> Result<Vec<Staleness>, GenerateError> {
        let out_dir = self.require_out_dir()?;
        let rendered = self.render()?;
        Ok(output::check_all(
            out_dir,
            &rendered.files,
            &rendered.sha256,
            &self.fingerprint(),
        ))
    }
}

/// The `version` of an existing generated `Cargo.toml`, so regeneration keeps a bump.
fn read_existing_version(path: &Path) -> Option<String> {
    let text = output::read_owned(path)?;
    text.lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
}

fn api_uses(api: &Api, pred: &dyn Fn(&Ty) -> bool) -> bool {
    let type_shapes = api.types.iter().flat_map(|def| def.kind.shapes());
    type_shapes
        .chain(api.operations.iter().flat_map(Operation::shapes))
        .any(|shape| shape.nested().any(|nested| pred(&nested.ty)))
}

/// The cargo features of a generated crate: one per operation group, when there are several.
fn feature_rows(api: &Api) -> Vec<templates::FeatureRow> {
    if !api.has_group_features() {
        return Vec::new();
    }
    api.groups
        .iter()
        .enumerate()
        .map(|(index, group)| templates::FeatureRow {
            name: group.feature.clone(),
            group: table_cell(&group.name),
            operations: api.operations.iter().filter(|op| op.group == index).count(),
        })
        .collect()
}

/// Text for one cell of a markdown table in the generated README: one line, `|` escaped.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
