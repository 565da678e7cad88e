//! Turns schemas into [`TypeDef`]s and [`Shape`]s.

mod composition;
mod presence;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::model::{
    Constraints, EnumValue, Field, Presence, Shape, StructDef, Ty, TypeDef, TypeId, TypeKind,
    UnionVariant,
};
use super::resolve;
use super::view::View;
use crate::diagnostics::{pointer, Diagnostics};
use crate::customize::Customize;
use crate::naming::{self, Scope};

/// A converted schema: its shape, and whether `null` is allowed.
pub struct Converted {
    pub shape: Shape,
    pub nullable: bool,
}

impl Converted {
    fn plain(ty: Ty) -> Self {
        Self {
            shape: Shape::plain(ty),
            nullable: false,
        }
    }
}

/// Converts every schema of one spec, naming the types it creates.
pub struct SchemaConverter<'a> {
    document: &'a serde_json::Value,
    pub types: Vec<TypeDef>,
    by_pointer: HashMap<String, TypeId>,
    names: Scope,
    tag_omissions: Vec<(TypeId, String)>,
    /// `allOf` members reached by `$ref`, deserialized once: a long chain of schemas each
    /// extending the previous one would otherwise deserialize every link once per schema.
    all_of_targets: HashMap<String, Option<std::rc::Rc<Schema>>>,
    /// What an `allOf` member reached by `$ref` merges, flattened once per reference.
    all_of_flat: HashMap<String, std::rc::Rc<[AllOfMember]>>,
    pub diagnostics: &'a mut Diagnostics,
    customize: &'a Customize,
}

/// One schema an `allOf` merges: its pointer and the schema.
type AllOfMember = (String, std::rc::Rc<Schema>);

const COMPONENT_PREFIX: &str = "#/components/schemas/";

impl<'a> SchemaConverter<'a> {
    /// A converter for the document `document`.
    pub fn new(
        document: &'a serde_json::Value,
        diagnostics: &'a mut Diagnostics,
        customize: &'a Customize,
    ) -> Self {
        Self {
            document,
            types: Vec::new(),
            by_pointer: HashMap::new(),
            names: Scope::default(),
            tag_omissions: Vec::new(),
            all_of_targets: HashMap::new(),
            all_of_flat: HashMap::new(),
            diagnostics,
            customize,
        }
    }

