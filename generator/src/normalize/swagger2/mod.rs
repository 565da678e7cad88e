//! Swagger 2.0 → OpenAPI 3.0: `definitions`/`parameters`/`responses` into `components`,
//! body and form parameters into `requestBody`, `consumes`/`produces` into media types,
//! `host` + `basePath` + `schemes` into `servers`, `securityDefinitions` into
//! `securitySchemes`, `collectionFormat` into `style`/`explode`, `x-nullable` into `nullable`.
//!
//! The new document is built from the original one, so every move is recorded with its
//! original pointer.

use serde_json::{json, Map, Value};

mod security;

use super::{join, rewrite_refs, take_object, tuple_items, walk, Normalized};
use security::servers;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Keywords of a 2.0 non-body parameter (or header, or items) that belong to its schema.
const SCHEMA_KEYS: [&str; 19] = [
    "type",
    "format",
    "items",
    "default",
    "enum",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
    "readOnly",
    "example",
];

/// The document being converted: global defaults and where to record what.
struct Converter<'a> {
    consumes: Vec<String>,
    /// True when the document declares `consumes` at the top level.
    global_consumes: bool,
    produces: Vec<String>,
    /// Global parameters, as written (for `$ref`s to body and form parameters).
    parameters: Map<String, Value>,
    out: &'a mut Normalized,
}

/// Rewrites a Swagger 2.0 document in place.
pub(super) fn convert(document: &mut Value, out: &mut Normalized) {
    let Value::Object(mut old) = std::mem::take(document) else {
        return;
    };
    let mut new = Map::new();
    new.insert("openapi".into(), "3.0.3".into());
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = old.remove(key) {
            new.insert(key.into(), value);
        }
    }
    new.insert("servers".into(), servers(&mut old, out));
    let mut converter = Converter {
        consumes: media_list(old.get("consumes"))
            .unwrap_or_else(|| vec!["application/json".into()]),
        global_consumes: old.contains_key("consumes"),
        produces: media_list(old.get("produces"))
            .unwrap_or_else(|| vec!["application/json".into()]),
        parameters: take_object(&mut old, "parameters").unwrap_or_default(),
        out,
    };
    let mut components = Map::new();
    // Recorded even when absent: a broken `$ref` to `#/definitions/X` is reported as written.
    for (to, from) in [
        ("/components/schemas", "/definitions"),
        ("/components/parameters", "/parameters"),
        ("/components/requestBodies", "/parameters"),
        ("/components/responses", "/responses"),
        ("/components/securitySchemes", "/securityDefinitions"),
    ] {
        converter.record(to, from);
    }
    if let Some(definitions) = old.remove("definitions") {
        components.insert("schemas".into(), definitions);
    }
    converter.global_parameters(&mut components);
    if let Some(responses) = take_object(&mut old, "responses") {
        let mut converted = Map::new();
        for (name, response) in responses {
            let from = join("/responses", &name);
            let to = join("/components/responses", &name);
            converter.record(&to, &from);
            let media = converter.produces.clone();
            converted.insert(name, converter.response(response, &media, &from, &to));
        }
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(schemes) = take_object(&mut old, "securityDefinitions") {
        components.insert("securitySchemes".into(), converter.security(schemes));
    }
    let paths = take_object(&mut old, "paths").unwrap_or_default();
    new.insert("paths".into(), Value::Object(converter.paths(paths)));
    if !components.is_empty() {
        new.insert("components".into(), Value::Object(components));
    }
    for (key, value) in old {
        if key.starts_with("x-") {
            new.insert(key, value);
        }
    }
    let body_parameters: Vec<String> = converter
        .parameters
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        .map(|(name, _)| crate::diagnostics::escape_segment(name))
        .collect();
    let out = converter.out;
    let mut document_value = Value::Object(new);
    rewrite_refs(&mut document_value, &|reference| {
        rewrite_ref(reference, &body_parameters)
    });
    walk::schemas(&mut document_value, &mut |schema, at| {
        schema_keywords(schema);
        if let Some(object) = schema.as_object_mut() {
            tuple_items(object, at, out);
            // Not 2.0, but written by real 2.0 documents (as in 3.1).
            super::v31::type_array(object, at, out);
        }
    });
    *document = document_value;
}

