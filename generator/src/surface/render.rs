//! One line per exported item, member, method and trait implementation.
//!
//! Syntax is printed by `prettyplease` (from minimal items built around the piece to show)
//! and then joined onto one line, so types read as rustfmt would write them.

use std::collections::{HashMap, HashSet, VecDeque};

use proc_macro2::Span;
use quote::ToTokens;
use syn::punctuated::Punctuated;

use super::{is_public, item_attrs, ModId, Target, Tree};

/// The identifier signatures are printed with before the item's path replaces it.
const PLACEHOLDER: &str = "__surface_item";

/// How a line relates to the item whose path it is sorted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Item,
    Member,
    Method,
    Impl,
}

/// The lines of one crate's listing, sorted by item path, then rank, then text.
pub(super) struct Listing<'t> {
    tree: &'t Tree,
    entries: Vec<(Vec<String>, Rank, String)>,
    /// The public path each exported item was first reached by.
    canonical: HashMap<(ModId, usize), String>,
}

impl<'t> Listing<'t> {
    pub(super) fn new(tree: &'t Tree, crate_name: &str) -> Self {
        let mut listing = Self {
            tree,
            entries: Vec::new(),
            canonical: HashMap::new(),
        };
        listing.walk(crate_name);
        listing.impls();
        listing
    }

