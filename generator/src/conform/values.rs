//! Request values for the conformance harness, taken from the spec itself: its examples
//! first, then defaults, then values synthesized from the schema so that they satisfy the
//! documented constraints (enum, simple patterns, lengths, ranges, formats, `required`,
//! discriminators).
//!
//! Values are read from the normalised document (the 3.0 shape the IR was built from), not
//! from the IR: the point of the harness is that the generated types accept what the spec
//! describes, so the values must not be derived from our own reading of it.

use std::cell::RefCell;

use serde_json::{Map, Value};

/// How deep synthesis follows nested schemas before it gives the smallest value it can.
const MAX_DEPTH: usize = 12;

/// Which values a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Only what the spec requires: required parameters, required properties.
    Required,
    /// Optional parameters and properties too.
    Everything,
}

/// Where a value came from; a rejected example is the spec's defect, a rejected synthesized
/// value is ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An `example`/`examples` entry of the spec.
    Example,
    /// A `default`.
    Default,
    /// Synthesized from the schema.
    Synthesized,
    /// Synthesized from a schema no value satisfies (see [`Synth::take_contradiction`]).
    Unsatisfiable,
}

/// Makes values for schemas of one document.
pub struct Synth<'a> {
    document: &'a Value,
    /// Whether examples and defaults are used where the spec gives them.
    examples: bool,
    /// The `$ref`s being synthesized, outermost first: a union picks a variant off this
    /// path when it can, so recursive schemas (`and: [Filter]`) end in a leaf.
    expanding: RefCell<Vec<String>>,
    /// Why the last values could not satisfy their schema, when no value can: the spec's
    /// defect, named when the judge rejects them (see [`Synth::take_contradiction`]).
    contradiction: RefCell<Option<String>>,
    /// Arrays get two items where their schema allows (see [`Synth::several`]).
    several: std::cell::Cell<bool>,
    /// A parameter's value is being made: on the wire it is text, which a `string` variant
    /// of a union matches whatever it spells (GitHub's `workflow_id: oneOf [integer, string]`).
    pub(super) textual: std::cell::Cell<bool>,
}

impl<'a> Synth<'a> {
    /// A synthesizer resolving `$ref`s in `document`, using the spec's examples first.
    pub fn new(document: &'a Value) -> Self {
        Self {
            document,
            examples: true,
            expanding: RefCell::new(Vec::new()),
            contradiction: RefCell::new(None),
            several: std::cell::Cell::new(false),
            textual: std::cell::Cell::new(false),
        }
    }

    /// The same, ignoring examples and defaults: every value synthesized from its schema.
    pub fn synthesized_only(document: &'a Value) -> Self {
        Self {
            document,
            examples: false,
            expanding: RefCell::new(Vec::new()),
            contradiction: RefCell::new(None),
            several: std::cell::Cell::new(false),
            textual: std::cell::Cell::new(false),
        }
    }

    /// Runs `make` with arrays of two items where their schema allows: an exploded query
    /// parameter or a multipart part of one item reads like a scalar on the wire, and a
    /// judge that takes it for one (Prism, for a nullable array) rejects a valid request.
    pub fn several<T>(&self, make: impl FnOnce() -> T) -> T {
        let before = self.several.replace(true);
        let made = make();
        self.several.set(before);
        made
    }

    /// The first schema contradiction met since the last call: a schema no value satisfies
    /// (an integer `enum` of strings, a `oneOf` whose variants every object matches).
    pub fn take_contradiction(&self) -> Option<String> {
        self.contradiction.borrow_mut().take()
    }

    fn contradicts(&self, why: impl FnOnce() -> String) {
        let mut contradiction = self.contradiction.borrow_mut();
        if contradiction.is_none() {
            *contradiction = Some(why());
        }
    }

