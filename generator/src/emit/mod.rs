//! IR → token streams. Emitters see only the IR.

mod client;
pub(crate) mod docs;
mod operations;
mod security;
mod types;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

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
    /// The cargo feature the module is compiled under (`None`: always).
    pub feature: Option<String>,
    /// The types or operations whose items follow the module's own, each made by
    /// [`emit_leaf`] (planned here, emitted later, on any thread).
    pub leaves: Vec<Leaf>,
}

impl Module {
    /// A module with items and no children.
    fn new(name: &str, docs: Option<String>, items: TokenStream) -> Self {
        Self {
            name: name.to_owned(),
            docs,
            attrs: TokenStream::new(),
            items,
            children: Vec::new(),
            public: false,
            feature: None,
            leaves: Vec::new(),
        }
    }

    /// `#[cfg(feature = "…")]` when the module is compiled under a feature.
    pub fn cfg(&self) -> TokenStream {
        match &self.feature {
            Some(feature) => quote! { #[cfg(feature = #feature)] },
            None => TokenStream::new(),
        }
    }
}

/// What emitting needs besides the IR. Plain data, so emitter threads can share it.
pub struct EmitOptions {
    /// Path of the generated root (`crate`, or `crate::api` in module mode).
    pub root: String,
    /// Crate name as users write it in `use` (for doc examples).
    pub crate_ident: String,
    /// Whether to emit a compiled `no_run` example per operation (crate mode only).
    pub doc_examples: bool,
    /// Whether each operation group is a cargo feature (crate mode, several groups).
    pub features: bool,
}

impl EmitOptions {
    fn root_tokens(&self) -> TokenStream {
        self.root.parse().unwrap_or_else(|_| quote! { crate })
    }
}

/// A unit of emitting and formatting (on worker threads in crate mode): a type or an
/// operation. A group's file holds several.
#[derive(Clone, Copy, Debug)]
pub enum Leaf {
    /// `api.types[index]`.
    Type(usize),
    /// `api.operations[index]`.
    Operation(usize),
}

/// Emits the items of one leaf; `ctx` must belong to the calling thread (token streams
/// don't cross threads).
pub fn emit_leaf(ctx: &Ctx, leaf: Leaf, options: &EmitOptions) -> TokenStream {
    match leaf {
        Leaf::Type(index) => {
            let ctx = Ctx {
                in_types: true,
                ..*ctx
            };
            types::emit_type(&ctx, &ctx.api.types[index])
        }
        Leaf::Operation(index) => {
            operations::emit_operation(ctx, &ctx.api.operations[index], options)
        }
    }
}

/// A new per-thread context for `api`, rooted where `options` say.
pub fn with_ctx<R>(api: &Api, options: &EmitOptions, run: impl FnOnce(&Ctx) -> R) -> R {
    let root = options.root_tokens();
    run(&Ctx::new(api, &root))
}

/// The plan of the generated client: its module tree, each module with its own items
/// (emitted here: client, imports, re-exports) and the leaves that follow them (a group's
/// types or operations, emitted by [`emit_leaf`]).
pub fn plan(api: &Api, options: &EmitOptions) -> Module {
    let root_tokens = options.root_tokens();
    let ctx = Ctx::new(api, &root_tokens);
    let gated = options.features && api.has_group_features();
    let group_module = |group: &crate::ir::Group, docs: String, leaves: Vec<Leaf>| Module {
        feature: gated.then(|| group.feature.clone()),
        leaves,
        ..Module::new(&group.module, Some(docs), TokenStream::new())
    };
    let type_module = |module: Module| Module {
        attrs: quote! { #![allow(unused_imports)] },
        items: type_module_imports(),
        ..module
    };
    let mut type_leaves: Vec<Vec<Leaf>> = vec![Vec::new(); api.groups.len()];
    let mut shared = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        match def.group {
            Some(group) => type_leaves[group].push(Leaf::Type(index)),
            None => shared.push(Leaf::Type(index)),
        }
    }
    let mut types = Vec::new();
    if !shared.is_empty() {
        types.push(type_module(Module {
            leaves: shared,
            ..Module::new(
                "common",
                Some("Types used by several operation groups, or by none.".into()),
                TokenStream::new(),
            )
        }));
    }
    for (group, leaves) in api.groups.iter().zip(type_leaves) {
        if !leaves.is_empty() {
            let docs = format!(
                "Types used only by the `{}` operations.",
                docs::code_text(&group.name)
            );
            types.push(type_module(group_module(group, docs, leaves)));
        }
    }
    let mut operation_leaves: Vec<Vec<Leaf>> = vec![Vec::new(); api.groups.len()];
    for (index, op) in api.operations.iter().enumerate() {
        operation_leaves[op.group].push(Leaf::Operation(index));
    }
    let operations: Vec<Module> = api
        .groups
        .iter()
        .zip(operation_leaves)
        .map(|(group, leaves)| {
            let docs = match &group.docs {
                Some(text) => docs::labelled(&format!("`{}`:", docs::code_text(&group.name)), text),
                None => format!("The `{}` operations.", docs::code_text(&group.name)),
            };
            group_module(group, docs, leaves)
        })
        .collect();
    let client = client::emit_client(&ctx, options);
    let (root_attrs, root_items) = client::emit_root(&ctx, options);
    Module {
        attrs: root_attrs,
        public: true,
        children: vec![
            Module::new(
                "client",
                Some("The client, its builder and its regions.".into()),
                client,
            ),
            Module {
                public: true,
                items: glob_exports(&types),
                children: types,
                ..Module::new(
                    "types",
                    Some("Request and response types of the API.".into()),
                    TokenStream::new(),
                )
            },
            Module {
                public: true,
                items: glob_exports(&operations),
                children: operations,
                ..Module::new(
                    "operations",
                    Some(
                        "Per operation: its request builder, success value and typed errors."
                            .into(),
                    ),
                    TokenStream::new(),
                )
            },
        ],
        ..Module::new("", None, root_items)
    }
}

/// What every module of `types` starts with: the other types (re-exported by `types`) and
/// the traits the types implement, so their code names them bare. Spec types never take
/// these names ([`crate::naming`] reserves them), and a file that uses none of them is fine.
fn type_module_imports() -> TokenStream {
    quote! {
        use super::*;
        use ::oapigen_runtime::{ParamValue, Validate, ValidationErrors, ValidationPath};
        use ::serde::{Deserialize, Deserializer, Serialize, Serializer};
    }
}

/// `pub use self::child::*;` for every child, under the child's feature.
fn glob_exports(children: &[Module]) -> TokenStream {
    children
        .iter()
        .map(|child| {
            let name = ident(&child.name);
            let cfg = child.cfg();
            quote! { #cfg pub use self::#name::*; }
        })
        .collect()
}

/// Shared state of the emitters.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub api: &'a Api,
    pub root: &'a TokenStream,
    /// Emitting into a module of `types`, whose imports (`type_module_imports`) bring every type
    /// and the runtime's traits into scope: named types are written bare.
    pub in_types: bool,
}

impl<'a> Ctx<'a> {
    /// A context outside `types`, rooted at `root`.
    fn new(api: &'a Api, root: &'a TokenStream) -> Self {
        Self {
            api,
            root,
            in_types: false,
        }
    }

