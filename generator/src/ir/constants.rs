//! Which one-value enums are constants that tell the alternatives of an untagged union apart.
//!
//! Received values are decoded liberally: a one-value enum accepts any string (a value the
//! spec does not list lands in `Unknown`), like every string enum. The exception is a
//! one-value enum that an untagged union relies on to choose a variant (the variant itself, or
//! a property of a variant's object): it must refuse other values so that decoding moves on
//! to the next variant, and a value matching none is kept in the union's `Other`. That holds
//! at any depth of struct fields (a template chosen by its `document.src`).

use super::model::{Shape, Ty, TypeDef, TypeId, TypeKind};

/// Sets [`TypeDef::union_constant`] on the one-value enums untagged unions discriminate by,
/// and [`Field::union_constant`](super::model::Field::union_constant) on their one-value
/// number fields.
pub(super) fn mark_union_constants(types: &mut [TypeDef]) {
    let mut constants: Vec<TypeId> = Vec::new();
    let mut structs: Vec<TypeId> = Vec::new();
    for def in types.iter() {
        let TypeKind::Untagged(variants) = &def.kind else {
            continue;
        };
        for variant in variants {
            if let Some(id) = named(&variant.shape) {
                let mut seen = Vec::new();
                collect_constants(types, id, &mut seen, &mut constants);
                structs.extend(seen);
            }
        }
    }
    for id in constants {
        types[id.0].union_constant = true;
    }
    for id in structs {
        if let TypeKind::Struct(object) = &mut types[id.0].kind {
            for field in &mut object.fields {
                field.union_constant = field.shape.one_number().is_some() && !field.numeric_string;
            }
        }
    }
}


/// The one-value enums a value of type `id` holds through struct fields, however deep (a
/// variant may be told apart by `document.src`): decoding an untagged variant fails on any of
/// them. `seen` bounds the walk on recursive types.
fn collect_constants(types: &[TypeDef], id: TypeId, seen: &mut Vec<TypeId>, out: &mut Vec<TypeId>) {
    if seen.contains(&id) {
        return;
    }
    seen.push(id);
    match &types[id.0].kind {
        TypeKind::Struct(object) => {
            for field in &object.fields {
                if let Some(inner) = named(&field.shape) {
                    collect_constants(types, inner, seen, out);
                }
            }
        }
        _ if is_one_value_enum(&types[id.0]) => out.push(id),
        _ => {}
    }
}

fn is_one_value_enum(def: &TypeDef) -> bool {
    matches!(&def.kind, TypeKind::StringEnum(values) if values.len() == 1)
}

/// The named type of a shape, through `Option`.
fn named(shape: &Shape) -> Option<TypeId> {
    match &shape.ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => named(inner),
        _ => None,
    }
}
