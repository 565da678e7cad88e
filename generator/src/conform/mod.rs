//! The conformance report: for every spec, generate its crate and a harness that calls every
//! operation through the generated client, serve the spec with a judge no one here wrote
//! (Prism), run the harness against it, and record per operation whether the request was
//! accepted and the response decoded, or why not.
//!
//! Like the corpus report, generation runs per spec in a child process chosen by the
//! caller ([`prepare_one`] is what that child runs), and every crate is built in one
//! scratch workspace. Harness code lives in that workspace only, never in the user's crate.

mod harness;
pub mod judge;
mod parts;
mod passes;
mod pattern;
pub mod report;
mod table;
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::corpus::{self, Outcome};
use crate::ir::{self, Strictness};
use crate::{load, RuntimeDependency};
pub use judge::Mode;
pub use report::{OperationReport, SpecReport};

/// What the child process made of one spec.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Prepared {
    /// Generating the crate.
    pub outcome: Outcome,
    /// The operation ids of the IR, in order.
    pub operations: Vec<String>,
    /// Why no harness was written, when none was.
    pub harness_error: Option<String>,
    /// What preparing the judge's copy of the spec changed or why it failed.
    pub judge_notes: Vec<String>,
    /// The path parameters (wire names) of each operation.
    #[serde(default)]
    pub path_parameters: BTreeMap<String, Vec<String>>,
    /// The operations whose path template carries a `#fragment` or a `?query`.
    #[serde(default)]
    pub fragment_paths: Vec<String>,
    /// The operations with a `multipart/form-data` body.
    #[serde(default)]
    pub multipart: Vec<String>,
    /// The operations whose `multipart/form-data` schema is no object of parts.
    #[serde(default)]
    pub undescribed_parts: Vec<String>,
    /// The operations with an `application/x-www-form-urlencoded` body.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Each operation's path template as written and method (lower case).
    #[serde(default)]
    pub routes: BTreeMap<String, (String, String)>,
    /// Each operation's optional query parameters (wire names) whose object value is sent
    /// as its properties.
    #[serde(default)]
    pub optional_objects: BTreeMap<String, Vec<String>>,
}

impl Prepared {
    /// Generating gave `outcome`; nothing else is known yet.
    pub fn new(outcome: Outcome) -> Self {
        Self {
            outcome,
            operations: Vec::new(),
            harness_error: None,
            judge_notes: Vec::new(),
            path_parameters: BTreeMap::new(),
            fragment_paths: Vec::new(),
            multipart: Vec::new(),
            undescribed_parts: Vec::new(),
            forms: Vec::new(),
            routes: BTreeMap::new(),
            optional_objects: BTreeMap::new(),
        }
    }

    /// The rules that name a cause better than a single call can (see [`report`]), for
    /// `operation`'s verdict.
    pub fn adjust(&self, operation: &str, verdict: &mut report::Verdict) {
        // The judge's limit first: the second judge may judge what it rejected.
        if self.multipart.iter().any(|op| op == operation) {
            report::multipart_list(verdict);
        }
        if let Some(names) = self.optional_objects.get(operation) {
            report::absent_object_parameter(verdict, names);
        }
        if self.undescribed_parts.iter().any(|op| op == operation) {
            report::undescribed_parts(verdict);
        }
        if self.forms.iter().any(|op| op == operation) {
            report::empty_form(verdict);
        }
        report::query_object_list(verdict);
        let own = self.path_parameters.get(operation);
        report::ambiguous_path(verdict, own.map_or(&[][..], Vec::as_slice));
        if let Some((template, _)) = self.routes.get(operation) {
            report::unplaced_path_parameter(verdict, template);
        }
        if self.fragment_paths.iter().any(|op| op == operation) {
            match self.routes.get(operation) {
                Some((template, _)) if !template.contains('#') => report::query_path(verdict),
                _ => report::fragment_path(verdict),
            }
        }
    }
}

/// Where a spec's files go in the scratch workspace.
pub struct Layout {
    /// The generated crate.
    pub crate_dir: PathBuf,
    /// The harness crate.
    pub harness_dir: PathBuf,
    /// The spec as the judge serves it.
    pub judge_spec: PathBuf,
}

impl Layout {
    /// The layout of crate `name` in `work`.
    pub fn new(work: &Path, name: &str) -> Self {
        let harness_dir = work.join(harness::package_name(name));
        Self {
            crate_dir: work.join(name),
            judge_spec: harness_dir.join("judge-spec.json"),
            harness_dir,
        }
    }
}

