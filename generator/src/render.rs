//! Module tree → formatted source files (`syn` + `prettyplease`).

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Module};
use crate::error::GenerateError;

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
pub fn render_crate(root: &Module, header: &str) -> Result<Vec<RustFile>, GenerateError> {
    let mut files = Vec::new();
    render_into(
        root,
        PathBuf::from("lib.rs"),
        PathBuf::new(),
        header,
        &mut files,
    )?;
    Ok(files)
}

fn render_into(
    module: &Module,
    file: PathBuf,
    dir: PathBuf,
    header: &str,
    files: &mut Vec<RustFile>,
) -> Result<(), GenerateError> {
    let docs = inner_docs(module);
    let decls = module.children.iter().map(module_decl);
    let attrs = &module.attrs;
    let items = &module.items;
    let tokens = quote! { #docs #attrs #(#decls)* #items };
    let path_text = file.display().to_string();
    let contents = format!("{header}\n{}", format(&path_text, tokens)?);
    files.push(RustFile {
        path: file,
        contents,
    });
    for child in &module.children {
        if child.children.is_empty() {
            render_into(
                child,
                dir.join(format!("{}.rs", child.name)),
                dir.clone(),
                header,
                files,
            )?;
        } else {
            let child_dir = dir.join(&child.name);
            render_into(child, child_dir.join("mod.rs"), child_dir, header, files)?;
        }
    }
    Ok(())
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
            quote! { #vis mod #name { #body } }
        });
        quote! { #docs #attrs #(#children)* #items }
    }
    let contents = format!("{header}\n{}", format(file_name, inline(root))?);
    Ok(RustFile {
        path: PathBuf::from(file_name),
        contents,
    })
}
