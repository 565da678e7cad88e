//! The conformance harness of one generated crate: a scratch binary that calls every
//! operation through the generated client with values from the spec (see [`values`]) and
//! prints one JSON line per call. It is never part of the user's crate.
//!
//! Each operation is called with its required values only and again with optional ones,
//! and each of those once with the spec's examples and, where they differ, once with
//! synthesized values alone, so that an example the judge rejects can be told apart from
//! a request the client gets wrong.

use std::fmt::Write as _;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value;

use super::parts;
use super::values::{Fill, Source, Synth};
use crate::emit::ident;
use crate::ir::{
    Api, BodyEncoding, Location, Operation, Parameter, ResponseEncoding, SchemeKind, Ty,
};

/// The package name of the harness of `crate_name`.
pub fn package_name(crate_name: &str) -> String {
    format!("{crate_name}-conform")
}

/// The harness's `Cargo.toml`.
pub fn manifest(crate_name: &str, runtime: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "# Conformance harness written by `oapigen conform`; scratch code, safe to delete.\n\
         [package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [[bin]]\nname = {}\npath = \"main.rs\"\n\n\
         [dependencies]\n{} = {{ path = {} }}\noapigen-runtime = {{ path = {} }}\n\
         serde = \"1\"\nserde_json = \"1\"\ntracing = \"0.1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"time\"] }}\n",
        toml_string(&package_name(crate_name)),
        toml_string(&package_name(crate_name)),
        crate_name,
        toml_string(&format!("../{crate_name}")),
        toml_string(runtime),
    );
    out
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One call the harness makes.
struct Attempt {
    fill: Fill,
    /// Whether the spec's examples and defaults were used (else only synthesized values).
    examples: bool,
    args: Vec<TokenStream>,
    setters: Vec<TokenStream>,
    /// What each value was made from, for the report.
    sources: Vec<Source>,
    /// The values themselves, to tell attempts apart.
    key: String,
}

