//! Changes to named types.

use crate::ir::{Api, EnumValue, Field, Presence, StructDef, Ty, TypeDef, TypeKind, UnionVariant};

use super::shape::{constraint_change, doc_note, ty_text, validated_types};
use super::{Area, Change, ChangeKind as K};

fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::Tagged { .. } => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Alias(_) => "type alias",
    }
}

fn short(name: &str) -> &str {
    crate::naming::unraw(name)
}

/// Changes to named types, matched by Rust name, in the new spec's order (removed ones last).
pub(super) fn type_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    let validated = validated_types(new);
    for (index, def) in new.types.iter().enumerate() {
        let validated = validated.get(index).copied().unwrap_or(true);
        match old.types.iter().find(|o| o.name == def.name) {
            None => changes.push(Change::new(
                K::TypeAdded,
                Area::Type,
                &def.name,
                format!("new {} `{}`", kind_word(&def.kind), short(&def.name)),
            )),
            Some(before) => changes.extend(type_diff(old, new, before, def, validated)),
        }
    }
    for def in &old.types {
        if !new.types.iter().any(|n| n.name == def.name) {
            changes.push(Change::new(
                K::TypeRemoved,
                Area::Type,
                &def.name,
                format!("{} `{}` removed", kind_word(&def.kind), short(&def.name)),
            ));
        }
    }
    changes
}

struct TypeCtx<'a> {
    /// The client validates values of this type before sending (see `validated_types`).
    validated: bool,
    old: &'a Api,
    new: &'a Api,
    name: &'a str,
    out: Vec<Change>,
    docs: Vec<String>,
}

impl TypeCtx<'_> {
    fn push(&mut self, kind: K, detail: String) {
        self.out
            .push(Change::new(kind, Area::Type, self.name, detail));
    }

    /// A constraint change; only docs when the type never reaches a request.
    fn constraint(&mut self, kind: K, detail: String) {
        let kind = if self.validated {
            kind
        } else {
            K::ResponseConstraintChanged
        };
        self.push(kind, detail);
    }
}

fn type_diff(
    old: &Api,
    new: &Api,
    before: &TypeDef,
    after: &TypeDef,
    validated: bool,
) -> Vec<Change> {
    let mut cx = TypeCtx {
        validated,
        old,
        new,
        name: &after.name,
        out: Vec::new(),
        docs: Vec::new(),
    };
    if before.deprecated != after.deprecated {
        let what = if after.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        cx.push(K::Deprecated, format!("`{}` is {what}", short(&after.name)));
    }
    doc_note(
        &mut cx.docs,
        "type docs",
        before.docs.as_deref(),
        after.docs.as_deref(),
    );
    match (&before.kind, &after.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => struct_diff(&mut cx, a, b),
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => enum_diff(&mut cx, a, b),
        (
            TypeKind::Tagged {
                tag: ta,
                variants: a,
            },
            TypeKind::Tagged {
                tag: tb,
                variants: b,
            },
        ) => {
            if ta != tb {
                cx.push(
                    K::UnionVariantChanged,
                    format!("tag property `{ta}` → `{tb}`"),
                );
            }
            union_diff(&mut cx, a, b, false);
        }
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => union_diff(&mut cx, a, b, true),
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            let (x, y) = (ty_text(old, a), ty_text(new, b));
            if x != y {
                cx.push(K::TypeKindChanged, format!("alias of `{x}` → `{y}`"));
            } else if let Some((kind, detail)) = constraint_change(a, b) {
                cx.constraint(kind, detail);
            }
        }
        (a, b) => cx.push(
            K::TypeKindChanged,
            format!("{} → {}", kind_word(a), kind_word(b)),
        ),
    }
    if !cx.docs.is_empty() {
        let detail = format!("docs changed: {}", cx.docs.join(", "));
        cx.push(K::DocsChanged, detail);
    }
    cx.out
}

