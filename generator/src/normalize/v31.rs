//! OpenAPI 3.1 → 3.0: JSON Schema 2020-12 keywords into their 3.0 (draft-05 subset) forms,
//! `components.pathItems` inlined, `$defs` hoisted into `components.schemas`.

use serde_json::{json, Map, Value};

use super::{join, rewrite_refs, tuple_items, walk, Normalized};

/// The OAS 3.1 default dialect: declaring it changes nothing.
/// Marks a number the spec also allows as a numeric string (`type: [integer, string]`).
pub(crate) const NUMERIC_STRING: &str = "x-oapigen-numeric-string";

const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Rewrites a 3.1 document in place.
pub(super) fn convert(document: &mut Value, out: &mut Normalized) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), "3.0.3".into());
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            out.warn(
                "/jsonSchemaDialect",
                format!("jsonSchemaDialect {dialect} is ignored; schemas are read as OpenAPI 3.1's JSON Schema 2020-12"),
            );
        }
    }
    license(root);
    // 3.1 makes `paths` optional (a webhooks-only document has none).
    root.entry("paths").or_insert_with(|| json!({}));
    inline_path_items(root, out);
    drop_mutual_tls(root, out);
    hoist_defs(document, out);
    walk::schemas(document, &mut |schema, at| convert_schema(schema, at, out));
}

/// `license.identifier` (SPDX) becomes the `url` 3.0 has.
fn license(root: &mut Map<String, Value>) {
    let Some(Value::Object(license)) = root
        .get_mut("info")
        .and_then(|info| info.get_mut("license"))
    else {
        return;
    };
    if let Some(Value::String(id)) = license.remove("identifier") {
        license
            .entry("url")
            .or_insert_with(|| format!("https://spdx.org/licenses/{id}.html").into());
    }
}

/// Path items that `$ref` `#/components/pathItems/X` get X's content (3.0 has no
/// `components.pathItems`); the components entry is removed.
fn inline_path_items(root: &mut Map<String, Value>, out: &mut Normalized) {
    let items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    let Some(Value::Object(items)) = items else {
        return;
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let Some(Value::String(reference)) = item.get("$ref") else {
            continue;
        };
        let Some(name) = reference.strip_prefix("#/components/pathItems/") else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(Value::Object(target)) = items.get(&name) else {
            continue;
        };
        item.remove("$ref");
        for (key, value) in target {
            // The referring item's own `summary`/`description` win, as 3.1 says.
            item.entry(key.clone()).or_insert_with(|| value.clone());
        }
        let at = join("/paths", path);
        out.origins
            .record_moved(at, &join("/components/pathItems", &name));
    }
}

/// `mutualTLS` security schemes have no 3.0 form: the client authenticates at the TLS layer.
fn drop_mutual_tls(root: &mut Map<String, Value>, out: &mut Normalized) {
    let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in names {
        schemes.remove(&name);
        out.warn(
            join("/components/securitySchemes", &name),
            "mutualTLS security is skipped: configure the client certificate in the HTTP client",
        );
    }
}