    /// The Rust type of `shape`, as [`crate::ir::rust_type`] spells it in full.
    pub fn ty(&self, shape: &Shape) -> TokenStream {
        let root = self.root.to_string();
        let named = |def: &crate::ir::TypeDef| {
            if self.in_types {
                def.name.code().to_owned()
            } else {
                format!("{root}::types::{}", def.name.code())
            }
        };
        let text = crate::ir::rust_type(self.api, shape, crate::ir::Spelling::Full, &named);
        // Paths of identifiers made in `naming`, which always lex.
        text.parse()
            .unwrap_or_else(|_| quote! { ::serde_json::Value })
    }

    /// The Rust type of `shape` with every alias followed, as text: two shapes with the same
    /// key are the same Rust type (`type Ipv4Net = String` and `String`).
    pub fn canonical_key(&self, shape: &Shape) -> String {
        let shape = self.resolve_alias(shape);
        match &shape.ty {
            Ty::Array(item) => format!("Vec<{}>", self.canonical_key(item)),
            Ty::Map(value) => format!("Map<{}>", self.canonical_key(value)),
            Ty::Option(inner) => format!("Option<{}>", self.canonical_key(inner)),
            _ => self.ty(shape).to_string(),
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

pub use crate::naming::ident;

pub use docs::{doc_attrs, doc_lines, doc_paragraphs, raw_doc};
