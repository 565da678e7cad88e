//! `pages()` and `into_stream()` for operations the spec marks with `x-pagination`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{OpNames, Success};
use crate::emit::{ident, Ctx};
use crate::ir::{Operation, ResponseEncoding, Shape, TokenInput, Ty, TypeKind};

/// One step along a dotted field path.
struct Step {
    field: proc_macro2::Ident,
    optional: bool,
    /// The struct holding this field has only optional fields (it derives `Default`).
    owner_defaultable: bool,
}

/// Walks `path` from `shape` through struct fields; the steps and the final shape.
fn walk(ctx: &Ctx, shape: &Shape, path: &[String]) -> Option<(Vec<Step>, Shape)> {
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
fn writable(steps: &[Step]) -> bool {
    steps
        .windows(2)
        .all(|pair| !pair[0].optional || pair[1].owner_defaultable)
}

/// Reads the token at `steps` from `value` (a reference) as `Option<String>`.
fn read_token(steps: &[Step]) -> TokenStream {
    let mut expr = quote! { value };
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
    if in_option {
        quote! { #expr.map(::oapigen_runtime::ParamValue::to_param).filter(|token| !token.is_empty()) }
    } else {
        quote! { Some(::oapigen_runtime::ParamValue::to_param(&#expr)).filter(|token| !token.is_empty()) }
    }
}

/// Moves the items array at `steps` out of `value` (an empty `Vec` when absent).
fn take_items(steps: &[Step]) -> TokenStream {
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
fn write_body_token(steps: &[Step]) -> TokenStream {
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

/// The paging methods of `op`'s builder, when its `x-pagination` can be followed.
pub fn emit(ctx: &Ctx, op: &Operation, names: &OpNames, success: Option<&Success>) -> TokenStream {
    let (Some(pagination), Some(success)) = (&op.pagination, success) else {
        return TokenStream::new();
    };
    if success.optional || success.encoding != ResponseEncoding::Json {
        return TokenStream::new();
    }
    let Some((token_steps, token_shape)) = walk(ctx, &success.shape, &pagination.next_token_field)
    else {
        return TokenStream::new();
    };
    let Some((item_steps, items_shape)) = walk(ctx, &success.shape, &pagination.items_field) else {
        return TokenStream::new();
    };
    let Ty::Array(item) = &items_shape.ty else {
        return TokenStream::new();
    };
    if !matches!(token_shape.ty, Ty::String) {
        return TokenStream::new();
    }
    let set_token = match &pagination.token_input {
        TokenInput::Query(name) => {
            let param = ident(name);
            let Some(parameter) = op.parameters.iter().find(|p| &p.name == name) else {
                return TokenStream::new();
            };
            if parameter.required || !matches!(ctx.resolve_alias(&parameter.shape).ty, Ty::String) {
                return TokenStream::new();
            }
            quote! { request.#param = Some(token); }
        }
        TokenInput::Body(path) => {
            let Some(body) = &op.body else {
                return TokenStream::new();
            };
            // With several media types the builder holds an enum, not the body itself.
            if !body.required || !body.alternatives.is_empty() {
                return TokenStream::new();
            }
            let Some((steps, shape)) = walk(ctx, &body.shape, path) else {
                return TokenStream::new();
            };
            if !writable(&steps) || !matches!(shape.ty, Ty::String) {
                return TokenStream::new();
            }
            write_body_token(&steps)
        }
    };
    let OpNames {
        builder,
        response,
        error,
        ..
    } = names;
    let item_ty = ctx.ty(item);
    let body_ty = ctx.ty(&success.shape);
    let read = read_token(&token_steps);
    let take = take_items(&item_steps);
    quote! {
        impl<'a> #builder<'a> {
            async fn fetch_page(&self, token: Option<String>) -> Result<(#response, Option<String>), ::oapigen_runtime::Error<#error>> {
                let mut request = self.clone();
                if let Some(token) = token {
                    #set_token
                }
                let page = request.send().await?;
                let next = match &page.body {
                    Ok(value) => #read,
                    Err(_) => None,
                };
                Ok((page, next))
            }

            /// Every page, following the continuation token until the service stops returning one.
            pub fn pages(self) -> impl ::oapigen_runtime::futures::Stream<Item = Result<#response, ::oapigen_runtime::Error<#error>>> + 'a {
                ::oapigen_runtime::paginate::pages(move |token: Option<String>| {
                    let this = self.clone();
                    async move { this.fetch_page(token).await }
                })
            }

            /// Every item of every page, in order. A page whose body is missing or does not
            /// decode ends the stream with [`Error::UnexpectedResponse`](::oapigen_runtime::Error::UnexpectedResponse)
            /// ([`pages`](Self::pages) yields that page as a success).
            pub fn into_stream(self) -> impl ::oapigen_runtime::futures::Stream<Item = Result<#item_ty, ::oapigen_runtime::Error<#error>>> + 'a {
                ::oapigen_runtime::paginate::items(
                    move |token: Option<String>| {
                        let this = self.clone();
                        async move {
                            let (page, next) = this.fetch_page(token).await?;
                            match page.body {
                                Ok(value) => Ok((value, next)),
                                Err(err) => Err(err.into_error(page.headers)),
                            }
                        }
                    },
                    |value: #body_ty| #take,
                )
            }
        }
    }
}
