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
    /// A placeholder whose contents [`emit_leaf`] produces (declared, not yet emitted).
    pub deferred: Option<Leaf>,
}

/// What emitting needs besides the IR. Plain data, so emitter threads can share it.
pub struct EmitOptions {
    /// Path of the generated root (`crate`, or `crate::api` in module mode).
    pub root: String,
    /// Crate name as users write it in `use` (for doc examples).
    pub crate_ident: String,
    /// Whether to emit a compiled `no_run` example per operation (crate mode only).
    pub doc_examples: bool,
}

impl EmitOptions {
    fn root_tokens(&self) -> TokenStream {
        self.root.parse().unwrap_or_else(|_| quote! { crate })
    }
}

/// A module emitted on its own (one file in crate mode): a type or an operation.
#[derive(Clone, Copy, Debug)]
pub enum Leaf {
    /// `api.types[index]`.
    Type(usize),
    /// `api.operations[index]`.
    Operation(usize),
}

/// The whole generated client as a module tree.
pub fn emit(api: &Api, options: &EmitOptions) -> Module {
    let mut root = emit_skeleton(api, options);
    let root_tokens = options.root_tokens();
    let ctx = Ctx {
        api,
        root: &root_tokens,
    };
    for child in &mut root.children {
        for leaf in &mut child.children {
            if let Some(which) = leaf.deferred {
                *leaf = emit_leaf(&ctx, which, options);
            }
        }
    }
    root
}

/// Emits one leaf module; `ctx` must belong to the calling thread (token streams don't
/// cross threads).
pub fn emit_leaf(ctx: &Ctx, leaf: Leaf, options: &EmitOptions) -> Module {
    match leaf {
        Leaf::Type(index) => types::emit_type(ctx, &ctx.api.types[index]),
        Leaf::Operation(index) => {
            operations::emit_operation(ctx, &ctx.api.operations[index], options)
        }
    }
}

/// A new per-thread context for `api`, rooted where `options` say.
pub fn with_ctx<R>(api: &Api, options: &EmitOptions, run: impl FnOnce(&Ctx) -> R) -> R {
    let root = options.root_tokens();
    run(&Ctx { api, root: &root })
}

/// The module tree with every type and operation module left as a placeholder
/// ([`Module::deferred`]) to be emitted by [`emit_leaf`], possibly on other threads.
pub fn emit_skeleton(api: &Api, options: &EmitOptions) -> Module {
    let root_tokens = options.root_tokens();
    let ctx = Ctx {
        api,
        root: &root_tokens,
    };
    let placeholder = |name: &str, leaf: Leaf| Module {
        name: name.to_owned(),
        docs: None,
        attrs: TokenStream::new(),
        items: TokenStream::new(),
        children: Vec::new(),
        public: false,
        deferred: Some(leaf),
    };
    let types: Vec<Module> = api
        .types
        .iter()
        .enumerate()
        .map(|(index, def)| placeholder(&def.module, Leaf::Type(index)))
        .collect();
    let type_exports = api.types.iter().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        quote! { pub use self::#module::#name; }
    });
    let operations: Vec<Module> = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| placeholder(&op.module, Leaf::Operation(index)))
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
        deferred: None,
        children: vec![
            Module {
                name: "client".into(),
                docs: Some("The client, its builder and its regions.".into()),
                attrs: TokenStream::new(),
                items: client,
                children: Vec::new(),
                public: false,
                deferred: None,
            },
            Module {
                name: "types".into(),
                docs: Some("Request and response types of the API.".into()),
                attrs: TokenStream::new(),
                items: quote! { #(#type_exports)* },
                children: types,
                public: true,
                deferred: None,
            },
            Module {
                name: "operations".into(),
                docs: Some("One module per operation: its request builder, success value and typed errors.".into()),
                attrs: TokenStream::new(),
                items: quote! { #(#operation_exports)* },
                children: operations,
                public: true,
                deferred: None,
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

    /// The Rust type of `shape` with every alias followed, as text: two shapes with the same
    /// key are the same Rust type (`type Ipv4Net = String` and `String`).
    pub fn canonical_key(&self, shape: &Shape) -> String {
        let shape = self.resolve_alias(shape);
        match &shape.ty {
            Ty::Array(item) => format!("Vec<{}>", self.canonical_key(item)),
            Ty::Map(value) => format!("Map<{}>", self.canonical_key(value)),
            Ty::Option(inner) => format!("Option<{}>", self.canonical_key(inner)),
            ty => self.ty_of(ty).to_string(),
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