    pub(super) fn finish(mut self) -> String {
        self.entries.sort();
        self.entries.dedup();
        let mut out = String::new();
        for (_, _, line) in &self.entries {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    fn push(&mut self, path: &str, rank: Rank, line: String) {
        let key = path.split("::").map(str::to_owned).collect();
        self.entries.push((key, rank, line));
    }

    /// Visits the public modules breadth first, so each item gets its shortest path.
    fn walk(&mut self, crate_name: &str) {
        self.push(crate_name, Rank::Item, format!("pub mod {crate_name}"));
        let mut queue = VecDeque::from([(0, crate_name.to_owned())]);
        let mut seen = HashSet::from([0]);
        while let Some((module, path)) = queue.pop_front() {
            for (name, target) in self.tree.exports(module, 0) {
                let public = format!("{path}::{name}");
                match target {
                    Target::Module(id) => {
                        self.push(&public, Rank::Item, format!("pub mod {public}"));
                        if seen.insert(id) {
                            queue.push_back((id, public));
                        }
                    }
                    Target::Item(module, index) => match self.canonical.get(&(module, index)) {
                        Some(first) => {
                            let line = format!("pub use {public} = {first}");
                            self.push(&public, Rank::Item, line);
                        }
                        None => {
                            self.canonical.insert((module, index), public.clone());
                            if let Some(item) = self.tree.item(module, index) {
                                self.item(module, &public, item);
                            }
                        }
                    },
                    Target::External(text) => {
                        self.push(&public, Rank::Item, format!("pub use {public} = {text}"));
                    }
                }
            }
        }
    }

    fn item(&mut self, module: ModId, path: &str, item: &syn::Item) {
        let attrs = notable(item_attrs(item));
        match item {
            syn::Item::Struct(s) => {
                let (params, bounds) = generics(&s.generics);
                let line = format!("{attrs}pub struct {path}{params}{bounds}");
                self.push(path, Rank::Item, line);
                self.fields(path, &s.fields);
                self.derives(module, path, &s.attrs, &s.generics);
            }
            syn::Item::Union(u) => {
                let (params, bounds) = generics(&u.generics);
                let line = format!("{attrs}pub union {path}{params}{bounds}");
                self.push(path, Rank::Item, line);
                self.fields(path, &syn::Fields::Named(u.fields.clone()));
                self.derives(module, path, &u.attrs, &u.generics);
            }
            syn::Item::Enum(e) => {
                let (params, bounds) = generics(&e.generics);
                let line = format!("{attrs}pub enum {path}{params}{bounds}");
                self.push(path, Rank::Item, line);
                for variant in &e.variants {
                    let discriminant = match &variant.discriminant {
                        Some((_, expr)) => format!(" = {}", expr.to_token_stream()),
                        None => String::new(),
                    };
                    let line = format!(
                        "{}pub {path}::{}{}{discriminant}",
                        notable(&variant.attrs),
                        variant.ident,
                        variant_fields(&variant.fields)
                    );
                    self.push(path, Rank::Member, line);
                }
                self.derives(module, path, &e.attrs, &e.generics);
            }
            syn::Item::Fn(f) => {
                self.push(
                    path,
                    Rank::Item,
                    format!("{attrs}pub {}", signature(path, &f.sig)),
                );
            }
            syn::Item::Const(c) => {
                let line = format!("{attrs}pub const {path}: {}", ty(&c.ty));
                self.push(path, Rank::Item, line);
            }
            syn::Item::Static(s) => {
                let mutable = match s.mutability {
                    syn::StaticMutability::Mut(_) => "mut ",
                    _ => "",
                };
                let line = format!("{attrs}pub static {mutable}{path}: {}", ty(&s.ty));
                self.push(path, Rank::Item, line);
            }
            syn::Item::Type(t) => {
                let (params, bounds) = generics(&t.generics);
                let line = format!("{attrs}pub type {path}{params}{bounds} = {}", ty(&t.ty));
                self.push(path, Rank::Item, line);
            }
            syn::Item::Trait(t) => self.trait_def(path, &attrs, t),
            syn::Item::Macro(_) => {
                self.push(
                    path,
                    Rank::Item,
                    format!("#[macro_export] macro_rules! {path}"),
                );
            }
            _ => {}
        }
    }

    fn trait_def(&mut self, path: &str, attrs: &str, t: &syn::ItemTrait) {
        let (params, bounds) = generics(&t.generics);
        let unsafety = if t.unsafety.is_some() { "unsafe " } else { "" };
        let supertraits: Vec<String> = t.supertraits.iter().map(bound).collect();
        let supertraits = if supertraits.is_empty() {
            String::new()
        } else {
            format!(": {}", supertraits.join(" + "))
        };
        let line = format!("{attrs}pub {unsafety}trait {path}{params}{supertraits}{bounds}");
        self.push(path, Rank::Item, line);
        for trait_item in &t.items {
            let line = match trait_item {
                syn::TraitItem::Fn(f) => {
                    let provided = if f.default.is_some() {
                        " (provided)"
                    } else {
                        ""
                    };
                    let member = format!("{path}::{}", f.sig.ident);
                    format!(
                        "{}pub {}{provided}",
                        notable(&f.attrs),
                        signature(&member, &f.sig)
                    )
                }
                syn::TraitItem::Type(assoc) => {
                    let bounds: Vec<String> = assoc.bounds.iter().map(bound).collect();
                    let bounds = if bounds.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", bounds.join(" + "))
                    };
                    format!("pub type {path}::{}{bounds}", assoc.ident)
                }
                syn::TraitItem::Const(c) => format!("pub const {path}::{}: {}", c.ident, ty(&c.ty)),
                _ => continue,
            };
            self.push(path, Rank::Member, line);
        }
    }

    fn fields(&mut self, path: &str, fields: &syn::Fields) {
        for (index, field) in fields.iter().enumerate() {
            if !is_public(&field.vis) {
                continue;
            }
            let name = match &field.ident {
                Some(ident) => ident.to_string(),
                None => index.to_string(),
            };
            let line = format!(
                "{}pub {path}::{name}: {}",
                notable(&field.attrs),
                ty(&field.ty)
            );
            self.push(path, Rank::Member, line);
        }
    }

    fn derives(
        &mut self,
        module: ModId,
        path: &str,
        attrs: &[syn::Attribute],
        generics_of: &syn::Generics,
    ) {
        let (params, bounds) = generics(generics_of);
        let args = generic_args(generics_of);
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
            let parser = Punctuated::<syn::Path, syn::Token![,]>::parse_terminated;
            let Ok(traits) = attr.parse_args_with(parser) else {
                continue;
            };
            for derived in traits {
                let derived = self
                    .tree
                    .imported_text(module, &derived)
                    .unwrap_or_else(|| path_text(&derived));
                let line = format!("impl{params} {} for {path}{args}{bounds}", derived);
                self.push(path, Rank::Impl, line);
            }
        }
    }

