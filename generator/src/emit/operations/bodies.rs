//! Request bodies: multipart structs, one client method per accepted media type, and the
//! statements that check and encode the body.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::validate::{checks, checks_of};
use crate::emit::{doc_paragraphs, ident, raw_doc, Ctx};
use crate::ir::{BodyEncoding, MultipartDef, Operation, PartDef, PartKind, Shape, Ty, TypeKind};
use crate::naming::{self, Scope};

/// One way an operation sends its body: its first media type or an alternative.
pub(super) struct Media<'a> {
    /// The client method that sends it.
    pub method: &'a str,
    pub encoding: &'a BodyEncoding,
    pub shape: &'a Shape,
    /// The variant of the operation's body enum (used when there are several media).
    pub variant: Ident,
}

/// Every media type `op`'s body is sent as, the first one first (none without a body).
pub(super) fn media_of(op: &Operation) -> Vec<Media<'_>> {
    let Some(body) = &op.body else {
        return Vec::new();
    };
    let mut variants = Scope::default();
    let mut variant = |encoding: &BodyEncoding| {
        let word = match encoding {
            BodyEncoding::Json => "json".to_owned(),
            BodyEncoding::Form => "form".to_owned(),
            BodyEncoding::Multipart(_) | BodyEncoding::Parts => "multipart".to_owned(),
            BodyEncoding::Text(media) | BodyEncoding::Raw(media) => {
                naming::media_method_suffix(media)
            }
        };
        ident(&variants.variant(&word))
    };
    let first = Media {
        method: &op.method_name,
        encoding: &body.encoding,
        shape: &body.shape,
        variant: variant(&body.encoding),
    };
    let rest = body.alternatives.iter().map(|alt| Media {
        method: &alt.method_name,
        encoding: &alt.encoding,
        shape: &alt.shape,
        variant: variant(&alt.encoding),
    });
    std::iter::once(first)
        .chain(rest.collect::<Vec<_>>())
        .collect()
}

/// The media type a body encoding sends.
pub(super) fn media_type(encoding: &BodyEncoding) -> &str {
    match encoding {
        BodyEncoding::Json => "application/json",
        BodyEncoding::Form => "application/x-www-form-urlencoded",
        BodyEncoding::Multipart(_) | BodyEncoding::Parts => "multipart/form-data",
        BodyEncoding::Text(media) | BodyEncoding::Raw(media) => media,
    }
}

/// The private enum the builder keeps its body in when there are several media types.
pub(super) fn body_enum(op: &Operation) -> Ident {
    ident(&op.items.body)
}

