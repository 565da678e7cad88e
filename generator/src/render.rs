//! Module tree → formatted source files (`syn` + `prettyplease`).

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, EmitOptions, Leaf, Module};
use crate::error::GenerateError;
use crate::ir::Api;

/// One rendered Rust file, path relative to the crate's `src/` (or the output dir).
pub struct RustFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Formats `tokens` as a file, or reports which file failed to parse (a generator bug).
fn format(path: &str, tokens: TokenStream) -> Result<String, GenerateError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| GenerateError::Render {
        item: path.to_owned(),
        message: err.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
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

/// Crate mode: `lib.rs`, `name.rs` for leaves, `name/mod.rs` for modules with children.
/// The placeholders' leaves (types, operations: most of the code) are emitted and formatted
/// one by one on worker threads, spread over the available cores, then joined into their
/// group's file; file order is tree order.
pub fn render_crate(
    api: &Api,
    options: &EmitOptions,
    skeleton: Module,
    header: &str,
) -> Result<Vec<RustFile>, GenerateError> {
    let mut jobs = Vec::new();
    collect_files(skeleton, PathBuf::from("lib.rs"), PathBuf::new(), &mut jobs);
    let mut files = Vec::with_capacity(jobs.len());
    let mut leaves = Vec::new();
    for (file, (path, module, deferred)) in jobs.into_iter().enumerate() {
        let head = format(&path.display().to_string(), file_tokens(&module))?;
        for (position, leaf) in deferred.into_iter().enumerate() {
            leaves.push(LeafJob {
                file,
                position,
                leaf,
            });
        }
        files.push((path, vec![format!("{header}\n{head}")]));
    }
    let mut formatted = format_leaves(api, options, leaves)?;
    // Tree order, then leaf order within a file.
    formatted.sort_unstable_by_key(|(job, _)| (job.file, job.position));
    for (job, text) in formatted {
        files[job.file].1.push(text);
    }
    Ok(files
        .into_iter()
        .map(|(path, parts)| RustFile {
            path,
            contents: parts.concat(),
        })
        .collect())
}

/// One leaf to emit and format, and where its text goes.
struct LeafJob {
    file: usize,
    position: usize,
    leaf: Leaf,
}

/// Flattens the tree into files: each with its module (items already emitted) and the leaves
/// still to emit into it.
fn collect_files(
    mut module: Module,
    file: PathBuf,
    dir: PathBuf,
    out: &mut Vec<(PathBuf, Module, Vec<Leaf>)>,
) {
    let deferred = module.deferred.take().unwrap_or_default();
    let children = std::mem::take(&mut module.children);
    let decls = children.iter().map(module_decl);
    let items = std::mem::take(&mut module.items);
    module.items = quote! { #(#decls)* #items };
    out.push((file, module, deferred));
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

/// Emits and formats leaves on worker threads (token streams cannot cross threads, so each
/// thread builds its own from the shared IR). Interleaved shards balance big and small.
fn format_leaves(
    api: &Api,
    options: &EmitOptions,
    leaves: Vec<LeafJob>,
) -> Result<Vec<(LeafJob, String)>, GenerateError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(leaves.len().div_ceil(32))
        .max(1);
    let run_shard = |shard: Vec<LeafJob>| {
        crate::emit::with_ctx(api, options, |ctx| {
            shard
                .into_iter()
                .map(|job| {
                    let items = crate::emit::emit_leaf(ctx, job.leaf, options);
                    let text = format(&leaf_label(api, job.leaf), items)?;
                    Ok((job, text))
                })
                .collect::<Result<Vec<_>, GenerateError>>()
        })
    };
    if threads == 1 {
        return run_shard(leaves);
    }
    let mut shards: Vec<Vec<LeafJob>> = (0..threads).map(|_| Vec::new()).collect();
    for (n, leaf) in leaves.into_iter().enumerate() {
        shards[n % threads].push(leaf);
    }
    let results: Vec<Result<Vec<(LeafJob, String)>, GenerateError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shards
            .into_iter()
            .map(|shard| scope.spawn(move || run_shard(shard)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(GenerateError::Render {
                        item: "a type or operation".into(),
                        message: "the emitter panicked".into(),
                    })
                })
            })
            .collect()
    });
    let mut formatted = Vec::new();
    for result in results {
        formatted.extend(result?);
    }
    Ok(formatted)
}

/// What a leaf is called in a render error.
fn leaf_label(api: &Api, leaf: Leaf) -> String {
    match leaf {
        Leaf::Type(index) => format!("type `{}`", api.types[index].name),
        Leaf::Operation(index) => format!("operation `{}`", api.operations[index].operation_id),
    }
}

/// Module mode: one file with inline modules, for `include!`.
pub fn render_single(
    root: &Module,
    header: &str,
    file_name: &str,
) -> Result<RustFile, GenerateError> {
    fn inline(module: &Module) -> TokenStream {
        let docs = inner_docs(module);
        let attrs = &module.attrs;
        let items = &module.items;
        let children = module.children.iter().map(|child| {
            let name = ident(&child.name);
            let body = inline(child);
            let vis = child.public.then(|| quote! { pub });
            let cfg = child.cfg();
            // Deprecated spec items warn their users, not the generated code that uses them.
            // An inner attribute, beside the module's inner docs and attributes (clippy's
            // `mixed_attributes_style`).
            quote! { #cfg #vis mod #name { #![allow(deprecated)] #body } }
        });
        quote! { #docs #attrs #(#children)* #items }
    }
    let contents = format!("{header}\n{}", format(file_name, inline(root))?);
    Ok(RustFile {
        path: PathBuf::from(file_name),
        contents,
    })
}