/// Moves every `$defs` entry of a component schema into `components.schemas` (named after
/// its key, or parent + key when taken) and rewrites the `$ref`s into it.
fn hoist_defs(document: &mut Value, out: &mut Normalized) {
    let Some(Value::Object(schemas)) = document
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    else {
        return;
    };
    let mut moves: Vec<(String, String)> = Vec::new();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let parents: Vec<String> = schemas.keys().cloned().collect();
    for parent in parents {
        let Some(Value::Object(defs)) = schemas
            .get_mut(&parent)
            .and_then(Value::as_object_mut)
            .and_then(|s| s.remove("$defs"))
        else {
            continue;
        };
        for (key, def) in defs {
            let mut name = key.clone();
            if schemas.contains_key(&name) || hoisted.iter().any(|(n, _)| *n == name) {
                name = format!("{parent}{key}");
            }
            let from = join(&join(&join("/components/schemas", &parent), "$defs"), &key);
            let to = join("/components/schemas", &name);
            out.origins.record_moved(to.clone(), &from);
            moves.push((format!("#{from}"), format!("#{to}")));
            hoisted.push((name, def));
        }
    }
    schemas.extend(hoisted);
    if moves.is_empty() {
        return;
    }
    rewrite_refs(document, &|reference| {
        moves.iter().find_map(|(from, to)| {
            let rest = reference.strip_prefix(from.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
        })
    });
}

/// One schema, 3.1 → 3.0 (its subschemas are walked afterwards).
fn convert_schema(value: &mut Value, at: &str, out: &mut Normalized) {
    let object = match value {
        Value::Bool(true) => {
            *value = json!({});
            return;
        }
        Value::Bool(false) => {
            *value = json!({"not": {}});
            return;
        }
        Value::Object(object) => object,
        _ => {
            out.warn(at, "a schema must be an object; typed as JSON");
            *value = json!({});
            return;
        }
    };
    for key in ["$schema", "$id", "$comment", "$anchor", "$dynamicAnchor"] {
        object.remove(key);
    }
    if ref_with_siblings(object, at, out) {
        return;
    }
    if let Some(constant) = object.remove("const") {
        if !object.contains_key("enum") {
            if !object.contains_key("type") {
                if let Some(t) = json_type(&constant) {
                    object.insert("type".into(), t.into());
                }
            }
            if constant.is_null() {
                object.insert("nullable".into(), true.into());
            }
            object.insert("enum".into(), json!([constant]));
        }
    }
    const_union(object);
    match object.remove("examples") {
        Some(Value::Array(mut examples)) if !examples.is_empty() => {
            object
                .entry("example")
                .or_insert_with(|| examples.swap_remove(0));
        }
        _ => {}
    }
    exclusive_bound(object, "exclusiveMinimum", "minimum", |e, m| e >= m);
    exclusive_bound(object, "exclusiveMaximum", "maximum", |e, m| e <= m);
    content_encoding(object);
    prefix_items(object, at, out);
    tuple_items(object, at, out);
    unevaluated(object);
    null_members(object, at, out);
    type_array(object, at, out);
}

/// `oneOf`/`anyOf` whose every member is one documented constant (`{const: 3, title:
/// STRING, description: …}`, discord's option types): an `enum` of those values, each
/// value's title and description kept in the schema's description.
fn const_union(object: &mut Map<String, Value>) {
    let Some(key) = ["oneOf", "anyOf"].into_iter().find(|k| object.contains_key(*k)) else {
        return;
    };
    if object.contains_key("enum") {
        return;
    }
    let Some(Value::Array(members)) = object.get(key) else {
        return;
    };
    let documented = ["title", "description", "type", "deprecated", "const", "enum"];
    let constant = |member: &Value| -> Option<Value> {
        let member = member.as_object()?;
        if !member.keys().all(|k| documented.contains(&k.as_str())) {
            return None;
        }
        let value = match (member.get("const"), member.get("enum")) {
            (Some(value), None) => value.clone(),
            (None, Some(Value::Array(values))) if values.len() == 1 => values[0].clone(),
            _ => return None,
        };
        matches!(value, Value::String(_) | Value::Number(_)).then_some(value)
    };
    let Some(values) = members.iter().map(constant).collect::<Option<Vec<Value>>>() else {
        return;
    };
    let Some(first) = values.first() else {
        return;
    };
    if values.iter().any(|v| json_type(v) != json_type(first)) {
        return;
    }
    let notes: Vec<String> = members
        .iter()
        .zip(&values)
        .filter_map(|(member, value)| {
            let text = [member.get("title"), member.get("description")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(": ");
            (!text.is_empty()).then(|| format!("- `{value}`: {text}"))
        })
        .collect();
    if !object.contains_key("type") {
        if let Some(t) = json_type(first) {
            object.insert("type".into(), t.into());
        }
    }
    object.remove(key);
    object.insert("enum".into(), Value::Array(values));
    if !notes.is_empty() {
        let mut description = object
            .get("description")
            .and_then(Value::as_str)
            .map(|d| format!("{d}\n\n"))
            .unwrap_or_default();
        description.push_str(&notes.join("\n"));
        object.insert("description".into(), description.into());
    }
}

/// `{$ref, description, …}`: 3.0 ignores a `$ref`'s siblings, so the reference moves into
/// an `allOf` that keeps them. True when the schema was rewritten.
fn ref_with_siblings(object: &mut Map<String, Value>, at: &str, out: &mut Normalized) -> bool {
    if !object.contains_key("$ref") || object.len() == 1 {
        return false;
    }
    let Some(reference) = object.remove("$ref") else {
        return false;
    };
    let mut all_of = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(existing)) = object.remove("allOf") {
        for i in 0..existing.len() {
            out.origins
                .record_moved(format!("{at}/allOf/{}", i + 1), &format!("{at}/allOf/{i}"));
        }
        all_of.extend(existing);
    }
    out.origins.record_moved(format!("{at}/allOf/0"), at);
    object.insert("allOf".into(), Value::Array(all_of));
    // The siblings may themselves be 3.1 (`type: [object, "null"]`); convert them too.
    let mut rest = Value::Object(std::mem::take(object));
    convert_schema(&mut rest, at, out);
    if let Value::Object(rest) = rest {
        *object = rest;
    }
    true
}

fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// A numeric `exclusiveMinimum` becomes `minimum` + `exclusiveMinimum: true` when it is the
/// tighter bound (and is dropped when `minimum` already is).
fn exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    tighter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(bound)) = object.get(exclusive).cloned() else {
        return;
    };
    object.remove(exclusive);
    let current = object.get(inclusive).and_then(Value::as_f64);
    let value = bound.as_f64().unwrap_or(0.0);
    if current.is_none_or(|m| tighter(value, m)) {
        object.insert(inclusive.into(), Value::Number(bound));
        object.insert(exclusive.into(), true.into());
    }
}

