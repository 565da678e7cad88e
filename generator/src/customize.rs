//! What a user changes about the generated code, like `prost_build::Config` and
//! progenitor's settings: extra attributes on types, schemas replaced by existing Rust
//! types, operations included or excluded, operations and types renamed.
//!
//! Set through the [`Config`](crate::Config) builder or the `[crate.NAME]` tables of
//! `oapigen.toml`; applied while the model of the spec is built, so the generated crate, its
//! README and the spec-change report all see the same API.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A name, or a pattern with `*` wildcards (`*` matches any run of characters, `*` alone
/// everything).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pattern(String);

impl Pattern {
    /// A pattern from its text.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `name` matches: literal text must appear in order, `*` matches anything.
    pub fn matches(&self, name: &str) -> bool {
        let mut parts = self.0.split('*');
        let first = parts.next().unwrap_or_default();
        let Some(mut rest) = name.strip_prefix(first) else {
            return false;
        };
        let parts: Vec<&str> = parts.collect();
        let Some((last, middle)) = parts.split_last() else {
            return rest.is_empty();
        };
        for part in middle {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        rest.len() >= last.len() && rest.ends_with(last)
    }
}

impl From<&str> for Pattern {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for Pattern {
    fn from(text: String) -> Self {
        Self(text)
    }
}

/// Which operations an include or exclude rule names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OperationSelector {
    /// Operations carrying this tag (any of their tags).
    Tag(Pattern),
    /// Operations on a path template matching this (`/v1/customers*`).
    Path(Pattern),
    /// Operations whose `operationId` matches this.
    OperationId(Pattern),
}

impl OperationSelector {
    /// Whether the operation with these tags, path and id is selected.
    pub fn selects(&self, tags: &[String], path: &str, operation_id: &str) -> bool {
        match self {
            Self::Tag(pattern) => tags.iter().any(|tag| pattern.matches(tag)),
            Self::Path(pattern) => pattern.matches(path),
            Self::OperationId(pattern) => pattern.matches(operation_id),
        }
    }
}

/// Every customisation of one generation; empty by default (the spec as written).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Customize {
    /// Attributes (`#[derive(Hash)]`) put on the types whose schema or Rust name matches.
    pub(crate) type_attributes: Vec<(Pattern, String)>,
    /// Component schema name → Rust type path used instead of generating it.
    pub(crate) replacements: BTreeMap<String, String>,
    /// When not empty, only operations one of these selects are generated.
    pub(crate) include: Vec<OperationSelector>,
    /// Operations none of these select are generated.
    pub(crate) exclude: Vec<OperationSelector>,
    /// `operationId` → the name its method and types are made from.
    pub(crate) operation_renames: BTreeMap<String, String>,
    /// Component schema name → the name its type (and its inline types) is made from.
    pub(crate) type_renames: BTreeMap<String, String>,
    /// No pagination is inferred in this spec (`x-pagination` still applies).
    pub(crate) no_inferred_pagination: bool,
    /// Operations whose pagination is not inferred.
    pub(crate) not_paginated: Vec<OperationSelector>,
}

impl Customize {
    /// Whether the include and exclude rules keep this operation.
    pub(crate) fn keeps(&self, tags: &[String], path: &str, operation_id: &str) -> bool {
        let selected = |rule: &OperationSelector| rule.selects(tags, path, operation_id);
        (self.include.is_empty() || self.include.iter().any(selected))
            && !self.exclude.iter().any(selected)
    }

    /// The name an operation's method and types are made from.
    /// Whether pagination may be inferred for this operation.
    pub(crate) fn infers_pagination(
        &self,
        tags: &[String],
        path: &str,
        operation_id: &str,
    ) -> bool {
        !self.no_inferred_pagination
            && !self
                .not_paginated
                .iter()
                .any(|s| s.selects(tags, path, operation_id))
    }

    pub(crate) fn operation_name<'a>(&'a self, operation_id: &'a str) -> &'a str {
        self.operation_renames
            .get(operation_id)
            .map_or(operation_id, String::as_str)
    }

    /// The name a component schema's type is made from.
    pub(crate) fn type_name<'a>(&'a self, schema: &'a str) -> &'a str {
        self.type_renames.get(schema).map_or(schema, String::as_str)
    }