    /// Notes the contradiction of a body sent as bytes or text (`application/octet-stream`,
    /// `image/png`, `text/plain`) under `media`, a media type object whose schema is not a
    /// string (an object, an array, a boolean, a number): a judge reads such a body as a
    /// string, which that schema refuses (a binary body is `type: string, format: binary`,
    /// a text one `type: string`).
    pub fn raw_body(&self, media: &'a Value) {
        let schema = media.get("schema").and_then(|schema| self.resolve(schema));
        let not_text =
            |ty: &&str| matches!(*ty, "object" | "array" | "boolean" | "integer" | "number");
        if let Some(ty) = schema.map(type_of).filter(not_text) {
            self.contradicts(|| format!("a body sent as bytes or text whose schema is {ty}"));
        }
    }

    /// Follows `$ref`s (local ones only) to the node they name; `None` for a broken or
    /// external reference or a reference cycle.
    pub fn resolve(&self, mut node: &'a Value) -> Option<&'a Value> {
        for _ in 0..32 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let pointer = reference.strip_prefix('#')?;
                    node = self.document.pointer(&unescape_pointer(pointer))?;
                }
                None => return Some(node),
            }
        }
        None
    }

    /// The value of a parameter object (already resolved): its example, its schema's
    /// example or default, or a synthesized one.
    pub fn parameter(&self, parameter: &Value, fill: Fill) -> (Value, Source) {
        if let Some(example) = self.examples.then(|| example_of(self, parameter)).flatten() {
            return (example, Source::Example);
        }
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        self.textual.set(true);
        let value = self.schema_value(schema, fill);
        self.textual.set(false);
        value
    }

    /// The value of a media type object of a request body.
    pub fn media(&self, media: &Value, fill: Fill) -> (Value, Source) {
        if let Some(example) = self.examples.then(|| example_of(self, media)).flatten() {
            return (example, Source::Example);
        }
        let schema = media.get("schema").unwrap_or(&Value::Null);
        self.schema_value(schema, fill)
    }

    /// A schema's own example or default, else a synthesized value.
    pub fn schema_value(&self, schema: &Value, fill: Fill) -> (Value, Source) {
        let resolved = self.resolve(schema).unwrap_or(&Value::Null);
        if self.examples {
            if let Some(example) = resolved.get("example").filter(|e| !e.is_null()) {
                return (example.clone(), Source::Example);
            }
            if let Some(default) = resolved.get("default").filter(|d| !d.is_null()) {
                return (default.clone(), Source::Default);
            }
        }
        (self.synthesize(schema, fill, 0), Source::Synthesized)
    }

    /// A value satisfying `schema`'s documented constraints.
    pub fn synthesize(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let reference = schema.get("$ref").and_then(Value::as_str);
        if let Some(reference) = reference {
            self.expanding.borrow_mut().push(reference.to_owned());
        }
        let value = self.synthesize_resolved(schema, fill, depth);
        if reference.is_some() {
            self.expanding.borrow_mut().pop();
        }
        value
    }

    fn is_expanding(&self, schema: &Value) -> bool {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .is_some_and(|reference| self.expanding.borrow().iter().any(|r| r == reference))
    }

    /// Whether `schema` refers, directly or through other schemas, to one being built.
    fn reaches_expanding(&self, schema: &Value) -> bool {
        let expanding = self.expanding.borrow();
        if expanding.is_empty() {
            return false;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut stack = vec![schema];
        let mut visited = 0usize;
        while let Some(node) = stack.pop() {
            visited += 1;
            // Bounded: a huge document makes the variant count as recursive, never a hang.
            if visited > 20_000 {
                return true;
            }
            match node {
                Value::Object(map) => {
                    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                        if expanding.iter().any(|r| r == reference) {
                            return true;
                        }
                        if !seen.contains(&reference) {
                            seen.push(reference);
                            if let Some(target) = self.resolve(node) {
                                stack.push(target);
                            }
                        }
                    }
                    stack.extend(map.iter().filter(|(k, _)| *k != "$ref").map(|(_, v)| v));
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        false
    }

    fn synthesize_resolved(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let Some(schema) = self.resolve(schema) else {
            return Value::Null;
        };
        if depth > MAX_DEPTH {
            return smallest(schema);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if let Some((value, fits)) = enum_value(values, type_of(schema)) {
                if !fits {
                    self.contradicts(|| {
                        format!(
                            "no value of `enum` {} has the schema's type `{}`",
                            Value::Array(values.clone()),
                            type_of(schema)
                        )
                    });
                }
                return value;
            }
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, parts, fill, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                return self.union(schema, variants, key == "oneOf", fill, depth);
            }
        }
        match type_of(schema) {
            "object" => self.object(schema, fill, depth),
            "array" => self.array(schema, fill, depth),
            "string" => Value::String(self.string(schema)),
            "integer" => integer_value(schema),
            "number" => number_value(schema),
            "boolean" => Value::Bool(true),
            _ => Value::String("conform".to_owned()),
        }
    }

    fn object(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let required = schema
            .as_object()
            .map(compose::required_names)
            .unwrap_or_default();
        let mut object = Map::new();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let wanted = required.contains(&name.as_str())
                    || (fill == Fill::Everything && depth < MAX_DEPTH / 2);
                let resolved = self.resolve(property).unwrap_or(&Value::Null);
                let read_only = resolved.get("readOnly").and_then(Value::as_bool) == Some(true);
                if !wanted || (read_only && !required.contains(&name.as_str())) {
                    continue;
                }
                let example = resolved
                    .get("example")
                    .filter(|e| self.examples && !e.is_null());
                let value = match example {
                    Some(example) => example.clone(),
                    None => self.synthesize(property, fill, depth + 1),
                };
                object.insert(name.clone(), value);
            }
        }
        // Required names without a property schema still have to be present, though a type
        // made from the properties has no field to send them in.
        let declared = schema.get("properties").and_then(Value::as_object);
        if let Some(missing) = required
            .iter()
            .find(|name| declared.is_some_and(|d| !d.contains_key(**name)))
        {
            if schema
                .get("additionalProperties")
                .is_none_or(|a| a == &Value::Bool(false))
            {
                self.contradicts(|| format!("required `{missing}` is not among the properties"));
            }
        }
        for name in &required {
            object
                .entry((*name).to_owned())
                .or_insert_with(|| Value::String("conform".to_owned()));
        }
        // `not: {required: [a, b]}` forbids sending all of them (OpenAI's image reference:
        // `image_url` or `file_id`, not both): an optional one goes.
        let forbidden = schema
            .get("not")
            .and_then(|not| self.resolve(not))
            .and_then(Value::as_object)
            .filter(|not| not.len() == 1)
            .map(compose::required_names);
        if let Some(names) = forbidden {
            if !names.is_empty() && names.iter().all(|name| object.contains_key(*name)) {
                match names.iter().rev().find(|name| !required.contains(name)) {
                    Some(optional) => {
                        object.remove(*optional);
                    }
                    None => self.contradicts(|| {
                        format!("`not` forbids the required names {names:?} together")
                    }),
                }
            }
        }
        let min = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            let mut index = 0;
            while (object.len() as u64) < min && index < 64 {
                object.insert(
                    format!("key{index}"),
                    self.synthesize(extra, fill, depth + 1),
                );
                index += 1;
            }
        }
        Value::Object(object)
    }

    fn array(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let items = schema.get("items").unwrap_or(&Value::Null);
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxItems").and_then(Value::as_u64);
        // One item exercises the item type; more only when the spec asks for more (or
        // where one item would read like a scalar, see `several`).
        let wanted = if self.several.get() { 2 } else { 1 };
        let unique = schema.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let resolved_items = self.resolve(items).unwrap_or(&Value::Null);
        let enum_values = resolved_items.get("enum").and_then(Value::as_array);
        // Unique items from an enum: no more than it lists, unless the spec asks for more.
        let wanted = match enum_values {
            Some(options) if unique => wanted.min(options.len().max(1) as u64),
            _ => wanted,
        };
        let count = min.max(wanted).min(max.unwrap_or(u64::MAX)).min(64);
        let mut values = Vec::new();
        for index in 0..count {
            let value = match enum_values {
                Some(options) if !options.is_empty() => {
                    options[(index as usize) % options.len()].clone()
                }
                _ => {
                    let value = self.synthesize(items, fill, depth + 1);
                    if unique {
                        distinct(value, index)
                    } else {
                        value
                    }
                }
            };
            values.push(value);
        }
        Value::Array(values)
    }
}

