//! Formatting (`syn` + `prettyplease`): a planned module tree → the text of its files, with a
//! slot wherever leaves (types, operations) go; each leaf formatted on its own at the depth of
//! its slot; the slots filled. Rendering never emits: [`crate::pipeline`] hands it tokens.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{ident, Leaf, Module};
use crate::error::GenerateError;

/// One rendered Rust file, path relative to the crate's `src/` (or the output dir).
pub struct RustFile {
    pub path: PathBuf,
    pub contents: String,
}

/// What the plan becomes.
pub enum Target<'a> {
    /// `lib.rs`, `name.rs` for leaf modules, `name/mod.rs` for modules with children.
    Files,
    /// One file of inline modules, for `include!`.
    Single { file_name: &'a str },
}

/// The formatted files with their slots still empty, and the leaves that fill them.
pub struct Layout {
    files: Vec<(PathBuf, Vec<Part>)>,
    /// One per leaf, in file order, then tree order, then leaf order (its index is its position).
    pub leaves: Vec<LeafSlot>,
    slots: usize,
}

/// A piece of a file: formatted text, or the leaves of slot `n`.
enum Part {
    Text(String),
    Slot(usize),
}

/// Where a leaf's text goes: its slot, and how deep in inline modules the slot sits.
pub struct LeafSlot {
    pub leaf: Leaf,
    pub depth: usize,
    slot: usize,
}