    /// Every attribute and type path parses, so emitting them cannot fail.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for (pattern, attribute) in &self.type_attributes {
            let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute);
            if !parsed.is_ok_and(|attrs| !attrs.is_empty()) {
                return Err(format!(
                    "type attribute for `{}`: `{attribute}` is not an outer attribute such as `#[derive(Hash)]`",
                    pattern.as_str()
                ));
            }
        }
        for (schema, path) in &self.replacements {
            if syn::parse_str::<syn::Path>(path).is_err() {
                return Err(format!(
                    "replacement of schema `{schema}`: `{path}` is not a Rust type path"
                ));
            }
        }
        for (from, to) in self.operation_renames.iter().chain(&self.type_renames) {
            if crate::naming::snake(to).is_empty() {
                return Err(format!(
                    "rename of `{from}`: `{to}` has no usable characters"
                ));
            }
        }
        Ok(())
    }
}

// By hand: the pagination settings show only when set, so that the configuration
// fingerprint in every generated file's header did not change when they were added.
impl std::fmt::Debug for Customize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Customize");
        out.field("type_attributes", &self.type_attributes)
            .field("replacements", &self.replacements)
            .field("include", &self.include)
            .field("exclude", &self.exclude)
            .field("operation_renames", &self.operation_renames)
            .field("type_renames", &self.type_renames);
        if self.no_inferred_pagination {
            out.field("no_inferred_pagination", &true);
        }
        if !self.not_paginated.is_empty() {
            out.field("not_paginated", &self.not_paginated);
        }
        out.finish()
    }
}

/// The customisation builders of [`Config`](crate::Config).
impl crate::Config {
    /// Puts `attribute` (`"#[derive(Hash, Eq)]"`) on every generated type whose schema name
    /// or Rust name matches `pattern` (`"Money"`, `"*Request"`, `"*"`), like prost-build's
    /// `type_attribute`. The attribute must hold for the type's fields.
    pub fn type_attribute(
        mut self,
        pattern: impl Into<Pattern>,
        attribute: impl Into<String>,
    ) -> Self {
        self.customize
            .type_attributes
            .push((pattern.into(), attribute.into()));
        self
    }

    /// Uses the existing Rust type `path` (`"shared_types::Money"`) wherever the spec uses
    /// the component schema `schema`, instead of generating one (like prost-build's
    /// `extern_path` or progenitor's `with_replacement`). The type must implement what the
    /// generated code needs of it: `Clone`, `Debug`, `PartialEq`, `Serialize`, `Deserialize`.
    pub fn replace_type(mut self, schema: impl Into<String>, path: impl Into<String>) -> Self {
        self.customize
            .replacements
            .insert(schema.into(), path.into());
        self
    }

    /// Generates only the operations some include rule selects (all when there is none).
    pub fn include_operations(mut self, selector: OperationSelector) -> Self {
        self.customize.include.push(selector);
        self
    }

    /// Leaves out the operations this rule selects (after the include rules).
    pub fn exclude_operations(mut self, selector: OperationSelector) -> Self {
        self.customize.exclude.push(selector);
        self
    }

    /// Names the method and types of the operation `operation_id` after `name` instead.
    pub fn rename_operation(
        mut self,
        operation_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        self.customize
            .operation_renames
            .insert(operation_id.into(), name.into());
        self
    }

    /// Turns pagination inference on (the default) or off for the whole spec; operations
    /// with `x-pagination` keep theirs.
    pub fn infer_pagination(mut self, infer: bool) -> Self {
        self.customize.no_inferred_pagination = !infer;
        self
    }

    /// Infers no pagination for the operations this rule selects (`x-pagination` still
    /// applies): for a list that looks paged but is not.
    pub fn no_inferred_pagination(mut self, selector: OperationSelector) -> Self {
        self.customize.not_paginated.push(selector);
        self
    }

    /// Names the type of the component schema `schema` (and the inline types named after
    /// it) after `name` instead.
    pub fn rename_type(mut self, schema: impl Into<String>, name: impl Into<String>) -> Self {
        self.customize
            .type_renames
            .insert(schema.into(), name.into());
        self
    }
}

