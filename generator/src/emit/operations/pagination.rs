//! `pages()` and `into_stream()` for paginated operations: `x-pagination`, or inferred from
//! the spec (`ir::pagination`).

mod access;

use proc_macro2::TokenStream;
use quote::quote;

use super::{OpNames, Success};
use crate::emit::{ident, Ctx};
use crate::ir::{Counts, HasMoreCursor, NextPage, Operation, ResponseEncoding, TokenInput, Ty};
use access::{
    below_count, items_len, last_item, read, read_flag, read_token, take_items, walk, writable,
    write_body_token,
};

/// What the paging methods of one operation are made of.
struct Plan {
    /// Statements run before the token is read.
    prelude: TokenStream,
    /// Puts `token` into `request` (a clone of the builder).
    set: TokenStream,
    /// Statements run before the page is sent.
    before: TokenStream,
    /// `Option<String>`: the next page's token, from `page` (and its body `value`).
    next: TokenStream,
    /// Whether tokens are URLs the builder's `page_url` takes.
    follows_urls: bool,
    /// Moves the items out of the body `value`.
    take: TokenStream,
    /// The item type.
    item: TokenStream,
    /// How the next page is found, for the docs.
    how: &'static str,
}

/// The token of the next page, read from the body; `None` when the body did not decode.
fn from_body(read: TokenStream) -> TokenStream {
    quote! {
        match &page.body {
            Ok(value) => #read,
            Err(_) => None,
        }
    }
}

