//! IR → token streams. Emitters see only the IR.

mod client;
mod docs;
mod operations;
mod types;
mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, Shape, Ty, TypeKind};

/// A module of the generated code and its children, rendered as files (crate mode) or
/// inline modules (module mode).
pub struct Module {
    /// File/module name (`types`, `send_notifications`).
    pub name: String,
    /// Inner doc of the module.
    pub docs: Option<String>,
    /// Inner attributes (`#![...]`), placed first.
    pub attrs: TokenStream,
    /// The module's items.
    pub items: TokenStream,
    /// Child modules, declared `pub mod` (or private when `public` is false).
    pub children: Vec<Module>,
    /// Whether the module is `pub`.
    pub public: bool,
}

/// What emitting needs besides the IR.
pub struct EmitOptions {
    /// Path of the generated root (`crate`, or `crate::api` in module mode).
    pub root: TokenStream,
    /// Crate name as users write it in `use` (for doc examples).
    pub crate_ident: String,
    /// Whether to emit a compiled `no_run` example per operation (crate mode only).
    pub doc_examples: bool,
}

/// The whole generated client as a module tree.
pub fn emit(api: &Api, options: &EmitOptions) -> Module {
    let ctx = Ctx {
        api,
        root: &options.root,
    };
    let types: Vec<Module> = api
        .types
        .iter()
        .map(|def| types::emit_type(&ctx, def))
        .collect();
    let type_exports = api.types.iter().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        quote! { pub use self::#module::#name; }
    });
    let operations: Vec<Module> = api
        .operations
        .iter()
        .map(|op| operations::emit_operation(&ctx, op, options))
        .collect();
    let operation_exports = api.operations.iter().map(|op| {
        let module = ident(&op.module);
        quote! { pub use self::#module::*; }
    });
    let client = client::emit_client(&ctx, options);
    let (root_attrs, root_items) = client::emit_root(&ctx, options);
    Module {
        name: String::new(),
        docs: None,
        attrs: root_attrs,
        items: root_items,
        public: true,
        children: vec![
            Module {
                name: "client".into(),
                docs: Some("The client, its builder and its regions.".into()),
                attrs: TokenStream::new(),
                items: client,
                children: Vec::new(),
                public: false,
            },
            Module {
                name: "types".into(),
                docs: Some("Request and response types of the API.".into()),
                attrs: TokenStream::new(),
                items: quote! { #(#type_exports)* },
                children: types,
                public: true,
            },
            Module {
                name: "operations".into(),
                docs: Some("One module per operation: its request builder, success value and typed errors.".into()),
                attrs: TokenStream::new(),
                items: quote! { #(#operation_exports)* },
                children: operations,
                public: true,
            },
        ],
    }
}

/// Shared state of the emitters.
pub(crate) struct Ctx<'a> {
    pub api: &'a Api,
    pub root: &'a TokenStream,
}

impl Ctx<'_> {
    /// The Rust type of `shape`.
    pub fn ty(&self, shape: &Shape) -> TokenStream {
        self.ty_of(&shape.ty)
    }

    fn ty_of(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Named(id) => {
                let name = ident(&self.api.get(*id).name);
                let root = self.root;
                quote! { #root::types::#name }
            }
            Ty::String => quote! { String },
            Ty::I32 => quote! { i32 },
            Ty::I64 => quote! { i64 },
            Ty::F64 => quote! { f64 },
            Ty::Bool => quote! { bool },
            Ty::DateTime => quote! { ::chrono::DateTime<::chrono::Utc> },
            Ty::Date => quote! { ::chrono::NaiveDate },
            Ty::Uuid => quote! { ::uuid::Uuid },
            Ty::Url => quote! { ::url::Url },
            Ty::Bytes => quote! { ::oapigen_runtime::bytes::Bytes },
            Ty::Json => quote! { ::serde_json::Value },
            Ty::Array(item) => {
                let item = self.ty(item);
                quote! { Vec<#item> }
            }
            Ty::Map(value) => {
                let value = self.ty(value);
                quote! { ::std::collections::BTreeMap<String, #value> }
            }
            Ty::Option(inner) => {
                let inner = self.ty(inner);
                quote! { Option<#inner> }
            }
        }
    }

    /// Follows aliases to the shape a named type stands for.
    pub fn resolve_alias<'s>(&'s self, shape: &'s Shape) -> &'s Shape {
        let mut current = shape;
        for _ in 0..32 {
            match &current.ty {
                Ty::Named(id) => match &self.api.get(*id).kind {
                    TypeKind::Alias(inner) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }
}

/// An identifier, raw when it starts with `r#`.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

pub use docs::{doc_attrs, doc_paragraphs, raw_doc};
