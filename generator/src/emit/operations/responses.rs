//! An operation's outcomes: the success value (body and documented headers), the error enum
//! (one variant per documented error status) and the `decode` function choosing between them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{OpNames, Success};
use crate::emit::{doc_paragraphs, ident, raw_doc, Ctx};
use crate::ir::{Operation, Response, ResponseEncoding, ResponseHeader, StatusMatch, Ty};
use crate::naming::{self, Scope};

/// Every documented header across the success responses, by wire name, and whether every
/// success response marks it required (then its field is not an `Option`).
fn success_headers(op: &Operation) -> Vec<(&ResponseHeader, bool)> {
    let successes = op.success_responses();
    let mut out: Vec<(&ResponseHeader, bool)> = Vec::new();
    for response in &successes {
        for header in &response.headers {
            if !out.iter().any(|(h, _)| h.wire == header.wire) {
                let required = successes.iter().all(|r| {
                    r.headers
                        .iter()
                        .any(|h| h.wire == header.wire && h.required)
                });
                out.push((header, required));
            }
        }
    }
    out
}

pub(super) fn emit_response_struct(
    ctx: &Ctx,
    op: &Operation,
    names: &OpNames,
    success: Option<&Success>,
) -> TokenStream {
    let response = &names.response;
    let body = success.map(|s| {
        let ty = body_type(ctx, s);
        let doc = if s.encoding == ResponseEncoding::Json {
            raw_doc(
                "The decoded body; `Err` keeps the raw bytes when the response had none or one \
                 of another shape (the call still succeeded).",
            )
        } else {
            raw_doc("The body.")
        };
        quote! {
            #doc
            pub body: #ty,
        }
    });
    let headers = success_headers(op).into_iter().map(|(h, required)| {
        let name = ident(&h.name);
        let ty = ctx.ty(&h.shape);
        let wire = crate::emit::docs::code_text(&h.wire);
        let (summary, ty) = if required {
            (format!("The `{wire}` header (required)."), ty)
        } else {
            (
                format!("The `{wire}` header, when present."),
                quote! { Option<#ty> },
            )
        };
        let doc = doc_paragraphs(&[Some(&summary), h.docs.as_deref()]);
        quote! { #doc pub #name: #ty, }
    });
    let doc = raw_doc(&format!(
        "What [`{}`]({}::Client::{}) returns on success.",
        op.method_name.bare(),
        ctx.root.to_string().replace(' ', ""),
        op.method_name.bare()
    ));
    let accessors = emit_last_segments(op, response);
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub struct #response {
            /// The HTTP status.
            pub status: u16,
            #body
            #(#headers)*
            /// Every response header.
            pub headers: ::oapigen_runtime::reqwest::header::HeaderMap,
        }
        #accessors
    }
}

