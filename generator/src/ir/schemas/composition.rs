//! Composition: `allOf` merged into one struct, `oneOf`/`anyOf` as tagged or untagged enums.

use std::collections::HashSet;
use std::rc::Rc;

use super::*;

/// The most `allOf` members merged into one struct (nested ones included).
const MAX_ALL_OF_MEMBERS: usize = 256;

type Member = AllOfMember;

/// A schema whose only merging keyword is `allOf` (no type, properties, `required`, …):
/// a link of a chain, contributing nothing of its own.
fn is_all_of_wrapper(view: &View) -> bool {
    !view.all_of.is_empty() && !has_shape(view)
}

/// A schema that only annotates (`nullable`, `description`, `readOnly`…): no type, shape
/// or composition of its own.
fn is_annotation_only(view: &View) -> bool {
    view.all_of.is_empty() && !has_shape(view)
}

/// Whether `view` has a type, a shape or a composition keyword other than `allOf`.
fn has_shape(view: &View) -> bool {
    view.typ.is_some()
        || view.format.is_some()
        || !view.enum_values.is_empty()
        || view.properties.is_some_and(|p| !p.is_empty())
        || !view.required.is_empty()
        || view.additional.is_some()
        || view.items.is_some()
        || !view.one_of.is_empty()
        || !view.any_of.is_empty()
        || view.has_not
}

/// The `$ref`s in `schema`'s `allOf`, also inside its inline members, in order.
fn child_refs(schema: &Schema, out: &mut Vec<String>) {
    for member in View::of(schema).all_of {
        match member {
            ReferenceOr::Reference { reference } => out.push(reference.clone()),
            ReferenceOr::Item(inline) => child_refs(inline, out),
        }
    }
}

