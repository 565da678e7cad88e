//! Composed schemas for the synthesizer: `allOf` flattened into one object, and unions
//! (`oneOf`/`anyOf`) whose value must match exactly one variant where the judge asks that.

use serde_json::{Map, Value};

use super::{type_of, Fill, Synth};

impl<'a> Synth<'a> {
    /// An `allOf` is one object whose properties and `required` names may sit in different
    /// parts (`allOf: [$ref: Base, {required: [name]}]` requires a property of `Base`): the
    /// object parts are flattened into one schema before synthesis; union parts are
    /// synthesized on their own and merged; a scalar `allOf` is its first scalar part.
    pub(super) fn all_of(
        &self,
        schema: &Value,
        parts: &[Value],
        fill: Fill,
        depth: usize,
    ) -> Value {
        let mut flat = Flat::default();
        self.flatten(schema, &mut flat, 0);
        let mut merged = Map::new();
        let mut scalar = None;
        for part in &flat.others {
            match self.synthesize(part, fill, depth + 1) {
                Value::Object(object) => merged.extend(object),
                other if scalar.is_none() && !other.is_null() => scalar = Some(other),
                _ => {}
            }
        }
        if flat.is_object() {
            // The parts' own `$ref`s are being expanded too: recursion ends in a leaf.
            let pushed = flat.references.len();
            self.expanding
                .borrow_mut()
                .extend(flat.references.drain(..));
            let object = self.object(&flat.schema(), fill, depth);
            let mut expanding = self.expanding.borrow_mut();
            let kept = expanding.len() - pushed;
            expanding.truncate(kept);
            drop(expanding);
            if let Value::Object(own) = object {
                for (key, value) in own {
                    // A union part's value for a name the object parts only require wins.
                    if !(flat.properties.get(&key).is_none() && merged.contains_key(&key)) {
                        merged.insert(key, value);
                    }
                }
            }
            return Value::Object(merged);
        }
        if merged.is_empty() {
            scalar
                .or_else(|| {
                    parts
                        .first()
                        .map(|part| self.synthesize(part, fill, depth + 1))
                })
                .unwrap_or(Value::Object(merged))
        } else {
            Value::Object(merged)
        }
    }

