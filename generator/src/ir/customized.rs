//! The configuration's type-level customisations, applied to the converted types: extra
//! attributes and replacements by existing Rust types. Renames and operation selection
//! happen while converting (names are claimed there).

use super::model::{Operation, TypeDef};
use crate::customize::Customize;

/// The schema name of a component type (`/components/schemas/Money` → `Money`).
fn schema_name(def: &TypeDef) -> Option<String> {
    let rest = def.origin.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| rest.replace("~1", "/").replace("~0", "~"))
}

/// Sets attributes and replacements; a rule naming a schema or operation the spec does not
/// have is an error (a typo would otherwise be silently ignored).
pub(super) fn apply(
    types: &mut [TypeDef],
    operations: &[Operation],
    customize: &Customize,
) -> Result<(), String> {
    customize.validate()?;
    let schemas: Vec<Option<String>> = types.iter().map(schema_name).collect();
    let known = |schema: &str| schemas.iter().flatten().any(|name| name == schema);
    for (kind, schema) in customize
        .replacements
        .keys()
        .map(|s| ("replace", s))
        .chain(customize.type_renames.keys().map(|s| ("rename", s)))
    {
        if !known(schema) {
            return Err(format!(
                "{kind} `{schema}`: the spec has no component schema of that name"
            ));
        }
    }
    for id in customize.operation_renames.keys() {
        if !operations.iter().any(|op| &op.operation_id == id) {
            return Err(format!(
                "rename operation `{id}`: no generated operation has that operationId"
            ));
        }
    }
    for (def, schema) in types.iter_mut().zip(&schemas) {
        let names = [schema.as_deref(), Some(def.name.as_str())];
        for (pattern, attribute) in &customize.type_attributes {
            if names.iter().flatten().any(|name| pattern.matches(name)) {
                def.attributes.push(attribute.clone());
            }
        }
        if let Some(path) = schema.as_ref().and_then(|s| customize.replacements.get(s)) {
            def.replacement = Some(path.clone());
        }
    }
    Ok(())
}