/// The harness's `main.rs` for the crate `crate_name` built from `api`, with values from
/// `document` (the normalised spec the IR was built from).
pub fn main_rs(api: &Api, document: &Value, crate_name: &str) -> Result<String, String> {
    let krate = ident(&crate_name.replace('-', "_"));
    let op_fns: Vec<proc_macro2::Ident> = (0..api.operations.len())
        .map(|index| quote::format_ident!("operation_{index}"))
        .collect();
    let op_ids = api.operations.iter().map(|op| op.operation_id.as_str());
    let only_var = super::passes::ONLY_VAR;
    let calls = api.operations.iter().zip(&op_fns).map(|(op, name)| {
        let body = operation_calls(&krate, op, document);
        let client = quote! { #krate::Client };
        quote! { async fn #name(client: &#client) { #body } }
    });
    let credentials = api.security_schemes.iter().map(|scheme| {
        let method = ident(&scheme.method);
        match &scheme.kind {
            SchemeKind::ApiKey { .. } => quote! { .#method("conform-key") },
            SchemeKind::Http { .. } if scheme.kind.is_basic() => {
                quote! { .#method("conform-user", "conform-password") }
            }
            SchemeKind::Http { .. } => quote! { .#method("conform-token") },
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => {
                quote! { .#method(rt::Credentials::bearer("conform-token")) }
            }
        }
    });
    let tokens = quote! {
        //! Conformance harness written by `oapigen conform`: scratch code, safe to delete.
        #![allow(deprecated, unused_mut, unused_variables, unused_macros, dead_code, clippy::all)]

        use ::oapigen_runtime as rt;

        /// A value of the spec that does not decode into the generated type.
        struct Fail(String);

        /// Decodes a value of the spec into the type the client method takes. A scalar given
        /// where the other kind of scalar is wanted (a number for a string path parameter,
        /// as examples often write) is converted, since it travels as text anyway.
        fn v<T: ::serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, Fail> {
            let value: ::serde_json::Value = ::serde_json::from_str(json)
                .map_err(|err| Fail(format!("{what}: {err}")))?;
            let first = match ::serde_json::from_value::<T>(value.clone()) {
                Ok(decoded) => return Ok(decoded),
                Err(err) => err,
            };
            let other = match &value {
                ::serde_json::Value::String(text) => ::serde_json::from_str(text).ok(),
                ::serde_json::Value::Number(_) | ::serde_json::Value::Bool(_) => {
                    Some(::serde_json::Value::String(value.to_string()))
                }
                _ => None,
            };
            other
                .and_then(|other| ::serde_json::from_value::<T>(other).ok())
                .ok_or_else(|| Fail(format!("{what} does not decode into the client's type: {first}")))
        }

        fn header(headers: &rt::reqwest::header::HeaderMap, name: &str) -> ::serde_json::Value {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map_or(::serde_json::Value::Null, |text| ::serde_json::Value::String(text.to_owned()))
        }

        fn preview(bytes: &[u8]) -> String {
            String::from_utf8_lossy(&bytes[..bytes.len().min(4000)]).into_owned()
        }

        fn error_line<E: ::std::fmt::Debug>(error: &rt::Error<E>) -> ::serde_json::Value {
            match error {
                rt::Error::Api(api) => ::serde_json::json!({
                    "outcome": "api", "status": api.status,
                    "violations": header(&api.headers, "sl-violations"),
                }),
                rt::Error::UnexpectedResponse(unexpected) => ::serde_json::json!({
                    "outcome": "unexpected", "status": unexpected.status,
                    "violations": header(&unexpected.headers, "sl-violations"),
                    "detail": format!(
                        "{}; body: {}",
                        unexpected.decode_error.as_ref().map_or_else(|| "undocumented status".to_owned(), |err| err.to_string()),
                        preview(&unexpected.body),
                    ),
                }),
                rt::Error::Validation(errors) => ::serde_json::json!({
                    "outcome": "validation", "detail": errors.to_string(),
                }),
                other => ::serde_json::json!({
                    "outcome": format!("{:?}", other.kind()).to_lowercase(),
                    "status": other.status(),
                    "detail": other.to_string(),
                }),
            }
        }

        fn fail_line(Fail(detail): Fail) -> ::serde_json::Value {
            ::serde_json::json!({"outcome": "harness", "detail": detail})
        }

        fn ok_line(status: u16, headers: &rt::reqwest::header::HeaderMap) -> ::serde_json::Value {
            ::serde_json::json!({
                "outcome": "ok", "status": status,
                "violations": header(headers, "sl-violations"),
            })
        }

        /// Counts the runtime's warnings that a received body decoded only by its liberal
        /// reading, for the line of the call that received it.
        struct Lenient;

        static LENIENT: ::std::sync::atomic::AtomicU32 = ::std::sync::atomic::AtomicU32::new(0);

        impl ::tracing::Subscriber for Lenient {
            fn enabled(&self, meta: &::tracing::Metadata<'_>) -> bool {
                meta.target() == "oapigen_runtime::lenient"
            }
            fn new_span(&self, _: &::tracing::span::Attributes<'_>) -> ::tracing::span::Id {
                ::tracing::span::Id::from_u64(1)
            }
            fn record(&self, _: &::tracing::span::Id, _: &::tracing::span::Record<'_>) {}
            fn record_follows_from(&self, _: &::tracing::span::Id, _: &::tracing::span::Id) {}
            fn event(&self, _: &::tracing::Event<'_>) {
                LENIENT.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed);
            }
            fn enter(&self, _: &::tracing::span::Id) {}
            fn exit(&self, _: &::tracing::span::Id) {}
        }

        fn print_line(mut line: ::serde_json::Value, op: &str, fill: &str, examples: bool, sources: &str) {
            line["lenient"] = ::serde_json::Value::from(LENIENT.swap(0, ::std::sync::atomic::Ordering::Relaxed));
            line["op"] = ::serde_json::Value::from(op);
            line["fill"] = ::serde_json::Value::from(fill);
            line["examples"] = ::serde_json::Value::from(examples);
            line["sources"] = ::serde_json::Value::from(sources);
            println!("{line}");
        }

        /// The line of a success whose documented JSON body did not decode (the call still
        /// succeeds: the body is kept raw).
        fn undecoded_line(status: u16, headers: &rt::reqwest::header::HeaderMap, error: &rt::BodyError) -> ::serde_json::Value {
            ::serde_json::json!({
                "outcome": "undecoded", "status": status,
                "violations": header(headers, "sl-violations"),
                "detail": error.to_string(),
            })
        }

        macro_rules! attempt {
            (json $op:literal, $fill:literal, $examples:literal, $sources:literal, $call:expr) => {{
                let line = match async { Ok::<_, Fail>($call) }.await {
                    Err(fail) => fail_line(fail),
                    Ok(Ok(response)) => match &response.body {
                        Err(error) => undecoded_line(response.status, &response.headers, error),
                        Ok(_) => ok_line(response.status, &response.headers),
                    },
                    Ok(Err(error)) => error_line(&error),
                };
                print_line(line, $op, $fill, $examples, $sources);
            }};
            ($op:literal, $fill:literal, $examples:literal, $sources:literal, $call:expr) => {{
                let line = match async { Ok::<_, Fail>($call) }.await {
                    Err(fail) => fail_line(fail),
                    Ok(Ok(response)) => ok_line(response.status, &response.headers),
                    Ok(Err(error)) => error_line(&error),
                };
                print_line(line, $op, $fill, $examples, $sources);
            }};
        }

        fn main() {
            let _ = ::tracing::subscriber::set_global_default(Lenient);
            let base = ::std::env::args().nth(1).unwrap_or_default();
            let runtime = match ::tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(err) => {
                    eprintln!("cannot start tokio: {err}");
                    ::std::process::exit(2);
                }
            };
            let built = #krate::Client::builder()
                .base_url(base)
                // Every scheme has credentials, in the place the spec says; the client
                // picks the first alternative of each operation.
                #(#credentials)*
                .retry(rt::RetryPolicy::disabled())
                .build();
            let client = match built {
                Ok(client) => client,
                Err(err) => {
                    eprintln!("cannot build the client: {err}");
                    ::std::process::exit(2);
                }
            };
            // `OAPIGEN_CONFORM_ONLY` (one operation id a line) narrows the run to those,
            // for a second judge re-judging what the first could not.
            let only: Option<Vec<String>> = ::std::env::var(#only_var)
                .ok()
                .map(|ids| ids.lines().map(str::to_owned).collect());
            let wanted = |id: &str| only.as_ref().is_none_or(|only| only.iter().any(|o| o == id));
            // One future per operation, run one after the other: a single future over
            // hundreds of operations makes rustc's memory grow past what a machine has.
            #(if wanted(#op_ids) { runtime.block_on(#op_fns(&client)); })*
        }

        #(#calls)*
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| format!("harness: {err}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The calls of one operation: required values, then optional ones too; each with the
/// spec's examples and, where that differs, with synthesized values alone.
fn operation_calls(krate: &Ident, op: &Operation, document: &Value) -> TokenStream {
    let op_id = &op.operation_id;
    let raw = raw_operation(document, op);
    let mut attempts: Vec<Attempt> = Vec::new();
    for fill in [Fill::Required, Fill::Everything] {
        for examples in [true, false] {
            let attempt = build_attempt(krate, op, document, raw.as_ref(), fill, examples);
            if !attempts.iter().any(|a| a.key == attempt.key) {
                attempts.push(attempt);
            }
        }
    }
    let method = ident(&op.method_name);
    // A documented JSON success body is a `Result<T, BodyError>`: whether it decoded is read.
    let json = op
        .success_body()
        .is_some_and(|body| body.encoding == ResponseEncoding::Json)
        .then(|| quote! { json });
    let calls = attempts.iter().map(|attempt| {
        let Attempt {
            args,
            setters,
            fill,
            examples,
            sources,
            ..
        } = attempt;
        let fill = match fill {
            Fill::Required => "required",
            Fill::Everything => "everything",
        };
        let sources = sources_label(sources);
        quote! {
            attempt!(#json #op_id, #fill, #examples, #sources,
                client.#method(#(#args),*) #(#setters)* .send().await);
        }
    });
    quote! { #(#calls)* }
}

/// `example`, `synthesized`, or `example+synthesized` when values came from both.
fn sources_label(sources: &[Source]) -> String {
    let mut labels: Vec<&str> = sources
        .iter()
        .map(|source| match source {
            Source::Example => "example",
            Source::Default => "default",
            Source::Synthesized => "synthesized",
            Source::Unsatisfiable => "unsatisfiable",
        })
        .collect();
    labels.sort_unstable();
    labels.dedup();
    if labels.is_empty() {
        "none".to_owned()
    } else {
        labels.join("+")
    }
}

/// The operation object the IR operation came from, with the path item's parameters.
struct RawOperation<'d> {
    parameters: Vec<&'d Value>,
    body: Option<&'d Value>,
}

fn raw_operation<'d>(document: &'d Value, op: &Operation) -> Option<RawOperation<'d>> {
    let synth = Synth::new(document);
    let item = synth.resolve(document.get("paths")?.get(&op.path)?)?;
    let operation = item.get(op.http_method.to_ascii_lowercase())?;
    let mut parameters: Vec<&Value> = Vec::new();
    for list in [item.get("parameters"), operation.get("parameters")] {
        for parameter in list.and_then(Value::as_array).into_iter().flatten() {
            if let Some(parameter) = synth.resolve(parameter) {
                parameters.push(parameter);
            }
        }
    }
    let body = operation
        .get("requestBody")
        .and_then(|body| synth.resolve(body));
    Some(RawOperation { parameters, body })
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// The spec's parameter object for an IR parameter; operation-level ones override the path
/// item's, so the last match wins.
fn raw_parameter<'d>(raw: Option<&RawOperation<'d>>, parameter: &Parameter) -> Option<&'d Value> {
    raw?.parameters.iter().rev().copied().find(|p| {
        p.get("name").and_then(Value::as_str) == Some(parameter.wire.as_str())
            && p.get("in").and_then(Value::as_str) == Some(location_name(parameter.location))
    })
}

/// The media type object of the body the client sends.
fn raw_media<'d>(raw: Option<&RawOperation<'d>>, encoding: &BodyEncoding) -> Option<&'d Value> {
    let content = raw?.body?.get("content")?.as_object()?;
    let wanted = |name: &str| -> bool {
        let essence = name.split(';').next().unwrap_or(name).trim();
        match encoding {
            BodyEncoding::Json => essence.contains("json"),
            BodyEncoding::Form => essence == "application/x-www-form-urlencoded",
            BodyEncoding::Text(media) | BodyEncoding::Raw(media) => name == media,
            BodyEncoding::Multipart(_) | BodyEncoding::Parts => essence == "multipart/form-data",
        }
    };
    content
        .iter()
        .find(|(name, _)| wanted(name))
        .or_else(|| content.iter().next())
        .map(|(_, media)| media)
}

fn build_attempt(
    krate: &Ident,
    op: &Operation,
    document: &Value,
    raw: Option<&RawOperation<'_>>,
    fill: Fill,
    examples: bool,
) -> Attempt {
    let synth = if examples {
        Synth::new(document)
    } else {
        Synth::synthesized_only(document)
    };
    let mut attempt = Attempt {
        fill,
        examples,
        args: Vec::new(),
        setters: Vec::new(),
        sources: Vec::new(),
        key: String::new(),
    };
    for parameter in &op.parameters {
        if !parameter.required && fill == Fill::Required {
            continue;
        }
        let (value, source) = match raw_parameter(raw, parameter) {
            Some(raw) if parameter.location == Location::Query => {
                synth.several(|| synth.parameter(raw, fill))
            }
            Some(raw) => synth.parameter(raw, fill),
            None => (Value::String("conform".to_owned()), Source::Synthesized),
        };
        let what = format!(
            "{} parameter `{}`",
            location_name(parameter.location),
            parameter.wire
        );
        let expr = value_expr(&what, &value, &parameter.shape.ty);
        let _ = write!(attempt.key, "{}={value};", parameter.wire);
        attempt.sources.push(source);
        if synth.take_contradiction().is_some() {
            attempt.sources.push(Source::Unsatisfiable);
        }
        if parameter.required {
            attempt.args.push(expr);
        } else {
            let setter = ident(&parameter.name);
            attempt.setters.push(quote! { .#setter(#expr) });
        }
    }
    if let Some(body) = &op.body {
        if body.required || fill == Fill::Everything {
            let media = raw_media(raw, &body.encoding);
            let (value, source) = match media {
                Some(media) if matches!(body.encoding, BodyEncoding::Multipart(_)) => {
                    synth.several(|| synth.media(media, fill))
                }
                Some(media) => synth.media(media, fill),
                None => (Value::Object(Default::default()), Source::Synthesized),
            };
            if let (Some(media), BodyEncoding::Raw(_) | BodyEncoding::Text(_)) =
                (media, &body.encoding)
            {
                synth.raw_body(media);
            }
            let expr = match &body.encoding {
                BodyEncoding::Multipart(def) => parts::body_expr(krate, def, &value),
                // Undescribed parts: one file part, as a caller would add.
                BodyEncoding::Parts => quote! {{
                    let mut form = rt::Multipart::new();
                    form.file("file", &rt::FilePart::bytes("conform"), None);
                    form
                }},
                _ => value_expr("request body", &value, &body.shape.ty),
            };
            let _ = write!(attempt.key, "body={value};");
            attempt.sources.push(source);
            if synth.take_contradiction().is_some() {
                attempt.sources.push(Source::Unsatisfiable);
            }
            if body.required {
                attempt.args.push(expr);
            } else {
                attempt.setters.push(quote! { .body(#expr) });
            }
        }
    }
    attempt
}

/// `v("what", "json")?`: the value decoded into the method's parameter type. Bytes bodies
/// take the value's text as is.
fn value_expr(what: &str, value: &Value, ty: &Ty) -> TokenStream {
    match (ty, value) {
        (Ty::Bytes, Value::String(text)) => quote! { rt::bytes::Bytes::from(#text) },
        (Ty::Bytes, other) => {
            let text = other.to_string();
            quote! { rt::bytes::Bytes::from(#text) }
        }
        _ => {
            let json = value.to_string();
            quote! { v(#what, #json)? }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_each_source_once() {
        assert_eq!(
            sources_label(&[Source::Example, Source::Synthesized, Source::Example]),
            "example+synthesized"
        );
        assert_eq!(sources_label(&[]), "none");
    }

    #[test]
    fn bytes_take_the_value_text() {
        let expr = value_expr("body", &serde_json::json!({"a": 1}), &Ty::Bytes).to_string();
        assert!(expr.contains(r#"Bytes :: from ("{\"a\":1}")"#), "{expr}");
    }
}
