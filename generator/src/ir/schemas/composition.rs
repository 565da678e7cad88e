//! Composition: `allOf` merged into one struct, `oneOf`/`anyOf` as tagged or untagged enums.

use super::*;

impl SchemaConverter<'_> {
    /// `allOf`: one struct with the properties and `required` of every member.
    pub(super) fn merge_all_of(&mut self, view: &View, ptr: &str, name: &str) -> TypeKind {
        let mut merged = StructDef::default();
        let mut scope = Scope::default();
        let mut required: Vec<String> = view.required.to_vec();
        let mut members: Vec<(String, Schema)> = Vec::new();
        let mut stack: Vec<(String, ReferenceOr<Schema>)> = view
            .all_of
            .iter()
            .enumerate()
            .rev()
            .map(|(i, m)| (pointer(ptr, &["allOf", &i.to_string()]), m.clone()))
            .collect();
        let mut seen = 0;
        while let Some((member_ptr, member)) = stack.pop() {
            seen += 1;
            if seen > 256 {
                self.diagnostics
                    .warn(ptr, "allOf nests too deeply; merged what was reached");
                break;
            }
            let (member_ptr, schema) = match member {
                ReferenceOr::Item(schema) => (member_ptr, schema),
                ReferenceOr::Reference { reference } => {
                    match resolve::<Schema>(self.document, &reference) {
                        Some(schema) => (reference.trim_start_matches('#').to_owned(), schema),
                        None => {
                            self.diagnostics.error(
                                &member_ptr,
                                format!("`$ref` target `{reference}` does not exist"),
                            );
                            continue;
                        }
                    }
                }
            };
            let member_view = View::of(&schema);
            for (i, nested) in member_view.all_of.iter().enumerate().rev() {
                stack.push((
                    pointer(&member_ptr, &["allOf", &i.to_string()]),
                    nested.clone(),
                ));
            }
            required.extend(member_view.required.iter().cloned());
            members.push((member_ptr, schema));
        }
        for (member_ptr, schema) in &members {
            let member_view = View::of(schema);
            if !member_view.one_of.is_empty() || !member_view.any_of.is_empty() {
                self.diagnostics.warn(
                    member_ptr,
                    "oneOf/anyOf inside allOf is not merged; its alternatives are not typed",
                );
            }
            if let Some(properties) = member_view.properties {
                for (wire, property) in properties {
                    if merged.fields.iter().any(|f| &f.wire == wire) {
                        continue;
                    }
                    let prop_ptr = pointer(member_ptr, &["properties", wire]);
                    let field = self.field(&mut scope, wire, property, &required, &prop_ptr, name);
                    merged.fields.push(field);
                }
            }
            if merged.additional.is_none() {
                merged.additional =
                    self.additional(member_view.additional, member_ptr, name, &mut scope);
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
                    name: scope.variant(&self.variant_hint(&shape.ty, i)),
                    tag_value: None,
                    shape,
                    boxed: false,
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
        let mut scope = Scope::with_reserved(&["Unknown"]);
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
                vec![component.to_owned()]
            } else {
                tag_values
            };
            for tag_value in tag_values {
                variants.push(UnionVariant {
                    name: scope.variant(&tag_value),
                    tag_value: Some(tag_value),
                    shape: Shape::plain(Ty::Named(id)),
                    boxed: false,
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
            Ty::Named(id) => self.types[id.0].name.clone(),
            Ty::String => "String".into(),
            Ty::I32 | Ty::I64 => "Integer".into(),
            Ty::F64 => "Number".into(),
            Ty::Bool => "Boolean".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Date => "Date".into(),
            Ty::Uuid => "Uuid".into(),
            Ty::Url => "Url".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Array(_) => "Array".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Option(inner) => self.variant_hint(&inner.ty, index),
            Ty::Json => format!("Variant{}", index + 1),
        }
    }
}