fn field_ty(api: &Api, field: &Field) -> String {
    let inner = ty_text(api, &field.shape);
    let inner = if field.boxed {
        format!("Box<{inner}>")
    } else {
        inner
    };
    if field.optional() {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// The nearest fields before and after `name` in `fields` that `other` also has.
fn neighbours<'a>(
    fields: &'a [Field],
    other: &[Field],
    name: &str,
) -> (Option<&'a str>, Option<&'a str>) {
    let kept = |f: &&Field| other.iter().any(|o| o.name == f.name);
    let index = fields.iter().position(|f| f.name == name).unwrap_or(0);
    let before = fields[..index]
        .iter()
        .rev()
        .find(kept)
        .map(|f| f.name.as_str());
    let after = fields
        .get(index + 1..)
        .unwrap_or_default()
        .iter()
        .find(kept)
        .map(|f| f.name.as_str());
    (before, after)
}

fn struct_diff(cx: &mut TypeCtx<'_>, a: &StructDef, b: &StructDef) {
    let (old, new) = (cx.old, cx.new);
    let mut added: Vec<&Field> = b
        .fields
        .iter()
        .filter(|f| !a.fields.iter().any(|o| o.name == f.name))
        .collect();
    let removed: Vec<&Field> = a
        .fields
        .iter()
        .filter(|f| !b.fields.iter().any(|n| n.name == f.name))
        .collect();
    for gone in removed {
        // A removed field and an added one of the same type and optionality, between the
        // same kept neighbours: a rename.
        let place = neighbours(&a.fields, &b.fields, &gone.name);
        let renamed = added.iter().position(|f| {
            field_ty(new, f) == field_ty(old, gone)
                && neighbours(&b.fields, &a.fields, &f.name) == place
        });
        match renamed {
            Some(index) => {
                let to = added.remove(index);
                cx.push(
                    K::FieldRenamed,
                    format!(
                        "field `{}` → `{}` (`{}` → `{}` on the wire)",
                        short(&gone.name),
                        short(&to.name),
                        gone.wire,
                        to.wire
                    ),
                );
            }
            None if b.omitted_tag.as_deref() == Some(gone.wire.as_str()) => cx.push(
                K::FieldRemoved,
                format!(
                    "field `{}: {}` removed: a tagged union's tag now carries `{}`",
                    short(&gone.name),
                    field_ty(old, gone),
                    gone.wire
                ),
            ),
            None => cx.push(
                K::FieldRemoved,
                format!(
                    "field `{}: {}` removed",
                    short(&gone.name),
                    field_ty(old, gone)
                ),
            ),
        }
    }
    for field in added {
        if field.optional() {
            cx.push(
                K::OptionalFieldAdded,
                format!(
                    "new optional field `{}: {}` (setter `with_{}`)",
                    short(&field.name),
                    field_ty(new, field),
                    short(&field.name)
                ),
            );
        } else {
            cx.push(
                K::RequiredFieldAdded,
                format!(
                    "new required field `{}: {}` (a new argument of `new`)",
                    short(&field.name),
                    field_ty(new, field)
                ),
            );
        }
    }
    for before in &a.fields {
        let Some(after) = b.fields.iter().find(|f| f.name == before.name) else {
            continue;
        };
        let name = short(&after.name);
        if before.optional() != after.optional() {
            let (kind, what) = if after.optional() {
                (K::FieldMadeOptional, "optional")
            } else {
                (K::FieldMadeRequired, "required")
            };
            cx.push(
                kind,
                format!(
                    "field `{name}` made {what}: `{}` → `{}`",
                    field_ty(old, before),
                    field_ty(new, after)
                ),
            );
        } else if field_ty(old, before) != field_ty(new, after) {
            cx.push(
                K::FieldTypeChanged,
                format!(
                    "field `{name}`: `{}` → `{}`",
                    field_ty(old, before),
                    field_ty(new, after)
                ),
            );
        }
        if before.wire != after.wire {
            cx.push(
                K::FieldWireNameChanged,
                format!(
                    "field `{name}` is `{}` on the wire, was `{}`",
                    after.wire, before.wire
                ),
            );
        }
        if let Some((kind, detail)) = constraint_change(&before.shape, &after.shape) {
            cx.constraint(kind, format!("field `{name}`: {detail}"));
        }
        if before.deprecated != after.deprecated {
            let what = if after.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            cx.push(K::Deprecated, format!("field `{name}` is {what}"));
        }
        doc_note(
            &mut cx.docs,
            &format!("field `{name}`"),
            before.docs.as_deref(),
            after.docs.as_deref(),
        );
    }
    match (&a.additional, &b.additional) {
        (None, Some(shape)) => cx.push(
            K::AdditionalPropertiesAdded,
            format!(
                "new field `additional_properties: BTreeMap<String, {}>`",
                ty_text(new, shape)
            ),
        ),
        (Some(shape), None) => cx.push(
            K::AdditionalPropertiesRemoved,
            format!(
                "field `additional_properties: BTreeMap<String, {}>` removed",
                ty_text(old, shape)
            ),
        ),
        (Some(x), Some(y)) if ty_text(old, x) != ty_text(new, y) => cx.push(
            K::FieldTypeChanged,
            format!(
                "field `additional_properties`: values `{}` → `{}`",
                ty_text(old, x),
                ty_text(new, y)
            ),
        ),
        _ => {}
    }
    // A new presence rule refuses requests that used to be sent; a dropped one sends more.
    let rule_text = |rule: &Presence| rule.describe(|wire| format!("`{wire}`"));
    for rule in b.presence.iter().filter(|rule| !a.presence.contains(rule)) {
        cx.constraint(
            K::ConstraintTightened,
            format!("new presence rule: {}", rule_text(rule)),
        );
    }
    for rule in a.presence.iter().filter(|rule| !b.presence.contains(rule)) {
        cx.constraint(
            K::ConstraintLoosened,
            format!("presence rule removed: {}", rule_text(rule)),
        );
    }
    if a.deny_unknown != b.deny_unknown {
        if b.deny_unknown {
            cx.push(
                K::UnknownPropertiesRejected,
                "`additionalProperties: false`: decoding rejects unknown properties".into(),
            );
        } else {
            cx.push(
                K::UnknownPropertiesAccepted,
                "decoding no longer rejects unknown properties".into(),
            );
        }
    }
}

fn enum_diff(cx: &mut TypeCtx<'_>, a: &[EnumValue], b: &[EnumValue]) {
    for value in b.iter().filter(|v| !a.iter().any(|o| o.wire == v.wire)) {
        cx.push(
            K::EnumValueAdded,
            format!(
                "new variant `{}` (`\"{}\"`)",
                short(&value.name),
                value.wire
            ),
        );
    }
    for value in a.iter().filter(|v| !b.iter().any(|n| n.wire == v.wire)) {
        cx.push(
            K::EnumValueRemoved,
            format!(
                "variant `{}` (`\"{}\"`) removed",
                short(&value.name),
                value.wire
            ),
        );
    }
    for before in a {
        if let Some(after) = b
            .iter()
            .find(|v| v.wire == before.wire && v.name != before.name)
        {
            cx.push(
                K::EnumValueRemoved,
                format!(
                    "variant `{}` renamed to `{}`",
                    short(&before.name),
                    short(&after.name)
                ),
            );
        }
    }
}

fn variant_ty(api: &Api, variant: &UnionVariant) -> String {
    let ty = ty_text(api, &variant.shape);
    if variant.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

fn union_diff(cx: &mut TypeCtx<'_>, a: &[UnionVariant], b: &[UnionVariant], untagged: bool) {
    let (old, new) = (cx.old, cx.new);
    let last_kept = b.iter().rposition(|v| a.iter().any(|o| o.name == v.name));
    for (index, variant) in b.iter().enumerate() {
        if a.iter().any(|o| o.name == variant.name) {
            continue;
        }
        let detail = format!(
            "new variant `{}({})`",
            short(&variant.name),
            variant_ty(new, variant)
        );
        if untagged && last_kept.is_some_and(|last| index < last) {
            cx.push(
                K::UnionVariantInserted,
                format!("{detail}, tried before existing variants"),
            );
        } else {
            cx.push(K::UnionVariantAdded, detail);
        }
    }
    for variant in a.iter().filter(|v| !b.iter().any(|n| n.name == v.name)) {
        cx.push(
            K::UnionVariantRemoved,
            format!(
                "variant `{}({})` removed",
                short(&variant.name),
                variant_ty(old, variant)
            ),
        );
    }
    for before in a {
        let Some(after) = b.iter().find(|v| v.name == before.name) else {
            continue;
        };
        let (x, y) = (variant_ty(old, before), variant_ty(new, after));
        if x != y {
            cx.push(
                K::UnionVariantChanged,
                format!("variant `{}`: `{x}` → `{y}`", short(&after.name)),
            );
        }
        if before.tag_value != after.tag_value {
            cx.push(
                K::UnionVariantChanged,
                format!(
                    "variant `{}`: tag value `{}` → `{}`",
                    short(&after.name),
                    before.tag_value.as_deref().unwrap_or(""),
                    after.tag_value.as_deref().unwrap_or("")
                ),
            );
        }
    }
    // The emitters add an `Other(serde_json::Value)` catch-all unless a variant takes any JSON.
    let catch_all =
        |variants: &[UnionVariant]| !variants.iter().any(|v| matches!(v.shape.ty, Ty::Json));
    if untagged && catch_all(a) != catch_all(b) {
        if catch_all(b) {
            cx.push(
                K::UnionVariantAdded,
                "new catch-all variant `Other(serde_json::Value)`".into(),
            );
        } else {
            cx.push(
                K::UnionVariantRemoved,
                "catch-all variant `Other` removed (a variant now takes any JSON)".into(),
            );
        }
    }
}