/// Generates `spec` as crate `name` in `work`, then its harness and the judge's copy of the
/// spec. Runs in a child process of the report.
pub fn prepare_one(spec: &Path, work: &Path, name: &str, runtime: &str) -> Prepared {
    let layout = Layout::new(work, name);
    let outcome = corpus::generate_one(
        spec,
        &layout.crate_dir,
        name,
        RuntimeDependency::Path(runtime.to_owned()),
    );
    let mut prepared = Prepared::new(outcome);
    if !matches!(prepared.outcome, Outcome::Generated(_)) {
        return prepared;
    }
    let result = std::panic::catch_unwind(|| write_harness(spec, &layout, name, runtime));
    match result {
        Ok(Ok(harness)) => {
            prepared.operations = harness.operations;
            prepared.judge_notes = harness.notes;
            prepared.path_parameters = harness.path_parameters;
            prepared.fragment_paths = harness.fragment_paths;
            prepared.multipart = harness.multipart;
            prepared.undescribed_parts = harness.undescribed_parts;
            prepared.forms = harness.forms;
            prepared.routes = harness.routes;
            prepared.optional_objects = harness.optional_objects;
        }
        Ok(Err(err)) => prepared.harness_error = Some(err),
        Err(_) => prepared.harness_error = Some("the harness generator panicked".to_owned()),
    }
    prepared
}

/// What writing a harness gives (the fields of [`Prepared`] of the same names).
struct Harness {
    operations: Vec<String>,
    notes: Vec<String>,
    path_parameters: BTreeMap<String, Vec<String>>,
    fragment_paths: Vec<String>,
    multipart: Vec<String>,
    undescribed_parts: Vec<String>,
    forms: Vec<String>,
    routes: BTreeMap<String, (String, String)>,
    optional_objects: BTreeMap<String, Vec<String>>,
}

fn write_harness(
    spec: &Path,
    layout: &Layout,
    name: &str,
    runtime: &str,
) -> Result<Harness, String> {
    let text = std::fs::read_to_string(spec).map_err(|err| format!("{}: {err}", spec.display()))?;
    let loaded = load::load_str(spec, text.clone()).map_err(|err| err.to_string())?;
    let built = ir::build(&loaded, Strictness { lenient: true }).map_err(|err| err.to_string())?;
    let main = harness::main_rs(&built.api, &loaded.document, name)?;
    std::fs::create_dir_all(&layout.harness_dir).map_err(|err| err.to_string())?;
    // The runtime path is absolute; the harness sits beside the crate.
    std::fs::write(
        layout.harness_dir.join("Cargo.toml"),
        harness::manifest(name, runtime),
    )
    .map_err(|err| err.to_string())?;
    std::fs::write(layout.harness_dir.join("main.rs"), main).map_err(|err| err.to_string())?;
    let is_json =
        spec.extension().is_some_and(|ext| ext == "json") || text.trim_start().starts_with('{');
    drop(loaded);
    let mut notes = Vec::new();
    match judge::prepare_spec(&text, is_json, &layout.judge_spec) {
        Ok(prepared) if prepared.external_refs > 0 => notes.push(format!(
            "{} external $ref(s) emptied for the offline judge",
            prepared.external_refs
        )),
        Ok(_) => {}
        Err(err) => notes.push(format!("judge copy of the spec: {err}")),
    }
    let operations = built
        .api
        .operations
        .iter()
        .map(|op| op.operation_id.clone())
        .collect();
    let path_parameters = built
        .api
        .operations
        .iter()
        .map(|op| {
            let names = op
                .parameters
                .iter()
                .filter(|p| p.location == ir::Location::Path)
                .map(|p| p.wire.clone())
                .collect();
            (op.operation_id.clone(), names)
        })
        .collect();
    let ops = &built.api.operations;
    // The operations (by id) that `keep` holds for.
    let where_ = |keep: &dyn Fn(&ir::Operation) -> bool| -> Vec<String> {
        ops.iter()
            .filter(|op| keep(op))
            .map(|op| op.operation_id.clone())
            .collect()
    };
    let body_is = |op: &ir::Operation, encoding: &dyn Fn(&ir::BodyEncoding) -> bool| {
        op.body
            .as_ref()
            .is_some_and(|body| encoding(&body.encoding))
    };
    let fragment_paths = where_(&|op| op.path.contains(['#', '?']));
    let multipart = where_(&|op| {
        body_is(op, &|encoding| {
            matches!(encoding, ir::BodyEncoding::Multipart(_))
        })
    });
    let undescribed_parts = where_(&|op| body_is(op, &|e| *e == ir::BodyEncoding::Parts));
    let forms = where_(&|op| body_is(op, &|e| *e == ir::BodyEncoding::Form));
    let routes = built
        .api
        .operations
        .iter()
        .map(|op| {
            let route = (op.path.clone(), op.http_method.to_ascii_lowercase());
            (op.operation_id.clone(), route)
        })
        .collect();
    let optional_objects = built
        .api
        .operations
        .iter()
        .map(|op| {
            let names = op
                .parameters
                .iter()
                .filter(|p| {
                    p.location == ir::Location::Query
                        && !p.required
                        && p.explode
                        && p.object_style == Some(ir::ObjectStyle::Form)
                })
                .map(|p| p.wire.clone())
                .collect::<Vec<_>>();
            (op.operation_id.clone(), names)
        })
        .filter(|(_, names)| !names.is_empty())
        .collect();
    Ok(Harness {
        operations,
        optional_objects,
        notes,
        path_parameters,
        fragment_paths,
        multipart,
        undescribed_parts,
        forms,
        routes,
    })
}