/// `#/definitions/X` → `#/components/schemas/X`, and the same for parameters (body ones
/// become request bodies) and responses.
fn rewrite_ref(reference: &str, body_parameters: &[String]) -> Option<String> {
    if let Some(rest) = reference.strip_prefix("#/definitions/") {
        return Some(format!("#/components/schemas/{rest}"));
    }
    if let Some(rest) = reference.strip_prefix("#/parameters/") {
        let kind = if body_parameters.iter().any(|b| b == rest) {
            "requestBodies"
        } else {
            "parameters"
        };
        return Some(format!("#/components/{kind}/{rest}"));
    }
    reference
        .strip_prefix("#/responses/")
        .map(|rest| format!("#/components/responses/{rest}"))
}

/// 2.0-only schema keywords: `x-nullable`, `type: file`, a string `discriminator`.
fn schema_keywords(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    if let Some(nullable) = object.remove("x-nullable") {
        object.insert("nullable".into(), nullable);
    }
    if object.get("type").and_then(Value::as_str) == Some("file") {
        object.insert("type".into(), "string".into());
        object.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(property)) = object.get("discriminator").cloned() {
        object.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    object.remove("collectionFormat");
}

fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    (!list.is_empty()).then_some(list)
}

impl Converter<'_> {
    fn record(&mut self, rewritten: &str, original: &str) {
        self.out
            .origins
            .record_original(rewritten.to_owned(), original.to_owned());
    }

    /// Global parameters: body ones become `components.requestBodies`, form ones are
    /// inlined where referenced, the rest become `components.parameters`.
    fn global_parameters(&mut self, components: &mut Map<String, Value>) {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in self.parameters.clone() {
            let from = join("/parameters", &name);
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let to = join("/components/requestBodies", &name);
                    let media = self.consumes.clone();
                    bodies.insert(name, self.body(&parameter, &media, &from, &to));
                }
                Some("formData") => {}
                _ => {
                    let to = join("/components/parameters", &name);
                    parameters.insert(name, self.parameter(parameter, &from, &to));
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }

    /// A non-body parameter (or response header): schema keywords move under `schema`.
    fn parameter(&mut self, parameter: Value, from: &str, to: &str) -> Value {
        let Value::Object(mut parameter) = parameter else {
            return parameter;
        };
        self.record(to, from);
        if parameter.contains_key("$ref") {
            return Value::Object(parameter);
        }
        let mut schema = Map::new();
        for key in SCHEMA_KEYS {
            if let Some(value) = parameter.remove(key) {
                schema.insert(key.into(), value);
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), "binary".into());
        }
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if location == "path" {
            parameter.insert("required".into(), true.into());
        }
        let format = parameter.remove("collectionFormat");
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
            self.collection_format(&mut parameter, format, &location, from);
        }
        if !schema.is_empty() {
            self.record(&join(to, "schema"), from);
            parameter.insert("schema".into(), Value::Object(schema));
        }
        Value::Object(parameter)
    }

    /// `collectionFormat` → `style`/`explode` (2.0's default, `csv`, is 3.0's non-exploded
    /// `form`).
    fn collection_format(
        &mut self,
        parameter: &mut Map<String, Value>,
        format: &str,
        location: &str,
        from: &str,
    ) {
        let (style, explode) = match (format, location) {
            ("multi", _) => ("form", true),
            ("ssv", "query") => ("spaceDelimited", false),
            ("pipes", "query") => ("pipeDelimited", false),
            ("csv", "query") => ("form", false),
            ("csv", _) => ("simple", false),
            (other, _) => {
                self.out.warn(
                    join(from, "collectionFormat"),
                    format!("collectionFormat `{other}` has no OpenAPI 3.0 form here; sent comma-separated"),
                );
                (
                    if location == "query" {
                        "form"
                    } else {
                        "simple"
                    },
                    false,
                )
            }
        };
        if location != "formData" {
            parameter.insert("style".into(), style.into());
            parameter.insert("explode".into(), explode.into());
        }
    }

    /// A body parameter as a request body with one media type per `consumes` entry.
    fn body(&mut self, parameter: &Value, media: &[String], from: &str, to: &str) -> Value {
        self.record(to, from);
        let schema = parameter
            .get("schema")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let mut content = Map::new();
        for media_type in media {
            let at = join(&join(to, "content"), media_type);
            self.record(&at, from);
            self.record(&join(&at, "schema"), &join(from, "schema"));
            content.insert(media_type.clone(), json!({ "schema": schema }));
        }
        let mut body = Map::new();
        if let Some(description) = parameter.get("description") {
            body.insert("description".into(), description.clone());
        }
        if let Some(required) = parameter.get("required") {
            body.insert("required".into(), required.clone());
        }
        body.insert("content".into(), Value::Object(content));
        Value::Object(body)
    }

    /// Form parameters (`in: formData`) as one object schema, form-encoded or multipart.
    fn form(
        &mut self,
        fields: &[(Value, String)],
        (consumes, consumes_at): (&[String], &str),
        op: &str,
    ) -> Value {
        let to = &join(op, "requestBody");
        let has_file = fields
            .iter()
            .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
        let media_type = if has_file
            || consumes.iter().any(|m| m == MULTIPART) && !consumes.iter().any(|m| m == FORM)
        {
            MULTIPART
        } else {
            FORM
        };
        // The body and its schema are the operation's parameter list; the media type is
        // where the operation says what it consumes.
        self.record(to, &join(op, "parameters"));
        let media_at = join(&join(to, "content"), media_type);
        self.record(&media_at, consumes_at);
        let schema_at = join(&media_at, "schema");
        self.record(&schema_at, &join(op, "parameters"));
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, from) in fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else {
                continue;
            };
            let property_at = join(&join(&schema_at, "properties"), name);
            let converted = self.parameter(field.clone(), from, &property_at);
            let mut schema = converted
                .get("schema")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            if let Some(description) = field.get("description") {
                schema.insert("description".into(), description.clone());
            }
            // The schema is the property itself, not a `schema` under it.
            self.record(&property_at, from);
            if field.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.to_owned()));
            }
            properties.insert(name.to_owned(), Value::Object(schema));
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        json!({
            "required": !required.is_empty(),
            "content": { media_type: { "schema": schema } },
        })
    }
}