/// Formats `tokens` as a file, or reports which file failed to parse (a generator bug).
fn format(path: &str, tokens: TokenStream) -> Result<String, GenerateError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| GenerateError::Render {
        item: path.to_owned(),
        message: err.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Formats a leaf's items as they read `depth` inline modules deep: wrapped in as many
/// modules, so line breaks and indentation are those of the whole file, then unwrapped.
pub fn format_leaf(label: &str, items: TokenStream, depth: usize) -> Result<String, GenerateError> {
    if items.is_empty() {
        return Ok(String::new());
    }
    let mut wrapped = items;
    for _ in 0..depth {
        wrapped = quote! { mod m { #wrapped } };
    }
    let text = format(label, wrapped)?;
    let lines: Vec<&str> = text.lines().collect();
    let unwrapped = depth == 0
        || (lines.len() >= 2 * depth
            && (0..depth).all(|level| {
                let indent = "    ".repeat(level);
                lines[level] == format!("{indent}mod m {{")
                    && lines[lines.len() - 1 - level] == format!("{indent}}}")
            }));
    if !unwrapped {
        return Err(GenerateError::Render {
            item: label.to_owned(),
            message: "the formatted module wrapper is not where it was expected".into(),
        });
    }
    if depth == 0 {
        return Ok(text);
    }
    let body = &lines[depth..lines.len() - depth];
    Ok(body.iter().flat_map(|line| [*line, "\n"]).collect())
}

/// Formats everything of `root` but its leaves, and lists the leaves with their slots.
pub fn layout(root: Module, target: &Target, header: &str) -> Result<Layout, GenerateError> {
    let mut layout = Layout {
        files: Vec::new(),
        leaves: Vec::new(),
        slots: 0,
    };
    match target {
        Target::Files => {
            let mut files = Vec::new();
            collect_files(root, PathBuf::from("lib.rs"), PathBuf::new(), &mut files);
            for (path, module, leaves) in files {
                let head = format(&path.display().to_string(), file_tokens(&module))?;
                let slot = layout.add_slot(leaves, 0);
                layout
                    .files
                    .push((path, vec![Part::Text(format!("{header}\n{head}")), slot]));
            }
        }
        Target::Single { file_name } => {
            let mut slots = Vec::new();
            let tokens = inline(root, 0, &mut slots);
            let text = format(file_name, tokens)?;
            let mut parts = vec![Part::Text(format!("{header}\n"))];
            let mut rest = text.as_str();
            for (n, (leaves, depth)) in slots.into_iter().enumerate() {
                let marker = format!("{}{};\n", "    ".repeat(depth), slot_marker(n));
                let at = rest
                    .match_indices(&marker)
                    .map(|(at, _)| at)
                    .find(|&at| at == 0 || rest[..at].ends_with('\n'));
                let Some(at) = at else {
                    return Err(GenerateError::Render {
                        item: (*file_name).to_owned(),
                        message: format!("slot {n} is missing from the formatted file"),
                    });
                };
                parts.push(Part::Text(rest[..at].to_owned()));
                parts.push(layout.add_slot(leaves, depth));
                rest = &rest[at + marker.len()..];
            }
            parts.push(Part::Text(rest.to_owned()));
            layout.files.push((PathBuf::from(file_name), parts));
        }
    }
    Ok(layout)
}

impl Layout {
    fn add_slot(&mut self, leaves: Vec<Leaf>, depth: usize) -> Part {
        let slot = self.slots;
        self.slots += 1;
        self.leaves.extend(
            leaves
                .into_iter()
                .map(|leaf| LeafSlot { leaf, depth, slot }),
        );
        Part::Slot(slot)
    }

    /// The files, each slot filled with its leaves' texts (`texts[n]` is `leaves[n]`'s).
    pub fn fill(self, texts: Vec<String>) -> Vec<RustFile> {
        let mut slots = vec![String::new(); self.slots];
        for (leaf, text) in self.leaves.iter().zip(texts) {
            slots[leaf.slot].push_str(&text);
        }
        self.files
            .into_iter()
            .map(|(path, parts)| RustFile {
                path,
                contents: parts
                    .into_iter()
                    .map(|part| match part {
                        Part::Text(text) => text,
                        Part::Slot(n) => std::mem::take(&mut slots[n]),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// The item standing where slot `n`'s leaves go while the single file is formatted; no spec
/// name can take it (generated names never start with `__`), and it is found and replaced
/// as one whole line.
fn slot_marker(n: usize) -> String {
    format!("const __OAPIGEN_SLOT_{n}: () = ()")
}

fn module_decl(child: &Module) -> TokenStream {
    let name = ident(&child.name);
    let cfg = child.cfg();
    // Generated files are formatted by prettyplease; rustfmt must leave them alone, or
    // `cargo fmt` would make every regeneration a diff.
    if child.public {
        quote! { #cfg #[rustfmt::skip] pub mod #name; }
    } else {
        quote! { #cfg #[rustfmt::skip] mod #name; }
    }
}

fn inner_docs(module: &Module) -> TokenStream {
    match &module.docs {
        Some(docs) => {
            let lines = crate::emit::doc_lines(docs).map(|line| quote! { #![doc = #line] });
            quote! { #(#lines)* }
        }
        None => TokenStream::new(),
    }
}

/// Flattens the tree into files: each with its module (header items only) and its leaves.
fn collect_files(
    mut module: Module,
    file: PathBuf,
    dir: PathBuf,
    out: &mut Vec<(PathBuf, Module, Vec<Leaf>)>,
) {
    let leaves = std::mem::take(&mut module.leaves);
    let children = std::mem::take(&mut module.children);
    let decls = children.iter().map(module_decl);
    let items = std::mem::take(&mut module.items);
    module.items = quote! { #(#decls)* #items };
    out.push((file, module, leaves));
    for child in children {
        // `mod r#override;` lives in `override.rs`.
        let file_stem = crate::naming::unraw(&child.name).to_owned();
        if child.children.is_empty() {
            collect_files(child, dir.join(format!("{file_stem}.rs")), dir.clone(), out);
        } else {
            let child_dir = dir.join(&file_stem);
            collect_files(child, child_dir.join("mod.rs"), child_dir, out);
        }
    }
}

/// A module's file: inner docs and attributes, then its items.
fn file_tokens(module: &Module) -> TokenStream {
    let docs = inner_docs(module);
    let attrs = &module.attrs;
    let items = &module.items;
    quote! { #docs #attrs #items }
}

/// A module's inline body (`depth` modules deep): inner docs and attributes, its children,
/// its items, then a marker for its leaves (listed in `slots` in file order).
fn inline(module: Module, depth: usize, slots: &mut Vec<(Vec<Leaf>, usize)>) -> TokenStream {
    let docs = inner_docs(&module);
    let Module {
        attrs,
        items,
        children,
        leaves,
        ..
    } = module;
    let children: Vec<TokenStream> = children
        .into_iter()
        .map(|child| {
            let name = ident(&child.name);
            let vis = child.public.then(|| quote! { pub });
            let cfg = child.cfg();
            let body = inline(child, depth + 1, slots);
            // Deprecated spec items warn their users, not the generated code that uses them.
            // An inner attribute, beside the module's inner docs and attributes (clippy's
            // `mixed_attributes_style`).
            quote! { #cfg #vis mod #name { #![allow(deprecated)] #body } }
        })
        .collect();
    let marker = if leaves.is_empty() {
        TokenStream::new()
    } else {
        let name = format_ident!("__OAPIGEN_SLOT_{}", slots.len());
        slots.push((leaves, depth));
        quote! { const #name: () = (); }
    };
    quote! { #docs #attrs #(#children)* #items #marker }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str, items: TokenStream, leaves: Vec<Leaf>, children: Vec<Module>) -> Module {
        Module {
            name: name.to_owned(),
            docs: Some(format!("The `{name}` module.")),
            attrs: TokenStream::new(),
            items,
            children,
            public: true,
            feature: None,
            leaves,
        }
    }

    /// A leaf whose signature fits in 100 columns at the top level but not 3 modules deep.
    fn long_leaf(n: usize) -> TokenStream {
        let name = format_ident!("leaf_{n}");
        quote! {
            /// A leaf.
            pub fn #name(first_argument: u32, second_argument: u32, third_argument: u64) -> u8 { 0 }
        }
    }

    #[test]
    fn a_leaf_formats_as_it_reads_inside_the_whole_file() {
        let leaf = long_leaf(0);
        let deep = format_leaf("leaf", leaf.clone(), 3).expect("formats");
        let whole =
            format("file", quote! { mod a { mod b { mod c { #leaf } } } }).expect("formats");
        assert!(whole.contains(&deep), "{deep}\nnot in\n{whole}");
        assert!(deep.starts_with("            /// A leaf."), "{deep}");
        let top = format_leaf("leaf", leaf, 0).expect("formats");
        assert_eq!(
            top.lines().count(),
            4,
            "one line of signature at the top: {top}"
        );
        assert!(
            deep.lines().count() > 4,
            "wrapped three modules deep: {deep}"
        );
        assert_eq!(
            format_leaf("leaf", TokenStream::new(), 2).ok(),
            Some(String::new())
        );
    }

    #[test]
    fn the_single_file_is_the_tree_formatted_at_once_with_its_leaves_in_place() {
        let tree = || {
            module(
                "",
                quote! { pub struct Root; },
                vec![Leaf::Type(0)],
                vec![module(
                    "types",
                    quote! { pub use self::common::*; },
                    Vec::new(),
                    vec![module(
                        "common",
                        quote! { use super::*; },
                        vec![Leaf::Type(1), Leaf::Type(2)],
                        Vec::new(),
                    )],
                )],
            )
        };
        let layout = layout(
            tree(),
            &Target::Single {
                file_name: "api.rs",
            },
            "// head",
        )
        .unwrap();
        let placed: Vec<(usize, usize)> = layout
            .leaves
            .iter()
            .map(|slot| match slot.leaf {
                Leaf::Type(n) | Leaf::Operation(n) => (n, slot.depth),
            })
            .collect();
        // Text order: the children's leaves, then the root's.
        assert_eq!(placed, [(1, 2), (2, 2), (0, 0)]);
        let texts: Vec<String> = placed
            .iter()
            .map(|&(n, depth)| format_leaf("leaf", long_leaf(n), depth).unwrap())
            .collect();
        let files = layout.fill(texts);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, PathBuf::from("api.rs"));
        // What formatting the whole tree with the leaves inline gives.
        let mut whole = tree();
        whole.items.extend(long_leaf(0));
        whole.leaves.clear();
        let common = &mut whole.children[0].children[0];
        common.items.extend([long_leaf(1), long_leaf(2)]);
        common.leaves.clear();
        let mut no_slots = Vec::new();
        let expected = format("api.rs", inline(whole, 0, &mut no_slots)).unwrap();
        assert!(no_slots.is_empty());
        assert_eq!(files[0].contents, format!("// head\n{expected}"));
    }

    #[test]
    fn crate_files_hold_their_own_items_then_their_leaves() {
        let tree = module(
            "",
            quote! { pub struct Root; },
            Vec::new(),
            vec![module(
                "types",
                TokenStream::new(),
                vec![Leaf::Type(0)],
                Vec::new(),
            )],
        );
        let layout = layout(tree, &Target::Files, "// head").unwrap();
        assert_eq!(layout.leaves.len(), 1);
        let files = layout.fill(vec!["pub struct Leaf;\n".into()]);
        let paths: Vec<_> = files.iter().map(|f| f.path.display().to_string()).collect();
        assert_eq!(paths, ["lib.rs", "types.rs"]);
        assert!(
            files[0].contents.contains("pub mod types;"),
            "{}",
            files[0].contents
        );
        assert!(
            files[1]
                .contents
                .ends_with("//! The `types` module.\npub struct Leaf;\n"),
            "{}",
            files[1].contents
        );
    }
}