fn plan(ctx: &Ctx, op: &Operation, success: Option<&Success>) -> Option<Plan> {
    let (pagination, success) = (op.pagination.as_ref()?, success?);
    if success.optional || success.encoding != ResponseEncoding::Json {
        return None;
    }
    // The builder's own paging members must not meet a parameter's setter.
    if op
        .parameters
        .iter()
        .any(|p| matches!(p.name.as_str(), "max_pages" | "page_url"))
    {
        return None;
    }
    let (item_steps, items_shape) = walk(ctx, &success.shape, &pagination.items_field)?;
    let Ty::Array(item) = &items_shape.ty else {
        return None;
    };
    let string_at = |path: &[String]| {
        walk(ctx, &success.shape, path).filter(|(_, shape)| matches!(shape.ty, Ty::String))
    };
    let set_input = |input: &TokenInput| -> Option<TokenStream> {
        match input {
            TokenInput::Query(name) => {
                let parameter = op.parameters.iter().find(|p| &p.name == name)?;
                if parameter.required
                    || !matches!(ctx.resolve_alias(&parameter.shape).ty, Ty::String)
                {
                    return None;
                }
                let param = ident(name);
                Some(quote! { request.#param = Some(token); })
            }
            TokenInput::Body(path) => {
                let body = op.body.as_ref()?;
                // With several media types the builder holds an enum, not the body itself.
                if !body.required || !body.alternatives.is_empty() {
                    return None;
                }
                let (steps, shape) = walk(ctx, &body.shape, path)?;
                (writable(&steps) && matches!(shape.ty, Ty::String))
                    .then(|| write_body_token(&steps))
            }
        }
    };
    let follow = quote! { request.page_url = Some(token); };
    let (prelude, set, before, next, follows_urls, how) = match &pagination.next {
        NextPage::Token { input, field } => {
            let (steps, _) = string_at(field)?;
            let next = from_body(read_token(quote! { value }, &steps));
            (
                TokenStream::new(),
                set_input(input)?,
                TokenStream::new(),
                next,
                false,
                "the continuation token",
            )
        }
        NextPage::HasMore {
            input,
            flag,
            cursor,
        } => {
            let (flag_steps, flag_shape) = walk(ctx, &success.shape, flag)?;
            if !matches!(flag_shape.ty, Ty::Bool) {
                return None;
            }
            let cursor = match cursor {
                HasMoreCursor::Field(path) => read_token(quote! { value }, &string_at(path)?.0),
                HasMoreCursor::LastItem(id) => {
                    let (id_steps, id_shape) = walk(ctx, item, std::slice::from_ref(id))?;
                    if !matches!(id_shape.ty, Ty::String) {
                        return None;
                    }
                    let last = last_item(&item_steps);
                    let id = read_token(quote! { item }, &id_steps);
                    quote! { #last.and_then(|item| #id) }
                }
            };
            let flag = read_flag(&flag_steps);
            let next = from_body(quote! { if #flag { #cursor } else { None } });
            (
                TokenStream::new(),
                set_input(input)?,
                TokenStream::new(),
                next,
                false,
                "the cursor while the page says it has more",
            )
        }
        NextPage::LinkHeader => {
            let next = quote! { ::oapigen_runtime::paginate::next_link(&page.headers) };
            (
                TokenStream::new(),
                follow,
                TokenStream::new(),
                next,
                true,
                "the `Link` header's `rel=\"next\"` URL",
            )
        }
        NextPage::Url(path) => {
            let (steps, shape) = walk(ctx, &success.shape, path)?;
            if !matches!(shape.ty, Ty::String | Ty::Uri) {
                return None;
            }
            let read = match read(quote! { value }, &steps) {
                (expr, true) => quote! { #expr.map(ToString::to_string) },
                (expr, false) => quote! { Some(#expr.to_string()) },
            };
            let next = from_body(quote! { #read.filter(|url| !url.is_empty()) });
            (
                TokenStream::new(),
                follow,
                TokenStream::new(),
                next,
                true,
                "the next page's URL in the body",
            )
        }
        NextPage::Number {
            param,
            counts,
            total,
        } => {
            let parameter = op.parameters.iter().find(|p| &p.name == param)?;
            let shape = ctx.resolve_alias(&parameter.shape);
            if parameter.required || !matches!(shape.ty, Ty::I32 | Ty::I64 | Ty::String) {
                return None;
            }
            // A page number typed as a string (Slack's `page`) is sent as one.
            let text = matches!(shape.ty, Ty::String);
            // Pages count from 1 unless the parameter allows 0; offsets from 0.
            let first: i64 = match counts {
                Counts::Pages if shape.constraints.minimum != Some(0.0) => 1,
                _ => 0,
            };
            let name = ident(param);
            let count = items_len(&item_steps);
            let total_known = total.is_some();
            let total = match total {
                Some(path) => {
                    let (steps, shape) = walk(ctx, &success.shape, path)?;
                    if !matches!(shape.ty, Ty::I32 | Ty::I64) {
                        return None;
                    }
                    Some((steps, matches!(shape.ty, Ty::I32)))
                }
                None => None,
            };
            let first = proc_macro2::Literal::i64_unsuffixed(first);
            let current = if text {
                quote! {
                    let current = request.#name.as_deref().and_then(|number| number.parse().ok()).unwrap_or(#first);
                }
            } else if matches!(shape.ty, Ty::I32) {
                quote! { let current = request.#name.map(i64::from).unwrap_or(#first); }
            } else {
                quote! { let current = request.#name.unwrap_or(#first); }
            };
            let parse = if text {
                quote! { request.#name = Some(token); }
            } else {
                quote! { request.#name = token.parse().ok(); }
            };
            let parse_number = if text {
                quote! { request.#name = Some(number.to_owned()); }
            } else {
                quote! { request.#name = number.parse().ok(); }
            };
            let plan = match (counts, total) {
                // Without a documented total, an empty page is the end.
                (Counts::Pages, None) => (
                    parse,
                    current,
                    quote! { (count > 0).then(|| (current + 1).to_string()) },
                ),
                // The token carries the items seen so far beside the page number.
                (Counts::Pages, Some((steps, widen))) => {
                    let below = below_count(&steps, &quote! { seen }, widen);
                    (
                        quote! {
                            let (number, before) = token.split_once(' ').unwrap_or((&token, "0"));
                            #parse_number
                            seen = before.parse().unwrap_or(0);
                        },
                        current,
                        quote! {
                            let seen = seen + count;
                            (count > 0 && #below).then(|| format!("{} {seen}", current + 1))
                        },
                    )
                }
                (Counts::Items, None) => (
                    parse,
                    current,
                    quote! { (count > 0).then(|| (current + count).to_string()) },
                ),
                (Counts::Items, Some((steps, widen))) => {
                    let below = below_count(&steps, &quote! { (current + count) }, widen);
                    (
                        parse,
                        current,
                        quote! { (count > 0 && #below).then(|| (current + count).to_string()) },
                    )
                }
            };
            let (set, before, more) = plan;
            let prelude = if matches!(counts, Counts::Pages) && total_known {
                quote! { let mut seen = 0; }
            } else {
                TokenStream::new()
            };
            let how = match counts {
                Counts::Pages => "the page number until a page is empty or the total is reached",
                Counts::Items => "the offset until a page is empty or the total is reached",
            };
            let next = from_body(quote! {{
                let count = #count;
                #more
            }});
            (prelude, set, before, next, false, how)
        }
    };
    Some(Plan {
        prelude,
        set,
        before,
        next,
        follows_urls,
        take: take_items(&item_steps),
        item: ctx.ty(item),
        how,
    })
}

/// The builder fields paging needs (`max_pages`, and `page_url` when it follows URLs), and
/// their initial values.
pub fn builder_fields(
    ctx: &Ctx,
    op: &Operation,
    success: Option<&Success>,
) -> (TokenStream, TokenStream) {
    let Some(plan) = plan(ctx, op, success) else {
        return (TokenStream::new(), TokenStream::new());
    };
    let (url_field, url_init) = if plan.follows_urls {
        (
            quote! { page_url: Option<String>, },
            quote! { page_url: None, },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    (
        quote! { max_pages: usize, #url_field },
        quote! { max_pages: ::oapigen_runtime::paginate::DEFAULT_MAX_PAGES, #url_init },
    )
}

/// In `send`: a next-page URL replaces the request's path and query.
pub fn follow_page_url(ctx: &Ctx, op: &Operation, success: Option<&Success>) -> TokenStream {
    match plan(ctx, op, success) {
        Some(plan) if plan.follows_urls => quote! {
            if let Some(url) = &self.page_url {
                ::oapigen_runtime::paginate::follow(&mut request, &self.client.transport().config().base_url, url)?;
            }
        },
        _ => TokenStream::new(),
    }
}

/// The paging methods of `op`'s builder, when its pagination can be followed.
pub fn emit(ctx: &Ctx, op: &Operation, names: &OpNames, success: Option<&Success>) -> TokenStream {
    let Some(plan) = plan(ctx, op, success) else {
        return TokenStream::new();
    };
    let OpNames {
        builder,
        response,
        error,
        ..
    } = names;
    let Plan {
        prelude,
        set,
        before,
        next,
        take,
        item: item_ty,
        how,
        ..
    } = plan;
    let pages_doc = format!(" Every page, following {how}.");
    let stream = quote! { impl ::oapigen_runtime::futures::Stream };
    let error_ty = quote! { ::oapigen_runtime::Error<#error> };
    quote! {
        impl<'a> #builder<'a> {
            async fn fetch_page(self, token: Option<String>) -> Result<(#response, Option<String>), #error_ty> {
                let mut request = self;
                #prelude
                if let Some(token) = token {
                    #set
                }
                #before
                let page = request.send().await?;
                let next = #next;
                Ok((page, next))
            }

            /// Stops [`pages`](Self::pages) and [`into_stream`](Self::into_stream) after
            /// `max_pages` pages (default [`DEFAULT_MAX_PAGES`](::oapigen_runtime::paginate::DEFAULT_MAX_PAGES)).
            pub fn max_pages(mut self, max_pages: usize) -> Self {
                self.max_pages = max_pages;
                self
            }

            #[doc = #pages_doc]
            /// At most [`max_pages`](Self::max_pages) pages, and never the same page twice.
            pub fn pages(self) -> #stream<Item = Result<#response, #error_ty>> + 'a {
                let max_pages = self.max_pages;
                ::oapigen_runtime::paginate::builder_pages(self, max_pages, Self::fetch_page)
            }

            /// Every item of every page, in order. A page whose body is missing or does not
            /// decode ends the stream with [`Error::UnexpectedResponse`](::oapigen_runtime::Error::UnexpectedResponse)
            /// ([`pages`](Self::pages) yields that page as a success).
            pub fn into_stream(self) -> #stream<Item = Result<#item_ty, #error_ty>> + 'a {
                let max_pages = self.max_pages;
                ::oapigen_runtime::paginate::builder_items(self, max_pages, Self::fetch_page, |page: #response| match page.body {
                    Ok(value) => Ok(#take),
                    Err(err) => Err(err.into_error(page.headers)),
                })
            }
        }
    }
}
