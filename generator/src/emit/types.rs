//! Named types: structs, string enums, unions, aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code_text;
use super::validate::{checks, checks_of};
use super::{doc_attrs, ident, raw_doc, Ctx};
use crate::ir::{
    EnumValue, Field, Presence, Shape, StructDef, Ty, TypeDef, TypeKind, UnionVariant,
};
use crate::naming;

mod decode;

/// The items of one named type.
pub fn emit_type(ctx: &Ctx, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let mut docs = doc_attrs(def.docs.as_deref());
    if def.deprecated {
        docs.extend(quote! { #[deprecated] });
    }
    // Both were parsed when the configuration was applied (`Customize::validate`).
    if let Some(path) = def.replacement.as_deref() {
        if let Ok(path) = syn::parse_str::<syn::Path>(path) {
            let note = raw_doc("\nReplaced by the configuration with an existing type.");
            return quote! { #docs #note pub type #name = #path; };
        }
    }
    for attribute in &def.attributes {
        if let Ok(tokens) = attribute.parse::<TokenStream>() {
            docs.extend(tokens);
        }
    }
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(ctx, &name, docs, s),
        TypeKind::StringEnum(values) => emit_string_enum(&name, docs, values, !def.union_constant),
        TypeKind::Tagged { tag, variants } => emit_tagged(ctx, &name, docs, tag, variants),
        TypeKind::Untagged(variants) => emit_untagged(ctx, &name, docs, variants),
        TypeKind::Alias(shape) => {
            let ty = ctx.ty(shape);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn field_type(ctx: &Ctx, field: &Field) -> TokenStream {
    let inner = ctx.ty(&field.shape);
    let inner = if field.boxed {
        quote! { Box<#inner> }
    } else {
        inner
    };
    if field.optional() {
        quote! { Option<#inner> }
    } else {
        inner
    }
}

fn emit_struct(
    ctx: &Ctx,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    def: &StructDef,
) -> TokenStream {
    let sensitive = def.fields.iter().any(|f| f.sensitive);
    let all_optional = def.fields.iter().all(Field::optional);
    let mut derives = vec![quote! { Clone }, quote! { PartialEq }, quote! { Serialize }];
    if !sensitive {
        derives.insert(1, quote! { Debug });
    }
    if all_optional {
        derives.push(quote! { Default });
    }
    let tag_note = def.omitted_tag.as_ref().map(|tag| {
        raw_doc(&format!(
            "\nThe `{}` property is not a field: the enclosing union's tag carries it.",
            code_text(tag)
        ))
    });
    let presence_note = presence_note(&def.presence);
    let fields = def.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(ctx, field);
        let field_docs = doc_attrs(field.docs.as_deref());
        let deprecated = field.deprecated.then(|| quote! { #[deprecated] });
        let rename = (field.name.bare() != field.wire).then(|| {
            let wire = &field.wire;
            quote! { rename = #wire, }
        });
        let skip = (!field.required).then(|| quote! { skip_serializing_if = "Option::is_none", });
        let serde = if rename.is_some() || skip.is_some() {
            quote! { #[serde(#rename #skip)] }
        } else {
            quote! {}
        };
        quote! { #field_docs #deprecated #serde pub #field_name: #ty, }
    });
    let additional = def.additional.as_ref().map(|shape| {
        let value = ctx.ty(shape);
        quote! {
            /// Properties not listed in the schema.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<String, #value>,
        }
    });
    let constructor = emit_constructor(ctx, name, def);
    let validate = emit_struct_validate(ctx, name, def);
    let debug = sensitive.then(|| emit_redacted_debug(name, def));
    let deserialize = decode::emit_struct_deserialize(name, def);
    quote! {
        #docs
        #tag_note #presence_note
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #deserialize
        #constructor
        #validate
        #debug
    }
}

fn emit_constructor(ctx: &Ctx, name: &proc_macro2::Ident, def: &StructDef) -> TokenStream {
    let required: Vec<&Field> = def.fields.iter().filter(|f| !f.optional()).collect();
    let params = required.iter().map(|f| {
        let field_name = ident(&f.name);
        let ty = ctx.ty(&f.shape);
        quote! { #field_name: #ty }
    });
    let inits = def.fields.iter().map(|f| {
        let field_name = ident(&f.name);
        if f.optional() {
            quote! { #field_name: None }
        } else if f.boxed {
            quote! { #field_name: Box::new(#field_name) }
        } else {
            quote! { #field_name }
        }
    });
    let additional_init = def
        .additional
        .as_ref()
        .map(|_| quote! { additional_properties: ::std::collections::BTreeMap::new(), });
    let setters = def.fields.iter().filter(|f| f.optional()).map(|f| {
        let field_name = ident(&f.name);
        let setter = ident(&naming::setter(&f.name));
        let ty = ctx.ty(&f.shape);
        let doc = raw_doc(&format!("Sets `{}`.", code_text(&f.wire)));
        let value = if f.boxed {
            quote! { Box::new(value) }
        } else {
            quote! { value }
        };
        quote! {
            #doc
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field_name = Some(#value);
                self
            }
        }
    });
    let many = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let new_doc = if required.is_empty() {
        raw_doc("A value with every optional field unset.")
    } else {
        raw_doc("A value from its required fields; optional fields start unset.")
    };
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #additional_init }
            }
            #(#setters)*
        }
    }
}

fn emit_struct_validate(ctx: &Ctx, name: &proc_macro2::Ident, def: &StructDef) -> TokenStream {
    let field_checks: Vec<TokenStream> = def
        .fields
        .iter()
        .filter_map(|f| {
            let field_name = ident(&f.name);
            let wire = &f.wire;
            let shape = if f.optional() {
                Shape::plain(Ty::Option(Box::new(f.shape.clone())))
            } else {
                f.shape.clone()
            };
            checks_of(
                ctx,
                &shape,
                quote! { self.#field_name },
                quote! { &path.field(#wire) },
            )
        })
        .collect();
    let additional = def.additional.as_ref().and_then(|shape| {
        let body = checks(ctx, shape)?;
        Some(quote! {
            for (key, value) in &self.additional_properties {
                let path = &path.field(key);
                #body
            }
        })
    });
    let presence = def.presence.iter().map(|rule| emit_presence(def, rule));
    emit_validate_impl(name, quote! { #(#field_checks)* #additional #(#presence)* })
}

/// The presence rules in the struct's docs (a user cannot see them in the field types).
fn presence_note(rules: &[Presence]) -> Option<TokenStream> {
    let lines: Vec<String> = rules
        .iter()
        .map(|rule| {
            format!(
                "- {}",
                rule.describe(|wire| format!("`{}`", code_text(wire)))
            )
        })
        .collect();
    (!lines.is_empty()).then(|| {
        raw_doc(&format!(
            "\nSent with (checked before sending):\n{}",
            lines.join("\n")
        ))
    })
}

/// The check of one presence rule: whether each group's properties are all set.
fn emit_presence(def: &StructDef, rule: &Presence) -> TokenStream {
    // A required property is always sent (so is a tag the union writes).
    let present = |group: &[String]| {
        let set: Vec<TokenStream> = group
            .iter()
            .filter_map(|wire| def.fields.iter().find(|field| &field.wire == wire))
            .filter(|field| !field.required)
            .map(|field| {
                let name = ident(&field.name);
                quote! { self.#name.is_some() }
            })
            .collect();
        if set.is_empty() {
            quote! { true }
        } else {
            quote! { #(#set)&&* }
        }
    };
    let alternatives = |groups: &[Vec<String>]| {
        let present = groups.iter().map(|group| present(group));
        let names = groups.iter().map(|group| quote! { &[#(#group),*] });
        (quote! { &[#(#present),*] }, quote! { &[#(#names),*] })
    };
    match rule {
        Presence::AnyOf(groups) => {
            let (present, names) = alternatives(groups);
            quote! { errors.any_present(path, #present, #names); }
        }
        Presence::OneOf(groups) => {
            let (present, names) = alternatives(groups);
            quote! { errors.one_present(path, #present, #names); }
        }
        Presence::Not(group) => {
            let present = present(group);
            quote! { errors.not_all_present(path, #present, &[#(#group),*]); }
        }
    }
}

/// `impl Validate`; an empty one (the trait's no-op default) when there is nothing to check.
pub fn emit_validate_impl(name: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    if body.is_empty() {
        return quote! { impl Validate for #name {} };
    }
    quote! {
        impl Validate for #name {
            fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
                #body
            }
        }
    }
}

fn emit_redacted_debug(name: &proc_macro2::Ident, def: &StructDef) -> TokenStream {
    let type_name = name.to_string();
    let fields = def.fields.iter().map(|f| {
        let field_name = ident(&f.name);
        let label = f.name.bare();
        if f.sensitive {
            quote! { .field(#label, &"[redacted]") }
        } else {
            quote! { .field(#label, &self.#field_name) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish_non_exhaustive()
            }
        }
    }
}

/// A string enum with hand-written serde impls: `as_str` and a `match` on the wire value.
/// (serde's derive would go through its buffered untagged path for `Unknown`, slow to run and
/// to compile: string enums are the most numerous types of large specs.)
fn emit_string_enum(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    values: &[EnumValue],
    liberal: bool,
) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = raw_doc(&format!("`{}`", code_text(&v.wire)));
        quote! { #doc #variant, }
    });
    let to_wire = values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote! { Self::#variant => #wire, }
    });
    // Received values are decoded liberally: one the spec does not list is kept in `Unknown`
    // (and refused when sending). The exception is a one-value enum that tells alternatives
    // of an untagged union apart: it must refuse other values so decoding tries the next one.
    let open = values.len() > 1 || liberal;
    let (unknown, unknown_arm, from_wire, deserialize, validate) = if open {
        let from_wire = values.iter().map(|v| {
            let variant = ident(&v.name);
            let wire = &v.wire;
            quote! { #wire => Self::#variant, }
        });
        (
            quote! {
                /// A value this version of the client does not know; kept as received.
                Unknown(String),
            },
            quote! { Self::Unknown(value) => value, },
            quote! {
                /// The variant of a wire value; one the spec does not list is kept in `Unknown`.
                pub fn from_wire(value: String) -> Self {
                    match value.as_str() {
                        #(#from_wire)*
                        _ => Self::Unknown(value),
                    }
                }
            },
            quote! { String::deserialize(deserializer).map(Self::from_wire) },
            // `Unknown` is sent back as received: validation checks what the user builds
            // from documented values, and a value the server sent is one it accepts.
            emit_validate_impl(name, TokenStream::new()),
        )
    } else {
        let value = &values[0];
        let (variant, wire) = (ident(&value.name), &value.wire);
        (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            quote! {
                let value = String::deserialize(deserializer)?;
                if value == #wire {
                    Ok(Self::#variant)
                } else {
                    Err(::serde::de::Error::unknown_variant(&value, &[#wire]))
                }
            },
            emit_validate_impl(name, TokenStream::new()),
        )
    };
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    #unknown_arm
                }
            }
            #from_wire
        }
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ParamValue for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
        #validate
    }
}

fn variant_payload(ctx: &Ctx, variant: &UnionVariant) -> TokenStream {
    let ty = ctx.ty(&variant.shape);
    if variant.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

fn union_validate(
    ctx: &Ctx,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    extra_arm: TokenStream,
    extra_checks: bool,
) -> TokenStream {
    let variant_checks: Vec<Option<TokenStream>> =
        variants.iter().map(|v| checks(ctx, &v.shape)).collect();
    if variant_checks.iter().all(Option::is_none) && !extra_checks {
        return emit_validate_impl(name, TokenStream::new());
    }
    let arms = variants.iter().zip(variant_checks).map(|(v, body)| {
        let variant = ident(&v.name);
        match body {
            Some(body) => quote! { Self::#variant(value) => { #body } },
            None => quote! { Self::#variant(_) => {} },
        }
    });
    emit_validate_impl(
        name,
        quote! {
            match self {
                #(#arms)*
                #extra_arm
            }
        },
    )
}

/// `From<Payload>` for each variant whose payload type no other variant shares.
fn union_froms(ctx: &Ctx, name: &proc_macro2::Ident, variants: &[UnionVariant]) -> TokenStream {
    let keys: Vec<String> = variants
        .iter()
        .map(|v| ctx.canonical_key(&v.shape))
        .collect();
    let impls = variants.iter().zip(&keys).filter_map(|(v, key)| {
        let shares = keys.iter().filter(|other| *other == key).count() > 1;
        if shares || v.boxed || matches!(v.shape.ty, Ty::Json) {
            return None;
        }
        let variant = ident(&v.name);
        let ty = ctx.ty(&v.shape);
        Some(quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(value)
                }
            }
        })
    });
    quote! { #(#impls)* }
}

fn emit_tagged(
    ctx: &Ctx,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    tag: &str,
    variants: &[UnionVariant],
) -> TokenStream {
    let row = |v: &UnionVariant| {
        let variant = ident(&v.name);
        let payload = variant_payload(ctx, v);
        let wire = v.tag_value.as_deref().unwrap_or(&v.name);
        let doc = raw_doc(&format!("`{}: {}`", code_text(tag), code_text(wire)));
        // A payload that keeps its tag property (it is used outside this union too) is
        // written as itself; serde wants such variants last.
        let attribute = if v.keeps_tag {
            quote! { #[serde(untagged)] }
        } else {
            quote! { #[serde(rename = #wire)] }
        };
        quote! { #doc #attribute #variant(#payload), }
    };
    let rows = variants.iter().filter(|v| !v.keeps_tag).map(row);
    let own_tags = variants.iter().filter(|v| v.keeps_tag).map(row);
    let note = raw_doc(&format!(
        "\nThe `{}` property selects the variant; unknown values decode as `Unknown`.",
        code_text(tag)
    ));
    let documented = variants
        .iter()
        .map(|v| v.tag_value.as_deref().unwrap_or(&v.name))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("`{tag}` is none of the documented values: {documented}");
    let unknown_arm = quote! {
        Self::Unknown => errors.push(path.as_str(), "discriminator", String::from(#message)),
    };
    let validate = union_validate(ctx, name, variants, unknown_arm, true);
    let froms = union_froms(ctx, name, variants);
    // Hand-written rather than serde's `tag`, whose private buffer no liberal reading reaches:
    // the variant is read the way the whole document is (`oapigen_runtime::de::variant`).
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = v.tag_value.as_deref().unwrap_or(&v.name);
        if v.keeps_tag {
            quote! { #wire => de::variant(de::with_tag(value, #tag, #wire)).map(Self::#variant), }
        } else {
            quote! { #wire => de::variant(value).map(Self::#variant), }
        }
    });
    quote! {
        #docs
        #note
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = #tag)]
        #[non_exhaustive]
        pub enum #name {
            #(#rows)*
            /// A variant this version of the client does not know.
            Unknown,
            #(#own_tags)*
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use ::oapigen_runtime::de;
                let (tag, value) = de::tagged(deserializer, #tag)?;
                match tag.as_str() {
                    #(#arms)*
                    _ => Ok(Self::Unknown),
                }
            }
        }
        #validate
        #froms
    }
}

fn emit_untagged(
    ctx: &Ctx,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[UnionVariant],
) -> TokenStream {
    let rows = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let payload = variant_payload(ctx, v);
        quote! { #variant(#payload), }
    });
    let has_json = variants.iter().any(|v| matches!(v.shape.ty, Ty::Json));
    let other = (!has_json).then(|| {
        quote! {
            /// A value matching none of the documented alternatives; kept as received.
            Other(::serde_json::Value),
        }
    });
    let note = raw_doc(
        "\nDecoding tries the variants in the order listed and takes the first that matches.",
    );
    let extra_arm = if has_json {
        TokenStream::new()
    } else {
        // Say why each documented alternative refused the value. (Unlike a string enum's
        // `Unknown`, `Other` is refused: it is mostly a value built wrong, such as a
        // template name that does not exist.)
        let attempts = variants.iter().map(|v| {
            let payload = variant_payload(ctx, v);
            let reason = format!("{}: {{err}}", v.name.bare());
            quote! {
                if let Err(err) = ::serde_json::from_value::<#payload>(value.clone()) {
                    reasons.push(format!(#reason));
                }
            }
        });
        quote! {
            Self::Other(value) => {
                let mut reasons: Vec<String> = Vec::new();
                #(#attempts)*
                errors.push(
                    path.as_str(),
                    "oneOf",
                    format!("matches none of the documented alternatives ({})", reasons.join("; ")),
                );
            }
        }
    };
    let validate = union_validate(ctx, name, variants, extra_arm, !has_json);
    let froms = union_froms(ctx, name, variants);
    quote! {
        #docs
        #note
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#rows)*
            #other
        }
        #validate
        #froms
    }
}
