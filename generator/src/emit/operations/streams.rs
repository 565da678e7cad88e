//! The stream method of an operation whose success body can be consumed as it arrives:
//! `<op>_stream(…)` starts a builder that forwards every setter of the operation's own and
//! whose `send` answers an event, JSON-lines or byte stream instead of a buffered body.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::OpNames;
use crate::emit::{ident, raw_doc, Ctx};
use crate::ir::{Operation, StreamBody, StreamKind, Ty};

/// A setter of the operation's builder, forwarded by the stream builder.
pub(super) struct Forward {
    pub name: Ident,
    pub ty: TokenStream,
    pub doc: TokenStream,
}

/// The plain client method the stream method mirrors: its name, parameters and their names.
pub(super) struct PlainCall {
    pub method: Ident,
    pub args: Vec<TokenStream>,
    pub arg_names: Vec<Ident>,
}

/// The stream method, its builder and the builder's `send`.
pub(super) fn emit(
    ctx: &Ctx,
    op: &Operation,
    names: &OpNames,
    stream: &StreamBody,
    plain_call: &PlainCall,
    forwards: &[Forward],
) -> TokenStream {
    let PlainCall {
        method: first_method,
        args,
        arg_names,
    } = plain_call;
    let root = ctx.root;
    let root_path = root.to_string().replace(' ', "");
    let OpNames {
        builder,
        error,
        decode: decode_fn,
        ..
    } = names;
    let method = ident(&stream.method_name);
    let stream_builder = ident(&stream.builder);
    let media_type = &stream.media_type;
    // Media type and sentinel come from the spec: shown inert in docs.
    let shown = crate::emit::docs::code_text(media_type);
    let (what, body_ty, make) = match &stream.kind {
        StreamKind::Events { sentinel } => {
            let item = ctx.ty(&stream.item);
            let decode = if matches!(stream.item.ty, Ty::String) {
                quote! { ::oapigen_runtime::stream::text_data }
            } else {
                quote! { ::oapigen_runtime::stream::json_data }
            };
            let sentinel_call = match sentinel.as_deref() {
                // The runtime's default.
                Some(crate::ir::DEFAULT_SENTINEL) => TokenStream::new(),
                Some(text) => quote! { .sentinel(Some(#text)) },
                None => quote! { .sentinel(None) },
            };
            let ends = match sentinel {
                Some(text) => format!(
                    " It ends at the event whose data is `{}`.",
                    crate::emit::docs::code_text(text)
                ),
                None => String::new(),
            };
            (
                format!("a stream of its server-sent events (`{shown}`).{ends}"),
                quote! { ::oapigen_runtime::EventStream<#item, #error> },
                quote! { ::oapigen_runtime::EventStream::new(response, #decode) #sentinel_call },
            )
        }
        StreamKind::JsonLines => {
            let item = ctx.ty(&stream.item);
            (
                format!("a stream of its items, one per line (`{shown}`)."),
                quote! { ::oapigen_runtime::JsonLines<#item, #error> },
                quote! { ::oapigen_runtime::JsonLines::new(response) },
            )
        }
        StreamKind::Bytes => (
            format!("its body as a stream of byte chunks (`{shown}`), nothing buffered."),
            quote! { ::oapigen_runtime::ByteStream<#error> },
            quote! { ::oapigen_runtime::ByteStream::new(response) },
        ),
    };
    let plain = first_method.to_string();
    let plain = plain.trim_start_matches("r#");
    let flag_doc = stream.request_flag.as_ref().map_or(String::new(), |_| {
        " Sets the request body's `stream` field to `true`.".to_owned()
    });
    let failures = if stream.kind == StreamKind::Bytes {
        "a dropped connection or a timeout"
    } else {
        "a dropped connection, a timeout or an item that does not decode"
    };
    let method_doc = raw_doc(&format!(
        "Like [`{plain}`](Self::{plain}), answering {what}{flag_doc}\n\nEach item is a \
         `Result`: {failures} is an error item (see [`oapigen_runtime::stream`])."
    ));
    let builder_doc = raw_doc(&format!(
        "Request builder for [`{0}`]({root_path}::Client::{0}): set optional parameters, then call [`send`](Self::send).",
        stream.method_name.trim_start_matches("r#"),
    ));
    let forwarded = forwards.iter().map(|Forward { name, ty, doc }| {
        quote! {
            #doc
            pub fn #name(mut self, value: #ty) -> Self {
                self.inner = self.inner.#name(value);
                self
            }
        }
    });
    let set_flag = stream.request_flag.as_ref().map(|flag| {
        let field = ident(&flag.field);
        let value = if flag.optional {
            quote! { Some(true) }
        } else {
            quote! { true }
        };
        let required = op.body.as_ref().is_some_and(|body| body.required);
        if required {
            quote! { inner.body.#field = #value; }
        } else {
            quote! {
                if let Some(body) = &mut inner.body {
                    body.#field = #value;
                }
            }
        }
    });
    // Events and lines are asked for (an API may choose by `Accept`); a download is sent
    // as by the plain call, leaving the server its choice among the binary types.
    let accept = (stream.kind != StreamKind::Bytes).then(|| {
        quote! {
            inner.call_options.header_if_absent("accept", #media_type);
        }
    });
    let binding = if set_flag.is_some() || accept.is_some() {
        quote! { let mut inner = self.inner; }
    } else {
        quote! { let inner = self.inner; }
    };
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        impl #root::Client {
            #method_doc
            #deprecated
            pub fn #method(&self, #(#args),*) -> #stream_builder<'_> {
                #stream_builder {
                    inner: self.#first_method(#(#arg_names),*),
                    first_byte_timeout: None,
                    idle_timeout: None,
                }
            }
        }

        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `send` is called"]
        pub struct #stream_builder<'a> {
            inner: #builder<'a>,
            first_byte_timeout: Option<::std::time::Duration>,
            idle_timeout: Option<::std::time::Duration>,
        }

        impl #stream_builder<'_> {
            #(#forwarded)*

            /// Adds a header to this request only (for example a tracing or test header).
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.inner = self.inner.header(name, value);
                self
            }

            /// Limits this call, retries included, up to the response headers to `timeout`,
            /// instead of the client's timeouts.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// How long the body's first byte may take once the headers arrived, instead of
            /// the client's stream timeouts.
            pub fn first_byte_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.first_byte_timeout = Some(timeout);
                self
            }

            /// How long the body may pause between two chunks, instead of the client's
            /// stream timeouts.
            pub fn idle_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.idle_timeout = Some(timeout);
                self
            }

            /// Checks the documented constraints, sends the request and streams a success
            /// response; an error status is read and decoded as by `send` of the plain call.
            pub async fn send(self) -> Result<#body_ty, ::oapigen_runtime::Error<#error>> {
                #binding
                #set_flag
                #accept
                let mut request = inner.request()?;
                if let Some(timeout) = self.first_byte_timeout {
                    request.set_first_byte_timeout(timeout);
                }
                if let Some(timeout) = self.idle_timeout {
                    request.set_idle_timeout(timeout);
                }
                let response = inner
                    .client
                    .transport()
                    .execute_streaming(request)
                    .await?
                    .or_error(#decode_fn)?;
                Ok(#make)
            }
        }
    }
}