/// The first example of a parameter or media type object: `example`, else the first entry
/// of `examples` (whose `value` may sit behind a `$ref` to `components/examples`).
fn example_of(synth: &Synth<'_>, node: &Value) -> Option<Value> {
    if let Some(example) = node.get("example").filter(|e| !e.is_null()) {
        return Some(example.clone());
    }
    let examples = node.get("examples")?.as_object()?;
    examples.values().find_map(|entry| {
        synth
            .resolve(entry)?
            .get("value")
            .filter(|v| !v.is_null())
            .cloned()
    })
}

/// The first value of an `enum` that has the schema's type; a string spelling a number where
/// the type is numeric (`type: integer, enum: ["1", "2"]`, seen in the wild) as that number.
/// The second member says whether the value has the type (else it was converted).
fn enum_value(values: &[Value], ty: &str) -> Option<(Value, bool)> {
    let fits = |value: &Value| match ty {
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => !value.is_null(),
    };
    if let Some(value) = values.iter().find(|v| fits(v)) {
        return Some((value.clone(), true));
    }
    // A string `enum` of other values (stackexchange's `enum: [true, false]`): the first,
    // spelt as text, which no strict reading of the schema accepts.
    if ty == "string" {
        return values
            .iter()
            .find(|value| !value.is_null())
            .map(|value| (Value::String(value.to_string()), false));
    }
    let number = values
        .iter()
        .filter_map(Value::as_str)
        .find_map(|text| text.parse::<serde_json::Number>().ok())?;
    Some((Value::Number(number), false))
}

