//! Security schemes and requirements: spec → IR.
//!
//! Every entry of `components.securitySchemes` becomes a [`SecurityScheme`] with the name
//! of the `ClientBuilder` method that sets its credentials; each operation gets its
//! effective requirement alternatives ([`SecurityRequirement`]s: its own `security`, else
//! the document's; `security: []` is none).

use crate::naming::RustIdent;
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as SpecScheme};
use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::naming;

/// One entry of `components.securitySchemes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecurityScheme {
    /// Its name in `components.securitySchemes` (what requirements refer to).
    pub name: String,
    /// The `ClientBuilder` method that sets its credentials (snake case, unique among the
    /// builder's methods; see [`naming::scheme_methods`]).
    pub method: RustIdent,
    /// What kind of scheme it is; decides the method's signature and where the credential
    /// goes.
    pub kind: SchemeKind,
    /// `description`.
    pub description: Option<String>,
}

/// The kind of a [`SecurityScheme`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SchemeKind {
    /// `apiKey`: `fn NAME(self, key: impl Into<Secret>) -> Self`.
    ApiKey {
        /// `in`.
        location: ApiKeyIn,
        /// `name`: the header, query parameter or cookie name.
        name: String,
    },
    /// `http`: `basic` takes `(username, password)`, every other scheme (`bearer`, …) a
    /// token.
    Http {
        /// `scheme` as written (`basic`, `Bearer`, `Token`, …; compared without case).
        scheme: String,
        /// `bearerFormat`.
        bearer_format: Option<String>,
    },
    /// `oauth2`: `fn NAME(self, credentials: Credentials) -> Self`.
    OAuth2 {
        /// The token URL of its client-credentials flow, else of its authorization-code
        /// or password flow.
        token_url: Option<String>,
        /// Every scope its flows list, in order, without repeats.
        scopes: Vec<String>,
    },
    /// `openIdConnect`: treated as OAuth 2.0 bearer; takes `Credentials`.
    OpenIdConnect {
        /// `openIdConnectUrl` (the discovery document).
        url: String,
    },
}

/// `in` of an `apiKey` scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ApiKeyIn {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl SchemeKind {
    /// Whether this is `http` `basic` (the method takes a user name and a password).
    pub fn is_basic(&self) -> bool {
        matches!(self, SchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("basic"))
    }

    /// Whether this is `http` `bearer`.
    pub fn is_bearer(&self) -> bool {
        matches!(self, SchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("bearer"))
    }

    /// Whether this is `oauth2` or `openIdConnect` (the method takes `Credentials`).
    pub fn is_oauth(&self) -> bool {
        matches!(
            self,
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }
        )
    }
}

/// One requirement object of a `security` list: every scheme in it is sent together.
/// Empty (`{}`): the operation may be called without credentials.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SecurityRequirement {
    /// The schemes, in spec order.
    pub schemes: Vec<SchemeUse>,
}

/// One scheme of a [`SecurityRequirement`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemeUse {
    /// The scheme's name in `components.securitySchemes`.
    pub scheme: String,
    /// The scopes (OAuth 2.0) or roles listed for it.
    pub scopes: Vec<String>,
}

/// The schemes of `components.securitySchemes`, in spec order.
pub(crate) fn schemes(
    openapi: &openapiv3::OpenAPI,
    document: &serde_json::Value,
    diagnostics: &mut Diagnostics,
) -> Vec<SecurityScheme> {
    let Some(components) = &openapi.components else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = format!(
            "/components/securitySchemes/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme.clone(),
            ReferenceOr::Reference { reference } => {
                match super::resolve::<SpecScheme>(document, reference) {
                    Some(scheme) => scheme,
                    None => {
                        diagnostics.warn(
                            &pointer,
                            format!("security scheme `$ref` {reference} does not resolve; the scheme is skipped"),
                        );
                        continue;
                    }
                }
            }
        };
        found.push((name.clone(), scheme));
    }
    let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    let methods = naming::scheme_methods(&names);
    found
        .into_iter()
        .zip(methods)
        .map(|((name, scheme), method)| {
            let (kind, description) = kind(scheme);
            SecurityScheme {
                name,
                method: method.into(),
                kind,
                description,
            }
        })
        .collect()
}

fn kind(scheme: SpecScheme) -> (SchemeKind, Option<String>) {
    match scheme {
        SpecScheme::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => ApiKeyIn::Header,
                APIKeyLocation::Query => ApiKeyIn::Query,
                APIKeyLocation::Cookie => ApiKeyIn::Cookie,
            };
            (SchemeKind::ApiKey { location, name }, description)
        }
        SpecScheme::HTTP {
            scheme,
            bearer_format,
            description,
            ..
        } => (
            SchemeKind::Http {
                scheme,
                bearer_format,
            },
            description,
        ),
        SpecScheme::OAuth2 {
            flows, description, ..
        } => {
            let token_url = flows
                .client_credentials
                .as_ref()
                .map(|flow| flow.token_url.clone())
                .or_else(|| {
                    flows
                        .authorization_code
                        .as_ref()
                        .map(|flow| flow.token_url.clone())
                })
                .or_else(|| flows.password.as_ref().map(|flow| flow.token_url.clone()));
            let mut scopes: Vec<String> = Vec::new();
            let lists = [
                flows.implicit.as_ref().map(|f| &f.scopes),
                flows.password.as_ref().map(|f| &f.scopes),
                flows.client_credentials.as_ref().map(|f| &f.scopes),
                flows.authorization_code.as_ref().map(|f| &f.scopes),
            ];
            for scope in lists.into_iter().flatten().flat_map(|list| list.keys()) {
                if !scopes.contains(scope) {
                    scopes.push(scope.clone());
                }
            }
            (SchemeKind::OAuth2 { token_url, scopes }, description)
        }
        SpecScheme::OpenIDConnect {
            open_id_connect_url,
            description,
            ..
        } => (
            SchemeKind::OpenIdConnect {
                url: open_id_connect_url,
            },
            description,
        ),
    }
}

/// The effective requirement alternatives of an operation: its own `security`, else the
/// document's. Alternatives naming a scheme the spec does not declare are dropped with a
/// warning at `pointer` (they could never be met).
pub(crate) fn requirements(
    own: Option<&Vec<openapiv3::SecurityRequirement>>,
    document_default: Option<&Vec<openapiv3::SecurityRequirement>>,
    schemes: &[SecurityScheme],
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<SecurityRequirement> {
    let Some(list) = own.or(document_default) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for requirement in list {
        let unknown: Vec<&str> = requirement
            .keys()
            .filter(|name| !schemes.iter().any(|s| &s.name == *name))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            diagnostics.warn(
                pointer,
                format!(
                    "security requirement names undeclared scheme(s) {}; that alternative is skipped",
                    unknown.join(", ")
                ),
            );
            continue;
        }
        out.push(SecurityRequirement {
            schemes: requirement
                .iter()
                .map(|(scheme, scopes)| SchemeUse {
                    scheme: scheme.clone(),
                    scopes: scopes.clone(),
                })
                .collect(),
        });
    }
    out
}
