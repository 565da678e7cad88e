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
    let token_url = match &api.token_url {
        Some(url) => quote! { Some(#url) },
        None => quote! { None },
    };
    let title_doc = raw_doc(&format!(
        "A client of {}.",
        super::docs::inline_text(&api.title)
    ));
    quote! {
        #region

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
            credentials: ::oapigen_runtime::Credentials,
            timeouts: ::oapigen_runtime::Timeouts,
            retry: ::oapigen_runtime::RetryPolicy,
            user_agent: String,
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                let token_url: Option<&str> = #token_url;
                Self {
                    #region_init
                    base_url: None,
                    token_url: token_url.map(ToOwned::to_owned),
                    credentials: ::oapigen_runtime::Credentials::default(),
                    timeouts: ::oapigen_runtime::Timeouts::default(),
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

            /// How to authenticate (default: no credentials).
            pub fn credentials(mut self, credentials: ::oapigen_runtime::Credentials) -> Self {
                self.credentials = credentials;
                self
            }

            /// The OAuth 2.0 token URL (default: the one the spec declares).
            pub fn token_url(mut self, url: impl Into<String>) -> Self {
                self.token_url = Some(url.into());
                self
            }

            /// Connect, per-attempt and whole-call timeouts.
            pub fn timeouts(mut self, timeouts: ::oapigen_runtime::Timeouts) -> Self {
                self.timeouts = timeouts;
                self
            }

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
                config.token_url = token_url;
                config.timeouts = self.timeouts;
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
        pub use ::oapigen_runtime::{Credentials, Error, ErrorKind, RetryPolicy, Timeouts};
    };
    (crate_attrs.unwrap_or_default(), items)
}
