//! Spec → IR.

mod checks;
mod constants;
mod customized;
mod date_times;
mod groups;
pub mod model;
mod operations;
pub(crate) mod pagination;
mod recursion;
mod rust_type;
mod schemas;
mod security;
// A unit test, not an integration test: the IR is private to the crate.
#[cfg(test)]
mod security_contract;
mod tags;
mod view;

pub use model::*;
pub(crate) use operations::{DEFAULT_SENTINEL, ITEM_SCHEMA_EXTENSION};
pub(crate) use tags::implied_tag;
pub use rust_type::{rust_type, Spelling};

use crate::customize::Customize;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::GenerateError;
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

/// The IR of a spec, and the warnings produced while building it.
pub struct Built {
    /// The model.
    pub api: Api,
    /// Warnings (constructs typed loosely, skipped features).
    pub warnings: Vec<Diagnostic>,
}

/// How strictly to treat spec violations that have an obvious repair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Strictness {
    /// Repair duplicate `operationId`s (later ones get the method appended) and operations
    /// without `responses` (no documented status), with a warning, instead of failing.
    pub lenient: bool,
}

/// Builds the IR of a loaded spec; fails with every located error found.
pub fn build(spec: &LoadedSpec, strictness: Strictness) -> Result<Built, GenerateError> {
    build_with(spec, strictness, &Customize::default())
}

/// [`build`] with the configuration's customisations applied: operations selected and
/// renamed, types renamed, replaced or given extra attributes.
pub fn build_with(
    spec: &LoadedSpec,
    strictness: Strictness,
    customize: &Customize,
) -> Result<Built, GenerateError> {
    let mut diagnostics =
        Diagnostics::new(&spec.path, spec.locator.clone()).with_origins(spec.origins.clone());
    for (pointer, message) in &spec.adjustments {
        diagnostics.warn(pointer, message.clone());
    }
    let openapi = &spec.openapi;
    let mut converter = schemas::SchemaConverter::new(&spec.document, &mut diagnostics, customize);
    if let Some(components) = &openapi.components {
        converter.convert_components(&components.schemas);
    }
    let mut groups = groups::GroupRegistry::new(openapi);
    let security_schemes = security::schemes(openapi, &spec.document, converter.diagnostics);
    let operations = operations::convert_operations(
        openapi,
        &spec.document,
        &mut converter,
        strictness,
        &mut groups,
        &security_schemes,
        customize,
    );
    // 3.0 has no `webhooks`; documents that add them (a 3.1 habit) get told they are skipped.
    if spec.document.get("webhooks").is_some() || openapi.extensions.contains_key("x-webhooks") {
        converter.diagnostics.warn(
            if spec.document.get("webhooks").is_some() {
                "/webhooks"
            } else {
                "/x-webhooks"
            },
            "webhooks describe requests the server sends; no client code is generated for them",
        );
    }
    let mut types = converter.finish(operations.iter().flat_map(Operation::shapes));
    customized::apply(&mut types, &operations, customize).map_err(GenerateError::Config)?;
    recursion::box_cycles(&mut types);
    for (pointer, message) in recursion::alias_cycles(&types) {
        diagnostics.error(&pointer, message);
    }
    constants::mark_union_constants(&mut types);
    date_times::mark_date_time_fields(&mut types);
    checks::mark_checked_types(&mut types);
    if diagnostics.has_errors() {
        return Err(GenerateError::Invalid {
            diagnostics: diagnostics
                .into_vec()
                .into_iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .collect(),
        });
    }
    let mut api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        servers: servers(openapi),
        types,
        operations,
        groups: groups.finish(),
        token_url: token_url(openapi),
        security_schemes,
    };
    groups::assign_type_groups(&mut api);
    pagination::infer_all(&mut api);
    Ok(Built {
        api,
        warnings: diagnostics.into_vec(),
    })
}

/// Deserializes what a local `$ref` (`#/…`) points at, when it exists and has that shape.
fn resolve<T: serde::de::DeserializeOwned>(
    document: &serde_json::Value,
    reference: &str,
) -> Option<T> {
    let target = document.pointer(reference.strip_prefix('#')?)?;
    serde_json::from_value(target.clone()).ok()
}

/// Absolute http(s) servers become regions; variables take their defaults.
fn servers(openapi: &openapiv3::OpenAPI) -> Vec<Server> {
    let mut scope = Scope::default();
    openapi
        .servers
        .iter()
        .filter_map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains('{') {
                return None;
            }
            let short = server
                .description
                .as_deref()
                .filter(|d| !d.is_empty() && d.split_whitespace().count() <= 4);
            let host = url.split("://").nth(1).unwrap_or(&url).to_owned();
            let variant = scope.variant(&naming::camel(short.unwrap_or(&host)));
            Some(Server {
                variant,
                url: url.trim_end_matches('/').to_owned(),
                description: server.description.clone(),
            })
        })
        .collect()
}

fn token_url(openapi: &openapiv3::OpenAPI) -> Option<String> {
    let schemes = &openapi.components.as_ref()?.security_schemes;
    schemes.values().find_map(|scheme| match scheme {
        openapiv3::ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => flows
            .client_credentials
            .as_ref()
            .map(|flow| flow.token_url.clone())
            .or_else(|| {
                flows
                    .authorization_code
                    .as_ref()
                    .map(|flow| flow.token_url.clone())
            }),
        _ => None,
    })
}