impl SchemaConverter<'_> {
    /// `allOf`: one struct with the properties and `required` of every member.
    pub(super) fn merge_all_of(&mut self, view: &View, ptr: &str, name: &str) -> TypeKind {
        if let Some(shape) = self.annotated_union(view, ptr, name) {
            return TypeKind::Alias(shape);
        }
        let mut merged = StructDef::default();
        let mut scope = Scope::default();
        let mut required: Vec<String> = view.required.to_vec();
        let mut members: Vec<Member> = Vec::new();
        // A schema reached twice (a diamond) adds nothing new.
        let mut reached: HashSet<String> = HashSet::new();
        for (i, member) in view.all_of.iter().enumerate() {
            let member_ptr = pointer(ptr, &["allOf", &i.to_string()]);
            let list = match member {
                ReferenceOr::Item(schema) => self.flat_list(member_ptr, Rc::new(schema.clone())),
                ReferenceOr::Reference { reference } => {
                    if self.all_of_target(reference).is_none() {
                        self.diagnostics.error(
                            &member_ptr,
                            format!("`$ref` target `{reference}` does not exist"),
                        );
                        continue;
                    }
                    self.flat_all_of(reference)
                }
            };
            for entry in list.iter() {
                if reached.insert(entry.0.clone()) {
                    members.push(entry.clone());
                }
            }
        }
        // Nothing but annotations (box's `allOf: [{}, {example: Aaron Levie}, {description}]`):
        // any JSON value, not an empty struct.
        if !has_shape(view)
            && members
                .iter()
                .all(|(_, schema)| is_annotation_only(&View::of(schema)))
        {
            return TypeKind::Alias(Shape::plain(Ty::Json));
        }
        if members.len() > MAX_ALL_OF_MEMBERS {
            self.diagnostics
                .warn(ptr, "allOf nests too deeply; merged what was reached");
            members.truncate(MAX_ALL_OF_MEMBERS);
        }
        for (_, schema) in &members {
            required.extend(View::of(schema).required.iter().cloned());
        }
        // As in a plain struct: the map of other properties claims its field name first.
        if members.iter().any(|(_, schema)| {
            matches!(
                View::of(schema).additional,
                Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
            )
        }) {
            scope.snake("additional_properties");
        }
        let mut wires: HashSet<String> = HashSet::new();
        for (member_ptr, schema) in &members {
            let member_view = View::of(schema);
            let alternatives = !member_view.one_of.is_empty() || !member_view.any_of.is_empty();
            if alternatives && !presence::only_required_alternatives(&member_view) {
                self.diagnostics.warn(
                    member_ptr,
                    "oneOf/anyOf inside allOf is not merged; its alternatives are not typed",
                );
            }
            if let Some(properties) = member_view.properties {
                for (wire, property) in properties {
                    if !wires.insert(wire.clone()) {
                        continue;
                    }
                    let prop_ptr = pointer(member_ptr, &["properties", wire]);
                    let field = self.field(&mut scope, wire, property, &required, &prop_ptr, name);
                    merged.fields.push(field);
                }
            }
            if merged.additional.is_none() {
                merged.additional =
                    self.additional(member_view.additional, member_ptr, name);
            }
        }
        // The presence rules of every member, and of the `allOf` itself, over the merged
        // properties (a member's rule may name a property another member declares).
        let mut rules = self.presence(view, &merged.fields, ptr);
        for (member_ptr, schema) in &members {
            rules.extend(self.presence(&View::of(schema), &merged.fields, member_ptr));
        }
        for rule in rules {
            if !merged.presence.contains(&rule) {
                merged.presence.push(rule);
            }
        }
        if merged.fields.is_empty() && merged.additional.is_none() {
            if let [(member_ptr, schema)] = members.as_slice() {
                let view = View::of(schema);
                return TypeKind::Alias(self.plain_shape(&view, member_ptr, name));
            }
        }
        TypeKind::Struct(merged)
    }

    /// `allOf: [{$ref: U}, {nullable: true}]`, U (referenced or inline) a union (OpenAI's
    /// `tool_choice`), an enum or a scalar (lago's `allOf: [{$ref: Currency}, {example:
    /// USD}]`): U itself. Merging
    /// has no fields to take from a schema that is not an object, and would make an empty
    /// struct that no value of U decodes into.
    fn annotated_union(&mut self, view: &View, ptr: &str, name: &str) -> Option<Shape> {
        if has_shape(view) {
            return None;
        }
        let mut substantive = view.all_of.iter().enumerate().filter(|(_, member)| match member {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(schema) => !is_annotation_only(&View::of(schema)),
        });
        let (index, member) = substantive.next()?;
        if substantive.next().is_some() {
            return None;
        }
        // Inline too: box's `sequence_id: {allOf: [{type: string, nullable: true},
        // {nullable: false}]}`.
        let held;
        let target = match member {
            ReferenceOr::Reference { reference } => {
                held = self.all_of_target(reference)?;
                &*held
            }
            ReferenceOr::Item(schema) => schema,
        };
        let target = View::of(target);
        let is_union = !target.one_of.is_empty() || !target.any_of.is_empty();
        let not_object = target.typ.is_some_and(|ty| ty != "object")
            || (!target.enum_values.is_empty() && target.typ.is_none());
        if !(is_union || not_object)
            || target.properties.is_some_and(|p| !p.is_empty())
            || target.additional.is_some()
            || !target.all_of.is_empty()
        {
            return None;
        }
        let member_ptr = pointer(ptr, &["allOf", &index.to_string()]);
        Some(self.convert(member, &member_ptr, name).shape)
    }

    /// The members an `allOf` reaches through `reference` (it, then what its own `allOf`
    /// reaches, in order), computed once per reference and without recursion, so a chain of
    /// schemas each extending the previous one costs what it merges, not its depth squared.
    /// A reference back to a schema still being flattened (a cycle) is skipped.
    fn flat_all_of(&mut self, reference: &str) -> Rc<[Member]> {
        let mut open: HashSet<String> = HashSet::new();
        let mut work: Vec<(String, bool)> = vec![(reference.to_owned(), false)];
        while let Some((current, expanded)) = work.pop() {
            if self.all_of_flat.contains_key(&current) {
                continue;
            }
            let Some(schema) = self.all_of_target(&current) else {
                self.all_of_flat.insert(current, Rc::from([]));
                continue;
            };
            if !expanded {
                if !open.insert(current.clone()) {
                    continue;
                }
                let mut children = Vec::new();
                child_refs(&schema, &mut children);
                work.push((current, true));
                for child in children.into_iter().rev() {
                    if !self.all_of_flat.contains_key(&child) && !open.contains(&child) {
                        work.push((child, false));
                    }
                }
                continue;
            }
            let base = current.trim_start_matches('#').to_owned();
            let list = self.flat_list(base, schema);
            self.all_of_flat.insert(current, list);
        }
        self.all_of_flat
            .get(reference)
            .cloned()
            .unwrap_or_else(|| Rc::from([]))
    }

    /// `schema` (at `at`) unless it only wraps an `allOf`, then what its `allOf` reaches:
    /// inline members directly, referenced ones from [`flat_all_of`](Self::flat_all_of)'s
    /// memo (which holds them by now, cycles aside). At most one more than the cap is kept.
    fn flat_list(&mut self, at: String, schema: Rc<Schema>) -> Rc<[Member]> {
        let mut list = Vec::new();
        let view = View::of(&schema);
        let all_of: Vec<ReferenceOr<Schema>> = view.all_of.to_vec();
        if !is_all_of_wrapper(&view) {
            list.push((at.clone(), schema.clone()));
        }
        for (i, member) in all_of.iter().enumerate() {
            let member_ptr = pointer(&at, &["allOf", &i.to_string()]);
            let reached = match member {
                ReferenceOr::Item(inline) => self.flat_list(member_ptr, Rc::new(inline.clone())),
                ReferenceOr::Reference { reference } => {
                    if self.all_of_target(reference).is_none() {
                        self.diagnostics.error(
                            &member_ptr,
                            format!("`$ref` target `{reference}` does not exist"),
                        );
                        continue;
                    }
                    match self.all_of_flat.get(reference) {
                        Some(done) => done.clone(),
                        None => continue,
                    }
                }
            };
            list.extend(reached.iter().cloned());
            if list.len() > MAX_ALL_OF_MEMBERS {
                list.truncate(MAX_ALL_OF_MEMBERS + 1);
                break;
            }
        }
        Rc::from(list)
    }

    /// The schema a `$ref` in an `allOf` points at, deserialized once per reference.
    fn all_of_target(&mut self, reference: &str) -> Option<Rc<Schema>> {
        if let Some(cached) = self.all_of_targets.get(reference) {
            return cached.clone();
        }
        let schema = resolve::<Schema>(self.document, reference).map(Rc::new);
        self.all_of_targets
            .insert(reference.to_owned(), schema.clone());
        schema
    }

    /// `oneOf`/`anyOf`: tagged when a discriminator names a property every variant has.
    pub(super) fn union(&mut self, view: &View, ptr: &str, name: &str) -> TypeKind {
        let (members, keyword) = if view.one_of.is_empty() {
            (view.any_of, "anyOf")
        } else {
            (view.one_of, "oneOf")
        };
        if view.properties.is_some_and(|p| !p.is_empty()) {
            self.diagnostics.warn(
                ptr,
                format!("properties beside {keyword} are ignored; the alternatives are typed"),
            );
        }
        if let Some(discriminator) = &view.data.discriminator {
            if let Some(kind) = self.tagged_union(discriminator, members, ptr, keyword) {
                return kind;
            }
        }
        let mut scope = Scope::default();
        let variants = members
            .iter()
            .enumerate()
            .filter(|(_, member)| !is_null_schema(member))
            .map(|(i, member)| {
                let member_ptr = pointer(ptr, &[keyword, &i.to_string()]);
                let converted =
                    self.convert(member, &member_ptr, &format!("{name}Variant{}", i + 1));
                let shape = nullable_item(converted);
                UnionVariant {
                    name: scope.variant(&self.variant_hint(&shape.ty, i)).into(),
                    tag_value: None,
                    shape,
                    boxed: false,
                    keeps_tag: false,
                }
            })
            .collect();
        TypeKind::Untagged(variants)
    }

    fn tagged_union(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
        keyword: &str,
    ) -> Option<TypeKind> {
        let mut scope = Scope::enum_variants();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let ReferenceOr::Reference { reference } = member else {
                return None;
            };
            let member_ptr = pointer(ptr, &[keyword, &i.to_string()]);
            let converted = self.resolve_reference(reference, &member_ptr, "Variant");
            let Ty::Named(id) = converted.shape.ty else {
                return None;
            };
            // The variant may not be converted yet (declared after the union), so its schema
            // decides whether it will be a struct.
            let is_object = resolve::<Schema>(self.document, reference).is_some_and(|schema| {
                let view = View::of(&schema);
                !view.all_of.is_empty()
                    || (view.is_object() && view.properties.is_some_and(|p| !p.is_empty()))
            });
            if !is_object {
                return None;
            }
            let component = reference.rsplit('/').next().unwrap_or(reference);
            let tag_values: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || target.as_str() == component)
                .map(|(value, _)| value.clone())
                .collect();
            let tag_values = if tag_values.is_empty() {
                let siblings: Vec<&str> = members
                    .iter()
                    .filter_map(|member| match member {
                        ReferenceOr::Reference { reference } => Some(reference.as_str()),
                        ReferenceOr::Item(_) => None,
                    })
                    .collect();
                let taken: Vec<&str> = discriminator.mapping.keys().map(String::as_str).collect();
                let own = super::super::implied_tag(
                    self.document,
                    reference,
                    &siblings,
                    &taken,
                    &discriminator.property_name,
                );
                vec![own.unwrap_or_else(|| component.to_owned())]
            } else {
                tag_values
            };
            for tag_value in tag_values {
                variants.push(UnionVariant {
                    name: scope.variant(&tag_value).into(),
                    tag_value: Some(tag_value),
                    shape: Shape::plain(Ty::Named(id)),
                    boxed: false,
                    keeps_tag: false,
                });
            }
            self.tag_omissions
                .push((id, discriminator.property_name.clone()));
        }
        Some(TypeKind::Tagged {
            tag: discriminator.property_name.clone(),
            variants,
        })
    }

    fn variant_hint(&self, ty: &Ty, index: usize) -> String {
        match ty {
            Ty::Named(id) => self.types[id.0].name.code().to_owned(),
            Ty::String => "String".into(),
            Ty::I32 | Ty::I64 => "Integer".into(),
            Ty::F64 => "Number".into(),
            Ty::Bool => "Boolean".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Date => "Date".into(),
            Ty::Uuid => "Uuid".into(),
            Ty::Uri => "Uri".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Array(_) => "Array".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Option(inner) => self.variant_hint(&inner.ty, index),
            Ty::Json => format!("Variant{}", index + 1),
        }
    }
}
