//! Shape helpers shared by the operation and type diffs: type text, constraints, docs.

use crate::ir::{Api, Shape, Spelling, Ty, TypeKind};

use super::ChangeKind as K;

/// The Rust type of `shape` as users see it (`Vec<types::Recipient>`).
pub(super) fn ty_text(api: &Api, shape: &Shape) -> String {
    let named = |def: &crate::ir::TypeDef| format!("types::{}", def.name.bare());
    crate::ir::rust_type(api, shape, Spelling::Short, &named)
}

/// How the documented constraints of a value changed, if they did: tighter (some value
/// passing before fails now) wins over looser.
pub(super) fn constraint_change(old: &Shape, new: &Shape) -> Option<(K, String)> {
    let (a, b) = (&old.constraints, &new.constraints);
    if a == b {
        return None;
    }
    let mut notes = Vec::new();
    let mut tighter = false;
    let mut note = |name: &str, old: String, new: String, tightens: bool| {
        tighter |= tightens;
        notes.push(format!("`{name}` {old} → {new}"));
    };
    let show = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
    // Lower bounds tighten when they rise, upper bounds when they fall; None is unbounded.
    let lower = [
        ("minLength", a.min_length, b.min_length),
        ("minItems", a.min_items, b.min_items),
        ("minProperties", a.min_properties, b.min_properties),
    ];
    for (name, x, y) in lower {
        if x != y {
            let t = y.unwrap_or(0) > x.unwrap_or(0);
            note(
                name,
                show(x.map(|v| v.to_string())),
                show(y.map(|v| v.to_string())),
                t,
            );
        }
    }
    let upper = [
        ("maxLength", a.max_length, b.max_length),
        ("maxItems", a.max_items, b.max_items),
        ("maxProperties", a.max_properties, b.max_properties),
    ];
    for (name, x, y) in upper {
        if x != y {
            let t = y.unwrap_or(u64::MAX) < x.unwrap_or(u64::MAX);
            note(
                name,
                show(x.map(|v| v.to_string())),
                show(y.map(|v| v.to_string())),
                t,
            );
        }
    }
    let bound = |x: Option<f64>, xe: bool, y: Option<f64>, ye: bool, lower: bool| -> bool {
        match (x, y) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(x), Some(y)) if x == y => ye && !xe,
            (Some(x), Some(y)) => (y > x) == lower,
        }
    };
    if (a.minimum, a.exclusive_minimum) != (b.minimum, b.exclusive_minimum) {
        let t = bound(
            a.minimum,
            a.exclusive_minimum,
            b.minimum,
            b.exclusive_minimum,
            true,
        );
        note(
            "minimum",
            show(a.minimum.map(|v| v.to_string())),
            show(b.minimum.map(|v| v.to_string())),
            t,
        );
    }
    if (a.maximum, a.exclusive_maximum) != (b.maximum, b.exclusive_maximum) {
        let t = bound(
            a.maximum,
            a.exclusive_maximum,
            b.maximum,
            b.exclusive_maximum,
            false,
        );
        note(
            "maximum",
            show(a.maximum.map(|v| v.to_string())),
            show(b.maximum.map(|v| v.to_string())),
            t,
        );
    }
    if a.pattern != b.pattern {
        let t = b.pattern.is_some();
        note(
            "pattern",
            show(a.pattern.as_ref().map(|p| format!("`{p}`"))),
            show(b.pattern.as_ref().map(|p| format!("`{p}`"))),
            t,
        );
    }
    if a.multiple_of != b.multiple_of {
        let t = b.multiple_of.is_some();
        note(
            "multipleOf",
            show(a.multiple_of.map(|v| v.to_string())),
            show(b.multiple_of.map(|v| v.to_string())),
            t,
        );
    }
    if a.allowed_numbers != b.allowed_numbers {
        let t = !b.allowed_numbers.is_empty()
            && (a.allowed_numbers.is_empty()
                || a.allowed_numbers
                    .iter()
                    .any(|v| !b.allowed_numbers.contains(v)));
        let list = |v: &[f64]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        note(
            "enum",
            format!("[{}]", list(&a.allowed_numbers)),
            format!("[{}]", list(&b.allowed_numbers)),
            t,
        );
    }
    let kind = if tighter {
        K::ConstraintTightened
    } else {
        K::ConstraintLoosened
    };
    Some((kind, notes.join(", ")))
}

/// Appends `label` to `notes` when two doc texts differ.
pub(super) fn doc_note(notes: &mut Vec<String>, label: &str, old: Option<&str>, new: Option<&str>) {
    if old.map(str::trim) != new.map(str::trim) {
        notes.push(label.to_owned());
    }
}

/// Which types (by index) the client validates before sending: those reachable from a
/// parameter or a request body. Responses are never validated.
pub(super) fn validated_types(api: &Api) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<&Shape> = Vec::new();
    for op in &api.operations {
        stack.extend(op.parameters.iter().map(|p| &p.shape));
        stack.extend(op.body.iter().map(|b| &b.shape));
    }
    while let Some(shape) = stack.pop() {
        match &shape.ty {
            Ty::Array(inner) | Ty::Map(inner) | Ty::Option(inner) => stack.push(inner),
            Ty::Named(id) => {
                let Some(def) = api.types.get(id.0) else {
                    continue;
                };
                if std::mem::replace(&mut seen[id.0], true) {
                    continue;
                }
                match &def.kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.shape));
                        stack.extend(s.additional.iter());
                    }
                    TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                        stack.extend(variants.iter().map(|v| &v.shape));
                    }
                    TypeKind::Alias(inner) => stack.push(inner),
                    TypeKind::StringEnum(_) => {}
                }
            }
            _ => {}
        }
    }
    seen
}