    /// Names and converts every component schema, in spec order.
    pub fn convert_components(&mut self, schemas: &IndexMap<String, ReferenceOr<Schema>>) {
        let ids: Vec<TypeId> = schemas
            .keys()
            .map(|name| {
                let ptr = format!(
                    "{COMPONENT_PREFIX}{}",
                    crate::diagnostics::escape_segment(name)
                );
                let customize = self.customize;
                self.reserve(customize.type_name(name), ptr)
            })
            .collect();
        for ((name, schema), id) in schemas.iter().zip(ids) {
            let ptr = pointer("/components/schemas", &[name]);
            let kind = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_reference(reference, &ptr, name);
                    TypeKind::Alias(target.shape)
                }
                ReferenceOr::Item(schema) => {
                    self.set_docs(id, schema);
                    self.define_kind(id, schema, &ptr)
                }
            };
            self.types[id.0].kind = kind;
        }
    }

    /// Claims a type name for a schema at `origin` (a `#/...` reference).
    fn reserve(&mut self, hint: &str, origin: String) -> TypeId {
        let id = TypeId(self.types.len());
        let name = self.names.type_name(hint);
        self.by_pointer.insert(origin.clone(), id);
        self.types.push(TypeDef {
            name: name.into(),
            group: None,
            origin: origin.trim_start_matches('#').to_owned(),
            docs: None,
            deprecated: false,
            has_checks: false,
            union_constant: false,
            kind: TypeKind::Alias(Shape::plain(Ty::Json)),
            attributes: Vec::new(),
            replacement: None,
        });
        id
    }

    fn set_docs(&mut self, id: TypeId, schema: &Schema) {
        let data = &schema.schema_data;
        self.types[id.0].docs = data.description.clone().or_else(|| data.title.clone());
        self.types[id.0].deprecated = data.deprecated;
    }

    /// The fields of the struct a `$ref` already names, when it names one.
    pub fn struct_fields(&self, reference: &str) -> Option<&[Field]> {
        let id = self.by_pointer.get(reference)?;
        match &self.types[id.0].kind {
            TypeKind::Struct(def) => Some(&def.fields),
            _ => None,
        }
    }

    /// Converts a schema or reference found at `ptr`; `hint` names any type it creates.
    pub fn convert(&mut self, schema: &ReferenceOr<Schema>, ptr: &str, hint: &str) -> Converted {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_reference(reference, ptr, hint),
            ReferenceOr::Item(schema) => self.convert_schema(schema, ptr, hint),
        }
    }

    fn convert_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &str,
        hint: &str,
    ) -> Converted {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_reference(reference, ptr, hint),
            ReferenceOr::Item(schema) => self.convert_schema(schema, ptr, hint),
        }
    }

    /// Resolves `$ref`: component schemas are named types; anything else in the document is
    /// converted where it points, once, and named after its last segment.
    pub fn resolve_reference(&mut self, reference: &str, ptr: &str, hint: &str) -> Converted {
        if let Some(&id) = self.by_pointer.get(reference) {
            return Converted {
                nullable: self.is_nullable_target(reference),
                shape: Shape::plain(Ty::Named(id)),
            };
        }
        let Some(local) = reference.strip_prefix('#') else {
            self.diagnostics.warn(
                ptr,
                format!("external reference `{reference}` is not followed; typed as JSON"),
            );
            return Converted::plain(Ty::Json);
        };
        let Some(target) = self.document.pointer(local) else {
            self.diagnostics
                .error(ptr, format!("`$ref` target `{reference}` does not exist"));
            return Converted::plain(Ty::Json);
        };
        let schema: Schema = match serde_json::from_value(target.clone()) {
            Ok(schema) => schema,
            Err(err) => {
                self.diagnostics.warn(
                    ptr,
                    format!("`$ref` target `{reference}` is not a schema ({err}); typed as JSON"),
                );
                return Converted::plain(Ty::Json);
            }
        };
        let last = local
            .rsplit('/')
            .next()
            .unwrap_or(hint)
            .replace("~1", "/")
            .replace("~0", "~");
        let name_hint = if last.parse::<usize>().is_ok() || last.is_empty() {
            hint.to_owned()
        } else {
            last
        };
        // Converted in place with a named type reserved first, so recursion through this
        // pointer terminates.
        let id = self.reserve(&name_hint, reference.to_owned());
        self.set_docs(id, &schema);
        let kind = self.define_kind(id, &schema, local);
        self.types[id.0].kind = kind;
        Converted {
            nullable: schema.schema_data.nullable,
            shape: Shape::plain(Ty::Named(id)),
        }
    }

    fn is_nullable_target(&self, reference: &str) -> bool {
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|local| self.document.pointer(local))
        else {
            return false;
        };
        if target.get("nullable").and_then(serde_json::Value::as_bool) == Some(true) {
            return true;
        }
        // 3.1's `anyOf: [{…}, {type: "null"}]`: the union drops its null member, so the
        // named type is nullable where it is used (OpenAI's `Metadata`).
        ["oneOf", "anyOf"].iter().any(|keyword| {
            target
                .get(keyword)
                .and_then(serde_json::Value::as_array)
                .is_some_and(|members| members.iter().any(is_null_value))
        })
    }

    /// Converts an inline schema.
    fn convert_schema(&mut self, schema: &Schema, ptr: &str, hint: &str) -> Converted {
        let view = View::of(schema);
        let nullable = view.nullable();
        let needs_named_type = !view.all_of.is_empty()
            || !view.one_of.is_empty()
            || !view.any_of.is_empty()
            || (view.is_object() && view.properties.is_some_and(|p| !p.is_empty()))
            || string_enum(&view).is_some();
        if needs_named_type {
            if let Some(single) = self.single_member(&view, ptr, hint) {
                return Converted {
                    nullable: nullable || single.nullable,
                    shape: single.shape,
                };
            }
            let id = self.reserve(hint, format!("#{ptr}"));
            self.set_docs(id, schema);
            let kind = self.define_kind(id, schema, ptr);
            self.types[id.0].kind = kind;
            return Converted {
                shape: Shape::plain(Ty::Named(id)),
                nullable,
            };
        }
        Converted {
            shape: self.plain_shape(&view, ptr, hint),
            nullable,
        }
    }

    /// `allOf: [X]`, `oneOf: [X]` or `anyOf: [X, null]` with nothing else: just `X`.
    fn single_member(&mut self, view: &View, ptr: &str, hint: &str) -> Option<Converted> {
        if view.properties.is_some_and(|p| !p.is_empty()) {
            return None;
        }
        // A number narrowed by its own `enum` beside the `allOf` that names its type
        // (discord's `type: {type: integer, enum: [11], allOf: [$ref: OptionType]}`): that
        // number, with its own values.
        if !view.all_of.is_empty()
            && matches!(view.typ, Some("integer" | "number"))
            && !view.constraints.allowed_numbers.is_empty()
        {
            return Some(Converted {
                shape: self.plain_shape(view, ptr, hint),
                nullable: false,
            });
        }
        let (members, keyword) = if !view.all_of.is_empty() {
            (view.all_of, "allOf")
        } else if !view.one_of.is_empty() {
            (view.one_of, "oneOf")
        } else if !view.any_of.is_empty() {
            (view.any_of, "anyOf")
        } else {
            return None;
        };
        let non_null: Vec<(usize, &ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_null_schema(m))
            .collect();
        let has_null = non_null.len() < members.len();
        match non_null.as_slice() {
            [(index, member)] => {
                let member_ptr = pointer(ptr, &[keyword, &index.to_string()]);
                let mut converted = self.convert(member, &member_ptr, hint);
                converted.nullable |= has_null;
                Some(converted)
            }
            [] => Some(Converted {
                shape: Shape::plain(Ty::Json),
                nullable: true,
            }),
            _ => None,
        }
    }

    /// The kind of the named type `id` defined by `schema`.
    fn define_kind(&mut self, id: TypeId, schema: &Schema, ptr: &str) -> TypeKind {
        let view = View::of(schema);
        let name = self.types[id.0].name.clone();
        if !view.all_of.is_empty() {
            return self.merge_all_of(&view, ptr, &name);
        }
        if presence::alternatives_are_presence(&view) {
            return TypeKind::Struct(self.struct_def(&view, ptr, &name));
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            if let Some(single) = self.single_member(&view, ptr, &name) {
                return TypeKind::Alias(single.shape);
            }
            return self.union(&view, ptr, &name);
        }
        if let Some(values) = string_enum(&view) {
            let mut scope = Scope::enum_variants();
            let values = values
                .into_iter()
                .map(|wire| EnumValue {
                    name: scope.variant(&wire).into(),
                    wire,
                })
                .collect();
            return TypeKind::StringEnum(values);
        }
        if view.is_object() && view.properties.is_some_and(|p| !p.is_empty()) {
            return TypeKind::Struct(self.struct_def(&view, ptr, &name));
        }
        TypeKind::Alias(self.plain_shape(&view, ptr, &name))
    }

    fn struct_def(&mut self, view: &View, ptr: &str, name: &str) -> StructDef {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        // The map of other properties is the field `additional_properties`: claimed first, so
        // a property of that name steps aside instead of declaring the field twice.
        if matches!(
            view.additional,
            Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
        ) {
            scope.snake("additional_properties");
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                let prop_ptr = pointer(ptr, &["properties", wire]);
                fields.push(self.field(&mut scope, wire, property, view.required, &prop_ptr, name));
            }
        }
        let additional = self.additional(view.additional, ptr, name);
        let presence = self.presence(view, &fields, ptr);
        StructDef {
            fields,
            additional,
            omitted_tag: None,
            deny_unknown: matches!(view.additional, Some(AdditionalProperties::Any(false))),
            presence,
        }
    }

    fn field(
        &mut self,
        scope: &mut Scope,
        wire: &str,
        property: &ReferenceOr<Box<Schema>>,
        required: &[String],
        ptr: &str,
        parent: &str,
    ) -> Field {
        let hint = format!("{parent}{}", naming::camel(wire));
        let converted = self.convert_boxed(property, ptr, &hint);
        let (docs, sensitive, deprecated, numeric_string) = match property {
            ReferenceOr::Item(schema) => {
                let view = View::of(schema);
                let docs = schema
                    .schema_data
                    .description
                    .clone()
                    .or_else(|| schema.schema_data.title.clone());
                let numeric = matches!(converted.shape.ty, Ty::I32 | Ty::I64 | Ty::F64);
                (
                    docs,
                    view.sensitive(),
                    schema.schema_data.deprecated,
                    numeric && view.numeric_string(),
                )
            }
            ReferenceOr::Reference { .. } => (None, false, false, false),
        };
        let mut shape = converted.shape;
        // A number that may arrive as a numeric string (ASP.NET's `type: [integer, string]`
        // with a numeric `pattern`): the string's pattern allows any integer, whatever the
        // `format` says of the number, so a 32-bit one is received as 64-bit.
        if numeric_string && matches!(shape.ty, Ty::I32) {
            shape.ty = Ty::I64;
        }
        Field {
            name: scope.snake(wire).into(),
            wire: wire.to_owned(),
            shape,
            required: required.iter().any(|r| r == wire),
            nullable: converted.nullable,
            docs,
            sensitive,
            deprecated,
            boxed: false,
            numeric_string,
            union_constant: false,
            date_time: false,
        }
    }

    fn additional(
        &mut self,
        additional: Option<&AdditionalProperties>,
        ptr: &str,
        name: &str,
    ) -> Option<Shape> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_ptr = pointer(ptr, &["additionalProperties"]);
                let converted = self.convert(schema, &value_ptr, &format!("{name}Value"));
                Some(nullable_item(converted))
            }
            Some(AdditionalProperties::Any(true)) => Some(Shape::plain(Ty::Json)),
            _ => None,
        }
    }

    /// A schema that needs no named type: primitives, arrays, maps.
    fn plain_shape(&mut self, view: &View, ptr: &str, hint: &str) -> Shape {
        let constraints = view.constraints.clone();
        if view.has_not {
            self.diagnostics
                .warn(ptr, "`not` is not expressible in Rust types; typed as JSON");
            return Shape::plain(Ty::Json);
        }
        let ty = match view.typ {
            Some("string") => match view.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("uuid") => Ty::Uuid,
                Some("uri") | Some("url") => Ty::Uri,
                Some("binary") => {
                    // Raw bodies are bytes whatever their schema says; inside a JSON value a
                    // file's content can only be a string.
                    self.diagnostics.warn(
                        ptr,
                        "`format: binary` inside a schema is typed as String (raw bodies are bytes)",
                    );
                    Ty::String
                }
                _ => Ty::String,
            },
            Some("integer") => match view.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => match view.items {
                Some(items) => {
                    let converted = self.convert_boxed(
                        items,
                        &pointer(ptr, &["items"]),
                        &format!("{hint}Item"),
                    );
                    Ty::Array(Box::new(nullable_item(converted)))
                }
                None => Ty::Array(Box::new(Shape::plain(Ty::Json))),
            },
            Some("object") | None if view.is_object() || view.additional.is_some() => {
                let value = self.additional(view.additional, ptr, hint);
                Ty::Map(Box::new(value.unwrap_or_else(|| Shape::plain(Ty::Json))))
            }
            Some("null") => Ty::Json,
            Some(other) if !matches!(other, "object") => {
                self.diagnostics
                    .warn(ptr, format!("unknown type `{other}`; typed as JSON"));
                Ty::Json
            }
            _ => Ty::Json,
        };
        let constraints = match ty {
            Ty::Json | Ty::Bool => Constraints::default(),
            _ => constraints,
        };
        Shape { ty, constraints }
    }

    /// Marks structs used as tagged-union variants so they omit the tag property, and
    /// returns the finished type list. A struct also used elsewhere (a field, an untagged
    /// union, an operation's body: `shapes`) keeps it, since there nothing else sends it.
    pub fn finish<'s>(mut self, shapes: impl IntoIterator<Item = &'s Shape>) -> Vec<TypeDef> {
        let mut elsewhere = std::collections::HashSet::new();
        for shape in shapes {
            named_in(&shape.ty, &mut elsewhere);
        }
        for def in &self.types {
            match &def.kind {
                // A tagged union's own variants are what omission is for.
                TypeKind::Tagged { variants, .. } => {
                    for variant in variants {
                        if !matches!(variant.shape.ty, Ty::Named(_)) {
                            named_in(&variant.shape.ty, &mut elsewhere);
                        }
                    }
                }
                kind => {
                    for shape in kind.shapes() {
                        named_in(&shape.ty, &mut elsewhere);
                    }
                }
            }
        }
        let mut kept = Vec::new();
        for (id, tag) in std::mem::take(&mut self.tag_omissions) {
            if elsewhere.contains(&id) {
                kept.push(id);
                continue;
            }
            if let TypeKind::Struct(def) = &mut self.types[id.0].kind {
                def.fields.retain(|field| field.wire != tag);
                def.omitted_tag = Some(tag);
            }
        }
        for def in &mut self.types {
            if let TypeKind::Tagged { variants, .. } = &mut def.kind {
                for variant in variants {
                    if let Ty::Named(id) = variant.shape.ty {
                        variant.keeps_tag = kept.contains(&id);
                    }
                }
            }
        }
        self.types
    }
}

