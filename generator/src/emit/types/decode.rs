//! A struct's hand-written `Deserialize`: one `match` from wire name to field.
//!
//! serde's derive writes a field enum with its own visitor, a `visit_seq` no JSON API needs
//! and duplicate checks, about a dozen statements per field, which rustc pays for on every
//! build of a large client. This writes a slot per field, one match arm per wire name and a
//! `required` for each field that must be present; `oapigen_runtime::de` holds the rest.
//! Behaviour is the derive's (see that module), except that a duplicate key is not an
//! error: the last value wins.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::ident;
use crate::ir::{Field, StructDef};

/// `impl Deserialize` and `impl DecodeStruct` for the struct `name`.
pub fn emit_struct_deserialize(name: &Ident, def: &StructDef) -> TokenStream {
    let type_name = name.to_string();
    let slots = def.fields.iter().map(|f| {
        let field = ident(&f.name);
        quote! { let mut #field = None; }
    });
    let arms = def.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        let value = value_of(f);
        quote! { #wire => #field = #value, }
    });
    let additional = def.additional.is_some().then(|| {
        quote! { let mut additional_properties = ::std::collections::BTreeMap::new(); }
    });
    let (other, other_stmt) = if def.additional.is_some() {
        let insert =
            quote! { additional_properties.insert(key_.into_string(), map_.next_value()?); };
        (quote! { { #insert } }, insert)
    } else if def.deny_unknown {
        let wires = def.fields.iter().map(|f| &f.wire);
        let refuse = quote! { de::unknown_key(&mut map_, key_.as_str(), &[#(#wires),*])? };
        (refuse.clone(), quote! { #refuse; })
    } else {
        (
            quote! { de::skip(&mut map_)? },
            quote! { de::skip(&mut map_)?; },
        )
    };
    // No `match` with a single arm (clippy's `match_single_binding`) for a struct without
    // fields.
    let entries = if def.fields.is_empty() && def.additional.is_none() && !def.deny_unknown {
        quote! {
            while de::next_key(&mut map_)?.is_some() {
                #other_stmt
            }
        }
    } else if def.fields.is_empty() {
        quote! {
            while let Some(key_) = de::next_key(&mut map_)? {
                #other_stmt
            }
        }
    } else {
        quote! {
            while let Some(key_) = de::next_key(&mut map_)? {
                match key_.as_str() {
                    #(#arms)*
                    _ => #other,
                }
            }
        }
    };
    let inits = def.fields.iter().map(|f| {
        let field = ident(&f.name);
        if f.optional() {
            quote! { #field, }
        } else {
            let wire = &f.wire;
            quote! { #field: de::required(#field, #wire)?, }
        }
    });
    let additional_init = def
        .additional
        .is_some()
        .then(|| quote! { additional_properties, });
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::oapigen_runtime::de::decode_struct(deserializer)
            }
        }
        impl ::oapigen_runtime::de::DecodeStruct for #name {
            const NAME: &'static str = #type_name;
            fn decode_fields<'de, A: ::serde::de::MapAccess<'de>>(mut map_: A) -> Result<Self, A::Error> {
                // By path, not imported: a local named after a field (`required`) must not
                // shadow a helper. A local never shadows the module `de` (another namespace).
                use ::oapigen_runtime::de;
                #(#slots)*
                #additional
                #entries
                Ok(Self { #(#inits)* #additional_init })
            }
        }
    }
}

/// What the match arm of `field` assigns to its slot. A slot is an `Option`: `Some` once a
/// required field arrived; an optional field's own `Option` (so `null` is `None`).
fn value_of(field: &Field) -> TokenStream {
    let constant = field
        .union_constant
        .then(|| field.shape.one_number())
        .flatten()
        .map(proc_macro2::Literal::f64_unsuffixed);
    if let Some(constant) = constant {
        let wire = &field.wire;
        return if field.optional() {
            quote! { de::optional_constant(map_.next_value()?, #constant, #wire)? }
        } else {
            quote! { Some(de::constant(map_.next_value()?, #constant, #wire)?) }
        };
    }
    // A date-time is parsed by the runtime, which also reads the spellings servers send
    // besides RFC 3339 when a body did not decode strictly.
    if field.date_time {
        return if field.optional() {
            quote! { de::optional_date_time(&mut map_)? }
        } else {
            quote! { Some(de::date_time(&mut map_)?) }
        };
    }
    match (field.optional(), field.numeric_string) {
        (false, false) => quote! { Some(map_.next_value()?) },
        (true, false) => quote! { map_.next_value()? },
        (false, true) => quote! { Some(de::number(&mut map_)?) },
        (true, true) => quote! { de::optional_number(&mut map_)? },
    }
}