/// The schema's `type` (the first non-null one of a list), inferred from its keywords when
/// it has none.
fn type_of(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(ty)) => ty,
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            "object"
        }
        _ if schema.get("items").is_some() => "array",
        _ => "",
    }
}

/// The smallest value of a schema's type, for nesting past [`MAX_DEPTH`].
fn smallest(schema: &Value) -> Value {
    match type_of(schema) {
        "object" => Value::Object(Map::new()),
        "array" => Value::Array(Vec::new()),
        "integer" => integer_value(schema),
        "number" => number_value(schema),
        "boolean" => Value::Bool(true),
        _ => Value::String(string_value(schema)),
    }
}

/// Makes the `index`th item of a unique array differ from the others.
pub(super) fn distinct(value: Value, index: u64) -> Value {
    match value {
        // A numeric string stays one (discord's snowflakes: `^(0|[1-9][0-9]*)$` refuses `01`).
        Value::String(text) if index > 0 => match text.parse::<u64>() {
            Ok(number) if text.bytes().all(|b| b.is_ascii_digit()) => {
                Value::String(number.saturating_add(index).to_string())
            }
            _ => Value::String(format!("{text}{index}")),
        },
        Value::Number(number) if index > 0 => number
            .as_i64()
            .map(|n| Value::from(n + index as i64))
            .unwrap_or(Value::Number(number)),
        other => other,
    }
}

