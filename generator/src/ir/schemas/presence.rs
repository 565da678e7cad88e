//! Presence rules: an object's `anyOf`/`oneOf` whose alternatives only list `required`
//! names (GitHub's gist update: `description` or `files`), and `not: {required}` (OpenAI's
//! image reference: not both `image_url` and `file_id`). They say which optional
//! properties go together, so the object stays one struct and the rules are checked before
//! sending.

use super::*;

/// The names of an inline schema that only lists `required` (beside annotations).
fn required_only(member: &ReferenceOr<Schema>) -> Option<&[String]> {
    let ReferenceOr::Item(schema) = member else {
        return None;
    };
    let view = View::of(schema);
    let bare = matches!(view.typ, None | Some("object"))
        && view.format.is_none()
        && view.enum_values.is_empty()
        && view.properties.is_none_or(IndexMap::is_empty)
        && view.additional.is_none()
        && view.items.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
        && !view.has_not;
    (bare && !view.required.is_empty()).then_some(view.required)
}

/// Whether `view` has `oneOf`/`anyOf` and all their alternatives only list `required`.
pub(super) fn only_required_alternatives(view: &View) -> bool {
    let alternatives = || view.one_of.iter().chain(view.any_of);
    alternatives().next().is_some() && alternatives().all(|member| required_only(member).is_some())
}

/// Whether `view`'s `oneOf`/`anyOf` are presence rules on its own properties, so it is a
/// struct rather than a union.
pub(super) fn alternatives_are_presence(view: &View) -> bool {
    view.properties.is_some_and(|p| !p.is_empty()) && only_required_alternatives(view)
}

impl SchemaConverter<'_> {
    /// The presence rules of `view`, over the `fields` of its struct. A rule naming a
    /// property the object does not declare is not checked (warned): the client cannot tell
    /// whether an undeclared property is present.
    pub(super) fn presence(&mut self, view: &View, fields: &[Field], ptr: &str) -> Vec<Presence> {
        let mut rules = Vec::new();
        let kinds = [
            ("anyOf", view.any_of, Presence::AnyOf as fn(_) -> _),
            ("oneOf", view.one_of, Presence::OneOf),
        ];
        for (keyword, members, rule) in kinds {
            let Some(names) = members
                .iter()
                .map(required_only)
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let groups = names
                .iter()
                .enumerate()
                .map(|(i, names)| {
                    self.group(names, fields, &pointer(ptr, &[keyword, &i.to_string()]))
                })
                .collect::<Option<Vec<_>>>();
            if let Some(groups) = groups.filter(|groups| !groups.is_empty()) {
                rules.push(rule(groups));
            }
        }
        if let Some(names) = view.not.and_then(required_only) {
            let not_ptr = pointer(ptr, &["not"]);
            if let Some(group) = self.group(names, fields, &not_ptr) {
                let required = |name: &String| {
                    fields
                        .iter()
                        .any(|field| &field.wire == name && field.required)
                };
                if group.iter().all(required) {
                    self.diagnostics.warn(
                        &not_ptr,
                        "`not` forbids properties the object requires; the rule is not checked",
                    );
                } else {
                    rules.push(Presence::Not(group));
                }
            }
        }
        rules
    }

    /// `names`, or none (warned) when one is not a property of `fields`.
    fn group(&mut self, names: &[String], fields: &[Field], ptr: &str) -> Option<Vec<String>> {
        let declared = |name: &String| fields.iter().any(|field| &field.wire == name);
        let group = names.iter().all(declared).then(|| names.to_vec());
        if group.is_none() {
            self.diagnostics.warn(
                ptr,
                format!(
                    "`required: [{}]` names a property the object does not declare; the rule is not checked",
                    names.join(", ")
                ),
            );
        }
        group
    }
}

#[cfg(test)]
mod tests {
    use crate::customize::Customize;
    use crate::ir::{Built, Presence, Strictness, TypeKind};

    /// Builds a spec of `schemas`, written as `case.yaml` (one file per test).
    fn build(case: &str, schemas: &str) -> Built {
        let dir = std::env::temp_dir().join(format!("oapigen-presence-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let spec = dir.join(format!("{case}.yaml"));
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        std::fs::write(&spec, text).expect("spec written");
        let loaded = crate::load::load(&spec).expect("spec loads");
        let built = crate::ir::build_with(&loaded, Strictness::default(), &Customize::default())
            .expect("spec builds");
        let _ = std::fs::remove_file(&spec);
        built
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    /// The struct `name` of `built`.
    fn struct_def<'a>(built: &'a Built, name: &str) -> &'a crate::ir::StructDef {
        match kind(built, name) {
            TypeKind::Struct(def) => def,
            other => panic!("{name} is no struct: {other:?}"),
        }
    }

    fn kind<'a>(built: &'a Built, name: &str) -> &'a TypeKind {
        &built
            .api
            .types
            .iter()
            .find(|def| def.name.as_str() == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    #[test]
    fn required_only_alternatives_keep_the_struct_and_become_rules() {
        let built = build(
            "rules",
            "    Ref:
      type: object
      properties: {url: {type: string}, id: {type: string}, alt: {type: string}}
      oneOf: [{required: [url, alt]}, {required: [id]}]
      not: {required: [url, id]}
",
        );
        let def = struct_def(&built, "Ref");
        assert_eq!(
            def.presence,
            [
                Presence::OneOf(vec![names(&["url", "alt"]), names(&["id"])]),
                Presence::Not(names(&["url", "id"])),
            ]
        );
        assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    }

    #[test]
    fn rules_of_all_of_members_apply_to_the_merged_struct() {
        let built = build(
            "all_of",
            "    Base:
      type: object
      properties: {a: {type: string}, b: {type: string}}
      not: {required: [a, b]}
    Extended:
      allOf:
        - $ref: '#/components/schemas/Base'
        - anyOf: [{required: [a]}, {required: [c]}]
          properties: {c: {type: integer}}
",
        );
        let def = struct_def(&built, "Extended");
        assert_eq!(
            def.presence,
            [
                Presence::Not(names(&["a", "b"])),
                Presence::AnyOf(vec![names(&["a"]), names(&["c"])]),
            ]
        );
        assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    }

    #[test]
    fn other_alternatives_stay_a_union_and_unknown_names_are_warned() {
        // An alternative with a shape of its own is a real union member.
        let built = build(
            "unions",
            "    Mixed:
      type: object
      properties: {a: {type: string}}
      anyOf: [{required: [a]}, {type: object, properties: {b: {type: integer}}}]
    Undeclared:
      type: object
      properties: {a: {type: string}}
      anyOf: [{required: [a]}, {required: [b]}]
    Contradiction:
      type: object
      required: [a]
      properties: {a: {type: string}, b: {type: string}}
      not: {required: [a]}
",
        );
        assert!(matches!(kind(&built, "Mixed"), TypeKind::Untagged(_)));
        assert!(struct_def(&built, "Undeclared").presence.is_empty());
        assert!(struct_def(&built, "Contradiction").presence.is_empty());
        let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
        assert!(
            warnings.iter().any(|w| w.contains("/components/schemas/Undeclared/anyOf/1")
                && w.contains("`required: [b]` names a property the object does not declare")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("/components/schemas/Contradiction/not")
                && w.contains("forbids properties the object requires")),
            "{warnings:?}"
        );
    }
}
