//! The credentials a transport holds, and placing them on a request the way each security
//! scheme says.

use std::borrow::Cow;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use tokio::time::Instant;

use crate::auth::{Credentials, Secret};
use crate::config::{BuildError, ClientConfig};
use crate::error::{AuthFailure, SendFailure};
use crate::oauth::{FetchContext, OAuth};
use crate::redirect::Placed;
use crate::request::ApiRequest;
use crate::scheme::{ApiKeyLocation, Chosen, Resolver, SchemeKind, Source};

/// Token caches of the default credentials and of each scheme's own.
#[derive(Debug)]
pub(crate) struct Store {
    default_oauth: Option<OAuth>,
    /// One per entry of [`ClientConfig::scheme_credentials`], in its order.
    scheme_oauth: Vec<Option<OAuth>>,
    has_oauth: bool,
}

/// What a call sends: the schemes of its chosen requirement, and the token fetched for
/// each one that needs one.
pub(crate) struct Plan {
    pub chosen: Vec<Chosen>,
}

impl Plan {
    /// Whether any credential is sent.
    pub fn sends(&self) -> bool {
        !self.chosen.is_empty()
    }
}

impl Store {
    pub(crate) fn new(config: &ClientConfig) -> Result<Self, BuildError> {
        let token_url = |own: Option<&'static str>| -> Result<Option<url::Url>, BuildError> {
            match (&config.token_url, own) {
                (Some(url), _) => Ok(Some(url.clone())),
                (None, Some(own)) => url::Url::parse(own)
                    .map(Some)
                    .map_err(|err| BuildError::new(format!("invalid token URL `{own}`: {err}"))),
                (None, None) => Ok(None),
            }
        };
        let own_token_url = |scheme: &str| {
            config
                .security_schemes
                .iter()
                .filter(|s| scheme.is_empty() || s.name == scheme)
                .find_map(|s| match s.kind {
                    SchemeKind::OAuth2 { token_url } => token_url,
                    _ => None,
                })
        };
        let default_oauth = OAuth::new(
            &config.credentials,
            token_url(own_token_url(""))?,
            config.token_refresh_ahead,
        );
        let mut scheme_oauth = Vec::new();
        for (scheme, credentials) in config.scheme_credentials.iter() {
            scheme_oauth.push(OAuth::new(
                credentials,
                token_url(own_token_url(scheme))?,
                config.token_refresh_ahead,
            ));
        }
        Ok(Self {
            default_oauth,
            scheme_oauth,
            has_oauth: config.security_schemes.iter().any(|s| s.kind.is_oauth()),
        })
    }

    /// The requirement the call sends: from the operation's alternatives, or, for a request
    /// only marked [`authenticated`](ApiRequest::authenticated), the default credentials.
    pub(crate) fn plan(
        &self,
        config: &ClientConfig,
        request: &ApiRequest,
    ) -> Result<Plan, SendFailure> {
        let Some(requirements) = request.requirements else {
            let sends = request.authenticated && !matches!(config.credentials, Credentials::None);
            let chosen = sends.then_some(Chosen {
                kind: SchemeKind::OAuth2 { token_url: None },
                scopes: request.scopes,
                source: Source::Default,
            });
            return Ok(Plan {
                chosen: chosen.into_iter().collect(),
            });
        };
        let resolver = Resolver {
            schemes: config.security_schemes,
            by_scheme: &config.scheme_credentials,
            default: &config.credentials,
            has_oauth: self.has_oauth,
        };
        resolver
            .choose(request.operation_id, requirements)
            .map(|chosen| Plan { chosen })
            .map_err(|message| {
                SendFailure::from(AuthFailure::new("missing_credentials").with_description(message))
            })
    }

    fn credentials<'a>(&self, config: &'a ClientConfig, source: Source) -> &'a Credentials {
        match source {
            Source::Default => &config.credentials,
            Source::Scheme(at) => config
                .scheme_credentials
                .iter()
                .nth(at)
                .map_or(&Credentials::None, |(_, credentials)| credentials),
        }
    }

    fn oauth(&self, source: Source) -> Option<&OAuth> {
        match source {
            Source::Default => self.default_oauth.as_ref(),
            Source::Scheme(at) => self.scheme_oauth.get(at).and_then(Option::as_ref),
        }
    }

    /// Whether a 401 may be answered by fetching new tokens (some token is not fixed).
    pub(crate) fn may_refresh(&self, config: &ClientConfig, plan: &Plan) -> bool {
        plan.chosen.iter().any(|chosen| {
            matches!(
                self.credentials(config, chosen.source),
                Credentials::ClientCredentials { .. }
                    | Credentials::RefreshToken { .. }
                    | Credentials::Provider(_)
            )
        })
    }

    /// The secret each chosen scheme sends (the password, for basic), tokens fetched from
    /// providers and token endpoints before `deadline`.
    pub(crate) async fn secrets(
        &self,
        config: &ClientConfig,
        plan: &Plan,
        ctx: &FetchContext<'_>,
        attempts: u32,
    ) -> Result<Vec<Secret>, SendFailure> {
        let mut secrets = Vec::with_capacity(plan.chosen.len());
        for chosen in &plan.chosen {
            let fetched = match self.credentials(config, chosen.source) {
                Credentials::None => Err(AuthFailure::new("no_token_source")),
                Credentials::Bearer(secret) | Credentials::ApiKey(secret) => Ok(secret.clone()),
                Credentials::Basic { password, .. } => Ok(password.clone()),
                Credentials::Provider(provider) => {
                    let scopes = scopes_for(config, chosen.scopes);
                    let token = provider.0.token(&scopes);
                    match tokio::time::timeout_at(ctx.deadline, token).await {
                        Ok(token) => token.map(Secret::new),
                        Err(_) => return Err(out_of_time(attempts)),
                    }
                }
                Credentials::ClientCredentials { .. } | Credentials::RefreshToken { .. } => {
                    match self.oauth(chosen.source) {
                        None => Err(AuthFailure::new("oauth_unavailable")),
                        Some(oauth) => {
                            let scopes = scopes_for(config, chosen.scopes);
                            let token = oauth.token(&scopes, ctx);
                            match tokio::time::timeout_at(ctx.deadline, token).await {
                                Ok(token) => token,
                                Err(_) => return Err(out_of_time(attempts)),
                            }
                        }
                    }
                }
            };
            secrets.push(fetched.map_err(|f| SendFailure::from(f.with_attempts(attempts)))?);
        }
        Ok(secrets)
    }

    /// Forgets the fetched tokens the service rejected, waiting no later than `deadline`.
    pub(crate) async fn invalidate(
        &self,
        config: &ClientConfig,
        plan: &Plan,
        secrets: &[Secret],
        deadline: Instant,
        attempts: u32,
    ) -> Result<(), SendFailure> {
        for (chosen, secret) in plan.chosen.iter().zip(secrets) {
            match (
                self.credentials(config, chosen.source),
                self.oauth(chosen.source),
            ) {
                (Credentials::Provider(provider), _) => {
                    provider.0.invalidate(&scopes_for(config, chosen.scopes))
                }
                (_, Some(oauth)) => {
                    let scopes = scopes_for(config, chosen.scopes);
                    let forget = oauth.invalidate(&scopes, secret);
                    if tokio::time::timeout_at(deadline, forget).await.is_err() {
                        return Err(out_of_time(attempts));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Puts each chosen scheme's secret where the scheme says: into `headers` and `url`.
    /// Returns where they went, for redirects.
    pub(crate) fn place(
        &self,
        config: &ClientConfig,
        plan: &Plan,
        secrets: &[Secret],
        headers: &mut HeaderMap,
        url: &mut url::Url,
    ) -> Placed {
        let mut placed = Placed::default();
        let mut cookies: Vec<String> = Vec::new();
        let mut authorization = false;
        for (chosen, secret) in plan.chosen.iter().zip(secrets) {
            let value = match chosen.kind {
                SchemeKind::ApiKey { location, name } => {
                    match location {
                        ApiKeyLocation::Header => {
                            if let (Ok(name), Some(value)) = (
                                HeaderName::from_bytes(name.as_bytes()),
                                sensitive(secret.expose()),
                            ) {
                                headers.insert(name, value);
                            }
                        }
                        ApiKeyLocation::Query => {
                            url.query_pairs_mut().append_pair(name, secret.expose());
                            placed.query.push(name);
                        }
                        ApiKeyLocation::Cookie => {
                            cookies.push(format!("{name}={}", secret.expose()));
                        }
                    }
                    continue;
                }
                SchemeKind::Basic => {
                    let username = match self.credentials(config, chosen.source) {
                        Credentials::Basic { username, .. } => username.as_str(),
                        _ => "",
                    };
                    format!(
                        "Basic {}",
                        base64(&format!("{username}:{}", secret.expose()))
                    )
                }
                SchemeKind::Http { scheme } => format!("{scheme} {}", secret.expose()),
                SchemeKind::Bearer
                | SchemeKind::OAuth2 { .. }
                | SchemeKind::OpenIdConnect { .. } => {
                    format!("Bearer {}", secret.expose())
                }
            };
            // One `Authorization` header: a requirement naming two such schemes sends the first.
            if !authorization {
                if let Some(value) = sensitive(&value) {
                    headers.insert(AUTHORIZATION, value);
                    authorization = true;
                }
            }
        }
        if !cookies.is_empty() {
            if let Some(existing) = headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                cookies.insert(0, existing.to_owned());
            }
            if let Some(value) = sensitive(&cookies.join("; ")) {
                headers.insert(COOKIE, value);
            }
        }
        placed
    }
}

/// `text` as a header value marked sensitive (redacted in `Debug`), if it is a valid one.
fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The error for a call that ran out of its total time budget while getting a token.
fn out_of_time(attempts: u32) -> SendFailure {
    SendFailure::timeout(crate::error::TransportFailure::new(
        "the call did not finish within its total time budget while getting a token",
        attempts,
        None,
    ))
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The scopes a token is asked with: the user's choice ([`ClientConfig::scopes`]), else
/// those the operation names for the scheme.
fn scopes_for<'a>(config: &'a ClientConfig, named: &'a [&'a str]) -> Cow<'a, [&'a str]> {
    match &config.scopes {
        Some(chosen) => Cow::Owned(chosen.iter().map(String::as_str).collect()),
        None => Cow::Borrowed(named),
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ] {
            assert_eq!(base64(plain), encoded, "{plain}");
        }
    }
}