/// Parameters of a path item or operation, split by where they go in 3.0.
#[derive(Default)]
struct Split {
    /// Path, query, header (converted) and `$ref`s to them.
    plain: Vec<Value>,
    /// The body parameter (or a `$ref` to a global one), with its original pointer.
    body: Option<(Value, String)>,
    /// Form fields, with their original pointers.
    form: Vec<(Value, String)>,
}

impl Converter<'_> {
    fn split(&mut self, parameters: Option<Value>, from: &str, to: &str) -> Split {
        let mut split = Split::default();
        let Some(Value::Array(parameters)) = parameters else {
            return split;
        };
        for (i, parameter) in parameters.into_iter().enumerate() {
            let at = format!("{from}/parameters/{i}");
            let (resolved, origin) = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix("#/parameters/")
                    .map(|n| n.replace("~1", "/").replace("~0", "~"))
                    .and_then(|n| self.parameters.get(&n).map(|p| (p.clone(), n)))
                {
                    Some((global, name)) => (global, join("/parameters", &name)),
                    None => (parameter.clone(), at.clone()),
                },
                None => (parameter.clone(), at.clone()),
            };
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => split.body = Some((parameter, origin)),
                Some("formData") => split.form.push((resolved, origin)),
                _ => {
                    let new_at = format!("{to}/parameters/{}", split.plain.len());
                    split.plain.push(self.parameter(parameter, &at, &new_at));
                }
            }
        }
        split
    }

    fn paths(&mut self, paths: Map<String, Value>) -> Map<String, Value> {
        let mut converted = Map::new();
        for (path, item) in paths {
            let at = join("/paths", &path);
            let Value::Object(mut item) = item else {
                converted.insert(path, item);
                continue;
            };
            let shared = self.split(item.remove("parameters"), &at, &at);
            if !shared.plain.is_empty() {
                item.insert("parameters".into(), Value::Array(shared.plain.clone()));
            }
            for method in METHODS {
                if let Some(Value::Object(op)) = item.remove(method) {
                    let op_at = join(&at, method);
                    let op = self.operation(op, &op_at, &shared);
                    item.insert(method.into(), Value::Object(op));
                }
            }
            converted.insert(path, Value::Object(item));
        }
        converted
    }

    fn operation(
        &mut self,
        mut op: Map<String, Value>,
        at: &str,
        shared: &Split,
    ) -> Map<String, Value> {
        let consumes = media_list(op.get("consumes")).unwrap_or_else(|| self.consumes.clone());
        let consumes_at = if op.contains_key("consumes") {
            join(at, "consumes")
        } else if self.global_consumes {
            "/consumes".to_owned()
        } else {
            join(at, "parameters")
        };
        let produces = media_list(op.get("produces")).unwrap_or_else(|| self.produces.clone());
        for key in ["consumes", "produces", "schemes"] {
            op.remove(key);
        }
        let own = self.split(op.remove("parameters"), at, at);
        if !own.plain.is_empty() {
            op.insert("parameters".into(), Value::Array(own.plain));
        }
        let body_at = join(at, "requestBody");
        if let Some((body, from)) = own.body.as_ref().or(shared.body.as_ref()) {
            let body = match body.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    self.record(&body_at, from);
                    json!({ "$ref": reference })
                }
                None => self.body(body, &consumes, from, &body_at),
            };
            op.insert("requestBody".into(), body);
        } else {
            let mut fields: Vec<(Value, String)> = shared
                .form
                .iter()
                .filter(|(f, _)| !own.form.iter().any(|(o, _)| o.get("name") == f.get("name")))
                .cloned()
                .collect();
            fields.extend(own.form);
            if !fields.is_empty() {
                let body = self.form(&fields, (&consumes, &consumes_at), at);
                op.insert("requestBody".into(), body);
            }
        }
        if let Some(Value::Object(responses)) = op.remove("responses") {
            let mut converted = Map::new();
            for (status, response) in responses {
                let at = join(&join(at, "responses"), &status);
                converted.insert(status, self.response(response, &produces, &at, &at));
            }
            op.insert("responses".into(), Value::Object(converted));
        }
        op
    }

    /// A response: `schema` under each produced media type, `examples` as their `example`,
    /// headers with their schemas.
    fn response(&mut self, response: Value, media: &[String], from: &str, to: &str) -> Value {
        let Value::Object(mut response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        response
            .entry("description")
            .or_insert_with(|| Value::String(String::new()));
        let examples = take_object(&mut response, "examples").unwrap_or_default();
        if let Some(schema) = response.remove("schema") {
            let mut content = Map::new();
            for media_type in media {
                let at = join(&join(&join(to, "content"), media_type), "schema");
                self.record(&at, &join(from, "schema"));
                let mut entry = json!({ "schema": schema });
                if let Some(example) = examples.get(media_type) {
                    entry["example"] = example.clone();
                }
                content.insert(media_type.clone(), entry);
            }
            response.insert("content".into(), Value::Object(content));
        }
        if let Some(headers) = take_object(&mut response, "headers") {
            let mut converted = Map::new();
            for (name, header) in headers {
                let header_from = join(&join(from, "headers"), &name);
                let header_to = join(&join(to, "headers"), &name);
                converted.insert(name, self.parameter(header, &header_from, &header_to));
            }
            response.insert("headers".into(), Value::Object(converted));
        }
        Value::Object(response)
    }
}
