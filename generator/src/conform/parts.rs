//! Multipart bodies in the harness: the generated body struct built through its `new`
//! (required parts) and `with_…` setters (optional parts present in the value), with file
//! parts as small in-memory files, since a multipart body is not decoded from JSON.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::values::distinct;
use crate::emit::ident;
use crate::ir::{MultipartDef, PartDef, PartKind};

/// The expression of a `def` body carrying `value` (the object synthesized for the media
/// type's schema); each non-file part decodes from its JSON value like any argument.
pub(super) fn body_expr(krate: &Ident, def: &MultipartDef, value: &Value) -> TokenStream {
    let name = ident(&def.name);
    let object = value.as_object();
    let present = |part: &PartDef| {
        object
            .and_then(|object| object.get(&part.wire))
            .filter(|v| !v.is_null())
    };
    let args = def
        .parts
        .iter()
        .filter(|part| part.required)
        .map(|part| part_expr(part, present(part)));
    let setters = def
        .parts
        .iter()
        .filter(|part| !part.required)
        .filter_map(|part| {
            let value = present(part)?;
            let setter = format_ident!("with_{}", part.name.bare());
            let expr = part_expr(part, Some(value));
            Some(quote! { .#setter(#expr) })
        });
    quote! { #krate::operations::#name::new(#(#args),*) #(#setters)* }
}

fn part_expr(part: &PartDef, value: Option<&Value>) -> TokenStream {
    let file = quote! {
        rt::FilePart::bytes(rt::bytes::Bytes::from_static(b"conform")).file_name("conform.txt")
    };
    match part.kind {
        PartKind::File => file,
        PartKind::Files => quote! { vec![#file] },
        PartKind::Value | PartKind::List | PartKind::Json => {
            let what = format!("multipart part `{}`", part.wire);
            let mut value = value
                .cloned()
                .unwrap_or_else(|| Value::String("conform".to_owned()));
            // One part of a list reads as a scalar to a form parser (Prism's too): send two.
            if let (PartKind::List, Value::Array(items)) = (&part.kind, &mut value) {
                if let [only] = items.as_slice() {
                    let second = distinct(only.clone(), 1);
                    items.push(second);
                }
            }
            let json = value.to_string();
            quote! { v(#what, #json)? }
        }
    }
}
