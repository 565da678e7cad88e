//! One module per operation: request builder, success value, typed error enum, decoding.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::validate::checks_of;
use super::{doc_paragraphs, ident, raw_doc, Ctx, EmitOptions};
use crate::ir::{
    BodyEncoding, Location, ObjectStyle, Operation, Parameter, Shape, StatusMatch, Ty,
};

mod bodies;
mod pagination;
mod responses;
mod streams;

use responses::{emit_decode, emit_error_enum, emit_response_struct};

/// The items of one operation: client method, builder, response, errors, decoding.
pub fn emit_operation(ctx: &Ctx, op: &Operation, options: &EmitOptions) -> TokenStream {
    let names = OpNames::new(op);
    let success = op.success_body();
    let builder = emit_builder(ctx, op, &names, options);
    let response = emit_response_struct(ctx, op, &names, success.as_ref());
    let error = emit_error_enum(ctx, op, &names);
    let decode = emit_decode(ctx, op, &names, success.as_ref());
    let paging = pagination::emit(ctx, op, &names, success.as_ref());
    let bodies = bodies::emit_items(ctx, op, &bodies::media_of(op));
    quote! { #builder #bodies #paging #response #error #decode }
}

/// Names of an operation's own items.
pub(crate) struct OpNames {
    pub builder: Ident,
    pub response: Ident,
    pub error: Ident,
    /// The private function that turns a raw response into the typed result.
    pub decode: Ident,
}

impl OpNames {
    fn new(op: &Operation) -> Self {
        let items = &op.items;
        Self {
            builder: ident(&items.builder),
            response: ident(&items.response),
            error: ident(&items.error),
            decode: ident(&items.decode),
        }
    }
}

/// The success body type, shared by every 2xx response (JSON value when they differ).
pub(crate) type Success = crate::ir::SuccessBody;

fn param_ty(ctx: &Ctx, parameter: &Parameter) -> TokenStream {
    ctx.ty(&parameter.shape)
}

fn emit_builder(ctx: &Ctx, op: &Operation, names: &OpNames, options: &EmitOptions) -> TokenStream {
    let root = ctx.root;
    let OpNames {
        builder,
        response,
        error,
        decode: decode_fn,
    } = names;
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let optional: Vec<&Parameter> = op.parameters.iter().filter(|p| !p.required).collect();
    let media = bodies::media_of(op);
    let body_ty = bodies::field_ty(ctx, op, &media);
    let body_required = op.body.as_ref().is_some_and(|b| b.required);

    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &required {
        let name = ident(&p.name);
        let ty = param_ty(ctx, p);
        fields.push(quote! { #name: #ty, });
        args.push(quote! { #name: #ty });
        inits.push(quote! { #name, });
    }
    for p in &optional {
        let name = ident(&p.name);
        let ty = param_ty(ctx, p);
        fields.push(quote! { #name: Option<#ty>, });
        inits.push(quote! { #name: None, });
    }
    if let Some(ty) = &body_ty {
        if body_required {
            fields.push(quote! { body: #ty, });
        } else {
            fields.push(quote! { body: Option<#ty>, });
        }
    }
    let (paging_fields, paging_inits) =
        pagination::builder_fields(ctx, op, op.success_body().as_ref());
    fields.push(paging_fields);
    inits.push(paging_inits);
    let first_body_ty = media.first().map(|first| bodies::body_ty(ctx, first));

    let mut forwards: Vec<streams::Forward> = optional
        .iter()
        .map(|p| streams::Forward {
            name: ident(&p.name),
            ty: param_ty(ctx, p),
            doc: doc_paragraphs(&[
                Some(&format!(
                    "Sets the `{}` {} parameter.",
                    super::docs::code_text(&p.wire),
                    location_word(p.location)
                )),
                p.docs.as_deref(),
            ]),
        })
        .collect();
    let setters: Vec<TokenStream> = forwards
        .iter()
        .map(|streams::Forward { name, ty, doc }| {
            quote! {
                #doc
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            }
        })
        .collect();
    let body_setter = match (media.first(), &first_body_ty, body_required) {
        (Some(first), Some(ty), false) => {
            let value = if media.len() > 1 {
                let name = bodies::body_enum(op);
                let variant = &first.variant;
                quote! { #name::#variant(value) }
            } else {
                quote! { value }
            };
            forwards.push(streams::Forward {
                name: format_ident!("body"),
                ty: ty.clone(),
                doc: quote! { #[doc = " Sets the request body."] },
            });
            Some(quote! {
                /// Sets the request body.
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(#value);
                    self
                }
            })
        }
        _ => None,
    };
    let methods = client_methods(ctx, op, names, &media, &args, &inits, options);

    let validation = emit_request_validation(ctx, op, &media);
    let request = emit_request_building(op, &media);
    let follow = pagination::follow_page_url(ctx, op, op.success_body().as_ref());
    // With a stream method, building the request is shared by both `send`s.
    let (send_body, request_fn) = if op.stream.is_some() {
        let send_body = quote! {
            let request = self.request()?;
            let response = self.client.transport().execute(request).await?;
            #decode_fn(response)
        };
        let request_fn = quote! {
            /// Checks the documented constraints and builds the request.
            fn request(&self) -> Result<::oapigen_runtime::ApiRequest, ::oapigen_runtime::Error<#error>> {
                #validation
                #request
                #follow
                Ok(request)
            }
        };
        (send_body, request_fn)
    } else {
        let send_body = quote! {
            #validation
            #request
            #follow
            let response = self.client.transport().execute(request).await?;
            #decode_fn(response)
        };
        (send_body, TokenStream::new())
    };
    let stream = op.stream.as_ref().map(|stream| {
        let first = media.first().map_or(op.method_name.as_str(), |m| m.method);
        let mut args = args.clone();
        let mut arg_names: Vec<Ident> = required.iter().map(|p| ident(&p.name)).collect();
        if let (Some(first), true) = (media.first(), body_required) {
            let ty = bodies::body_ty(ctx, first);
            args.push(quote! { body: #ty });
            arg_names.push(format_ident!("body"));
        }
        let plain = streams::PlainCall {
            method: ident(first),
            args,
            arg_names,
        };
        streams::emit(ctx, op, names, stream, &plain, &forwards)
    });
    let builder_doc = raw_doc(&format!(
        "Request builder for [`{}`]({root_path}::Client::{}): set optional parameters, then call [`send`](Self::send).",
        op.method_name.bare(),
        op.method_name.bare(),
        root_path = root.to_string().replace(' ', ""),
    ));
    quote! {
        impl #root::Client {
            #methods
        }

        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `send` is called"]
        pub struct #builder<'a> {
            client: &'a #root::Client,
            #(#fields)*
            call_options: ::oapigen_runtime::CallOptions,
        }

        impl #builder<'_> {
            #(#setters)*
            #body_setter

            /// Adds a header to this request only (for example a tracing or test header).
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.call_options.header(name, value);
                self
            }

            /// Limits this call, retries included, to `timeout` instead of the client's timeouts.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call_options.set_timeout(timeout);
                self
            }

            /// Checks the documented constraints, sends the request and decodes the response.
            pub async fn send(self) -> Result<#response, ::oapigen_runtime::Error<#error>> {
                #send_body
            }

            #request_fn
        }

        #stream
    }
}

/// The client methods that start `op`'s builder: one per media type of its body (the first
/// with an optional body leaves it unset), or one.
fn client_methods(
    ctx: &Ctx,
    op: &Operation,
    names: &OpNames,
    media: &[bodies::Media],
    args: &[TokenStream],
    inits: &[TokenStream],
    options: &EmitOptions,
) -> TokenStream {
    let builder = &names.builder;
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let mut out = TokenStream::new();
    for (index, chosen) in media.iter().enumerate() {
        // The first method of an optional body leaves it unset (`.body(…)` sets it); the
        // others exist to send it in their media type, so they take it.
        let with_body = body_required || index > 0;
        let mut args = args.to_vec();
        let body_init = if with_body {
            let ty = bodies::body_ty(ctx, chosen);
            args.push(quote! { body: #ty });
            bodies::field_init(op, media, chosen)
        } else {
            quote! { body: None, }
        };
        let method_name = ident(chosen.method);
        let sent_as = (media.len() > 1).then_some(chosen);
        let body = with_body.then_some(chosen);
        let doc = method_docs(ctx, op, names, &required, body, sent_as, options);
        out.extend(quote! {
            #doc
            #deprecated
            pub fn #method_name(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits)*
                    #body_init
                    call_options: ::oapigen_runtime::CallOptions::default(),
                }
            }
        });
    }
    if media.is_empty() {
        let method_name = ident(&op.method_name);
        let doc = method_docs(ctx, op, names, &required, None, None, options);
        out.extend(quote! {
            #doc
            #deprecated
            pub fn #method_name(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits)*
                    call_options: ::oapigen_runtime::CallOptions::default(),
                }
            }
        });
    }
    out
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn method_docs(
    ctx: &Ctx,
    op: &Operation,
    names: &OpNames,
    required: &[&Parameter],
    body: Option<&bodies::Media>,
    sent_as: Option<&bodies::Media>,
    options: &EmitOptions,
) -> TokenStream {
    let mut text = String::new();
    let summary = op
        .summary
        .as_deref()
        .map(super::docs::sanitize)
        .unwrap_or_else(|| format!("Calls `{}`.", super::docs::code_text(&op.operation_id)));
    text.push_str(&summary);
    if let Some(description) = op
        .description
        .as_deref()
        .map(super::docs::sanitize)
        .filter(|d| !d.is_empty() && *d != summary)
    {
        text.push_str("\n\n");
        text.push_str(&description);
    }
    text.push_str(&format!(
        "\n\n`{} {}`",
        op.http_method,
        super::docs::code_text(&op.path)
    ));
    if let Some(media) = sent_as {
        text.push_str(&format!(
            "\n\nSends the body as `{}`.",
            bodies::media_type(media.encoding)
        ));
    }
    if options.doc_examples {
        let krate = &options.crate_ident;
        let mut params = vec![format!("client: &{krate}::Client")];
        let mut call_args = Vec::new();
        for p in required {
            // The code form: the example is compiled, and `type: String` is not Rust.
            let name = p.name.as_str();
            params.push(format!("{name}: {}", doc_type(ctx, options, &p.shape)));
            call_args.push(name.to_owned());
        }
        if let Some(body) = body {
            let ty = match body.encoding {
                BodyEncoding::Multipart(def) => format!("{krate}::operations::{}", def.name.code()),
                _ => doc_type(ctx, options, body.shape),
            };
            params.push(format!("body: {ty}"));
            call_args.push("body".to_owned());
        }
        let error = &names.error;
        let method = body.map_or(op.method_name.as_str(), |media| media.method);
        text.push_str(&format!(
            "\n\n```no_run\n# async fn example({}) -> Result<(), {krate}::Error<{krate}::operations::{error}>> {{\nlet response = client.{}({}).send().await?;\nprintln!(\"{{}}\", response.status);\n# Ok(())\n# }}\n```",
            params.join(", "),
            method,
            call_args.join(", "),
        ));
    }
    raw_doc(&text)
}

/// A type as a doc example spells it (absolute paths through the crate name).
fn doc_type(ctx: &Ctx, options: &EmitOptions, shape: &Shape) -> String {
    let root: TokenStream = options.crate_ident.parse().unwrap_or_default();
    let doc_ctx = Ctx {
        root: &root,
        ..*ctx
    };
    compact(&doc_ctx.ty(shape).to_string())
}

/// Token-stream text without the spaces `to_string` puts around punctuation.
fn compact(text: &str) -> String {
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

fn emit_request_validation(ctx: &Ctx, op: &Operation, media: &[bodies::Media]) -> TokenStream {
    let mut blocks = Vec::new();
    for p in &op.parameters {
        let shape = if p.required {
            p.shape.clone()
        } else {
            Shape::plain(Ty::Option(Box::new(p.shape.clone())))
        };
        let name = ident(&p.name);
        let wire = &p.wire;
        let path = quote! { &::oapigen_runtime::ValidationPath::root(#wire) };
        blocks.extend(checks_of(ctx, &shape, quote! { self.#name }, path));
    }
    blocks.extend(bodies::validation(ctx, op, media));
    if blocks.is_empty() {
        return TokenStream::new();
    }
    // The error names the operation, as every other error of the call does.
    let method = ident(&op.http_method);
    let operation_id = &op.operation_id;
    let template = &op.path;
    quote! {
        let mut found = ::oapigen_runtime::ValidationErrors::default();
        let errors = &mut found;
        #(#blocks)*
        found.into_result_for(
            #operation_id,
            ::oapigen_runtime::reqwest::Method::#method,
            #template,
        )?;
    }
}

/// Splits a path template into literal text and parameter names.
fn path_parts(path: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            parts.push((false, &rest[..start]));
        }
        parts.push((true, &rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push((false, rest));
    }
    parts
}

fn emit_request_building(op: &Operation, media: &[bodies::Media]) -> TokenStream {
    let mut format_string = String::new();
    let mut format_args = Vec::new();
    for (is_param, text) in path_parts(&op.path) {
        if !is_param {
            format_string.push_str(&text.replace('{', "{{").replace('}', "}}"));
            continue;
        }
        match op
            .parameters
            .iter()
            .find(|p| p.location == Location::Path && p.wire == text)
        {
            Some(p) => {
                format_string.push_str("{}");
                let name = ident(&p.name);
                format_args.push(quote! { ::oapigen_runtime::path_segment(&self.#name) });
            }
            // A template variable without a parameter is sent literally.
            None => format_string.push_str(&format!("{{{{{text}}}}}")),
        }
    }
    let path = if format_args.is_empty() {
        quote! { String::from(#format_string) }
    } else {
        quote! { format!(#format_string, #(#format_args),*) }
    };
    let method = ident(&op.http_method);
    let operation_id = &op.operation_id;
    // Errors name the template, never the values filled in (an id may be private).
    let template = &op.path;
    let (security, auth) = super::security::emit_requirements(op);
    let params = op
        .parameters
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(param_statement);
    let body = bodies::encode(op, media);
    // The one of several offered media types the client decodes, unless the caller (or
    // the stream method) asks for another: a second `Accept` would be appended.
    let accept = op.accept.as_deref().map(|media_type| {
        quote! {
            if !self.call_options.has_header("accept") {
                request.header("accept", #media_type);
            }
        }
    });
    // A redirect the operation documents is its response, not one to follow.
    let mut redirects: Vec<u16> = op
        .responses
        .iter()
        .flat_map(|r| match r.status {
            StatusMatch::Code(code) => vec![code],
            StatusMatch::Range(3) => vec![301, 302, 303, 307, 308],
            _ => Vec::new(),
        })
        .filter(|code| matches!(code, 301 | 302 | 303 | 307 | 308))
        .collect();
    redirects.sort_unstable();
    redirects.dedup();
    let keep = (!redirects.is_empty()).then(|| {
        let codes = redirects
            .iter()
            .map(|c| proc_macro2::Literal::u16_unsuffixed(*c));
        quote! { .keep_redirects(&[#(#codes),*]) }
    });
    quote! {
        #security
        let mut request = ::oapigen_runtime::ApiRequest::new(
            ::oapigen_runtime::reqwest::Method::#method,
            #path,
            #operation_id,
        )
        .path_template(#template) #auth #keep;
        #(#params)*
        #accept
        #body
        request.call_options(&self.call_options);
    }
}

/// The statement adding one query or header parameter to `request` (skipped when an
/// optional one is unset).
fn param_statement(p: &Parameter) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let value = quote! { &self.#name };
    let opt = |method: &str| {
        if p.required {
            ident(method)
        } else {
            format_ident!("{method}_opt")
        }
    };
    match (&p.location, &p.shape.ty) {
        (Location::Query, _) if p.object_style.is_some() => {
            let explode = p.explode;
            let style = match p.object_style {
                Some(ObjectStyle::DeepObject) => quote! { DeepObject },
                _ => quote! { Form },
            };
            let method = opt("query_object");
            quote! { request.#method(#wire, #value, ::oapigen_runtime::QueryStyle::#style, #explode); }
        }
        (Location::Query, Ty::Array(_)) => {
            let explode = p.explode;
            let method = opt("query_array");
            quote! { request.#method(#wire, #value, #explode); }
        }
        // Header arrays are comma-joined (`style: simple`).
        (Location::Header, Ty::Array(_)) => {
            let method = opt("header_array");
            quote! { request.#method(#wire, #value); }
        }
        (Location::Header, _) => {
            let method = opt("header");
            quote! { request.#method(#wire, #value); }
        }
        _ => {
            let method = opt("query");
            quote! { request.#method(#wire, #value); }
        }
    }
}
