//! Client-side checks of documented constraints.
//!
//! Each function returns the statements that check `value` (a reference to a value of
//! the shape) at `path`, recording into `errors`; `None` when there is nothing to check,
//! so generated code carries no empty blocks.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::{Constraints, Shape, Ty, TypeKind};

/// Statements checking `value: &T` of `shape` at `path`.
pub fn checks(ctx: &Ctx, shape: &Shape) -> Option<TokenStream> {
    checks_at_depth(ctx, shape, 0)
}

/// Statements checking the value at the place expression `place` (`self.name`, of `shape`)
/// at the expression `path`: a single `Validate` call when only the named types inside have
/// checks (the runtime's impls for `Option`, `Vec`, maps and `Box` walk the containers); a
/// single statement (inside `if let Some`) for one constraint on a plain value; else the
/// inline checks in a block of their own.
pub fn checks_of(
    ctx: &Ctx,
    shape: &Shape,
    place: TokenStream,
    path: TokenStream,
) -> Option<TokenStream> {
    let body = checks(ctx, shape)?;
    if delegates(ctx, shape, 0) {
        let validate = validate_fn(ctx);
        return Some(quote! { #validate(&#place, #path, errors); });
    }
    if let Some(single) = single_check(ctx, shape, &place, &path) {
        return Some(single);
    }
    Some(quote! {
        {
            let path = #path;
            let value = &#place;
            #body
        }
    })
}

/// How a check reaches the value and its path.
struct Access {
    path: TokenStream,
    /// `&T`.
    by_ref: TokenStream,
    /// `T`, for numbers.
    by_copy: TokenStream,
    /// A method receiver (`value.len()`).
    receiver: TokenStream,
}

impl Access {
    /// The block form: `path` and `value: &T` are local bindings.
    fn bindings() -> Self {
        Self {
            path: quote! { path },
            by_ref: quote! { value },
            by_copy: quote! { *value },
            receiver: quote! { value },
        }
    }
}

/// One constraint on a plain value (or on the value inside one `Option`) as one statement.
fn single_check(
    ctx: &Ctx,
    shape: &Shape,
    place: &TokenStream,
    path: &TokenStream,
) -> Option<TokenStream> {
    if let (Ty::Option(inner), true) = (&shape.ty, shape.constraints.is_empty()) {
        let access = Access {
            path: path.clone(),
            ..Access::bindings()
        };
        let check = plain_check(ctx, inner, &access)?;
        return Some(quote! {
            if let Some(value) = &#place {
                #check
            }
        });
    }
    let access = Access {
        path: path.clone(),
        by_ref: quote! { &#place },
        by_copy: place.clone(),
        receiver: place.clone(),
    };
    plain_check(ctx, shape, &access)
}

fn plain_check(ctx: &Ctx, shape: &Shape, access: &Access) -> Option<TokenStream> {
    let items_unchecked = match &shape.ty {
        Ty::String | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Array(item) | Ty::Map(item) => checks(ctx, item).is_none(),
        Ty::Named(_)
        | Ty::Option(_)
        | Ty::Bool
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Uri
        | Ty::Bytes
        | Ty::Json => false,
    };
    if !items_unchecked {
        return None;
    }
    let mut statements = constraint_checks(&shape.ty, &shape.constraints, access);
    (statements.len() == 1).then(|| statements.remove(0))
}

/// `Validate::validate_at`, fully qualified outside `types` (which imports the trait).
fn validate_fn(ctx: &Ctx) -> TokenStream {
    if ctx.in_types {
        quote! { Validate::validate_at }
    } else {
        quote! { ::oapigen_runtime::Validate::validate_at }
    }
}

/// Whether no constraint sits on `shape` or the containers and aliases inside it (only
/// named types, which validate themselves).
fn delegates(ctx: &Ctx, shape: &Shape, depth: usize) -> bool {
    if depth > 16 || !shape.constraints.is_empty() {
        return false;
    }
    match &shape.ty {
        Ty::Named(id) => match &ctx.api.get(*id).kind {
            TypeKind::Alias(inner) => delegates(ctx, inner, depth + 1),
            TypeKind::Struct(_)
            | TypeKind::StringEnum(_)
            | TypeKind::Tagged { .. }
            | TypeKind::Untagged(_) => true,
        },
        Ty::Array(inner) | Ty::Map(inner) | Ty::Option(inner) => delegates(ctx, inner, depth + 1),
        Ty::String
        | Ty::I32
        | Ty::I64
        | Ty::F64
        | Ty::Bool
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Uri
        | Ty::Bytes
        | Ty::Json => true,
    }
}

fn checks_at_depth(ctx: &Ctx, shape: &Shape, depth: usize) -> Option<TokenStream> {
    if depth > 16 {
        return None;
    }
    let own = constraint_checks(&shape.ty, &shape.constraints, &Access::bindings());
    let own = (!own.is_empty()).then(|| quote! { #(#own)* });
    let nested = match &shape.ty {
        Ty::Named(id) => {
            let def = ctx.api.get(*id);
            match &def.kind {
                TypeKind::Alias(inner) => checks_at_depth(ctx, inner, depth + 1),
                // Includes open enums: `Unknown` is a value the spec does not list.
                _ if def.has_checks => {
                    let validate = validate_fn(ctx);
                    Some(quote! { #validate(value, path, errors); })
                }
                _ => None,
            }
        }
        Ty::Option(inner) => checks_at_depth(ctx, inner, depth + 1).map(|body| {
            quote! {
                if let Some(value) = value {
                    #body
                }
            }
        }),
        Ty::Array(item) => checks_at_depth(ctx, item, depth + 1).map(|body| {
            quote! {
                for (index, value) in value.iter().enumerate() {
                    let path = &path.index(index);
                    #body
                }
            }
        }),
        Ty::Map(item) => checks_at_depth(ctx, item, depth + 1).map(|body| {
            quote! {
                for (key, value) in value {
                    let path = &path.field(key);
                    #body
                }
            }
        }),
        // A URI received as any text is checked before it is sent back.
        Ty::Uri => {
            let validate = validate_fn(ctx);
            Some(quote! { #validate(value, path, errors); })
        }
        // Leaves have only their own constraints.
        Ty::String
        | Ty::I32
        | Ty::I64
        | Ty::F64
        | Ty::Bool
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Bytes
        | Ty::Json => None,
    };
    match (own, nested) {
        (None, None) => None,
        (own, nested) => Some(quote! { #own #nested }),
    }
}

fn opt_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}

fn opt_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = proc_macro2::Literal::f64_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}

fn constraint_checks(ty: &Ty, c: &Constraints, access: &Access) -> Vec<TokenStream> {
    let Access {
        path,
        by_ref: value,
        by_copy,
        receiver,
    } = access;
    let mut out = Vec::new();
    match ty {
        Ty::String => {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
                out.push(quote! { errors.length(#path, #value, #min, #max); });
            }
            if let Some(pattern) = &c.pattern {
                out.push(quote! { errors.pattern(#path, #value, #pattern); });
            }
        }
        Ty::I32 | Ty::I64 | Ty::F64 => {
            let number = match ty {
                Ty::F64 => quote! { #by_copy },
                Ty::I32 => quote! { f64::from(#by_copy) },
                _ => quote! { #by_copy as f64 },
            };
            if c.minimum.is_some() || c.maximum.is_some() {
                let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
                let (exclusive_minimum, exclusive_maximum) =
                    (c.exclusive_minimum, c.exclusive_maximum);
                out.push(quote! {
                    errors.range(#path, #number, ::oapigen_runtime::Range {
                        minimum: #min,
                        maximum: #max,
                        exclusive_minimum: #exclusive_minimum,
                        exclusive_maximum: #exclusive_maximum,
                    });
                });
            }
            if let Some(factor) = c.multiple_of {
                let factor = proc_macro2::Literal::f64_unsuffixed(factor);
                out.push(quote! { errors.multiple_of(#path, #number, #factor); });
            }
            if !c.allowed_numbers.is_empty() {
                let allowed = c
                    .allowed_numbers
                    .iter()
                    .map(|n| proc_macro2::Literal::f64_unsuffixed(*n));
                out.push(quote! { errors.one_of_numbers(#path, #number, &[#(#allowed),*]); });
            }
        }
        Ty::Array(_) if c.min_items.is_some() || c.max_items.is_some() => {
            let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
            out.push(quote! { errors.items(#path, #receiver.len(), #min, #max); });
        }
        Ty::Map(_) if c.min_properties.is_some() || c.max_properties.is_some() => {
            let (min, max) = (opt_u64(c.min_properties), opt_u64(c.max_properties));
            out.push(quote! { errors.properties(#path, #receiver.len(), #min, #max); });
        }
        // No constraint the spec can put on these is checked here: named types validate
        // themselves, the rest take none.
        Ty::Array(_)
        | Ty::Map(_)
        | Ty::Named(_)
        | Ty::Option(_)
        | Ty::Bool
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Uri
        | Ty::Bytes
        | Ty::Json => {}
    }
    out
}
