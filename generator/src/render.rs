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
    // Generated files are formatted by prettyplease; rustfmt must leave them alone, or
    // `cargo fmt` would make every regeneration a diff.
    if child.public {
        quote! { #[rustfmt::skip] pub mod #name; }
    } else {
        quote! { #[rustfmt::skip] mod #name; }
    }
}

fn inner_docs(module: &Module) -> TokenStream {
    match &module.docs {
        Some(docs) => {
            let line = format!(" {docs}");
            quote! { #![doc = #line] }
        }
        None => TokenStream::new(),
    }
}

/// Crate mode: `lib.rs`, `name.rs` for leaves, `name/mod.rs` for modules with children.
/// The skeleton's placeholders (types, operations: most of the code) are emitted and
/// formatted on worker threads, spread over the available cores; file order is tree order.
pub fn render_crate(
    api: &Api,
    options: &EmitOptions,
    skeleton: Module,
    header: &str,
) -> Result<Vec<RustFile>, GenerateError> {
    let mut jobs = Vec::new();
    collect_files(skeleton, PathBuf::from("lib.rs"), PathBuf::new(), &mut jobs);
    let mut files: Vec<Option<RustFile>> = Vec::with_capacity(jobs.len());
    let mut leaves = Vec::new();
    for (index, job) in jobs.into_iter().enumerate() {
        match job {
            Job::Module(path, module) => {
                let contents = format(&path.display().to_string(), file_tokens(&module))?;
                files.push(Some(RustFile {
                    path,
                    contents: format!("{header}\n{contents}"),
                }));
            }
            Job::Leaf(path, leaf) => {
                files.push(None);
                leaves.push((index, path, leaf));
            }
        }
    }
    for (index, file) in format_leaves(api, options, leaves, header)? {
        files[index] = Some(file);
    }
    Ok(files.into_iter().flatten().collect())
}

/// A file to produce: a module already emitted, or a leaf still to emit.
enum Job {
    Module(PathBuf, Module),
    Leaf(PathBuf, Leaf),
}

fn collect_files(mut module: Module, file: PathBuf, dir: PathBuf, out: &mut Vec<Job>) {
    if let Some(leaf) = module.deferred {
        out.push(Job::Leaf(file, leaf));
        return;
    }
    let children = std::mem::take(&mut module.children);
    let decls = children.iter().map(module_decl);
    let items = std::mem::take(&mut module.items);
    module.items = quote! { #(#decls)* #items };
    out.push(Job::Module(file, module));
    for child in children {
        // `mod r#override;` lives in `override.rs`.
        let file_stem = child.name.trim_start_matches("r#").to_owned();
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
    leaves: Vec<(usize, PathBuf, Leaf)>,
    header: &str,
) -> Result<Vec<(usize, RustFile)>, GenerateError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(leaves.len().div_ceil(32))
        .max(1);
    let run_shard = |shard: Vec<(usize, PathBuf, Leaf)>| {
        crate::emit::with_ctx(api, options, |ctx| {
            shard
                .into_iter()
                .map(|(index, path, leaf)| {
                    let module = crate::emit::emit_leaf(ctx, leaf, options);
                    let contents = format(&path.display().to_string(), file_tokens(&module))?;
                    Ok((
                        index,
                        RustFile {
                            path,
                            contents: format!("{header}\n{contents}"),
                        },
                    ))
                })
                .collect::<Result<Vec<_>, GenerateError>>()
        })
    };
    if threads == 1 {
        return run_shard(leaves);
    }
    let mut shards: Vec<Vec<(usize, PathBuf, Leaf)>> = (0..threads).map(|_| Vec::new()).collect();
    for (n, leaf) in leaves.into_iter().enumerate() {
        shards[n % threads].push(leaf);
    }
    let results: Vec<Result<Vec<(usize, RustFile)>, GenerateError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shards
            .into_iter()
            .map(|shard| scope.spawn(move || run_shard(shard)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(GenerateError::Render {
                        item: "a type or operation module".into(),
                        message: "the emitter panicked".into(),
                    })
                })
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    Ok(files)
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
            // Deprecated spec items warn their users, not the generated code that uses them.
            quote! { #[allow(deprecated)] #vis mod #name { #body } }
        });
        quote! { #docs #attrs #(#children)* #items }
    }
    let contents = format!("{header}\n{}", format(file_name, inline(root))?);
    Ok(RustFile {
        path: PathBuf::from(file_name),
        contents,
    })
}