/// What to run the report on.
#[derive(Clone, Debug)]
pub struct Options {
    /// Spec files, and directories of specs.
    pub specs: Vec<PathBuf>,
    /// Scratch workspace (created if missing).
    pub work: PathBuf,
    /// Target directory of the build.
    pub target_dir: PathBuf,
    /// Absolute path of the `oapigen-runtime` crate.
    pub runtime: PathBuf,
    /// The `prism` executable.
    pub prism: PathBuf,
    /// Only specs whose file name contains this.
    pub filter: Option<String>,
    /// How the judge answers: each mode is a pass.
    pub modes: Vec<Mode>,
    /// Longest wait for the judge to start serving a spec.
    pub startup: Duration,
    /// Longest run of one harness against one judge.
    pub run_limit: Duration,
    /// Longest build of one spec's crate and harness.
    pub build_limit: Duration,
    /// Seed for the workspace's `Cargo.lock`.
    pub lockfile: Option<PathBuf>,
}

/// Runs the child process that prepares a spec.
pub type Prepare<'a> = dyn FnMut(&Path, &Path, &str, &str) -> Prepared + 'a;

/// The specs named by `paths`: files as given, directories' specs sorted by name.
pub fn spec_list(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut specs = Vec::new();
    for path in paths {
        if path.is_dir() {
            specs.extend(corpus::spec_files(path)?);
        } else {
            specs.push(path.clone());
        }
    }
    Ok(specs)
}

/// Takes the specs one at a time: prepares it, builds its crate and harness in the scratch
/// workspace (dependencies stay built in the shared target directory), then runs the harness
/// against the judge in each mode. A spec that cannot be generated, built within
/// `build_limit` or judged is a row note; `progress` gets a line per step.
pub fn run(
    options: &Options,
    prepare: &mut Prepare<'_>,
    progress: &mut dyn FnMut(&str),
) -> std::io::Result<Vec<SpecReport>> {
    std::fs::create_dir_all(&options.work)?;
    let work = options.work.canonicalize()?;
    // Cargo runs in `work`: a relative target directory would be taken from there.
    std::fs::create_dir_all(&options.target_dir)?;
    let target_dir = options.target_dir.canonicalize()?;
    let runtime = options.runtime.display().to_string();
    let specs: Vec<PathBuf> = spec_list(&options.specs)?
        .into_iter()
        .filter(|spec| {
            let file_name = spec.file_name().map(|n| n.to_string_lossy());
            options
                .filter
                .as_ref()
                .is_none_or(|f| file_name.is_some_and(|n| n.contains(f.as_str())))
        })
        .collect();
    let mut reports = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let file_name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let step = format!("[{}/{}] {file_name}", index + 1, specs.len());
        let name = corpus::crate_name(spec);
        let started = Instant::now();
        let prepared = prepare(spec, &work, &name, &runtime);
        progress(&format!(
            "{step}: prepared in {:.1} s ({} operations)",
            started.elapsed().as_secs_f64(),
            prepared.operations.len()
        ));
        let builds = if prepared.harness_error.is_none()
            && matches!(prepared.outcome, Outcome::Generated(_))
        {
            let started = Instant::now();
            let builds = build_one(options, &work, &target_dir, &name)?;
            progress(&format!(
                "{step}: built in {:.1} s",
                started.elapsed().as_secs_f64()
            ));
            builds
        } else {
            corpus::Built::default()
        };
        let binary = target_dir.join("debug").join(harness::package_name(&name));
        let report = judge_spec(
            options, &binary, &work, &file_name, &name, prepared, &builds,
        );
        progress(&format!(
            "{step}: {}/{} operations conform{}",
            report.conforming(),
            report.operation_count,
            report
                .notes
                .first()
                .map(|note| format!(" ({note})"))
                .unwrap_or_default()
        ));
        reports.push(report);
    }
    Ok(reports)
}

