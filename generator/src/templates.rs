//! Non-Rust files of a generated crate (`Cargo.toml`, `README.md`), from minijinja templates.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::GenerateError;

const CARGO_TOML: &str = include_str!("../templates/Cargo.toml.j2");
const README_MD: &str = include_str!("../templates/README.md.j2");

/// What the templates are filled with.
#[derive(Serialize)]
pub struct CrateContext {
    pub header: String,
    pub crate_name: String,
    pub crate_ident: String,
    pub crate_version: String,
    pub description: String,
    pub title: String,
    pub api_version: String,
    pub runtime_dependency: String,
    pub uses_chrono: bool,
    pub uses_uuid: bool,
    pub uses_url: bool,
    pub operations: Vec<OperationRow>,
    pub regions: Vec<String>,
    pub spec_file: String,
    pub example_method: Option<String>,
    /// Cargo features, one per operation group (empty with a single group).
    pub features: Vec<FeatureRow>,
    /// The configured `[package]` metadata, dependencies and features.
    pub package: PackageRows,
}

/// The configured package metadata as the `Cargo.toml` template writes it.
#[derive(Serialize)]
pub struct PackageRows {
    pub license: Option<String>,
    pub license_file: Option<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub publish: Option<bool>,
    /// Extra dependencies: a checked name and a TOML value parsed by the `toml` crate.
    pub dependencies: Vec<NamedValue>,
    /// Extra features: a checked name and what it enables.
    pub features: Vec<ExtraFeature>,
}

/// `name = value` of an extra dependency.
#[derive(Serialize)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

/// An extra cargo feature.
#[derive(Serialize)]
pub struct ExtraFeature {
    pub name: String,
    pub enables: Vec<String>,
}

impl PackageRows {
    /// The rows of `package`, refusing names Cargo would not accept and dependency values
    /// that are not TOML.
    pub fn new(package: &crate::package::Package) -> Result<Self, GenerateError> {
        let bad = |what: &str, name: &str| {
            GenerateError::Config(format!("package {what} `{name}`: not a valid Cargo name"))
        };
        let mut dependencies = Vec::new();
        for (name, value) in &package.dependencies {
            if !crate::package::valid_name(name) || name.contains(['/', '+']) {
                return Err(bad("dependency", name));
            }
            let parsed = toml::from_str::<toml::Table>(&format!("value = {value}"));
            if parsed.map_or(true, |table| table.len() != 1) {
                return Err(GenerateError::Config(format!(
                    "package dependency `{name}`: `{value}` is not one TOML value"
                )));
            }
            dependencies.push(NamedValue {
                name: name.clone(),
                value: value.clone(),
            });
        }
        let mut features = Vec::new();
        for (name, enables) in &package.features {
            if !crate::package::valid_name(name) || name.contains(['/', '+']) {
                return Err(bad("feature", name));
            }
            features.push(ExtraFeature {
                name: name.clone(),
                enables: enables.clone(),
            });
        }
        Ok(Self {
            license: package.license.clone(),
            license_file: package.license_file.clone(),
            repository: package.repository.clone(),
            homepage: package.homepage.clone(),
            documentation: package.documentation.clone(),
            authors: package.authors.clone(),
            keywords: package.keywords.clone(),
            categories: package.categories.clone(),
            publish: package.publish,
            dependencies,
            features,
        })
    }
}

/// One cargo feature of a generated crate.
#[derive(Serialize)]
pub struct FeatureRow {
    pub name: String,
    pub group: String,
    pub operations: usize,
}

/// One row of the README's operation table.
#[derive(Serialize)]
pub struct OperationRow {
    pub method: String,
    pub http: String,
    pub path: String,
    pub summary: String,
}

fn render(name: &str, source: &str, context: &CrateContext) -> Result<String, GenerateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let err = |e: minijinja::Error| GenerateError::Template {
        template: name.to_owned(),
        message: e.to_string(),
    };
    env.add_template(name, source).map_err(err)?;
    let rendered = env
        .get_template(name)
        .map_err(err)?
        .render(context)
        .map_err(err)?;
    Ok(format!("{}\n", rendered.trim_end()))
}

/// `Cargo.toml` of a generated crate.
pub fn cargo_toml(context: &CrateContext) -> Result<String, GenerateError> {
    render("Cargo.toml.j2", CARGO_TOML, context)
}

/// `README.md` of a generated crate.
pub fn readme(context: &CrateContext) -> Result<String, GenerateError> {
    render("README.md.j2", README_MD, context)
}