/// The named types `ty` holds, through options, lists and maps.
fn named_in(ty: &Ty, out: &mut std::collections::HashSet<TypeId>) {
    match ty {
        Ty::Named(id) => {
            out.insert(*id);
        }
        Ty::Option(inner) | Ty::Array(inner) | Ty::Map(inner) => named_in(&inner.ty, out),
        _ => {}
    }
}

/// The values of a string enum (nulls dropped), when the schema is one.
fn string_enum(view: &View) -> Option<Vec<String>> {
    if view.enum_values.is_empty() || !matches!(view.typ, Some("string") | None) {
        return None;
    }
    let mut values: Vec<String> = Vec::new();
    for value in &view.enum_values {
        match value {
            serde_json::Value::String(text) => {
                if !values.contains(text) {
                    values.push(text.clone());
                }
            }
            serde_json::Value::Null => {}
            _ => return None,
        }
    }
    (!values.is_empty()).then_some(values)
}

fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(schema) => {
            let view = View::of(schema);
            view.typ == Some("null")
                || (!view.enum_values.is_empty()
                    && view.enum_values.iter().all(serde_json::Value::is_null))
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// [`is_null_schema`] of a schema as JSON.
fn is_null_value(schema: &serde_json::Value) -> bool {
    let enum_of_nulls = schema
        .get("enum")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(serde_json::Value::is_null));
    schema.get("type").and_then(serde_json::Value::as_str) == Some("null") || enum_of_nulls
}

/// An array item, map value or union payload that may be `null` becomes `Option<_>`.
fn nullable_item(converted: Converted) -> Shape {
    if converted.nullable && !matches!(converted.shape.ty, Ty::Json) {
        Shape::plain(Ty::Option(Box::new(converted.shape)))
    } else {
        converted.shape
    }
}
