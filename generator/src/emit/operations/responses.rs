//! An operation's outcomes: the success value (body and documented headers), the error enum
//! (one variant per documented error status) and the `decode` function choosing between them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{OpNames, Success};
use crate::emit::{doc_paragraphs, ident, raw_doc, Ctx};
use crate::ir::{Operation, Response, ResponseEncoding, ResponseHeader, StatusMatch, Ty};
use crate::naming::{self, Scope};

/// Every documented header across the success responses, by wire name.
fn success_headers(op: &Operation) -> Vec<&ResponseHeader> {
    let mut out: Vec<&ResponseHeader> = Vec::new();
    for response in op.success_responses() {
        for header in &response.headers {
            if !out.iter().any(|h| h.wire == header.wire) {
                out.push(header);
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
        quote! {
            /// The decoded body.
            pub body: #ty,
        }
    });
    let headers = success_headers(op).into_iter().map(|h| {
        let name = ident(&h.name);
        let ty = ctx.ty(&h.shape);
        let doc = doc_paragraphs(&[
            Some(&format!(
                "The `{}` header, when present.",
                crate::emit::docs::code_text(&h.wire)
            )),
            h.docs.as_deref(),
        ]);
        quote! { #doc pub #name: Option<#ty>, }
    });
    let doc = raw_doc(&format!(
        "What [`{}`]({}::Client::{}) returns on success.",
        op.method_name.trim_start_matches("r#"),
        ctx.root.to_string().replace(' ', ""),
        op.method_name.trim_start_matches("r#")
    ));
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
    }
}

fn body_type(ctx: &Ctx, success: &Success) -> TokenStream {
    let ty = match success.encoding {
        ResponseEncoding::Json => ctx.ty(&success.shape),
        ResponseEncoding::Text => quote! { String },
        ResponseEncoding::Raw => quote! { ::oapigen_runtime::bytes::Bytes },
    };
    if success.optional {
        quote! { Option<#ty> }
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
        ResponseEncoding::Json => ctx.ty(&body.shape),
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
        ResponseEncoding::Json => quote! {
            match response.json() {
                Ok(body) => body,
                Err(err) => {
                    return Err(::oapigen_runtime::Error::unexpected(response, Some(err)));
                }
            }
        },
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
    let header_inits: Vec<TokenStream> = success_headers(op)
        .into_iter()
        .map(|h| {
            let name = ident(&h.name);
            let wire = &h.wire;
            if matches!(h.shape.ty, Ty::String) {
                quote! { #name: response.header(#wire).map(ToOwned::to_owned), }
            } else {
                quote! { #name: response.parse_header(#wire), }
            }
        })
        .collect();
    let mut arms = Vec::new();
    let successes = op.success_responses();
    let mut ordered: Vec<&Response> = successes.clone();
    ordered.sort_by_key(|r| r.status);
    for response in &ordered {
        let pattern = if response.status == StatusMatch::Default {
            quote! { 200..=299 }
        } else {
            status_pattern(response.status)
        };
        let body_init = success.map(|s| {
            let decode = match (&response.body, s.optional) {
                (Some(_), false) => decode_body(&s.encoding),
                (Some(_), true) => {
                    let inner = decode_body(&s.encoding);
                    quote! { Some(#inner) }
                }
                (None, _) => quote! { None },
            };
            quote! { body: #decode, }
        });
        arms.push(quote! {
            #pattern => {
                let value = #response_ty {
                    status: response.status,
                    #body_init
                    #(#header_inits)*
                    headers: response.headers.clone(),
                };
                Ok(value)
            }
        });
    }
    let mut errors = error_variants(op);
    errors.sort_by_key(|(_, r)| r.status);
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
        arms.push(quote! {
            #pattern => {
                let body = #value;
                Err(::oapigen_runtime::Error::api(response, body))
            }
        });
    }
    if !has_catch_all {
        arms.push(quote! {
            _ => Err(::oapigen_runtime::Error::unexpected(response, None)),
        });
    }
    quote! {
        fn #decode_fn(response: ::oapigen_runtime::RawResponse) -> Result<#response_ty, ::oapigen_runtime::Error<#error>> {
            match response.status {
                #(#arms)*
            }
        }
    }
}
