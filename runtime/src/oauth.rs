//! OAuth 2.0 client-credentials and refresh-token grants, with a per-scope token cache.
//!
//! Tokens are cached per scope set and refreshed ahead of expiry. Each scope set has its
//! own async lock: concurrent calls needing the same token wait for the one token request
//! in flight instead of sending their own.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex as SyncMutex};
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Credentials, Secret};
use crate::error::AuthFailure;
use crate::exchange::{send_once, AttemptFailure, Received};
use crate::retry::RetryPolicy;

/// What a token request needs from the transport.
pub(crate) struct FetchContext<'a> {
    pub http: &'a reqwest::Client,
    pub retry: &'a RetryPolicy,
    pub attempt_timeout: Duration,
    pub allow_insecure_http: bool,
    /// The largest token response read.
    pub max_body: u64,
    /// When the whole call runs out of time.
    pub deadline: Instant,
}

enum Grant {
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    RefreshToken {
        client_id: String,
        client_secret: Secret,
        /// Replaced when the server rotates refresh tokens.
        refresh_token: SyncMutex<Secret>,
    },
}

impl Grant {
    fn name(&self) -> &'static str {
        match self {
            Grant::ClientCredentials { .. } => "client_credentials",
            Grant::RefreshToken { .. } => "refresh_token",
        }
    }
}

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    /// When to fetch a new one; `None` keeps it until the API rejects it.
    refresh_at: Option<Instant>,
}

/// One scope set's token, and the last failure to get one.
#[derive(Default)]
struct SlotState {
    token: Option<CachedToken>,
    failure: Option<(Instant, AuthFailure)>,
}

type Slot = Arc<Mutex<SlotState>>;

/// Obtains and caches OAuth access tokens for one client.
pub(crate) struct OAuth {
    grant: Grant,
    token_url: Option<url::Url>,
    refresh_ahead: Duration,
    slots: SyncMutex<HashMap<String, Slot>>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.slots.lock().map(|slots| slots.len()).unwrap_or(0);
        f.debug_struct("OAuth")
            .field("grant", &self.grant.name())
            .field(
                "token_url",
                &self.token_url.as_ref().map(crate::security::redact_url),
            )
            .field("refresh_ahead", &self.refresh_ahead)
            .field("scope_sets", &cached)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// The OAuth state for `credentials`, when they are an OAuth grant.
    pub(crate) fn new(
        credentials: &Credentials,
        token_url: Option<url::Url>,
        refresh_ahead: Duration,
    ) -> Option<Self> {
        let grant = match credentials {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => Grant::ClientCredentials {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            },
            Credentials::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => Grant::RefreshToken {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                refresh_token: SyncMutex::new(refresh_token.clone()),
            },
            _ => return None,
        };
        Some(Self {
            grant,
            token_url,
            refresh_ahead,
            slots: SyncMutex::new(HashMap::new()),
        })
    }

    /// The cache key of `scopes`: sorted and de-duplicated. A refresh token is not
    /// scoped per request, so its grant has a single key.
    fn key(&self, scopes: &[&str]) -> String {
        if matches!(self.grant, Grant::RefreshToken { .. }) {
            return String::new();
        }
        let mut scopes: Vec<&str> = scopes.to_vec();
        scopes.sort_unstable();
        scopes.dedup();
        scopes.join(" ")
    }

    fn slot(&self, key: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(key.to_owned()).or_default().clone()
    }