/// Builds crate `name` and its harness, alone in the workspace, within the build limit.
fn build_one(
    options: &Options,
    work: &Path,
    target_dir: &Path,
    name: &str,
) -> std::io::Result<corpus::Built> {
    let members = [name.to_owned(), harness::package_name(name)];
    corpus::write_workspace(work, &members, options.lockfile.as_deref())?;
    // Harnesses are run, not debugged: no debug info keeps the build and link short.
    let manifest = work.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    text.push_str("\n[profile.dev]\ndebug = 0\n");
    std::fs::write(&manifest, text)?;
    corpus::cargo_workspace_within(work, target_dir, "build", Some(options.build_limit))
}

fn judge_spec(
    options: &Options,
    binary: &Path,
    work: &Path,
    file_name: &str,
    name: &str,
    prepared: Prepared,
    builds: &corpus::Built,
) -> SpecReport {
    let mut report = SpecReport {
        spec: file_name.to_owned(),
        judge: "-".to_owned(),
        operation_count: prepared.operations.len(),
        ..SpecReport::default()
    };
    match &prepared.outcome {
        Outcome::Generated(generation) => report.operation_count = generation.operations,
        Outcome::Failed(message) => {
            report
                .notes
                .push(format!("refused: {}", first_line(message)));
            return report;
        }
        Outcome::Panicked(message) => {
            report.panicked = true;
            report.notes.push(format!("PANIC: {}", first_line(message)));
            return report;
        }
    }
    if let Some(error) = &prepared.harness_error {
        report
            .notes
            .push(format!("no harness: {}", first_line(error)));
        return report;
    }
    report.notes.extend(
        prepared
            .judge_notes
            .iter()
            .filter(|note| note.starts_with("judge copy"))
            .cloned(),
    );
    if builds.timed_out {
        report.notes.push(format!(
            "build stopped after {} s (--build-timeout)",
            options.build_limit.as_secs()
        ));
        return report;
    }
    for package in [name.to_owned(), harness::package_name(name)] {
        let check = builds.checks.get(&package).cloned().unwrap_or_default();
        if check.errors > 0 || !check.checked {
            report.notes.push(format!(
                "{package} does not build: {}",
                check.first_error.as_deref().map_or("not built", first_line)
            ));
            return report;
        }
    }
    let layout = Layout::new(work, name);
    let mut passes = BTreeMap::new();
    let mut prism_refused = None;
    for &mode in &options.modes {
        let pass = passes::run_pass(
            options,
            &layout.judge_spec,
            binary,
            mode,
            &prepared,
            &mut prism_refused,
        );
        match pass {
            Ok(pass) => {
                report.notes.extend(pass.note.clone());
                passes.insert(mode.label(), pass);
            }
            Err(why) => report
                .notes
                .push(format!("{} pass: {}", mode.label(), first_line(&why))),
        }
    }
    let own_path: std::collections::BTreeSet<&String> =
        passes.values().flat_map(|pass| &pass.own_path).collect();
    if !own_path.is_empty() {
        report.notes.push(format!(
            "{} operation(s) whose URL the judge routed to another path template re-judged by \
             Prism serving only their own path",
            own_path.len()
        ));
    }
    report.operations = prepared
        .operations
        .iter()
        .map(|operation| OperationReport {
            operation: operation.clone(),
            modes: passes
                .iter()
                .map(|(mode, pass)| {
                    let mine: Vec<&report::Line> = pass
                        .lines
                        .iter()
                        .filter(|line| &line.op == operation)
                        .collect();
                    let mut verdict = report::verdict(&mine);
                    pass.judge_of(operation).clone_into(&mut verdict.judge);
                    prepared.adjust(operation, &mut verdict);
                    ((*mode).to_owned(), verdict)
                })
                .collect(),
        })
        .collect();
    if let Some(judges) = report.judge_label() {
        report.judge = judges;
    }
    report
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