impl Synth<'_> {
    /// A string of `schema`; where its `pattern` admits no text of its typed `format`
    /// (PagerDuty's `format: date-time, pattern: YYYY-MM-DDThh:mm:ssZ`, the pattern being
    /// prose), a value of the format, noted as a contradiction: the client's type cannot
    /// hold the pattern's text.
    fn string(&self, schema: &Value) -> String {
        let text = string_value(schema);
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if schema.get("pattern").is_none() || is_of_typed_format(format, &text) {
            return text;
        }
        self.contradicts(|| format!("`pattern` admits no `format: {format}` text: {text:?}"));
        let mut without_pattern = schema.clone();
        if let Some(object) = without_pattern.as_object_mut() {
            object.remove("pattern");
        }
        string_value(&without_pattern)
    }
}

/// Whether `text` is of `format`, for the formats the client holds in a typed value
/// (`chrono` date-times and dates, `uuid`); any text is of the other formats.
fn is_of_typed_format(format: &str, text: &str) -> bool {
    let shape = match format {
        "date-time" => r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
        "date" => r"^\d{4}-\d{2}-\d{2}$",
        "uuid" => r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$",
        _ => return true,
    };
    regex::Regex::new(shape).is_ok_and(|shape| shape.is_match(text))
}

fn string_value(schema: &Value) -> String {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        if let Some(text) = super::pattern::sample(pattern, min, max) {
            return text;
        }
    }
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/conform",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "Y29uZm9ybQ==",
        "duration" => "PT1S",
        _ => "conform",
    };
    fit_length(base, min, max)
}

/// `text` padded or cut to lie within `[min, max]` characters.
fn fit_length(text: &str, min: usize, max: Option<usize>) -> String {
    let mut text: String = text.to_owned();
    let len = text.chars().count();
    if len < min {
        text.extend(std::iter::repeat_n('a', min - len));
    }
    if let Some(max) = max {
        if text.chars().count() > max {
            text = text.chars().take(max).collect();
        }
    }
    text
}

fn bounds(schema: &Value) -> (Option<f64>, Option<f64>) {
    let mut low = schema.get("minimum").and_then(Value::as_f64);
    let mut high = schema.get("maximum").and_then(Value::as_f64);
    // 3.0 booleans (normalised) and 3.1 numbers both appear in the wild.
    match schema.get("exclusiveMinimum") {
        Some(Value::Bool(true)) => low = low.map(|l| l + 1.0),
        Some(Value::Number(n)) => low = n.as_f64().map(|l| l + 1.0),
        _ => {}
    }
    match schema.get("exclusiveMaximum") {
        Some(Value::Bool(true)) => high = high.map(|h| h - 1.0),
        Some(Value::Number(n)) => high = n.as_f64().map(|h| h - 1.0),
        _ => {}
    }
    (low, high)
}

fn integer_value(schema: &Value) -> Value {
    let (low, high) = bounds(schema);
    let mut value = match (low, high) {
        (Some(low), _) => low.ceil(),
        (None, Some(high)) => high.floor().min(1.0),
        (None, None) => 1.0,
    };
    if let Some(step) = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|s| *s >= 1.0)
    {
        value = (value / step).ceil() * step;
    }
    if let Some(high) = high {
        value = value.min(high.floor());
    }
    Value::from(value as i64)
}

fn number_value(schema: &Value) -> Value {
    let (low, high) = bounds(schema);
    let value = match (low, high) {
        (Some(low), _) => low,
        (None, Some(high)) => high.min(1.5),
        (None, None) => 1.5,
    };
    let value = match schema.get("multipleOf").and_then(Value::as_f64) {
        Some(step) if step > 0.0 => (value / step).ceil() * step,
        _ => value,
    };
    serde_json::Number::from_f64(value).map_or(Value::from(1), Value::Number)
}

/// Undoes JSON pointer escaping in a `$ref` fragment that may also be percent-encoded.
fn unescape_pointer(pointer: &str) -> String {
    if !pointer.contains('%') {
        return pointer.to_owned();
    }
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(byte) = pointer
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[path = "values_compose.rs"]
mod compose;

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