    /// A valid access token for `scopes`, from the cache or the token endpoint.
    pub(crate) async fn token(
        &self,
        scopes: &[&str],
        ctx: &FetchContext<'_>,
    ) -> Result<Secret, AuthFailure> {
        let key = self.key(scopes);
        let slot = self.slot(&key);
        let waiting_since = Instant::now();
        let mut state = slot.lock().await;
        if let Some(token) = &state.token {
            let fresh = match token.refresh_at {
                None => true,
                Some(at) => Instant::now() < at,
            };
            if fresh {
                return Ok(token.token.clone());
            }
        }
        // A request that failed while this call waited for it fails this call too, so
        // a broken token endpoint is asked once, not once per waiting call.
        if let Some((at, failure)) = &state.failure {
            if *at >= waiting_since {
                return Err(failure.shallow_clone());
            }
        }
        // Boxed: a fetch is rare, and its large future would otherwise be carried (and
        // moved) by every call, even those served from the cache.
        match Box::pin(self.fetch(&key, ctx)).await {
            Ok(fresh) => {
                let token = fresh.token.clone();
                state.token = Some(fresh);
                state.failure = None;
                Ok(token)
            }
            Err(failure) => {
                state.token = None;
                state.failure = Some((Instant::now(), failure.shallow_clone()));
                Err(failure)
            }
        }
    }