/// The Rust type of a body sent as `media`.
pub(super) fn body_ty(ctx: &Ctx, media: &Media) -> TokenStream {
    match media.encoding {
        BodyEncoding::Multipart(def) => {
            let name = ident(&def.name);
            quote! { #name }
        }
        BodyEncoding::Parts => quote! { ::oapigen_runtime::Multipart },
        _ => ctx.ty(media.shape),
    }
}

/// The type of the builder's `body` field (without the `Option` of an optional body).
pub(super) fn field_ty(ctx: &Ctx, op: &Operation, media: &[Media]) -> Option<TokenStream> {
    match media {
        [] => None,
        [only] => Some(body_ty(ctx, only)),
        _ => {
            let name = body_enum(op);
            Some(quote! { #name })
        }
    }
}

/// The value the builder's `body` field starts with, from the argument `body` sent as
/// `media` (`Some(…)` for an optional body).
pub(super) fn field_init(op: &Operation, media: &[Media], chosen: &Media) -> TokenStream {
    let required = op.body.as_ref().is_some_and(|body| body.required);
    if media.len() < 2 {
        return if required {
            quote! { body, }
        } else {
            quote! { body: Some(body), }
        };
    }
    let name = body_enum(op);
    let variant = &chosen.variant;
    if required {
        quote! { body: #name::#variant(body), }
    } else {
        quote! { body: Some(#name::#variant(body)), }
    }
}

/// The multipart structs of `op`'s media types, and its body enum when it has several.
pub(super) fn emit_items(ctx: &Ctx, op: &Operation, media: &[Media]) -> TokenStream {
    let structs = media.iter().filter_map(|m| match m.encoding {
        BodyEncoding::Multipart(def) => Some(emit_multipart(ctx, m.method, def)),
        _ => None,
    });
    let structs: TokenStream = structs.collect();
    if media.len() < 2 {
        return structs;
    }
    let name = body_enum(op);
    let variants = media.iter().map(|m| {
        let variant = &m.variant;
        let ty = body_ty(ctx, m);
        quote! { #variant(#ty), }
    });
    let doc = raw_doc(&format!(
        "The body of `{}`, in the media type of the client method that built the request.",
        op.operation_id
    ));
    quote! {
        #structs
        #doc
        #[derive(Clone, Debug)]
        enum #name {
            #(#variants)*
        }
    }
}

/// The statements that put the builder's body into `request`.
pub(super) fn encode(op: &Operation, media: &[Media]) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    let encode_one = |media: &Media| match media.encoding {
        BodyEncoding::Json => quote! { request.json_body(value)?; },
        BodyEncoding::Form => quote! { request.form_body(value)?; },
        BodyEncoding::Text(media) | BodyEncoding::Raw(media) => {
            quote! { request.raw(#media, value.clone()); }
        }
        BodyEncoding::Multipart(_) => quote! {
            let form = value.to_multipart().map_err(|err| ::oapigen_runtime::Error::encode(request.operation(), err))?;
            request.multipart(form);
        },
        BodyEncoding::Parts => quote! { request.multipart(value.clone()); },
    };
    let (binding, statements) = match media {
        [only] => (quote! { value }, encode_one(only)),
        _ => {
            let name = body_enum(op);
            let arms = media.iter().map(|m| {
                let variant = &m.variant;
                let statements = encode_one(m);
                quote! { #name::#variant(value) => { #statements } }
            });
            (quote! { body }, quote! { match body { #(#arms)* } })
        }
    };
    if body.required {
        // A required JSON or form body is one statement.
        match media {
            [Media {
                encoding: BodyEncoding::Json,
                ..
            }] => return quote! { request.json_body(&self.body)?; },
            [Media {
                encoding: BodyEncoding::Form,
                ..
            }] => return quote! { request.form_body(&self.body)?; },
            _ => {}
        }
        quote! { { let #binding = &self.body; #statements } }
    } else {
        quote! { if let Some(#binding) = &self.body { #statements } }
    }
}

/// A block checking the builder's body against its documented constraints (`errors` in
/// scope), or `None` when nothing can break one.
pub(super) fn validation(ctx: &Ctx, op: &Operation, media: &[Media]) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    // `value` is `&T`, or `&Option<T>` for an optional body sent in one media type.
    let checks_one = |media: &Media, optional: bool| match media.encoding {
        BodyEncoding::Multipart(def) => multipart_has_checks(ctx, def).then(|| {
            quote! { ::oapigen_runtime::Validate::validate_at(value, path, errors); }
        }),
        _ if optional => checks(
            ctx,
            &Shape::plain(Ty::Option(Box::new(media.shape.clone()))),
        ),
        _ => checks(ctx, media.shape),
    };
    if let [only] = media {
        let root = quote! { &::oapigen_runtime::ValidationPath::root("body") };
        return match only.encoding {
            BodyEncoding::Multipart(def) => multipart_has_checks(ctx, def).then(|| {
                quote! { ::oapigen_runtime::Validate::validate_at(&self.body, #root, errors); }
            }),
            _ if !body.required => checks_of(
                ctx,
                &Shape::plain(Ty::Option(Box::new(only.shape.clone()))),
                quote! { self.body },
                root,
            ),
            _ => checks_of(ctx, only.shape, quote! { self.body }, root),
        };
    }
    let path = quote! { let path = &::oapigen_runtime::ValidationPath::root("body"); };
    let name = body_enum(op);
    let arms: Vec<TokenStream> = media
        .iter()
        .filter_map(|m| {
            let variant = &m.variant;
            let statements = checks_one(m, false)?;
            Some(quote! { #name::#variant(value) => { #statements } })
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let rest = (arms.len() < media.len()).then(|| quote! { _ => {} });
    let statements = quote! { match body { #(#arms)* #rest } };
    Some(if body.required {
        quote! { { #path let body = &self.body; #statements } }
    } else {
        quote! { if let Some(body) = &self.body { #path #statements } }
    })
}

/// The Rust type of a multipart field, without the `Option` of an optional one.
fn part_ty(ctx: &Ctx, part: &PartDef) -> TokenStream {
    match part.kind {
        PartKind::File => quote! { ::oapigen_runtime::FilePart },
        PartKind::Files => quote! { Vec<::oapigen_runtime::FilePart> },
        PartKind::Value | PartKind::List | PartKind::Json => ctx.ty(&part.shape),
    }
}

/// The part's shape as its field holds it (optional fields wrapped in `Option`).
fn field_shape(part: &PartDef) -> Shape {
    if part.required {
        part.shape.clone()
    } else {
        Shape::plain(Ty::Option(Box::new(part.shape.clone())))
    }
}

fn multipart_has_checks(ctx: &Ctx, def: &MultipartDef) -> bool {
    def.parts
        .iter()
        .any(|part| !is_file(part) && checks(ctx, &field_shape(part)).is_some())
}

fn is_file(part: &PartDef) -> bool {
    matches!(part.kind, PartKind::File | PartKind::Files)
}

/// The struct of one multipart body: fields, `new` and `with_` setters, its parts, checks.
fn emit_multipart(ctx: &Ctx, method: &str, def: &MultipartDef) -> TokenStream {
    let name = ident(&def.name);
    let summary = format!(
        "The `multipart/form-data` body of [`{method}`]({root}::Client::{method}): one field per part.",
        method = naming::unraw(method),
        root = ctx.root.to_string().replace(' ', ""),
    );
    let mut text = summary;
    if let Some(more) = def.docs.as_deref().map(crate::emit::docs::sanitize) {
        if !more.trim().is_empty() {
            text.push_str("\n\n");
            text.push_str(more.trim());
        }
    }
    let docs = raw_doc(&text);
    let fields = def.parts.iter().map(|part| {
        let field = ident(&part.name);
        let ty = part_ty(ctx, part);
        let ty = if part.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        let doc = doc_paragraphs(&[Some(&part_summary(ctx, part)), part.docs.as_deref()]);
        quote! { #doc pub #field: #ty, }
    });
    let required: Vec<&PartDef> = def.parts.iter().filter(|p| p.required).collect();
    let params = required.iter().map(|part| {
        let field = ident(&part.name);
        let ty = part_ty(ctx, part);
        quote! { #field: #ty }
    });
    let inits = def.parts.iter().map(|part| {
        let field = ident(&part.name);
        if part.required {
            quote! { #field, }
        } else {
            quote! { #field: None, }
        }
    });
    let setters = def.parts.iter().filter(|p| !p.required).map(|part| {
        let field = ident(&part.name);
        let setter = ident(&naming::setter(&part.name));
        let ty = part_ty(ctx, part);
        let doc = raw_doc(&format!("Sets the `{}` part.", part.wire));
        quote! {
            #doc
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field = Some(value);
                self
            }
        }
    });
    let many = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let new_doc = if required.is_empty() {
        raw_doc("A body with every optional part unset.")
    } else {
        raw_doc("A body from its required parts; optional parts start unset.")
    };
    let parts = def.parts.iter().map(write_part);
    let validate = emit_multipart_validate(ctx, &name, def);
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #new_doc
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits)* }
            }
            #(#setters)*

            /// The parts, in the spec's order.
            fn to_multipart(&self) -> Result<::oapigen_runtime::Multipart, ::oapigen_runtime::serde_json::Error> {
                let mut form = ::oapigen_runtime::Multipart::new();
                #(#parts)*
                Ok(form)
            }
        }
        #validate
    }
}

/// The first doc line of a multipart field: the part and how it is sent.
fn part_summary(ctx: &Ctx, part: &PartDef) -> String {
    let how = match part.kind {
        PartKind::File => "a file",
        PartKind::Files => "files, one part each",
        PartKind::Value if is_text(ctx, &part.shape) => "text",
        PartKind::Value => "text for strings and numbers, JSON for objects",
        PartKind::List => "one part per item",
        PartKind::Json => "JSON",
    };
    let mut text = format!("Part `{}`: {how}", part.wire);
    if let Some(content_type) = &part.content_type {
        text.push_str(&format!(", sent as `{content_type}`"));
    }
    text.push('.');
    if !part.headers.is_empty() {
        let names: Vec<String> = part.headers.iter().map(|h| format!("`{h}`")).collect();
        text.push_str(&format!(
            " Documented part headers: {} (set them with `FilePart::header`).",
            names.join(", ")
        ));
    }
    text
}

/// Whether values of `shape` are always sent as text (strings, numbers, string enums).
fn is_text(ctx: &Ctx, shape: &Shape) -> bool {
    match &ctx.resolve_alias(shape).ty {
        Ty::Named(id) => matches!(ctx.api.get(*id).kind, TypeKind::StringEnum(_)),
        Ty::Json | Ty::Array(_) | Ty::Map(_) | Ty::Option(_) => false,
        Ty::String
        | Ty::I32
        | Ty::I64
        | Ty::F64
        | Ty::Bool
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Uri
        | Ty::Bytes => true,
    }
}

/// The statements adding one field's parts to `form`.
fn write_part(part: &PartDef) -> TokenStream {
    let field = ident(&part.name);
    let wire = &part.wire;
    let content_type = match &part.content_type {
        Some(content_type) => quote! { Some(#content_type) },
        None => quote! { None },
    };
    let add = |value: TokenStream| match part.kind {
        PartKind::File => quote! { form.file(#wire, #value, #content_type); },
        PartKind::Files => quote! {
            for file in #value {
                form.file(#wire, file, #content_type);
            }
        },
        PartKind::Value => quote! { form.value(#wire, #value, #content_type)?; },
        PartKind::List => quote! {
            for item in #value {
                form.value(#wire, item, #content_type)?;
            }
        },
        PartKind::Json => quote! { form.json(#wire, #value, #content_type)?; },
    };
    if part.required {
        add(quote! { &self.#field })
    } else {
        let statements = add(quote! { value });
        quote! {
            if let Some(value) = &self.#field {
                #statements
            }
        }
    }
}

/// `Validate` for a multipart struct whose values carry documented constraints.
fn emit_multipart_validate(ctx: &Ctx, name: &Ident, def: &MultipartDef) -> TokenStream {
    let field_checks: Vec<TokenStream> = def
        .parts
        .iter()
        .filter(|part| !is_file(part))
        .filter_map(|part| {
            let field = ident(&part.name);
            let wire = &part.wire;
            checks_of(
                ctx,
                &field_shape(part),
                quote! { self.#field },
                quote! { &path.field(#wire) },
            )
        })
        .collect();
    if field_checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl ::oapigen_runtime::Validate for #name {
            fn validate_at(&self, path: &::oapigen_runtime::ValidationPath, errors: &mut ::oapigen_runtime::ValidationErrors) {
                #(#field_checks)*
            }
        }
    }
}