    /// Collects the object keywords of `schema` and of its `allOf` parts (through `$ref`s)
    /// into `flat`; parts that are unions or scalars are kept whole in `flat.others`.
    fn flatten(&self, schema: &'a Value, flat: &mut Flat<'a>, level: usize) {
        let Some(resolved) = self.resolve(schema) else {
            return;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if flat.references.iter().any(|r| r == reference) || level > 16 {
                return;
            }
            flat.references.push(reference.to_owned());
        }
        if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                // Every part is validated: a later part narrowing a property to listed
                // values (mistral's `stream: {enum: [false]}` over a base's boolean) wins.
                let narrowed = |p: &Value| {
                    self.resolve(p)
                        .is_some_and(|p| p.get("enum").is_some() || p.get("const").is_some())
                };
                match flat.properties.get_mut(name) {
                    None => {
                        flat.properties.insert(name.clone(), property.clone());
                    }
                    Some(kept) if narrowed(property) && !narrowed(kept) => {
                        *kept = property.clone();
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(required) = resolved.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !flat.required.contains(&name) {
                    flat.required.push(name);
                }
            }
        }
        if let Some(extra) = resolved
            .get("additionalProperties")
            .filter(|a| a.is_object())
        {
            flat.additional.get_or_insert(extra);
        }
        if let Some(min) = resolved.get("minProperties").and_then(Value::as_u64) {
            flat.min_properties = flat.min_properties.max(min);
        }
        if type_of(resolved) == "object" {
            flat.typed_object = true;
        }
        if let Some(parts) = resolved.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.flatten(part, flat, level + 1);
            }
        } else if level > 0
            && (resolved.get("oneOf").is_some()
                || resolved.get("anyOf").is_some()
                || resolved.get("enum").is_some()
                || !matches!(type_of(resolved), "object" | ""))
        {
            flat.others.push(schema);
        }
    }
    /// A value of one variant; for a `oneOf` (`exclusive`), of one whose value matches no
    /// other variant, since the judge wants exactly one to match.
    pub(super) fn union(
        &self,
        schema: &Value,
        variants: &[Value],
        exclusive: bool,
        fill: Fill,
        depth: usize,
    ) -> Value {
        let usable = |variant: &&Value| {
            self.resolve(variant)
                .is_some_and(|v| type_of(v) != "null" && v.get("enum") != Some(&Value::Null))
        };
        // A variant that cannot lead back into what is being built ends the recursion.
        let chosen = variants
            .iter()
            .filter(usable)
            .find(|variant| !self.reaches_expanding(variant))
            .or_else(|| {
                variants
                    .iter()
                    .filter(usable)
                    .find(|variant| !self.is_expanding(variant))
            })
            .or_else(|| variants.iter().find(usable))
            .or(variants.first());
        let Some(chosen) = chosen else {
            return Value::Null;
        };
        let (mut value, mut refused_tag) = self.variant_value(schema, chosen, fill, depth);
        // Judges validate `oneOf` as JSON Schema does, discriminator or not: exactly one
        // variant may match (kratos' login methods all accept `{method, identifier}`).
        if exclusive && self.collides(&value, chosen, variants) {
            let others = variants
                .iter()
                .filter(usable)
                .filter(|variant| {
                    !std::ptr::eq(*variant, chosen) && !self.reaches_expanding(variant)
                })
                .take(4);
            let mut found = false;
            for variant in others {
                let (candidate, refused) = self.variant_value(schema, variant, fill, depth);
                if !self.collides(&candidate, variant, variants) {
                    (value, refused_tag, found) = (candidate, refused, true);
                    break;
                }
            }
            if !found {
                self.contradicts(|| {
                    "every value synthesized for a `oneOf` variant matches another variant too"
                        .to_owned()
                });
            }
        }
        if let Some(refused) = refused_tag {
            self.contradicts(|| refused);
        }
        value
    }

    /// A value of `variant` of the union `schema`: with the union's sibling properties (a
    /// common base) and its discriminator's tag; and why the tag's own `enum` refuses it.
    fn variant_value(
        &self,
        schema: &Value,
        variant: &Value,
        fill: Fill,
        depth: usize,
    ) -> (Value, Option<String>) {
        let combined = self.constraint_only(schema, variant);
        let mut value = match &combined {
            Some(combined) => self.object(combined, fill, depth),
            None => self.synthesize(variant, fill, depth + 1),
        };
        // Sibling properties beside `oneOf` (a common base) belong to the same object (the
        // combined object has them already).
        if combined.is_none() && schema.get("properties").is_some() {
            if let (Value::Object(target), Value::Object(own)) =
                (&mut value, self.object(schema, fill, depth))
            {
                for (key, item) in own {
                    target.entry(key).or_insert(item);
                }
            }
        }
        let mut refused = None;
        if let Some(discriminator) = schema.get("discriminator") {
            if let (Some(property), Value::Object(object)) = (
                discriminator.get("propertyName").and_then(Value::as_str),
                &mut value,
            ) {
                if let Some(tag) = self.tag_value(schema, variant) {
                    // PagerDuty's runners: no mapping, so the tag is the schema's name,
                    // which the property's own `enum` (`sidecar`, `runbook`) refuses.
                    let mut flat = Flat::default();
                    self.flatten(variant, &mut flat, 0);
                    let allowed = flat
                        .properties
                        .get(property)
                        .and_then(|p| self.resolve(p))
                        .and_then(|p| p.get("enum"))
                        .and_then(Value::as_array);
                    if allowed.is_some_and(|allowed| !allowed.contains(&Value::String(tag.clone())))
                    {
                        refused = Some(format!(
                            "discriminator value {tag:?} is not in `{property}`'s enum"
                        ));
                    }
                    object.insert(property.to_owned(), Value::String(tag));
                }
            }
        }
        (value, refused)
    }

    /// An object union whose variant only constrains it (GitHub's gist update: `anyOf:
    /// [{required: [description]}, {required: [files]}]` beside the properties; a check run's
    /// `{properties: {status: {enum: [completed]}}, required: [conclusion]}`): the object
    /// schema without the union, with the variant's `required` names, narrowed properties and
    /// bounds added.
    fn constraint_only(&self, schema: &Value, variant: &Value) -> Option<Value> {
        let own = self.resolve(variant)?.as_object()?;
        let plain = variant.get("$ref").is_none()
            && matches!(own.get("type"), None | Some(Value::String(_)))
            && own.get("type").is_none_or(|ty| ty == "object")
            && !own.contains_key("oneOf")
            && !own.contains_key("anyOf")
            && !own.contains_key("allOf");
        if !plain || type_of(schema) != "object" {
            return None;
        }
        let mut combined = schema.as_object()?.clone();
        // `oneOf`: exactly one variant may match, so the names only the others require stay
        // out (OpenAI's thread `file_search`: `vector_store_ids` or `vector_stores`).
        let others: Vec<String> = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|other| *other != variant)
            .filter_map(|other| self.resolve(other)?.get("required")?.as_array().cloned())
            .flatten()
            .filter_map(|name| name.as_str().map(str::to_owned))
            .filter(|name| !required_names(own).contains(&name.as_str()))
            .collect();
        if let Some(Value::Object(properties)) = combined.get_mut("properties") {
            for name in &others {
                properties.remove(name);
            }
        }
        for key in ["oneOf", "anyOf", "discriminator"] {
            combined.remove(key);
        }
        for (key, item) in own {
            match (key.as_str(), combined.get_mut(key)) {
                ("required", Some(Value::Array(names))) => {
                    for name in item.as_array().into_iter().flatten() {
                        if !names.contains(name) {
                            names.push(name.clone());
                        }
                    }
                }
                // The variant narrows some properties (`status: {enum: [completed]}`).
                ("properties", Some(Value::Object(properties))) => {
                    if let Some(narrowed) = item.as_object() {
                        properties.extend(narrowed.clone());
                    }
                }
                _ => {
                    combined.insert(key.clone(), item.clone());
                }
            }
        }
        Some(Value::Object(combined))
    }

    /// Whether `value`, made for `variant`, plainly matches another of `variants` as well.
    fn collides(&self, value: &Value, variant: &Value, variants: &[Value]) -> bool {
        variants
            .iter()
            .filter(|other| !std::ptr::eq(*other, variant))
            .any(|other| self.plainly_matches(value, other))
    }

    /// Whether `value` certainly matches `schema`, judged only for plain objects and
    /// unconstrained scalars; anything else counts as no match.
    fn plainly_matches(&self, value: &Value, schema: &Value) -> bool {
        let Some(schema) = self.resolve(schema) else {
            return false;
        };
        let complex = ["oneOf", "anyOf", "not", "enum", "const"];
        if complex.iter().any(|key| schema.get(key).is_some()) {
            return false;
        }
        if schema.get("allOf").is_some() {
            // Parts that are all plain objects (PagerDuty's action bodies: a shared base and
            // one optional property each) match as their merged object.
            let mut flat = Flat::default();
            self.flatten(schema, &mut flat, 0);
            // A closed part refuses the other parts' properties: no certain match.
            let closed = schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|part| self.resolve(part))
                .any(|part| part.get("additionalProperties") == Some(&Value::Bool(false)));
            return match value {
                Value::Object(map) if flat.others.is_empty() && flat.is_object() && !closed => {
                    self.object_matches(map, &flat.required, Some(&flat.properties), false)
                }
                _ => false,
            };
        }
        match (type_of(schema), value) {
            ("object", Value::Object(map)) => {
                let required = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|names| names.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                    .unwrap_or_default();
                let properties = schema.get("properties").and_then(Value::as_object);
                let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
                self.object_matches(map, &required, properties, closed)
            }
            (_, Value::Object(_) | Value::Array(_)) => false,
            (ty, scalar) => {
                let constrained = [
                    "pattern",
                    "format",
                    "minLength",
                    "maxLength",
                    "minimum",
                    "maximum",
                ];
                let as_text = self.textual.get() && ty == "string";
                !ty.is_empty()
                    && !constrained.iter().any(|key| schema.get(key).is_some())
                    && (kind_fits(schema, scalar) || as_text)
            }
        }
    }

    /// Whether the object `map` has every `required` name and each of its entries fits its
    /// property (or is allowed as an extra).
    fn object_matches(
        &self,
        map: &Map<String, Value>,
        required: &[&str],
        properties: Option<&Map<String, Value>>,
        closed: bool,
    ) -> bool {
        required.iter().all(|name| map.contains_key(*name))
            && map
                .iter()
                .all(|(key, item)| match properties.and_then(|p| p.get(key)) {
                    Some(property) => self
                        .resolve(property)
                        .is_some_and(|property| kind_fits(property, item)),
                    None => !closed,
                })
    }

    /// The discriminator value that selects `variant`: its mapping key, else the one value
    /// its tag property allows, else the name of the schema it refers to (as the client).
    fn tag_value(&self, union: &Value, variant: &Value) -> Option<String> {
        let discriminator = union.get("discriminator")?;
        let reference = variant.get("$ref").and_then(Value::as_str)?;
        if let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) {
            if let Some((key, _)) = mapping.iter().find(|(_, target)| {
                target
                    .as_str()
                    .is_some_and(|t| t == reference || reference.rsplit('/').next() == Some(t))
            }) {
                return Some(key.clone());
            }
        }
        let property = discriminator.get("propertyName").and_then(Value::as_str)?;
        let siblings: Vec<&str> = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|keyword| union.get(*keyword).and_then(Value::as_array))
            .flatten()
            .filter_map(|member| member.get("$ref").and_then(Value::as_str))
            .collect();
        let taken: Vec<&str> = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .map(|mapping| mapping.keys().map(String::as_str).collect())
            .unwrap_or_default();
        crate::ir::implied_tag(self.document, reference, &siblings, &taken, property)
            .or_else(|| reference.rsplit('/').next().map(str::to_owned))
    }
}

