//! Security schemes as a spec declares them, what each operation requires, and which
//! credentials the client holds for each scheme.
//!
//! A generated client passes its spec's schemes as static data ([`SecurityScheme`]) and
//! each operation its requirement alternatives ([`SchemeUse`] lists); the transport picks
//! the first alternative it holds credentials for and places each credential where its
//! scheme says (header, query, cookie, `Authorization`).

use std::fmt;

use crate::auth::Credentials;

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// What kind of scheme a [`SecurityScheme`] is, and what it needs to place its credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `apiKey`: the key, as is, in the named header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// `http` `basic`: `Authorization: Basic base64(user:password)`.
    Basic,
    /// `http` `bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// Any other `http` scheme: `Authorization: <scheme> <token>`.
    Http {
        /// The scheme name as the spec writes it (`Token`, `Digest`, …).
        scheme: &'static str,
    },
    /// `oauth2`: a bearer token from the token URL (or given as is).
    OAuth2 {
        /// The token URL of its client-credentials (else authorization-code) flow.
        token_url: Option<&'static str>,
    },
    /// `openIdConnect`: treated as OAuth 2.0 bearer; the discovery URL is documentation.
    OpenIdConnect {
        /// `openIdConnectUrl`.
        discovery_url: &'static str,
    },
}

impl SchemeKind {
    /// Whether this scheme carries an OAuth 2.0 (or OpenID Connect) token.
    pub fn is_oauth(self) -> bool {
        matches!(
            self,
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }
        )
    }

    /// Whether `credentials` are of a kind this scheme can send.
    pub fn accepts(self, credentials: &Credentials) -> bool {
        match self {
            SchemeKind::ApiKey { .. } => matches!(credentials, Credentials::ApiKey(_)),
            SchemeKind::Basic => matches!(credentials, Credentials::Basic { .. }),
            SchemeKind::Bearer | SchemeKind::Http { .. } => {
                matches!(
                    credentials,
                    Credentials::Bearer(_) | Credentials::Provider(_)
                )
            }
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => matches!(
                credentials,
                Credentials::Bearer(_)
                    | Credentials::ClientCredentials { .. }
                    | Credentials::RefreshToken { .. }
                    | Credentials::Provider(_)
            ),
        }
    }
}

/// One entry of the spec's `components.securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// The `ClientBuilder` method that sets its credentials (named in error messages).
    pub method: &'static str,
    /// Its kind.
    pub kind: SchemeKind,
}

impl SecurityScheme {
    /// A scheme named `name` in the spec, set with the builder method `method`.
    pub const fn new(name: &'static str, method: &'static str, kind: SchemeKind) -> Self {
        Self { name, method, kind }
    }
}

/// One scheme of a requirement, with the OAuth scopes the operation needs from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SchemeUse {
    /// The scheme's name in the spec.
    pub scheme: &'static str,
    /// Scopes (OAuth 2.0; other kinds list roles or nothing).
    pub scopes: &'static [&'static str],
}

impl SchemeUse {
    /// Scheme `scheme` with `scopes`.
    pub const fn new(scheme: &'static str, scopes: &'static [&'static str]) -> Self {
        Self { scheme, scopes }
    }
}

/// One requirement object: every scheme in it is sent together. Empty: nothing is needed.
pub type Requirement = &'static [SchemeUse];

/// The credentials a client holds, per scheme name (set by the generated builder methods).
#[derive(Clone, Default)]
pub struct SchemeCredentials(Vec<(&'static str, Credentials)>);

impl SchemeCredentials {
    /// Sets (or replaces) the credentials of scheme `scheme`.
    pub fn set(&mut self, scheme: &'static str, credentials: Credentials) {
        match self.0.iter_mut().find(|(name, _)| *name == scheme) {
            Some(entry) => entry.1 = credentials,
            None => self.0.push((scheme, credentials)),
        }
    }

    /// With the credentials of scheme `scheme` set.
    pub fn with(mut self, scheme: &'static str, credentials: Credentials) -> Self {
        self.set(scheme, credentials);
        self
    }

    /// The credentials of scheme `scheme`, when set.
    pub fn get(&self, scheme: &str) -> Option<&Credentials> {
        self.position(scheme).map(|at| &self.0[at].1)
    }

    /// Where the credentials of `scheme` are in [`Self::iter`]'s order.
    pub(crate) fn position(&self, scheme: &str) -> Option<usize> {
        self.0.iter().position(|(name, _)| *name == scheme)
    }

    /// Every scheme name with its credentials, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Credentials)> {
        self.0
            .iter()
            .map(|(name, credentials)| (*name, credentials))
    }

    /// Whether no scheme has credentials.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SchemeCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// Where one scheme of the chosen requirement takes its credentials from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The client's default credentials ([`crate::ClientConfig::credentials`]).
    Default,
    /// The credentials at this index of [`SchemeCredentials`].
    Scheme(usize),
}

/// One scheme of the requirement alternative chosen for a call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chosen {
    pub kind: SchemeKind,
    pub scopes: &'static [&'static str],
    pub source: Source,
}

/// Looks up schemes and credentials to choose a requirement alternative.
pub(crate) struct Resolver<'a> {
    pub schemes: &'a [SecurityScheme],
    pub by_scheme: &'a SchemeCredentials,
    pub default: &'a Credentials,
    /// Whether the spec has an OAuth 2.0 or OpenID Connect scheme.
    pub has_oauth: bool,
}

