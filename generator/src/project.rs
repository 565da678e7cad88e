//! The project file (`oapigen.toml`): which specs become which crates.

use std::path::Path;

use crate::error::GenerateError;

/// Reads `path` into one [`Config`](crate::Config) per spec, sorted by spec file name.
///
/// ```toml
/// specs = "specs"            # directory of *.yaml / *.json specs
/// out = "generated"          # one crate per spec: <out>/<crate_prefix><stem>
/// crate_prefix = "alexa-"
/// runtime_path = "runtime"   # path of oapigen-runtime, relative to this file
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
    specs
        .into_iter()
        .map(|spec| {
            let stem = spec
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let crate_name = format!("{}{stem}", project.crate_prefix);
            // The name is also the crate's folder under `out`: `..` or `/` must not pass.
            if let Some(problem) = crate::naming::crate_name_error(&crate_name) {
                return Err(GenerateError::Config(format!(
                    "{}: `{}` cannot be a crate name: {problem} (rename the spec file)",
                    spec.display(),
                    crate_name.escape_debug()
                )));
            }
            let out = base.join(&project.out).join(&crate_name);
            let mut config = crate::Config::new(&spec, &out).crate_name(crate_name);
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
}