/// A method per header marked `x-last-segment`: the last path segment of its value.
fn emit_last_segments(op: &Operation, response: &proc_macro2::Ident) -> TokenStream {
    let methods: Vec<TokenStream> = success_headers(op)
        .into_iter()
        .filter_map(|(h, required)| {
            let method = ident(h.last_segment.as_deref()?);
            let field = ident(&h.name);
            let doc = raw_doc(&format!(
                "The last path segment of the `{}` header{}.",
                h.wire,
                if required {
                    ""
                } else {
                    ", when the header is present"
                }
            ));
            // A required header is a plain field; an optional one an `Option`.
            let value = if required {
                quote! { &self.#field }
            } else {
                quote! { self.#field.as_deref()? }
            };
            Some(quote! {
                #doc
                pub fn #method(&self) -> Option<&str> {
                    ::oapigen_runtime::last_path_segment(#value)
                }
            })
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #response {
            #(#methods)*
        }
    }
}

/// The success body's type. A JSON body is decoded liberally: `Result<T, BodyError>`, so a
/// missing or surprising body never turns a success into an error.
fn body_type(ctx: &Ctx, success: &Success) -> TokenStream {
    let ty = match success.encoding {
        ResponseEncoding::Json => ctx.ty(&success.shape),
        ResponseEncoding::Text => quote! { String },
        ResponseEncoding::Raw => quote! { ::oapigen_runtime::bytes::Bytes },
    };
    let ty = if success.optional {
        quote! { Option<#ty> }
    } else {
        ty
    };
    if success.encoding == ResponseEncoding::Json {
        quote! { Result<#ty, ::oapigen_runtime::BodyError> }
    } else {
        ty
    }
}

/// Variant names of the error enum, per error response.
fn error_variants(op: &Operation) -> Vec<(String, &Response)> {
    let mut scope = Scope::default();
    op.error_responses()
        .into_iter()
        .map(|r| {
            let name = match r.status {
                StatusMatch::Code(code) => naming::status_variant(code),
                StatusMatch::Range(4) => "ClientError".to_owned(),
                StatusMatch::Range(5) => "ServerError".to_owned(),
                StatusMatch::Range(digit) => format!("Status{digit}xx"),
                StatusMatch::Default => "Other".to_owned(),
            };
            (scope.variant(&name), r)
        })
        .collect()
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "any other status".to_owned(),
    }
}

fn error_payload(ctx: &Ctx, response: &Response) -> Option<TokenStream> {
    let body = response.body.as_ref()?;
    Some(match body.encoding {
        ResponseEncoding::Json => {
            let ty = ctx.ty(&body.shape);
            quote! { Result<#ty, ::oapigen_runtime::BodyError> }
        }
        ResponseEncoding::Text => quote! { String },
        ResponseEncoding::Raw => quote! { ::oapigen_runtime::bytes::Bytes },
    })
}

pub(super) fn emit_error_enum(ctx: &Ctx, op: &Operation, names: &OpNames) -> TokenStream {
    let error = &names.error;
    let variants = error_variants(op).into_iter().map(|(name, response)| {
        let variant = ident(&name);
        let doc = doc_paragraphs(&[
            Some(&format!("Status {}.", status_label(response.status))),
            response.description.as_deref(),
        ]);
        match error_payload(ctx, response) {
            Some(ty) => quote! { #doc #variant(#ty), },
            None => quote! { #doc #variant, },
        }
    });
    let doc = raw_doc(&format!(
        "The documented error responses of `{}`, one variant per status, each with its typed body.",
        crate::emit::docs::code_text(&op.operation_id)
    ));
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
        }
    }
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        StatusMatch::Range(digit) => {
            let low = proc_macro2::Literal::u16_unsuffixed(digit * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(digit * 100 + 99);
            quote! { #low..=#high }
        }
        StatusMatch::Default => quote! { _ },
    }
}

fn decode_body(encoding: &ResponseEncoding) -> TokenStream {
    match encoding {
        ResponseEncoding::Json => quote! { response.decode() },
        ResponseEncoding::Text => quote! { response.text() },
        ResponseEncoding::Raw => quote! { response.body.clone() },
    }
}

pub(super) fn emit_decode(
    _ctx: &Ctx,
    op: &Operation,
    names: &OpNames,
    success: Option<&Success>,
) -> TokenStream {
    let OpNames {
        response: response_ty,
        error,
        decode: decode_fn,
        ..
    } = names;
    let mut header_lets: Vec<TokenStream> = Vec::new();
    let mut header_inits: Vec<TokenStream> = Vec::new();
    for (h, required) in success_headers(op) {
        let name = ident(&h.name);
        let wire = &h.wire;
        if required {
            // Read before the body: a missing header is a decode error naming it.
            let local = ident(&naming::header_local(&h.name));
            header_lets.push(quote! {
                let #local = match response.required_header(#wire) {
                    Ok(value) => value,
                    Err(err) => return Err(::oapigen_runtime::Error::unexpected(response, Some(err))),
                };
            });
            header_inits.push(quote! { #name: #local, });
        } else if matches!(h.shape.ty, Ty::String) {
            header_inits.push(quote! { #name: response.header(#wire).map(ToOwned::to_owned), });
        } else {
            header_inits.push(quote! { #name: response.parse_header(#wire), });
        }
    }
    let mut errors = error_variants(op);
    errors.sort_by_key(|(_, r)| r.status);
    // With error variants, the `match` picks the variant and one `Error::api` call is
    // shared; a success arm returns early.
    let early = (!errors.is_empty()).then(|| quote! { return });
    let successes = op.success_responses();
    let mut ordered: Vec<&Response> = successes.clone();
    ordered.sort_by_key(|r| r.status);
    // Adjacent statuses building the same value share one arm (`200 | 201`).
    let mut arms: Vec<(Vec<TokenStream>, String, TokenStream)> = Vec::new();
    for response in &ordered {
        let pattern = if response.status == StatusMatch::Default {
            quote! { 200..=299 }
        } else {
            status_pattern(response.status)
        };
        let body_init = success.map(|s| {
            let json = s.encoding == ResponseEncoding::Json;
            let decode = match (&response.body, s.optional) {
                (Some(_), false) => decode_body(&s.encoding),
                (Some(_), true) if json => quote! { response.decode().map(Some) },
                (Some(_), true) => {
                    let inner = decode_body(&s.encoding);
                    quote! { Some(#inner) }
                }
                (None, _) if json => quote! { Ok(None) },
                (None, _) => quote! { None },
            };
            quote! { body: #decode, }
        });
        let value = quote! {
            #response_ty {
                status: response.status,
                #body_init
                #(#header_inits)*
                headers: response.headers.clone(),
            }
        };
        let body = if header_lets.is_empty() {
            quote! { #early Ok(#value), }
        } else {
            quote! {{
                #(#header_lets)*
                #early Ok(#value)
            }}
        };
        let key = body.to_string();
        match arms.last_mut() {
            Some((patterns, last, _)) if *last == key => patterns.push(pattern),
            _ => arms.push((vec![pattern], key, body)),
        }
    }
    let mut arms: Vec<TokenStream> = arms
        .into_iter()
        .map(|(patterns, _, body)| quote! { #(#patterns)|* => #body })
        .collect();
    let unexpected = quote! { Err(::oapigen_runtime::Error::unexpected(response, None)) };
    if errors.is_empty() {
        arms.push(quote! { _ => #unexpected, });
        return quote! {
            fn #decode_fn(response: ::oapigen_runtime::RawResponse) -> Result<#response_ty, ::oapigen_runtime::Error<#error>> {
                match response.status {
                    #(#arms)*
                }
            }
        };
    }
    let mut has_catch_all = false;
    for (name, response) in errors {
        has_catch_all |= response.status == StatusMatch::Default;
        let variant = ident(&name);
        let pattern = status_pattern(response.status);
        let value = match &response.body {
            Some(body) => {
                let decode = decode_body(&body.encoding);
                quote! { #error::#variant(#decode) }
            }
            None => quote! { #error::#variant },
        };
        arms.push(quote! { #pattern => #value, });
    }
    if !has_catch_all {
        arms.push(quote! { _ => return #unexpected, });
    }
    quote! {
        fn #decode_fn(response: ::oapigen_runtime::RawResponse) -> Result<#response_ty, ::oapigen_runtime::Error<#error>> {
            let error = match response.status {
                #(#arms)*
            };
            Err(::oapigen_runtime::Error::api(response, error))
        }
    }
}
