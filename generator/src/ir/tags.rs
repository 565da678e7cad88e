//! The tag value that selects a variant of a discriminated union.

use serde_json::Value;

/// How many `$ref`s and `allOf` levels are followed to find the tag property.
const MAX_DEPTH: usize = 8;

/// The one value the variant `reference` allows for its tag `property` (a one-value `enum`
/// or a `const`, in its own properties or an `allOf` part's), when it has one. A
/// discriminator without a mapping implies the schema's name as the tag, but a variant
/// whose tag property allows one other value (OpenAI's `ResponseFormatText` with
/// `type: {enum: [text]}`) can only ever be sent and received with that value.
pub(crate) fn own_tag(document: &Value, reference: &str, property: &str) -> Option<String> {
    let target = document.pointer(reference.strip_prefix('#')?)?;
    tag_in(document, target, property, 0)
}

/// [`own_tag`] of `reference` as one of the union's variants `siblings`, unless another
/// sibling has the same one or a `mapping` key (`taken`) is that value: then the schema
/// names, which always differ, tell the variants apart.
pub(crate) fn implied_tag(
    document: &Value,
    reference: &str,
    siblings: &[&str],
    taken: &[&str],
    property: &str,
) -> Option<String> {
    let own = own_tag(document, reference, property)?;
    let clash = taken.contains(&own.as_str())
        || siblings
            .iter()
            .filter(|sibling| **sibling != reference)
            .any(|sibling| own_tag(document, sibling, property).as_deref() == Some(own.as_str()));
    (!clash).then_some(own)
}

fn tag_in(document: &Value, schema: &Value, property: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = document.pointer(reference.strip_prefix('#')?)?;
        return tag_in(document, target, property, depth + 1);
    }
    let own = schema
        .get("properties")
        .and_then(|properties| properties.get(property))
        .and_then(|tag| single_value(document, tag, depth));
    own.or_else(|| {
        schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|part| tag_in(document, part, property, depth + 1))
    })
}

fn single_value(document: &Value, tag: &Value, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(reference) = tag.get("$ref").and_then(Value::as_str) {
        let target = document.pointer(reference.strip_prefix('#')?)?;
        return single_value(document, target, depth + 1);
    }
    if let Some(value) = tag.get("const").and_then(Value::as_str) {
        return Some(value.to_owned());
    }
    match tag.get("enum").and_then(Value::as_array)?.as_slice() {
        [Value::String(value)] => Some(value.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::own_tag;
    use serde_json::json;

    #[test]
    fn a_variant_whose_tag_property_allows_one_value_is_tagged_by_it() {
        let document = json!({"components": {"schemas": {
            "Text": {"type": "object", "properties": {"type": {"type": "string", "enum": ["text"]}}},
            "Kind": {"const": "json_schema"},
            "Schema": {"allOf": [{"type": "object", "properties": {"type": {"$ref": "#/components/schemas/Kind"}}}]},
            "Runner": {"type": "object", "properties": {"type": {"enum": ["sidecar", "runbook"]}}}
        }}});
        let tag = |name: &str| own_tag(&document, &format!("#/components/schemas/{name}"), "type");
        assert_eq!(tag("Text").as_deref(), Some("text"));
        assert_eq!(tag("Schema").as_deref(), Some("json_schema"));
        // Two values: nothing says which; the schema's name stays the tag.
        assert_eq!(tag("Runner"), None);
        assert_eq!(tag("Missing"), None);
        // Two variants allowing the same value cannot both be tagged by it.
        let text = "#/components/schemas/Text";
        let schema = "#/components/schemas/Schema";
        let implied = |siblings: &[&str], taken: &[&str]| {
            super::implied_tag(&document, text, siblings, taken, "type")
        };
        assert_eq!(implied(&[text, schema], &[]).as_deref(), Some("text"));
        assert_eq!(implied(&[text, text], &[]).as_deref(), Some("text"));
        assert_eq!(implied(&[text, schema], &["text"]), None);
        let twin = json!({"components": {"schemas": {
            "A": {"properties": {"type": {"enum": ["x"]}}},
            "B": {"properties": {"type": {"enum": ["x"]}}}
        }}});
        let (a, b) = ("#/components/schemas/A", "#/components/schemas/B");
        assert_eq!(super::implied_tag(&twin, a, &[a, b], &[], "type"), None);
    }
}