    /// Forgets the token for `scopes` if it still is `rejected` (another call may have
    /// replaced it already).
    pub(crate) async fn invalidate(&self, scopes: &[&str], rejected: &Secret) {
        let slot = self.slot(&self.key(scopes));
        let mut state = slot.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|token| &token.token == rejected)
        {
            state.token = None;
        }
    }

    fn form(&self, scope: &str) -> String {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", self.grant.name());
        match &self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => {
                form.append_pair("client_id", client_id);
                form.append_pair("client_secret", client_secret.expose());
                if !scope.is_empty() {
                    form.append_pair("scope", scope);
                }
            }
            Grant::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => {
                let refresh_token = refresh_token.lock().unwrap_or_else(|p| p.into_inner());
                form.append_pair("refresh_token", refresh_token.expose());
                form.append_pair("client_id", client_id);
                form.append_pair("client_secret", client_secret.expose());
            }
        }
        form.finish()
    }

    async fn fetch(&self, scope: &str, ctx: &FetchContext<'_>) -> Result<CachedToken, AuthFailure> {
        let token_url = self.token_url.as_ref().ok_or_else(|| {
            AuthFailure::new("no_token_url")
                .with_description("OAuth credentials need a token URL; set ClientConfig::token_url")
        })?;
        crate::security::check(token_url, "token URL", ctx.allow_insecure_http)?;
        let span = tracing::debug_span!(
            "oapigen.token",
            grant = self.grant.name(),
            scope = scope,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        async {
            let mut attempt = 0u32;
            loop {
                attempt += 1;
                let request = ctx
                    .http
                    .post(token_url.clone())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(self.form(scope));
                let outcome = send_once(request, ctx.attempt_timeout, ctx.max_body).await;
                tracing::Span::current().record("attempts", attempt);
                let last_try = attempt >= ctx.retry.max_attempts;
                // The grant is safe to repeat, so it is retried like an idempotent call.
                let delay = match &outcome {
                    Ok(received) => {
                        tracing::Span::current().record("status", received.status);
                        if last_try || !ctx.retry.retries_status(&Method::GET, received.status) {
                            return self.finish(received);
                        }
                        received
                            .retry_after()
                            .unwrap_or_else(|| ctx.retry.backoff(attempt))
                    }
                    Err(failure) if last_try || !failure.is_retryable() => {
                        return Err(unreachable_endpoint(attempt, outcome));
                    }
                    Err(_) => ctx.retry.backoff(attempt),
                };
                if Instant::now() + delay >= ctx.deadline {
                    return match outcome {
                        Ok(received) => self.finish(&received),
                        Err(_) => Err(unreachable_endpoint(attempt, outcome)),
                    };
                }
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    "retrying token request"
                );
                tokio::time::sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    /// Turns the token endpoint's answer into a cached token or an auth failure.
    fn finish(&self, received: &Received) -> Result<CachedToken, AuthFailure> {
        let status = received.status;
        if !(200..300).contains(&status) {
            let failure = match serde_json::from_slice::<OAuthError>(&received.body) {
                Ok(err) => {
                    let failure = AuthFailure::new(err.error);
                    match err.error_description {
                        Some(description) => failure.with_description(description),
                        None => failure,
                    }
                }
                Err(_) => AuthFailure::new("token_endpoint_error")
                    .with_description(format!("the token endpoint answered {status}")),
            };
            return Err(failure.with_status(status));
        }
        let invalid = |description: String| {
            AuthFailure::new("invalid_token_response")
                .with_description(description)
                .with_status(status)
        };
        let response: TokenResponse = serde_json::from_slice(&received.body)
            .map_err(|err| invalid(format!("the token response could not be read: {err}")))?;
        if response.access_token.is_empty() {
            return Err(invalid(
                "the token response has an empty access_token".to_owned(),
            ));
        }
        if let Some(kind) = response.token_type.as_deref() {
            if !kind.eq_ignore_ascii_case("bearer") {
                tracing::warn!(
                    token_type = kind,
                    "token type is not bearer; using it as one"
                );
            }
        }
        let lifetime = response
            .expires_in
            .map(|value| value.seconds())
            .transpose()
            .map_err(invalid)?;
        if let (Some(fresh), Grant::RefreshToken { refresh_token, .. }) =
            (response.refresh_token, &self.grant)
        {
            if !fresh.is_empty() {
                *refresh_token.lock().unwrap_or_else(|p| p.into_inner()) = Secret::new(fresh);
            }
        }
        let refresh_at = lifetime.map(|lifetime| {
            let margin = if self.refresh_ahead < lifetime {
                self.refresh_ahead
            } else {
                lifetime / 2
            };
            Instant::now() + (lifetime - margin)
        });
        Ok(CachedToken {
            token: Secret::new(response.access_token),
            refresh_at,
        })
    }
}

fn unreachable_endpoint(attempt: u32, outcome: Result<Received, AttemptFailure>) -> AuthFailure {
    let failure = AuthFailure::new("token_request_failed").with_description(format!(
        "could not reach the token endpoint after {attempt} attempt(s)"
    ));
    match outcome {
        Ok(_) => failure,
        Err(err) => failure.with_source(err.into_error()),
    }
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<ExpiresIn>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// `expires_in` as a number or, as some servers send it, a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum ExpiresIn {
    Number(f64),
    Text(String),
}

impl ExpiresIn {
    fn seconds(&self) -> Result<Duration, String> {
        let seconds = match self {
            ExpiresIn::Number(seconds) => Some(*seconds),
            ExpiresIn::Text(text) => text.trim().parse::<f64>().ok(),
        };
        seconds
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0 && *seconds < 1e10)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| "the token response has an invalid expires_in".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_number_or_string() {
        let parse = |json: &str| -> Result<Option<Duration>, String> {
            let response: TokenResponse = serde_json::from_str(json).map_err(|e| e.to_string())?;
            response.expires_in.map(|value| value.seconds()).transpose()
        };
        let secs = |n| Ok(Some(Duration::from_secs(n)));
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":3600}"#),
            secs(3600)
        );
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":"3600"}"#),
            secs(3600)
        );
        assert_eq!(parse(r#"{"access_token":"a","expires_in":null}"#), Ok(None));
        assert_eq!(parse(r#"{"access_token":"a"}"#), Ok(None));
        assert!(parse(r#"{"access_token":"a","expires_in":"soon"}"#).is_err());
        assert!(parse(r#"{"access_token":"a","expires_in":-1}"#).is_err());
    }

    #[test]
    fn scope_keys_are_order_independent() {
        let creds = Credentials::client_credentials("id", "s3cr3t");
        let oauth = OAuth::new(&creds, None, Duration::from_secs(60));
        let oauth = oauth.unwrap_or_else(|| unreachable!());
        assert_eq!(oauth.key(&["b", "a", "b"]), oauth.key(&["a", "b"]));
        assert_eq!(oauth.key(&["a", "b"]), "a b");
        assert!(!format!("{oauth:?}").contains("s3cr3t"));
    }
}