impl Resolver<'_> {
    /// Where the credentials of `scheme` come from, if the client has any for it.
    fn source(&self, scheme: &SecurityScheme) -> Option<Source> {
        if let Some(at) = self.by_scheme.position(scheme.name) {
            let held = &self.by_scheme.0[at].1;
            return scheme.kind.accepts(held).then_some(Source::Scheme(at));
        }
        let default_applies =
            scheme.kind.is_oauth() || (scheme.kind == SchemeKind::Bearer && !self.has_oauth);
        (default_applies && scheme.kind.accepts(self.default)).then_some(Source::Default)
    }

    /// The first alternative of `requirements` the client has every credential for, with
    /// alternatives that need nothing (`{}`) taken only when no other one can be met.
    ///
    /// `Ok(empty)` when nothing is to be sent; `Err` names the schemes the operation accepts.
    pub(crate) fn choose(
        &self,
        operation_id: &str,
        requirements: &[Requirement],
    ) -> Result<Vec<Chosen>, String> {
        let mut optional = requirements.is_empty();
        for requirement in requirements {
            if requirement.is_empty() {
                optional = true;
                continue;
            }
            let chosen: Option<Vec<Chosen>> = requirement
                .iter()
                .map(|used| {
                    let scheme = self.schemes.iter().find(|s| s.name == used.scheme)?;
                    Some(Chosen {
                        kind: scheme.kind,
                        scopes: used.scopes,
                        source: self.source(scheme)?,
                    })
                })
                .collect();
            if let Some(chosen) = chosen {
                return Ok(chosen);
            }
        }
        if optional {
            return Ok(Vec::new());
        }
        Err(self.missing(operation_id, requirements))
    }

    /// The message for an operation none of whose requirements the client can meet.
    fn missing(&self, operation_id: &str, requirements: &[Requirement]) -> String {
        let alternatives: Vec<String> = requirements
            .iter()
            .map(|requirement| {
                let names: Vec<String> = requirement
                    .iter()
                    .map(
                        |used| match self.schemes.iter().find(|s| s.name == used.scheme) {
                            Some(scheme) => {
                                format!("`{}` (ClientBuilder::{})", scheme.name, scheme.method)
                            }
                            None => format!("`{}` (not declared in the spec)", used.scheme),
                        },
                    )
                    .collect();
                names.join(" and ")
            })
            .collect();
        format!(
            "`{operation_id}` needs credentials for {}{}; none were given to the client",
            if alternatives.len() > 1 {
                "one of "
            } else {
                ""
            },
            alternatives.join(", or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: &[SecurityScheme] = &[
        SecurityScheme::new(
            "key",
            "key",
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                name: "X-Key",
            },
        ),
        SecurityScheme::new("basic", "basic", SchemeKind::Basic),
        SecurityScheme::new("bearer", "bearer", SchemeKind::Bearer),
        SecurityScheme::new("oauth", "oauth", SchemeKind::OAuth2 { token_url: None }),
    ];

    fn resolver<'a>(by_scheme: &'a SchemeCredentials, default: &'a Credentials) -> Resolver<'a> {
        Resolver {
            schemes: SCHEMES,
            by_scheme,
            default,
            has_oauth: true,
        }
    }

    const KEY: &[SchemeUse] = &[SchemeUse::new("key", &[])];
    const BEARER: &[SchemeUse] = &[SchemeUse::new("bearer", &[])];
    const BASIC_AND_OAUTH: &[SchemeUse] = &[
        SchemeUse::new("basic", &[]),
        SchemeUse::new("oauth", &["read"]),
    ];

    #[test]
    fn first_alternative_with_credentials_wins_and_empty_ones_come_last() {
        let held = SchemeCredentials::default().with("key", Credentials::api_key("k"));
        let none = Credentials::None;
        let chosen = resolver(&held, &none)
            .choose("op", &[&[], BASIC_AND_OAUTH, KEY])
            .expect("key alternative");
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].source, Source::Scheme(0));
        let empty = SchemeCredentials::default();
        assert!(resolver(&empty, &none)
            .choose("op", &[KEY, &[]])
            .expect("optional")
            .is_empty());
    }

    #[test]
    fn default_credentials_serve_oauth_schemes_only() {
        let empty = SchemeCredentials::default();
        let default = Credentials::bearer("t");
        let held = SchemeCredentials::default().with("basic", Credentials::basic("u", "p"));
        let chosen = resolver(&held, &default)
            .choose("op", &[BASIC_AND_OAUTH])
            .expect("basic and oauth");
        assert_eq!(chosen[0].source, Source::Scheme(0));
        assert_eq!(chosen[1].source, Source::Default);
        assert_eq!(chosen[1].scopes, &["read"]);
        // With an OAuth scheme in the spec, the default does not go to a bearer scheme.
        let err = resolver(&empty, &default)
            .choose("getPet", &[BEARER, KEY])
            .expect_err("no bearer credentials");
        assert_eq!(
            err,
            "`getPet` needs credentials for one of `bearer` (ClientBuilder::bearer), or `key` \
             (ClientBuilder::key); none were given to the client"
        );
    }

    #[test]
    fn credentials_of_the_wrong_kind_do_not_count() {
        let held = SchemeCredentials::default().with("key", Credentials::bearer("t"));
        let none = Credentials::None;
        assert!(resolver(&held, &none).choose("op", &[KEY]).is_err());
    }
}