/// The object keywords of an `allOf` and its parts, gathered by [`Synth::flatten`].
#[derive(Default)]
struct Flat<'a> {
    properties: Map<String, Value>,
    required: Vec<&'a str>,
    additional: Option<&'a Value>,
    min_properties: u64,
    typed_object: bool,
    /// The `$ref`s flattened, so that properties leading back to them end in a leaf.
    references: Vec<String>,
    /// Parts that are not plain objects (unions, scalars, enums).
    others: Vec<&'a Value>,
}

impl Flat<'_> {
    fn is_object(&self) -> bool {
        self.typed_object || !self.properties.is_empty() || !self.required.is_empty()
    }

    /// The flattened parts as one object schema.
    fn schema(&self) -> Value {
        let mut schema = Map::new();
        schema.insert("type".to_owned(), Value::from("object"));
        schema.insert(
            "properties".to_owned(),
            Value::Object(self.properties.clone()),
        );
        schema.insert("required".to_owned(), Value::from(self.required.clone()));
        if let Some(extra) = self.additional {
            schema.insert("additionalProperties".to_owned(), extra.clone());
        }
        schema.insert("minProperties".to_owned(), Value::from(self.min_properties));
        Value::Object(schema)
    }
}

/// Whether `value` has the kind `schema` names (any kind when it names none) and is one of
/// its `enum` values when it lists them.
fn kind_fits(schema: &Value, value: &Value) -> bool {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.contains(value);
    }
    match type_of(schema) {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    }
}

/// The names an object schema's `required` lists.
pub(super) fn required_names(schema: &serde_json::Map<String, Value>) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}