    /// Methods and trait implementations of exported types, wherever their `impl` is.
    fn impls(&mut self) {
        let tree = self.tree;
        for (module, found) in tree.modules.iter().enumerate() {
            for item in &found.items {
                let syn::Item::Impl(block) = item else {
                    continue;
                };
                let Some((owner, args)) = self.owner(module, &block.self_ty) else {
                    continue;
                };
                let (params, bounds) = generics(&block.generics);
                if let Some((negative, trait_path, _)) = &block.trait_ {
                    let negative = if negative.is_some() { "!" } else { "" };
                    let trait_path = tree
                        .imported_text(module, trait_path)
                        .unwrap_or_else(|| path_text(trait_path));
                    let line =
                        format!("impl{params} {negative}{trait_path} for {owner}{args}{bounds}");
                    self.push(&owner, Rank::Impl, line);
                    continue;
                }
                for member in &block.items {
                    let line = match member {
                        syn::ImplItem::Fn(f) if is_public(&f.vis) => {
                            let path = format!("{owner}::{}", f.sig.ident);
                            format!("{}pub {}", notable(&f.attrs), signature(&path, &f.sig))
                        }
                        syn::ImplItem::Const(c) if is_public(&c.vis) => {
                            format!("pub const {owner}::{}: {}", c.ident, ty(&c.ty))
                        }
                        _ => continue,
                    };
                    self.push(&owner, Rank::Method, line);
                }
            }
        }
    }

    /// The public path of an `impl`'s type, and the generic arguments written after it.
    fn owner(&self, module: ModId, self_ty: &syn::Type) -> Option<(String, String)> {
        let syn::Type::Path(type_path) = self_ty else {
            return None;
        };
        if type_path.qself.is_some() {
            return None;
        }
        let path = &type_path.path;
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Target::Item(found, index) =
            self.tree
                .resolve(module, path.leading_colon.is_some(), &segments, 0)?
        else {
            return None;
        };
        let owner = self.canonical.get(&(found, index))?.clone();
        let args = match path.segments.last().map(|last| &last.arguments) {
            Some(arguments @ syn::PathArguments::AngleBracketed(_)) => {
                let segment = syn::PathSegment {
                    ident: syn::Ident::new(PLACEHOLDER, Span::call_site()),
                    arguments: arguments.clone(),
                };
                path_text(&syn::Path::from(segment)).replacen(PLACEHOLDER, "", 1)
            }
            _ => String::new(),
        };
        Some((owner, args))
    }
}

/// `#[non_exhaustive]`, `#[deprecated]` and `#[repr]`: the attributes that change what
/// users may do with an item; each followed by a space.
fn notable(attrs: &[syn::Attribute]) -> String {
    let kept: Vec<syn::Attribute> = attrs
        .iter()
        .filter(|attr| {
            let path = attr.path();
            path.is_ident("non_exhaustive") || path.is_ident("deprecated") || path.is_ident("repr")
        })
        .cloned()
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    let text = unparse(syn::Item::Struct(unit_struct(
        kept,
        syn::Generics::default(),
    )));
    match text.find("struct ") {
        Some(end) => text[..end].to_owned(),
        None => String::new(),
    }
}

/// `fn path(…) -> …` (with `async`, `const`, `unsafe`, generics and `where`), without the
/// `mut` of by-value parameters, which is not part of the API.
fn signature(path: &str, sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    sig.ident = syn::Ident::new(PLACEHOLDER, Span::call_site());
    for input in &mut sig.inputs {
        match input {
            syn::FnArg::Receiver(receiver) => {
                receiver.attrs.clear();
                if receiver.reference.is_none() {
                    receiver.mutability = None;
                }
            }
            syn::FnArg::Typed(typed) => {
                typed.attrs.clear();
                if let syn::Pat::Ident(ident) = typed.pat.as_mut() {
                    ident.mutability = None;
                }
            }
        }
    }
    let function = syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        sig,
        block: Box::new(syn::Block {
            brace_token: Default::default(),
            stmts: Vec::new(),
        }),
    };
    let text = unparse(syn::Item::Fn(function));
    let text = text
        .trim_end()
        .trim_end_matches("{}")
        .trim_end()
        .trim_end_matches(',');
    text.replacen(PLACEHOLDER, path, 1)
}

