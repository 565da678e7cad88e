//! The `Client`, its builder, the `Region` enum, and the crate root.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, raw_doc, Ctx, EmitOptions};

/// The `client` module.
pub fn emit_client(ctx: &Ctx, _options: &EmitOptions) -> TokenStream {
    let api = ctx.api;
    let has_regions = !api.servers.is_empty();
    let region = has_regions.then(|| {
        let variants = api.servers.iter().enumerate().map(|(i, server)| {
            let variant = ident(&server.variant);
            let doc = doc_attrs(Some(&format!(
                "{} (`{}`)",
                server.description.as_deref().unwrap_or(&server.variant),
                super::docs::code_text(&server.url)
            )));
            let default = (i == 0).then(|| quote! { #[default] });
            quote! { #doc #default #variant, }
        });
        let arms = api.servers.iter().map(|server| {
            let variant = ident(&server.variant);
            let url = &server.url;
            quote! { Self::#variant => #url, }
        });
        quote! {
            /// Where the service is hosted; picks the base URL from the spec's `servers`.
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Region {
                #(#variants)*
            }

            impl Region {
                /// The base URL of this region.
                pub fn base_url(self) -> &'static str {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    let region_field = has_regions.then(|| quote! { region: Region, });
    let region_init = has_regions.then(|| quote! { region: Region::default(), });
    let region_setter = has_regions.then(|| {
        quote! {
            /// The region to call (default: the first server the spec lists).
            pub fn region(mut self, region: Region) -> Self {
                self.region = region;
                self
            }
        }
    });
    let base_url = if has_regions {
        quote! { self.base_url.as_deref().unwrap_or(self.region.base_url()) }
    } else {
        quote! {
            match self.base_url.as_deref() {
                Some(url) => url,
                None => {
                    return Err(::oapigen_runtime::BuildError::new(
                        "the spec lists no absolute server URL: call `base_url` on the builder",
                    ));
                }
            }
        }
    };
    let scopes_doc = raw_doc(&scopes_doc(api));
    // Only an API with a stream method has stream timeouts to set.
    let streams = api.operations.iter().any(|op| op.stream.is_some());
    let stream_field =
        streams.then(|| quote! { stream_timeouts: ::oapigen_runtime::StreamTimeouts, });
    let stream_init =
        streams.then(|| quote! { stream_timeouts: ::oapigen_runtime::StreamTimeouts::default(), });
    let stream_setter = streams.then(|| {
        quote! {
            /// Timeouts of streamed bodies (the `_stream` methods) once their headers arrived:
            /// until the first byte, and between two chunks.
            pub fn stream_timeouts(mut self, timeouts: ::oapigen_runtime::StreamTimeouts) -> Self {
                self.stream_timeouts = timeouts;
                self
            }
        }
    });
    let stream_config = streams.then(|| quote! { config.stream_timeouts = self.stream_timeouts; });
    let has_schemes = !api.security_schemes.is_empty();
    let scheme_table =
        has_schemes.then(|| super::security::emit_scheme_table(&api.security_schemes));
    let scheme_methods = super::security::emit_scheme_methods(&api.security_schemes);
    let scheme_config = has_schemes.then(|| quote! { config.security_schemes = SECURITY_SCHEMES; });
    let credentials_doc = format!(
        " {}",
        if api.security_schemes.iter().any(|s| s.kind.is_oauth()) {
            "Credentials of the spec's OAuth 2.0 and OpenID Connect schemes that have none of their own (default: none)."
        } else if api.security_schemes.iter().any(|s| s.kind.is_bearer()) {
            "Credentials of the spec's bearer-token schemes that have none of their own (default: none)."
        } else {
            "Default credentials, for OAuth 2.0 and bearer-token schemes without their own (this spec declares none; default: none)."
        }
    );
    let title_doc = raw_doc(&format!(
        "A client of {}.",
        super::docs::inline_text(&api.title)
    ));
    quote! {
        #region

        #scheme_table

        #title_doc
        ///
        /// Cheap to clone: clones share one connection pool and token cache.
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: ::oapigen_runtime::Transport,
        }

        impl Client {
            /// A builder with defaults for everything.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// A client sending through an existing transport.
            pub fn with_transport(transport: ::oapigen_runtime::Transport) -> Self {
                Self { transport }
            }

            /// The transport requests go through.
            pub fn transport(&self) -> &::oapigen_runtime::Transport {
                &self.transport
            }
        }

        /// Configures a [`Client`].
        #[derive(Clone, Debug)]
        pub struct ClientBuilder {
            #region_field
            base_url: Option<String>,
            token_url: Option<String>,
            scopes: Option<Vec<String>>,
            credentials: ::oapigen_runtime::Credentials,
            security: ::oapigen_runtime::SchemeCredentials,
            timeouts: ::oapigen_runtime::Timeouts,
            #stream_field
            retry: ::oapigen_runtime::RetryPolicy,
            user_agent: String,
            default_headers: Vec<(String, String)>,
            http_client: Option<::oapigen_runtime::reqwest::Client>,
            hook: Option<::oapigen_runtime::HookHandle>,
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self {
                    #region_init
                    base_url: None,
                    token_url: None,
                    scopes: None,
                    credentials: ::oapigen_runtime::Credentials::default(),
                    security: ::oapigen_runtime::SchemeCredentials::default(),
                    default_headers: Vec::new(),
                    http_client: None,
                    hook: None,
                    timeouts: ::oapigen_runtime::Timeouts::default(),
                    #stream_init
                    retry: ::oapigen_runtime::RetryPolicy::default(),
                    user_agent: String::from(::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION"))),
                }
            }
        }

        impl ClientBuilder {
            #region_setter

            /// Sends requests to this base URL instead (a proxy, a mock server, a test double).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            #[doc = #credentials_doc]
            pub fn credentials(mut self, credentials: ::oapigen_runtime::Credentials) -> Self {
                self.credentials = credentials;
                self
            }

            #scheme_methods

            /// The OAuth 2.0 token URL of every OAuth scheme (default: each scheme's own, from the spec).
            pub fn token_url(mut self, url: impl Into<String>) -> Self {
                self.token_url = Some(url.into());
                self
            }

            #scopes_doc
            pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
                self.scopes = Some(scopes.into_iter().map(Into::into).collect());
                self
            }

            /// Connect, per-attempt and whole-call timeouts.
            pub fn timeouts(mut self, timeouts: ::oapigen_runtime::Timeouts) -> Self {
                self.timeouts = timeouts;
                self
            }

            #stream_setter

            /// When and how often to retry.
            pub fn retry(mut self, retry: ::oapigen_runtime::RetryPolicy) -> Self {
                self.retry = retry;
                self
            }

            /// The `User-Agent` header.
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = user_agent.into();
                self
            }

            /// A header sent with every request (a request's own header of the same name wins),
            /// such as an API version header.
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.default_headers.push((name.into(), value.into()));
                self
            }

            /// Sends through this HTTP client (proxies, TLS roots, pool settings), instead of one
            /// the builder makes. Build it from [`oapigen_runtime::http_client_builder`]: the
            /// client must not follow redirects itself, so credentials stay on their host.
            pub fn http_client(mut self, client: ::oapigen_runtime::reqwest::Client) -> Self {
                self.http_client = Some(client);
                self
            }

            /// A hook around every attempt: add headers, sign, observe or answer requests.
            pub fn hook(mut self, hook: impl ::oapigen_runtime::Hook + 'static) -> Self {
                self.hook = Some(::oapigen_runtime::HookHandle::new(hook));
                self
            }

            /// Builds the client.
            pub fn build(self) -> Result<Client, ::oapigen_runtime::BuildError> {
                let base_url = #base_url;
                let base_url = ::oapigen_runtime::url::Url::parse(base_url)
                    .map_err(|err| ::oapigen_runtime::BuildError::new(format!("invalid base URL `{base_url}`: {err}")))?;
                let token_url = match self.token_url.as_deref() {
                    Some(url) => Some(
                        ::oapigen_runtime::url::Url::parse(url)
                            .map_err(|err| ::oapigen_runtime::BuildError::new(format!("invalid token URL `{url}`: {err}")))?,
                    ),
                    None => None,
                };
                let mut config = ::oapigen_runtime::ClientConfig::new(base_url, self.user_agent);
                config.credentials = self.credentials;
                config.scheme_credentials = self.security;
                #scheme_config
                config.token_url = token_url;
                config.scopes = self.scopes;
                config.default_headers = self.default_headers;
                config.http_client = self.http_client;
                config.hook = self.hook;
                config.timeouts = self.timeouts;
                #stream_config
                config.retry = self.retry;
                Ok(Client { transport: ::oapigen_runtime::Transport::new(config)? })
            }
        }
    }
}

/// Items of the crate root (or of the module, in module mode).
pub fn emit_root(ctx: &Ctx, options: &EmitOptions) -> (TokenStream, TokenStream) {
    let api = ctx.api;
    let region = (!api.servers.is_empty()).then(|| quote! { pub use self::client::Region; });
    let mut text = format!(
        "A typed client of {} (API version {}).",
        super::docs::inline_text(&api.title),
        super::docs::inline_text(&api.version)
    );
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(&super::docs::sanitize(description));
    }
    text.push_str(&format!(
        "\n\nGenerated by oapigen from the OpenAPI description: {} operations, {} types.",
        api.operations.len(),
        api.types.len()
    ));
    let lines = super::docs::doc_lines(&text).map(|line| quote! { #![doc = #line] });
    let crate_attrs = options.doc_examples.then(|| {
        quote! {
            #(#lines)*
            #![forbid(unsafe_code)]
            // Formatted by the generator (prettyplease); rustfmt would make regeneration a diff.
            #![cfg_attr(rustfmt, rustfmt::skip)]
            // Spec text decides variant sizes and names; these lints judge choices the spec made.
            #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
            // Deprecated spec items stay usable and warn their users, not this crate's own code.
            #![allow(deprecated)]
        }
    });
    let items = quote! {
        pub use self::client::{Client, ClientBuilder};
        #region
        pub use ::oapigen_runtime::{Credentials, Error, ErrorKind, RetryPolicy, Secret, Timeouts};
    };
    (crate_attrs.unwrap_or_default(), items)
}

/// The doc of `ClientBuilder::scopes`, naming the spec's default scopes.
fn scopes_doc(api: &crate::ir::Api) -> String {
    let mut defaults: Vec<&str> = Vec::new();
    for scope in api
        .operations
        .iter()
        .filter_map(|op| op.scopes.as_ref())
        .flatten()
    {
        if !defaults.contains(&scope.as_str()) {
            defaults.push(scope);
        }
    }
    let default = if defaults.is_empty() {
        "the spec names none, so no `scope` is sent unless you choose one".to_owned()
    } else {
        let listed: Vec<String> = defaults
            .iter()
            .map(|s| format!("`{}`", s.replace('`', "'")))
            .collect();
        format!(
            "the ones each operation's security requirement names: {}",
            listed.join(", ")
        )
    };
    format!(
        "The OAuth 2.0 scopes every token is requested with, for every operation (default: {default})."
    )
}
