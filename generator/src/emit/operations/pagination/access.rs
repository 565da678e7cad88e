//! Reading and writing along dotted field paths of generated structs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Ctx};
use crate::ir::{Shape, Ty, TypeKind};

/// One step along a dotted field path.
pub(super) struct Step {
    field: proc_macro2::Ident,
    optional: bool,
    /// The struct holding this field has only optional fields (it derives `Default`).
    owner_defaultable: bool,
}

/// Walks `path` from `shape` through struct fields; the steps and the final shape.
pub(super) fn walk(ctx: &Ctx, shape: &Shape, path: &[String]) -> Option<(Vec<Step>, Shape)> {
    let mut current = ctx.resolve_alias(shape).clone();
    let mut steps = Vec::new();
    for segment in path {
        let Ty::Named(id) = current.ty else {
            return None;
        };
        let TypeKind::Struct(def) = &ctx.api.get(id).kind else {
            return None;
        };
        let field = def.fields.iter().find(|f| &f.wire == segment)?;
        steps.push(Step {
            field: ident(&field.name),
            optional: field.optional(),
            owner_defaultable: def.fields.iter().all(|f| f.optional()),
        });
        current = ctx.resolve_alias(&field.shape).clone();
    }
    Some((steps, current))
}

/// Whether a token can be written along `steps`: every optional parent on the way can be
/// created empty.
pub(super) fn writable(steps: &[Step]) -> bool {
    steps
        .windows(2)
        .all(|pair| !pair[0].optional || pair[1].owner_defaultable)
}

/// The value at `steps` from `base` (a reference): a place when no step is optional,
/// else an `Option<&_>` (the `bool` says which).
pub(super) fn read(base: TokenStream, steps: &[Step]) -> (TokenStream, bool) {
    let mut expr = base;
    let mut in_option = false;
    for step in steps {
        let field = &step.field;
        expr = match (in_option, step.optional) {
            (false, false) => quote! { #expr.#field },
            (false, true) => quote! { #expr.#field.as_ref() },
            (true, false) => quote! { #expr.map(|value| &value.#field) },
            (true, true) => quote! { #expr.and_then(|value| value.#field.as_ref()) },
        };
        in_option |= step.optional;
    }
    (expr, in_option)
}

/// Reads the token at `steps` from `base` as `Option<String>`, empty tokens as `None`.
pub(super) fn read_token(base: TokenStream, steps: &[Step]) -> TokenStream {
    match read(base, steps) {
        (expr, true) => {
            quote! { #expr.map(::oapigen_runtime::ParamValue::to_param).filter(|token| !token.is_empty()) }
        }
        (expr, false) => {
            quote! { Some(::oapigen_runtime::ParamValue::to_param(&#expr)).filter(|token| !token.is_empty()) }
        }
    }
}

/// Reads the `bool` at `steps` from `value`; absent is `false`.
pub(super) fn read_flag(steps: &[Step]) -> TokenStream {
    match read(quote! { value }, steps) {
        (expr, true) => quote! { #expr.copied().unwrap_or(false) },
        (expr, false) => expr,
    }
}

/// Whether `seen` is below the integer at `steps` of `value` (true when it is absent);
/// `widen`: the integer is an `i32`.
pub(super) fn below_count(steps: &[Step], seen: &TokenStream, widen: bool) -> TokenStream {
    let total = if widen {
        quote! { i64::from(*total) }
    } else {
        quote! { *total }
    };
    match read(quote! { value }, steps) {
        (expr, true) => quote! { #expr.is_none_or(|total| #seen < #total) },
        (expr, false) if widen => quote! { #seen < i64::from(#expr) },
        (expr, false) => quote! { #seen < #expr },
    }
}

/// How many items the array at `steps` of `value` holds, as `i64`.
pub(super) fn items_len(steps: &[Step]) -> TokenStream {
    match read(quote! { value }, steps) {
        (expr, true) => quote! { #expr.map_or(0, |items| items.len() as i64) },
        (expr, false) => quote! { #expr.len() as i64 },
    }
}

/// The last item of the array at `steps` of `value`, as `Option<&_>`.
pub(super) fn last_item(steps: &[Step]) -> TokenStream {
    match read(quote! { value }, steps) {
        (expr, true) => quote! { #expr.and_then(|items| items.last()) },
        (expr, false) => quote! { #expr.last() },
    }
}

/// Moves the items array at `steps` out of `value` (an empty `Vec` when absent).
pub(super) fn take_items(steps: &[Step]) -> TokenStream {
    let mut expr = quote! { value };
    let mut in_option = false;
    for step in steps {
        let field = &step.field;
        expr = match (in_option, step.optional) {
            (false, _) => quote! { #expr.#field },
            (true, false) => quote! { #expr.map(|value| value.#field) },
            (true, true) => quote! { #expr.and_then(|value| value.#field) },
        };
        in_option |= step.optional;
    }
    if in_option {
        quote! { #expr.unwrap_or_default() }
    } else {
        expr
    }
}

/// Writes `token` into the request body at `steps`, creating empty parents.
pub(super) fn write_body_token(steps: &[Step]) -> TokenStream {
    let Some((last, parents)) = steps.split_last() else {
        return TokenStream::new();
    };
    let walk = parents.iter().map(|step| {
        let field = &step.field;
        if step.optional {
            quote! { let target = target.#field.get_or_insert_with(Default::default); }
        } else {
            quote! { let target = &mut target.#field; }
        }
    });
    let field = &last.field;
    let assign = if last.optional {
        quote! { target.#field = Some(token); }
    } else {
        quote! { target.#field = token; }
    };
    quote! {
        let target = &mut request.body;
        #(#walk)*
        #assign
    }
}
