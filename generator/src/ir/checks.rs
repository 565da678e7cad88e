//! Which types carry documented constraints, so that generated code validates only values
//! that can break one (and types without any get an empty `Validate` impl).

use super::model::{Shape, Ty, TypeDef, TypeKind};

/// Sets [`TypeDef::has_checks`]: a type has checks when a shape inside it has constraints,
/// when it is a struct with presence rules, or when it holds a type that has checks (a
/// string enum has none: its `Unknown` is sent back as received); never a type replaced by
/// one of the user's. Cycles settle by iterating to a fixed point.
pub(super) fn mark_checked_types(types: &mut [TypeDef]) {
    let mut checked = vec![false; types.len()];
    loop {
        let mut changed = false;
        for (index, def) in types.iter().enumerate() {
            if !checked[index] && type_needs_checks(def, &checked) {
                checked[index] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (def, checked) in types.iter_mut().zip(checked) {
        def.has_checks = checked;
    }
}

fn type_needs_checks(def: &TypeDef, checked: &[bool]) -> bool {
    // A replacement is the user's own type: generated code does not validate it.
    if def.replacement.is_some() {
        return false;
    }
    match &def.kind {
        // `Unknown` values pass (a server's value can be sent back); union constants
        // are strict and cannot hold another value.
        TypeKind::StringEnum(_) => false,
        TypeKind::Struct(def) if !def.presence.is_empty() => true,
        kind => kind
            .shapes()
            .into_iter()
            .any(|shape| shape_needs_checks(shape, checked)),
    }
}

/// Whether a value of `shape` can break a documented constraint (conservative: any
/// constraint counts, whatever the type; a URI is received as any text).
fn shape_needs_checks(shape: &Shape, checked: &[bool]) -> bool {
    shape.nested().any(|nested| {
        !nested.constraints.is_empty()
            || nested.ty == Ty::Uri
            || nested.named().is_some_and(|id| checked[id.0])
    })
}
