//! Which struct fields hold a date-time through named aliases.
//!
//! A `format: date-time` field is decoded by the runtime (`de::date_time`), which also reads
//! the spellings servers send besides RFC 3339. A field whose type is a named schema that is
//! only a date-time (DynamoDB's `CreationDateTime: {$ref: Date}`) is the same value and is
//! read the same way.

use super::model::{Ty, TypeDef, TypeId, TypeKind};

/// How many aliases of aliases are followed (cycles were reported before this pass).
const MAX_ALIASES: usize = 16;

/// Sets [`Field::date_time`](super::model::Field::date_time) on every struct field whose type
/// is a date-time or an alias of one.
pub(super) fn mark_date_time_fields(types: &mut [TypeDef]) {
    let aliases: Vec<bool> = (0..types.len())
        .map(|id| is_date_time(types, &Ty::Named(TypeId(id))))
        .collect();
    for def in types.iter_mut() {
        if let TypeKind::Struct(object) = &mut def.kind {
            for field in &mut object.fields {
                field.date_time = !field.boxed
                    && match &field.shape.ty {
                        Ty::DateTime => true,
                        Ty::Named(id) => aliases[id.0],
                        _ => false,
                    };
            }
        }
    }
}

fn is_date_time(types: &[TypeDef], ty: &Ty) -> bool {
    let mut ty = ty;
    for _ in 0..MAX_ALIASES {
        match ty {
            Ty::DateTime => return true,
            Ty::Named(id) => match &types[id.0] {
                TypeDef {
                    kind: TypeKind::Alias(shape),
                    replacement: None,
                    ..
                } => ty = &shape.ty,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}