/// `contentEncoding: base64` → `format: byte`; a non-JSON `contentMediaType` → `binary`.
fn content_encoding(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    object.remove("contentSchema");
    if object.contains_key("format") {
        return;
    }
    let base64 = encoding
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|e| e.starts_with("base64"));
    let binary = media
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|m| !m.contains("json") && !m.starts_with("text/"));
    if base64 {
        object.insert("format".into(), "byte".into());
    } else if binary {
        object.insert("format".into(), "binary".into());
    }
}

/// `prefixItems` (a tuple) has no 3.0 form: an array of JSON values, with a warning.
fn prefix_items(object: &mut Map<String, Value>, at: &str, out: &mut Normalized) {
    if object.remove("prefixItems").is_none() {
        return;
    }
    out.warn(
        join(at, "prefixItems"),
        "prefixItems (a tuple) cannot be expressed in OpenAPI 3.0; typed as an array of JSON values",
    );
    object.insert("items".into(), json!({}));
    object.remove("additionalItems");
    object.entry("type").or_insert_with(|| "array".into());
}

/// `unevaluatedProperties`/`patternProperties` → `additionalProperties` where that is free;
/// the rest of 2020-12's applicators only validate and are dropped.
fn unevaluated(object: &mut Map<String, Value>) {
    let unevaluated = object.remove("unevaluatedProperties");
    let patterns = object.remove("patternProperties");
    if !object.contains_key("additionalProperties") && !object.contains_key("allOf") {
        let single_pattern = match patterns {
            Some(Value::Object(p)) if p.len() == 1 => p.into_iter().next().map(|(_, s)| s),
            _ => None,
        };
        if let Some(schema) = single_pattern.or(unevaluated) {
            object.insert("additionalProperties".into(), schema);
        }
    }
    for key in [
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "if",
        "then",
        "else",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "$dynamicRef",
    ] {
        object.remove(key);
    }
}

/// `oneOf`/`anyOf` with `{type: "null"}` among several alternatives: the null members go
/// and the schema becomes `nullable` (one alternative plus null is left to the IR, which
/// reads it as an optional value).
fn null_members(object: &mut Map<String, Value>, at: &str, out: &mut Normalized) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = object.get_mut(keyword) else {
            continue;
        };
        let is_null = |m: &Value| {
            m.get("type").and_then(Value::as_str) == Some("null")
                || m.get("type") == Some(&json!(["null"]))
        };
        let non_null = members.iter().filter(|m| !is_null(m)).count();
        if non_null < 2 || non_null == members.len() {
            continue;
        }
        let mut kept = Vec::new();
        for (i, member) in std::mem::take(members).into_iter().enumerate() {
            if !is_null(&member) {
                let from = format!("{at}/{keyword}/{i}");
                out.origins
                    .record_moved(format!("{at}/{keyword}/{}", kept.len()), &from);
                kept.push(member);
            }
        }
        *members = kept;
        object.insert("nullable".into(), true.into());
    }
}

