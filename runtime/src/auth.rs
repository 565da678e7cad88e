//! Credentials and token providers.
//!
//! The generated client tells the runtime the token URL and scopes its spec declares;
//! the user only supplies credentials.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::AuthFailure;

/// A boxed future returned by [`TokenProvider::token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, AuthFailure>> + Send + 'a>>;

/// Supplies bearer tokens for a set of scopes.
pub trait TokenProvider: Send + Sync {
    /// A valid access token for `scopes`.
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a>;

    /// Forgets a cached token the service rejected with 401.
    fn invalidate(&self, _scopes: &[&str]) {}
}

/// A secret that never shows in `Debug` or `Display` output.
///
/// Cheap to clone (shared, not copied): the transport hands the token to every call.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The secret itself; call only where it goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"[redacted]\")")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

/// How a client authenticates.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Credentials {
    /// Send no credentials.
    #[default]
    None,
    /// A fixed bearer token.
    Bearer(Secret),
    /// OAuth 2.0 client-credentials grant against the spec's token URL.
    ClientCredentials {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: Secret,
    },
    /// OAuth 2.0 refresh-token grant against the spec's token URL.
    RefreshToken {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: Secret,
        /// The refresh token.
        refresh_token: Secret,
    },
    /// A token provider of the user's own.
    Provider(ProviderHandle),
    /// An API key, sent where the spec's `apiKey` scheme says (header, query or cookie).
    ApiKey(Secret),
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
}

impl Credentials {
    /// A fixed bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credentials::Bearer(token.into())
    }

    /// OAuth 2.0 client credentials (Login with Amazon: the skill's client id and secret).
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// OAuth 2.0 refresh-token grant.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        Credentials::RefreshToken {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        }
    }

    /// An API key (for an `apiKey` scheme).
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Credentials::ApiKey(key.into())
    }

    /// A user name and password (for an `http` `basic` scheme).
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// A token provider of the user's own.
    pub fn provider(provider: impl TokenProvider + 'static) -> Self {
        Credentials::Provider(ProviderHandle(Arc::new(provider)))
    }
}

/// A shared user-supplied [`TokenProvider`].
#[derive(Clone)]
pub struct ProviderHandle(pub Arc<dyn TokenProvider>);

impl fmt::Debug for ProviderHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderHandle(..)")
    }
}
