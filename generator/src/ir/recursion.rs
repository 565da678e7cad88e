//! Breaks cycles of direct containment with `Box`.
//!
//! A struct that contains itself (directly, or through other structs, unions or aliases,
//! `Option` included) has infinite size. `Vec` and maps already allocate, so only the
//! direct edges inside one strongly connected component need a `Box`.

use super::model::{Shape, Ty, TypeDef, TypeId, TypeKind};

/// Sets `boxed` on every field and union variant that closes a cycle.
pub fn box_cycles(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types.iter().map(direct_edges).collect();
    let component = strongly_connected(&edges);
    for (index, def) in types.iter_mut().enumerate() {
        let same = |shape: &Shape| {
            direct_target(shape).is_some_and(|t| component[t.0] == component[index])
        };
        match &mut def.kind {
            TypeKind::Struct(def) => {
                for field in &mut def.fields {
                    field.boxed = same(&field.shape);
                }
            }
            TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                for variant in variants {
                    variant.boxed = same(&variant.shape);
                }
            }
            TypeKind::StringEnum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// Cycles of type aliases (`A = B`, `B = A`; `A = Vec<A>`): Rust expands aliases eagerly,
/// so no container breaks such a cycle and rustc rejects it. One `(pointer, message)` per
/// cycle, at its first alias's schema.
pub fn alias_cycles(types: &[TypeDef]) -> Vec<(String, String)> {
    let is_alias = |id: TypeId| matches!(types[id.0].kind, TypeKind::Alias(_));
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(shape) => shape
                .nested()
                .filter_map(Shape::named)
                .filter(|&id| is_alias(id))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (index, def) in types.iter().enumerate() {
        let self_loop = edges[index].iter().any(|t| t.0 == index);
        let shared = component.iter().filter(|&&c| c == component[index]).count() > 1;
        if matches!(def.kind, TypeKind::Alias(_)) && (self_loop || shared) {
            members.entry(component[index]).or_default().push(index);
        }
    }
    members
        .into_values()
        .map(|cycle| {
            let names: Vec<&str> = cycle.iter().map(|&i| types[i].name.as_str()).collect();
            let first = &types[cycle[0]];
            let message = format!(
                "type alias cycle {} → {}: these schemas only name each other, so the Rust type aliases never reach a concrete type; give one of them an object type, or remove the cycle",
                names.join(" → "),
                names[0],
            );
            (first.origin.clone(), message)
        })
        .collect()
}

/// The named type a value of `shape` holds inline (not behind a `Vec` or map).
fn direct_target(shape: &Shape) -> Option<TypeId> {
    match &shape.ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => direct_target(inner),
        _ => None,
    }
}

fn direct_edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_target(&f.shape))
            .collect(),
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => variants
            .iter()
            .filter_map(|v| direct_target(&v.shape))
            .collect(),
        TypeKind::Alias(shape) => direct_target(shape).into_iter().collect(),
        TypeKind::StringEnum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative (specs nest deeply): component index per node, and a
/// node on a self-loop shares a component with itself, which is what boxing needs.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(*edge).map(|t| t.0) {
                *edge += 1;
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