/// Keywords that only apply to one JSON type, to split a multi-type schema.
fn applies_to(keyword: &str) -> Option<&'static [&'static str]> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            &["integer", "number"]
        }
        "items" | "minItems" | "maxItems" | "uniqueItems" => &["array"],
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "discriminator" => &["object"],
        "format" => &["string", "integer", "number"],
        _ => return None,
    })
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several types → `oneOf`, one member per
/// type with the keywords that apply to it.
pub(super) fn type_array(object: &mut Map<String, Value>, at: &str, out: &mut Normalized) {
    let Some(Value::Array(types)) = object.get("type").cloned() else {
        if object.get("type").and_then(Value::as_str) == Some("null")
            && object.keys().any(|k| k != "type")
        {
            // `{type: "null", description}`: only null; the IR types it as JSON.
            object.insert("nullable".into(), true.into());
        }
        return;
    };
    object.remove("type");
    let mut names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let nullable = names.contains(&"null");
    names.retain(|t| *t != "null");
    names.dedup();
    if names.contains(&"integer") && names.contains(&"number") {
        names.retain(|t| *t != "integer");
    }
    // ASP.NET writes numbers that may also arrive as numeric strings as
    // `type: [integer, string], pattern: "^-?(?:0|[1-9]\\d*)$"`: a number.
    let numeric_pattern = object
        .get("pattern")
        .and_then(Value::as_str)
        .is_some_and(|p| p.starts_with("^-?") && p.contains("\\d"));
    if let [a, b] = names.as_slice() {
        let number = [*a, *b]
            .into_iter()
            .find(|t| matches!(*t, "integer" | "number"));
        if let (Some(number), true) = (number, names.contains(&"string") && numeric_pattern) {
            names = vec![number];
            object.remove("pattern");
            // Decoded leniently: a numeric string still reads as the number.
            object.insert(NUMERIC_STRING.into(), true.into());
        }
    }
    if nullable {
        object.insert("nullable".into(), true.into());
    }
    match names.as_slice() {
        [] if nullable => {
            object.insert("type".into(), "null".into());
        }
        [] => {}
        [single] => {
            object.insert("type".into(), (*single).into());
        }
        several => {
            if object.contains_key("oneOf") || object.contains_key("anyOf") {
                out.warn(
                    join(at, "type"),
                    "a list of types beside oneOf/anyOf cannot be expressed in OpenAPI 3.0; the type list is ignored",
                );
                return;
            }
            let mut members = Vec::new();
            for (i, name) in several.iter().enumerate() {
                let mut member = Map::new();
                member.insert("type".into(), (*name).into());
                let keys: Vec<String> = object.keys().cloned().collect();
                for key in keys {
                    let Some(types) = applies_to(&key) else {
                        continue;
                    };
                    if types.contains(name) {
                        if let Some(v) = object.get(&key) {
                            member.insert(key.clone(), v.clone());
                        }
                    }
                }
                if let Some(Value::Array(values)) = object.get("enum") {
                    let own: Vec<Value> = values
                        .iter()
                        .filter(|v| {
                            json_type(v).is_some_and(|t| {
                                t == *name || (t == "integer" && *name == "number")
                            })
                        })
                        .cloned()
                        .collect();
                    if !own.is_empty() {
                        member.insert("enum".into(), Value::Array(own));
                    }
                }
                out.origins.record_moved(format!("{at}/oneOf/{i}"), at);
                members.push(Value::Object(member));
            }
            object.retain(|key, _| applies_to(key).is_none() && key != "enum");
            object.insert("oneOf".into(), Value::Array(members));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(mut value: Value) -> (Value, Normalized) {
        let mut out = Normalized::default();
        walk::schema(&mut value, "/s", &mut |s, at| {
            convert_schema(s, at, &mut out)
        });
        (value, out)
    }

    #[test]
    fn type_arrays() {
        let (v, _) = schema(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            v,
            json!({"maxLength": 3, "nullable": true, "type": "string"})
        );
        let (v, out) = schema(
            json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1, "description": "d"}),
        );
        assert_eq!(
            v,
            json!({"description": "d", "oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]})
        );
        assert_eq!(out.origins.original("/s/oneOf/1/minimum"), "/s/minimum");
    }

    #[test]
    fn a_union_of_documented_constants_is_an_enum() {
        let (v, _) = schema(json!({"type": "integer", "description": "Kinds.", "oneOf": [
            {"title": "SUB_COMMAND", "description": "A sub-action", "const": 1},
            {"title": "STRING", "const": 3}]}));
        assert_eq!(
            v,
            json!({"type": "integer", "enum": [1, 3],
                   "description": "Kinds.\n\n- `1`: SUB_COMMAND: A sub-action\n- `3`: STRING"})
        );
        // Members that are more than a constant, or constants of different types, stay.
        for members in [
            json!([{"const": 1}, {"type": "string"}]),
            json!([{"const": 1}, {"const": "a"}]),
            json!([{"const": 1, "minimum": 0}]),
        ] {
            let (v, _) = schema(json!({"oneOf": members}));
            assert!(v.get("oneOf").is_some(), "{v}");
        }
    }

    #[test]
    fn numbers_that_may_be_strings_are_numbers() {
        let (v, _) = schema(
            json!({"type": ["integer", "string"], "format": "int32", "pattern": "^-?(?:0|[1-9]\\d*)$"}),
        );
        assert_eq!(
            v,
            json!({"format": "int32", "type": "integer", "x-oapigen-numeric-string": true})
        );
    }

    #[test]
    fn ref_siblings_const_and_bounds() {
        let (v, out) = schema(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(
            v,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(out.origins.original("/s/allOf/0"), "/s");
        let (v, _) = schema(json!({"const": "x", "exclusiveMinimum": 0}));
        assert_eq!(
            v,
            json!({"type": "string", "enum": ["x"], "minimum": 0, "exclusiveMinimum": true})
        );
    }
}