/// A type as rustfmt would print it, on one line.
fn ty(ty: &syn::Type) -> String {
    let alias = syn::ItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        type_token: Default::default(),
        ident: syn::Ident::new(PLACEHOLDER, Span::call_site()),
        generics: syn::Generics::default(),
        eq_token: Default::default(),
        ty: Box::new(ty.clone()),
        semi_token: Default::default(),
    };
    let text = unparse(syn::Item::Type(alias));
    let prefix = format!("type {PLACEHOLDER} = ");
    let text = text.strip_prefix(&prefix).unwrap_or(&text);
    text.trim_end_matches(';').to_owned()
}

fn path_text(path: &syn::Path) -> String {
    ty(&syn::Type::Path(syn::TypePath {
        qself: None,
        path: path.clone(),
    }))
}

/// A bound as written after `T: `.
fn bound(bound: &syn::TypeParamBound) -> String {
    let param = syn::TypeParam {
        attrs: Vec::new(),
        ident: syn::Ident::new(PLACEHOLDER, Span::call_site()),
        colon_token: Some(Default::default()),
        bounds: Punctuated::from_iter([bound.clone()]),
        eq_token: None,
        default: None,
    };
    let generics = syn::Generics {
        lt_token: Some(Default::default()),
        params: Punctuated::from_iter([syn::GenericParam::Type(param)]),
        gt_token: Some(Default::default()),
        where_clause: None,
    };
    let (params, _) = self::generics(&generics);
    let prefix = format!("<{PLACEHOLDER}: ");
    let text = params.strip_prefix(&prefix).unwrap_or(&params);
    text.strip_suffix('>').unwrap_or(text).to_owned()
}

/// `(A, B)` or ` { a: A, b: B }` or nothing.
fn variant_fields(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(unnamed) => {
            let types: Vec<String> = unnamed.unnamed.iter().map(|f| ty(&f.ty)).collect();
            format!("({})", types.join(", "))
        }
        syn::Fields::Named(named) => {
            let fields: Vec<String> = named
                .named
                .iter()
                .map(|f| {
                    let name = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{name}: {}", ty(&f.ty))
                })
                .collect();
            format!(" {{ {} }}", fields.join(", "))
        }
    }
}

/// The generic parameters (`<'a, T: Clone>`) and the `where` clause (` where …`).
fn generics(generics: &syn::Generics) -> (String, String) {
    if generics.params.is_empty() && generics.where_clause.is_none() {
        return (String::new(), String::new());
    }
    let text = unparse(syn::Item::Struct(unit_struct(Vec::new(), generics.clone())));
    let text = text.strip_prefix("struct ").unwrap_or(&text);
    let text = text.strip_prefix(PLACEHOLDER).unwrap_or(text);
    let text = text.trim_end_matches(';').trim_end_matches(',');
    match text.find(" where ") {
        Some(at) => (text[..at].to_owned(), text[at..].to_owned()),
        None => (text.to_owned(), String::new()),
    }
}

/// The parameters of `generics` as arguments: `<'a, T>`.
fn generic_args(generics: &syn::Generics) -> String {
    let args: Vec<String> = generics
        .params
        .iter()
        .map(|param| match param {
            syn::GenericParam::Lifetime(l) => l.lifetime.to_string(),
            syn::GenericParam::Type(t) => t.ident.to_string(),
            syn::GenericParam::Const(c) => c.ident.to_string(),
        })
        .collect();
    if args.is_empty() {
        String::new()
    } else {
        format!("<{}>", args.join(", "))
    }
}

fn unit_struct(attrs: Vec<syn::Attribute>, generics: syn::Generics) -> syn::ItemStruct {
    syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Inherited,
        struct_token: Default::default(),
        ident: syn::Ident::new(PLACEHOLDER, Span::call_site()),
        generics,
        fields: syn::Fields::Unit,
        semi_token: Some(Default::default()),
    }
}

/// `item` printed by prettyplease, on one line.
fn unparse(item: syn::Item) -> String {
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    };
    one_line(&prettyplease::unparse(&file))
}

/// Joins the lines prettyplease broke a long item into, dropping the indentation and the
/// trailing commas that breaking added.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("( ", "(")
        .replace("< ", "<")
        .replace(", )", ")")
        .replace(", >", ">")
        .replace(" )", ")")
        .replace(" >", ">")
}
