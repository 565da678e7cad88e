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
