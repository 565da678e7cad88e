//! Finds every schema of a document in the 3.0 shape and hands it, with its pointer, to a
//! visitor; then walks the schema's subschemas (as the visitor left them).

use serde_json::{Map, Value};

use super::join;

/// Called on each schema before its subschemas are walked; may replace the value.
pub(super) type Visit<'a> = dyn FnMut(&mut Value, &str) + 'a;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Visits every schema under `paths`, `components` (and `webhooks`) of `document`.
pub(super) fn schemas(document: &mut Value, visit: &mut Visit<'_>) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &join("/paths", path), visit);
        }
    }
    if let Some(Value::Object(hooks)) = root.get_mut("webhooks") {
        for (name, item) in hooks.iter_mut() {
            path_item(item, &join("/webhooks", name), visit);
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let Value::Object(entries) = entries else {
            continue;
        };
        let base = join("/components", kind);
        for (name, entry) in entries.iter_mut() {
            let at = join(&base, name);
            match kind.as_str() {
                "schemas" => schema(entry, &at, visit),
                "parameters" | "headers" => parameter(entry, &at, visit),
                "responses" => response(entry, &at, visit),
                "requestBodies" => content(entry, &at, visit),
                "callbacks" => callback(entry, &at, visit),
                "pathItems" => path_item(entry, &at, visit),
                _ => {}
            }
        }
    }
}

fn path_item(item: &mut Value, at: &str, visit: &mut Visit<'_>) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
        for (i, p) in parameters.iter_mut().enumerate() {
            parameter(p, &format!("{at}/parameters/{i}"), visit);
        }
    }
    for method in METHODS {
        if let Some(Value::Object(op)) = item.get_mut(method) {
            operation(op, &join(at, method), visit);
        }
    }
}

fn operation(op: &mut Map<String, Value>, at: &str, visit: &mut Visit<'_>) {
    if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
        for (i, p) in parameters.iter_mut().enumerate() {
            parameter(p, &format!("{at}/parameters/{i}"), visit);
        }
    }
    if let Some(body) = op.get_mut("requestBody") {
        content(body, &join(at, "requestBody"), visit);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            response(r, &join(&join(at, "responses"), status), visit);
        }
    }
    if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
        for (name, c) in callbacks.iter_mut() {
            callback(c, &join(&join(at, "callbacks"), name), visit);
        }
    }
}

fn callback(callback: &mut Value, at: &str, visit: &mut Visit<'_>) {
    if let Some(callback) = callback.as_object_mut() {
        for (expression, item) in callback.iter_mut() {
            path_item(item, &join(at, expression), visit);
        }
    }
}

fn parameter(parameter: &mut Value, at: &str, visit: &mut Visit<'_>) {
    if let Some(s) = parameter.get_mut("schema") {
        schema(s, &join(at, "schema"), visit);
    }
    content(parameter, at, visit);
}

fn response(response: &mut Value, at: &str, visit: &mut Visit<'_>) {
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            parameter(h, &join(&join(at, "headers"), name), visit);
        }
    }
    content(response, at, visit);
}

/// The `content` map of a request body, response or parameter.
fn content(holder: &mut Value, at: &str, visit: &mut Visit<'_>) {
    if let Some(Value::Object(media)) = holder.get_mut("content") {
        let base = join(at, "content");
        for (media_type, m) in media.iter_mut() {
            if let Some(s) = m.get_mut("schema") {
                schema(s, &join(&join(&base, media_type), "schema"), visit);
            }
        }
    }
}

/// Keywords whose value is one subschema.
const SINGLE: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is a list of subschemas.
const LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keywords whose value is a map of subschemas.
const MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Visits `value` and then every subschema in it.
pub(super) fn schema(value: &mut Value, at: &str, visit: &mut Visit<'_>) {
    visit(value, at);
    let Some(object) = value.as_object_mut() else {
        return;
    };
    for (key, child) in object.iter_mut() {
        let key = key.as_str();
        if SINGLE.contains(&key) {
            match child {
                // `additionalProperties: true` is a 3.0 boolean, not a schema.
                Value::Bool(_) if key == "additionalProperties" => {}
                Value::Array(items) if key == "items" => {
                    for (i, item) in items.iter_mut().enumerate() {
                        schema(item, &format!("{at}/items/{i}"), visit);
                    }
                }
                _ => schema(child, &join(at, key), visit),
            }
        } else if LISTS.contains(&key) {
            if let Value::Array(items) = child {
                for (i, item) in items.iter_mut().enumerate() {
                    schema(item, &format!("{at}/{key}/{i}"), visit);
                }
            }
        } else if MAPS.contains(&key) {
            if let Value::Object(entries) = child {
                let base = join(at, key);
                for (name, entry) in entries.iter_mut() {
                    schema(entry, &join(&base, name), visit);
                }
            }
        }
    }
}
