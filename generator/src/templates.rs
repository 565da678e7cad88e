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
    /// `path` or `version`: where `oapigen-runtime` comes from.
    pub runtime_source: String,
    /// The path or version requirement.
    pub runtime_location: String,
    /// The runtime version a path dependency also names (for publishing).
    pub runtime_version: String,
    pub uses_chrono: bool,
    pub uses_uuid: bool,
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
    // Every value from outside the generator (spec text, file and crate names) goes through
    // one of these: `toml` in Cargo.toml, `md` in README.md.
    env.add_filter("toml", toml_string);
    env.add_filter("toml_key", toml_key);
    env.add_filter("md", markdown_text);
    env.add_filter("md_code", markdown_code);
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

/// `value` as a TOML basic string, quotes included: no newline, quote or control character
/// can end it and start a table or key of its own.
fn toml_string(value: String) -> String {
    toml::Value::String(value).to_string()
}

/// `value` as a TOML key: bare when it is one, quoted otherwise.
fn toml_key(value: String) -> String {
    let bare = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        value
    } else {
        toml_string(value)
    }
}

/// `value` inside a Markdown table cell's code span: one line, no backtick, `|` escaped.
fn markdown_code(value: String) -> String {
    markdown_text(value).replace('`', "'").replace('|', "\\|")
}

/// `value` as one line of Markdown text: no control or bidirectional control characters,
/// no raw HTML, no backtick left open to swallow what follows.
fn markdown_text(value: String) -> String {
    let line: String = value
        .chars()
        .filter(|&c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.replace('<', "&lt;").replace('>', "&gt;");
    if line.matches('`').count() % 2 == 1 {
        line.replace('`', "'")
    } else {
        line
    }
}

/// `Cargo.toml` of a generated crate.
pub fn cargo_toml(context: &CrateContext) -> Result<String, GenerateError> {
    render("Cargo.toml.j2", CARGO_TOML, context)
}

/// `README.md` of a generated crate.
pub fn readme(context: &CrateContext) -> Result<String, GenerateError> {
    render("README.md.j2", README_MD, context)
}
