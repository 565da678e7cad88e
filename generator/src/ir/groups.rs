//! Operation groups: an operation belongs to its first tag or, untagged, to the first fixed
//! segment of its path (`/v1/customers/{id}` → `customers`). A group is one file of
//! operations, one file of the types only it uses, and one cargo feature, so users of a large
//! API compile only the parts they call.

use std::collections::HashMap;

use super::model::{Api, Group, Shape};
use crate::naming::{self, Scope};

/// Hands out group indexes in order of first appearance.
pub(super) struct GroupRegistry {
    groups: Vec<Group>,
    by_name: HashMap<String, usize>,
    modules: Scope,
    tag_docs: HashMap<String, String>,
}

impl GroupRegistry {
    /// A registry that documents groups with the descriptions of `openapi.tags`.
    pub fn new(openapi: &openapiv3::OpenAPI) -> Self {
        let tag_docs = openapi
            .tags
            .iter()
            .filter_map(|tag| Some((tag.name.clone(), tag.description.clone()?)))
            .collect();
        Self {
            groups: Vec::new(),
            by_name: HashMap::new(),
            modules: Scope::group_modules(),
            tag_docs,
        }
    }

    /// The group of an operation with these tags at `path`.
    pub fn group_of(&mut self, tags: &[String], path: &str) -> usize {
        let name = tags
            .iter()
            .find(|tag| !tag.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| path_group(path));
        if let Some(&index) = self.by_name.get(&name) {
            return index;
        }
        let mut snake = naming::snake(&name);
        if snake.trim_matches('_').is_empty() {
            snake = "group".to_owned();
        }
        let module = self.modules.claim(naming::module_name(&snake));
        let feature = naming::feature_name(&module);
        let index = self.groups.len();
        self.groups.push(Group {
            docs: self.tag_docs.get(&name).cloned(),
            name: name.clone(),
            module,
            feature,
        });
        self.by_name.insert(name, index);
        index
    }

    /// The groups, indexed as handed out.
    pub fn finish(self) -> Vec<Group> {
        self.groups
    }
}

/// The first path segment that is neither a template nor a version (`v1`, `2.0`).
fn path_group(path: &str) -> String {
    path.split('/')
        .find(|segment| {
            !segment.is_empty()
                && !segment.contains('{')
                && !is_version(segment)
                && segment.chars().any(|c| c.is_ascii_alphabetic())
        })
        .unwrap_or("root")
        .to_owned()
}

fn is_version(segment: &str) -> bool {
    let digits = segment
        .strip_prefix(['v', 'V'])
        .unwrap_or(segment)
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    digits.is_empty() && segment.chars().any(|c| c.is_ascii_digit())
}

/// Sets [`TypeDef::group`]: the group when exactly one group's operations reach the type.
/// Types no operation reaches are always compiled, and so is everything they use.
pub(super) fn assign_type_groups(api: &mut Api) {
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| named_types(def.kind.shapes()))
        .collect();
    let mut reach = Reach {
        owner: vec![None; api.types.len()],
        shared: vec![false; api.types.len()],
        edges: &edges,
    };
    for op in &api.operations {
        reach.mark(named_types(op.shapes()), Some(op.group));
    }
    let unreached: Vec<usize> = (0..api.types.len())
        .filter(|&id| reach.owner[id].is_none() && !reach.shared[id])
        .collect();
    reach.mark(unreached, None);
    for (id, def) in api.types.iter_mut().enumerate() {
        def.group = if reach.shared[id] {
            None
        } else {
            reach.owner[id]
        };
    }
}

/// Which groups reach each type: the first one seen, and whether another one does too.
struct Reach<'a> {
    owner: Vec<Option<usize>>,
    shared: Vec<bool>,
    edges: &'a [Vec<usize>],
}

impl Reach<'_> {
    /// Marks everything reachable from `roots` as used by `group` (`None`: always compiled).
    fn mark(&mut self, roots: Vec<usize>, group: Option<usize>) {
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if self.shared[id] {
                continue;
            }
            match (self.owner[id], group) {
                (Some(seen), Some(group)) if seen == group => continue,
                (None, Some(group)) => self.owner[id] = Some(group),
                _ => self.shared[id] = true,
            }
            stack.extend(self.edges[id].iter().copied());
        }
    }
}

/// The named types in `shapes` (containers looked into).
fn named_types<'a>(shapes: impl IntoIterator<Item = &'a Shape>) -> Vec<usize> {
    shapes
        .into_iter()
        .flat_map(Shape::nested)
        .filter_map(|shape| Some(shape.named()?.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_operations_group_by_their_first_fixed_path_segment() {
        assert_eq!(path_group("/v1/customers/{customer}/sources"), "customers");
        assert_eq!(path_group("/api/2.0/jobs"), "api");
        assert_eq!(path_group("/{tenant}/v2/items"), "items");
        assert_eq!(path_group("/"), "root");
        assert_eq!(path_group("/v3"), "root");
    }

    #[test]
    fn group_names_become_valid_modules_and_features() {
        let openapi: openapiv3::OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {}
        }))
        .unwrap();
        let mut registry = GroupRegistry::new(&openapi);
        registry.group_of(&[], "/v1/3d_secure");
        registry.group_of(&["type".to_owned()], "/");
        registry.group_of(&["Store Orders".to_owned()], "/");
        registry.group_of(&["common".to_owned()], "/");
        registry.group_of(&["---".to_owned()], "/");
        let names: Vec<(String, String)> = registry
            .finish()
            .into_iter()
            .map(|g| (g.module, g.feature))
            .collect();
        let pairs: Vec<(&str, &str)> = names
            .iter()
            .map(|(m, f)| (m.as_str(), f.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("_3d_secure", "3d-secure"),
                ("type_", "type"),
                ("store_orders", "store-orders"),
                ("common_2", "common-2"),
                ("value", "value"),
            ]
        );
        for (_, feature) in &names {
            let first = feature.chars().next().unwrap();
            assert!(first.is_ascii_alphanumeric(), "{feature}");
        }
    }

    #[test]
    fn version_segments_are_recognised() {
        assert!(is_version("v1"));
        assert!(is_version("V20"));
        assert!(is_version("2.0"));
        assert!(!is_version("v"));
        assert!(!is_version("video"));
        assert!(!is_version("v1beta"));
    }
}
