//! The project file (`oapigen.toml`): which specs become which crates, with which package
//! metadata and customisations.

use std::collections::BTreeMap;
use std::path::Path;

use crate::customize::CustomizeFile;
use crate::error::GenerateError;
use crate::package::PackageFile;

/// Reads `path` into one [`Config`](crate::Config) per spec, sorted by spec file name.
///
/// ```toml
/// specs = "specs"            # directory of *.yaml / *.json specs
/// out = "generated"          # one crate per spec: <out>/<crate_prefix><stem>
/// crate_prefix = "alexa-"
/// # runtime_path = "runtime" # a path dependency on oapigen-runtime, relative to this file;
///                            # without it, a registry requirement (runtime_version, default
///                            # this generator's version)
///
/// [package]                  # Cargo.toml metadata of every crate (see `Package`)
/// license = "MIT OR Apache-2.0"
/// repository = "https://github.com/me/clients"
///
/// [customize]                # for every crate (see `Customize`)
/// type_attributes = { "*Id" = ["#[derive(Hash, Eq)]"] }
///
/// [crates.alexa-notifications.package]     # one crate, over `[package]`
/// description = "Alexa Notifications client"
/// version = "1.0.0"
/// version-policy = "fixed"   # or "keep" (default): a new crate starts at `version`
/// dependencies = { money = { path = "../money", version = "1" } }
///
/// [crates.alexa-notifications.customize]   # one crate, after `[customize]`
/// replace = { Money = "money::Money" }
/// include = { tags = ["notifications"] }
/// exclude = { paths = ["/v1/internal/*"], operations = ["debug*"] }
/// rename = { operations = { getNotifications = "list" }, types = { Msg = "Message" } }
/// ```
pub fn configs(path: &Path) -> Result<Vec<crate::Config>, GenerateError> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        GenerateError::Config(format!(
            "{}: {err} (pass --spec FILE --out DIR, or create oapigen.toml)",
            path.display()
        ))
    })?;
    let project: Project = toml::from_str(&text)
        .map_err(|err| GenerateError::Config(format!("{}: {err}", path.display())))?;
    let located = |err: String| GenerateError::Config(format!("{}: {err}", path.display()));
    let base = path.parent().unwrap_or(Path::new("."));
    let specs_dir = base.join(&project.specs);
    let mut specs: Vec<_> = std::fs::read_dir(&specs_dir)
        .map_err(|err| GenerateError::Config(format!("{}: {err}", specs_dir.display())))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    let names: Vec<String> = specs.iter().map(|spec| project.crate_name(spec)).collect();
    if let Some(unknown) = project.crates.keys().find(|name| !names.contains(name)) {
        return Err(located(format!(
            "[crates.{unknown}]: no spec becomes a crate of that name (crates: {})",
            names.join(", ")
        )));
    }
    specs
        .into_iter()
        .map(|spec| {
            let crate_name = project.crate_name(&spec);
            // The name is also the crate's folder under `out`: `..` or `/` must not pass.
            if let Some(problem) = crate::naming::crate_name_error(&crate_name) {
                return Err(GenerateError::Config(format!(
                    "{}: `{}` cannot be a crate name: {problem} (rename the spec file)",
                    spec.display(),
                    crate_name.escape_debug()
                )));
            }
            let out = base.join(&project.out).join(&crate_name);
            let one = project.crates.get(&crate_name).cloned().unwrap_or_default();
            let package = project
                .package
                .merged(&one.package)
                .package()
                .map_err(|err| located(format!("package of {crate_name}: {err}")))?;
            let mut config = crate::Config::new(&spec, &out)
                .crate_name(crate_name)
                .package(package);
            config = one.customize.apply(project.customize.apply(config));
            if let Some(version) = &project.runtime_version {
                config =
                    config.runtime_dependency(crate::RuntimeDependency::Version(version.clone()));
            }
            if let Some(runtime) = &project.runtime_path {
                // Relative to the generated crate: up from <out>/<crate> to the project root.
                let depth = Path::new(&project.out).components().count() + 1;
                let up = "../".repeat(depth);
                config = config
                    .runtime_dependency(crate::RuntimeDependency::Path(format!("{up}{runtime}")));
            }
            Ok(config)
        })
        .collect()
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Project {
    specs: String,
    out: String,
    #[serde(default)]
    crate_prefix: String,
    runtime_path: Option<String>,
    runtime_version: Option<String>,
    #[serde(default)]
    package: PackageFile,
    #[serde(default)]
    customize: CustomizeFile,
    #[serde(default)]
    crates: BTreeMap<String, CrateFile>,
}

impl Project {
    fn crate_name(&self, spec: &Path) -> String {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{}{stem}", self.crate_prefix)
    }
}

/// `[crates.NAME]`: what differs for one crate.
#[derive(Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateFile {
    #[serde(default)]
    package: PackageFile,
    #[serde(default)]
    customize: CustomizeFile,
}
