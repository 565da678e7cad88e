//! The spec's security schemes as the client sees them: the static scheme table, one
//! `ClientBuilder` method per scheme, and each operation's requirement alternatives.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, raw_doc};
use crate::ir::{ApiKeyIn, Operation, SchemeKind, SecurityScheme};

/// `const SECURITY_SCHEMES`, handed to the runtime by `ClientBuilder::build`.
pub(crate) fn emit_scheme_table(schemes: &[SecurityScheme]) -> TokenStream {
    let entries = schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let method = scheme.method.bare();
        let kind = runtime_kind(&scheme.kind);
        quote! { ::oapigen_runtime::SecurityScheme::new(#name, #method, #kind), }
    });
    quote! {
        /// The spec's security schemes (`components.securitySchemes`).
        const SECURITY_SCHEMES: &[::oapigen_runtime::SecurityScheme] = &[#(#entries)*];
    }
}

fn runtime_kind(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyIn::Header => quote! { Header },
                ApiKeyIn::Query => quote! { Query },
                ApiKeyIn::Cookie => quote! { Cookie },
            };
            quote! {
                ::oapigen_runtime::SchemeKind::ApiKey {
                    location: ::oapigen_runtime::ApiKeyLocation::#location,
                    name: #name,
                }
            }
        }
        kind if kind.is_basic() => quote! { ::oapigen_runtime::SchemeKind::Basic },
        kind if kind.is_bearer() => quote! { ::oapigen_runtime::SchemeKind::Bearer },
        SchemeKind::Http { scheme, .. } => {
            quote! { ::oapigen_runtime::SchemeKind::Http { scheme: #scheme } }
        }
        SchemeKind::OAuth2 { token_url, .. } => {
            let token_url = match token_url {
                Some(url) => quote! { Some(#url) },
                None => quote! { None },
            };
            quote! { ::oapigen_runtime::SchemeKind::OAuth2 { token_url: #token_url } }
        }
        SchemeKind::OpenIdConnect { url } => {
            quote! { ::oapigen_runtime::SchemeKind::OpenIdConnect { discovery_url: #url } }
        }
    }
}

/// One `ClientBuilder` method per scheme, its signature decided by the scheme's kind.
pub(crate) fn emit_scheme_methods(schemes: &[SecurityScheme]) -> TokenStream {
    let methods = schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let method = ident(&scheme.method);
        let mut text = format!("Credentials of the `{}` security scheme: {}.", name.replace('`', "'"), placement(&scheme.kind));
        if let Some(description) = scheme
            .description
            .as_deref()
            .map(super::docs::sanitize)
            .filter(|d| !d.is_empty())
        {
            text.push_str("\n\n");
            text.push_str(&description);
        }
        let doc = raw_doc(&text);
        let (args, credentials) = match &scheme.kind {
            SchemeKind::ApiKey { .. } => (
                quote! { key: impl Into<::oapigen_runtime::Secret> },
                quote! { ::oapigen_runtime::Credentials::api_key(key) },
            ),
            kind if kind.is_basic() => (
                quote! { username: impl Into<String>, password: impl Into<::oapigen_runtime::Secret> },
                quote! { ::oapigen_runtime::Credentials::basic(username, password) },
            ),
            SchemeKind::Http { .. } => (
                quote! { token: impl Into<::oapigen_runtime::Secret> },
                quote! { ::oapigen_runtime::Credentials::bearer(token) },
            ),
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => (
                quote! { credentials: ::oapigen_runtime::Credentials },
                quote! { credentials },
            ),
        };
        quote! {
            #doc
            pub fn #method(mut self, #args) -> Self {
                self.security.set(#name, #credentials);
                self
            }
        }
    });
    quote! { #(#methods)* }
}

/// Where a scheme's credential goes, for its builder method's documentation.
fn placement(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::ApiKey { location, name } => {
            let name = name.replace('`', "'");
            match location {
                ApiKeyIn::Header => format!("an API key, sent in the `{name}` header"),
                ApiKeyIn::Query => format!("an API key, sent as the `{name}` query parameter"),
                ApiKeyIn::Cookie => format!("an API key, sent as the `{name}` cookie"),
            }
        }
        kind if kind.is_basic() => {
            "a user name and password, sent as `Authorization: Basic …`".to_owned()
        }
        kind if kind.is_bearer() => "a token, sent as `Authorization: Bearer …`".to_owned(),
        SchemeKind::Http { scheme, .. } => format!(
            "a token, sent as `Authorization: {} …`",
            scheme.replace('`', "'")
        ),
        SchemeKind::OAuth2 { token_url, .. } => match token_url {
            Some(url) => format!(
                "OAuth 2.0 (token URL <{}>): `Credentials::client_credentials`, `refresh_token`, `bearer` or `provider`",
                url.replace(['<', '>', '`'], "")
            ),
            None => "OAuth 2.0: `Credentials::bearer` or `provider`".to_owned(),
        },
        SchemeKind::OpenIdConnect { url } => format!(
            "OpenID Connect (discovery document <{}>), sent as an OAuth 2.0 bearer token: `Credentials::bearer` or `provider`",
            url.replace(['<', '>', '`'], "")
        ),
    }
}

/// The operation's requirement alternatives as a local `const SECURITY` (a constant, so
/// the `const fn` calls in it are `'static`), and the `.security(SECURITY)` call that
/// hands them to its `ApiRequest`; nothing when it needs none.
pub(crate) fn emit_requirements(op: &Operation) -> (TokenStream, TokenStream) {
    if op.security.is_empty() {
        return (TokenStream::new(), TokenStream::new());
    }
    let alternatives = op.security.iter().map(|requirement| {
        let uses = requirement.schemes.iter().map(|used| {
            let scheme = &used.scheme;
            let scopes = &used.scopes;
            quote! { ::oapigen_runtime::SchemeUse::new(#scheme, &[#(#scopes),*]) }
        });
        quote! { &[#(#uses),*] }
    });
    (
        quote! { const SECURITY: &[::oapigen_runtime::Requirement] = &[#(#alternatives),*]; },
        quote! { .security(SECURITY) },
    )
}