/// The customisation tables of `oapigen.toml` (`[crate.NAME]`, or top level for every crate).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomizeFile {
    /// `"Pattern" = ["#[derive(Hash)]", …]`.
    #[serde(default)]
    type_attributes: BTreeMap<String, Vec<String>>,
    /// `Money = "shared_types::Money"`.
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    include: SelectorsFile,
    #[serde(default)]
    exclude: SelectorsFile,
    /// `[rename.operations]` / `[rename.types]`: old → new.
    #[serde(default)]
    rename: RenameFile,
    /// `infer_pagination = false`: no inferred paginators in this crate.
    #[serde(default)]
    infer_pagination: Option<bool>,
    /// `[no_inferred_pagination]`: tags, paths or operations not to infer pagination for.
    #[serde(default)]
    no_inferred_pagination: SelectorsFile,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectorsFile {
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    operations: Vec<String>,
}

impl SelectorsFile {
    fn selectors(&self) -> Vec<OperationSelector> {
        let tags = self
            .tags
            .iter()
            .map(|t| OperationSelector::Tag(t.as_str().into()));
        let paths = self
            .paths
            .iter()
            .map(|p| OperationSelector::Path(p.as_str().into()));
        let ids = self
            .operations
            .iter()
            .map(|o| OperationSelector::OperationId(o.as_str().into()));
        tags.chain(paths).chain(ids).collect()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameFile {
    #[serde(default)]
    operations: BTreeMap<String, String>,
    #[serde(default)]
    types: BTreeMap<String, String>,
}

impl CustomizeFile {
    /// Applies this file's rules to `config`, after those already there.
    pub(crate) fn apply(&self, mut config: crate::Config) -> crate::Config {
        for (pattern, attributes) in &self.type_attributes {
            for attribute in attributes {
                config = config.type_attribute(pattern.as_str(), attribute.as_str());
            }
        }
        for (schema, path) in &self.replace {
            config = config.replace_type(schema.as_str(), path.as_str());
        }
        for selector in self.include.selectors() {
            config = config.include_operations(selector);
        }
        for selector in self.exclude.selectors() {
            config = config.exclude_operations(selector);
        }
        for (from, to) in &self.rename.operations {
            config = config.rename_operation(from.as_str(), to.as_str());
        }
        for (from, to) in &self.rename.types {
            config = config.rename_type(from.as_str(), to.as_str());
        }
        if let Some(infer) = self.infer_pagination {
            config = config.infer_pagination(infer);
        }
        for selector in self.no_inferred_pagination.selectors() {
            config = config.no_inferred_pagination(selector);
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_literally_or_with_wildcards() {
        let p = Pattern::new;
        assert!(p("Money").matches("Money"));
        assert!(!p("Money").matches("MoneyAmount"));
        assert!(p("*").matches(""));
        assert!(p("Money*").matches("MoneyAmount"));
        assert!(p("*Request").matches("CreatePetRequest"));
        assert!(!p("*Request").matches("CreatePetResponse"));
        assert!(p("/v1/*/items").matches("/v1/customers/items"));
        assert!(!p("/v1/*/items").matches("/v2/customers/items"));
        assert!(p("a*b*c").matches("abc"));
        assert!(!p("ab*ba").matches("aba"));
    }

    #[test]
    fn include_then_exclude() {
        let mut c = Customize::default();
        assert!(c.keeps(&[], "/pets", "listPets"));
        c.include.push(OperationSelector::Tag("pets".into()));
        assert!(c.keeps(&["pets".into()], "/pets", "listPets"));
        assert!(!c.keeps(&["stores".into()], "/stores", "listStores"));
        c.exclude
            .push(OperationSelector::OperationId("delete*".into()));
        assert!(!c.keeps(&["pets".into()], "/pets/{id}", "deletePet"));
    }

    #[test]
    fn bad_attributes_and_paths_are_refused() {
        let mut c = Customize::default();
        c.type_attributes.push(("*".into(), "derive(Hash)".into()));
        assert!(c.validate().unwrap_err().contains("not an outer attribute"));
        let mut c = Customize::default();
        c.replacements.insert("Money".into(), "not a path!".into());
        assert!(c.validate().unwrap_err().contains("not a Rust type path"));
    }
}
