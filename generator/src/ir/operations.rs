//! Turns paths into [`Operation`]s.

use std::collections::HashMap;

use openapiv3::{
    MediaType, OpenAPI, ParameterSchemaOrContent, PathItem,
    ReferenceOr, Response as SpecResponse, StatusCode,
};
use serde::de::DeserializeOwned;

use super::{resolve, Strictness};

mod bodies;
mod parameters;
mod streams;

pub(crate) use streams::{DEFAULT_SENTINEL, ITEM_SCHEMA_EXTENSION};

use super::groups::GroupRegistry;
use super::model::{
    Location, NextPage, Operation, PagePattern, Pagination, Parameter, Response, ResponseBody,
    StreamBody,
    ResponseEncoding, ResponseHeader, Shape, StatusMatch, TokenInput, Ty,
};
use super::schemas::SchemaConverter;
use super::security::{self, SecurityRequirement, SecurityScheme};
use crate::customize::Customize;
use crate::diagnostics::pointer;
use crate::naming::{self, Scope};

/// Builds every operation of `openapi`.
pub fn convert_operations(
    openapi: &OpenAPI,
    document: &serde_json::Value,
    schemas: &mut SchemaConverter,
    strictness: Strictness,
    groups: &mut GroupRegistry,
    security_schemes: &[SecurityScheme],
    customize: &Customize,
) -> Vec<Operation> {
    let mut methods = Scope::client_methods();
    let mut prefixes = Scope::default();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut operations = Vec::new();
    for (path, item) in &openapi.paths.paths {
        let item_ptr = pointer("/paths", &[path]);
        let item: PathItem = match item {
            ReferenceOr::Item(item) => item.clone(),
            ReferenceOr::Reference { reference } => {
                match resolve::<PathItem>(document, reference) {
                    Some(item) => item,
                    None => {
                        schemas.diagnostics.error(
                            &item_ptr,
                            format!("path item `$ref` `{reference}` does not resolve"),
                        );
                        continue;
                    }
                }
            }
        };
        for (method, op) in item.iter() {
            let op_ptr = pointer(&item_ptr, &[method]);
            let mut operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| synthesize_id(method, path));
            if !customize.keeps(&op.tags, path, &operation_id) {
                continue;
            }
            if let Some(first) = seen_ids.get(&operation_id) {
                let message =
                    format!("duplicate operationId `{operation_id}` (first used at #{first})");
                let id_ptr = pointer(&op_ptr, &["operationId"]);
                if !strictness.lenient {
                    schemas
                        .diagnostics
                        .error(&id_ptr, format!("{message}; --lenient renames it"));
                    continue;
                }
                let mut renamed = format!("{operation_id} {method}");
                let mut n = 2;
                while seen_ids.contains_key(&renamed) {
                    renamed = format!("{operation_id} {method} {n}");
                    n += 1;
                }
                schemas
                    .diagnostics
                    .warn(&id_ptr, format!("{message}; generated as `{renamed}`"));
                operation_id = renamed;
            }
            seen_ids.insert(operation_id.clone(), op_ptr.clone());
            if op.responses.responses.is_empty() && op.responses.default.is_none() {
                let message = "operation has no `responses`; at least one is required";
                if !strictness.lenient {
                    schemas.diagnostics.error(
                        &op_ptr,
                        format!("{message} (--lenient generates it with none documented)"),
                    );
                    continue;
                }
                schemas.diagnostics.warn(
                    &op_ptr,
                    format!("{message}; any 2xx answer is taken as success, its body as bytes"),
                );
            }
            let name = customize.operation_name(&operation_id).to_owned();
            let type_prefix = prefixes.type_prefix(&name);
            let mut ctx = OpContext {
                document,
                schemas: &mut *schemas,
                ptr: op_ptr.clone(),
                prefix: type_prefix.clone(),
                path,
                stream: None,
            };
            let parameters = ctx.parameters(&item.parameters, &op.parameters);
            let body = op
                .request_body
                .as_ref()
                .and_then(|body| ctx.request_body(body));
            let method_name = methods.snake(&name);
            let body = body.map(|(mut body, alternatives)| {
                body.alternatives = alternatives
                    .into_iter()
                    .map(|alt| {
                        let suffix = naming::media_method_suffix(&alt.media_type);
                        alt.named(methods.snake(&format!("{name} {suffix}")))
                    })
                    .collect();
                body
            });
            let mut responses = ctx.responses(&op.responses, &op.extensions);
            if op.responses.responses.is_empty() && op.responses.default.is_none() {
                // Nothing says what success looks like, so no 2xx may turn into an error.
                responses.push(Response {
                    status: StatusMatch::Range(2),
                    body: Some(ResponseBody {
                        encoding: ResponseEncoding::Raw,
                        shape: Shape::plain(Ty::Bytes),
                    }),
                    headers: Vec::new(),
                    description: None,
                });
            }
            let stream = ctx.stream.take().map(|candidate| StreamBody {
                method_name: methods.snake(&naming::stream_method(&name)).into(),
                type_prefix: prefixes.type_name(&naming::stream_method(&name)),
                builder: String::new(),
                media_type: candidate.media_type,
                kind: candidate.kind,
                item: candidate.item,
                request_flag: streams::request_flag(body.as_ref(), ctx.schemas),
            });
            let accept = ctx.accept(&op.responses);
            let security_ptr = if op.security.is_some() {
                pointer(&op_ptr, &["security"])
            } else {
                "/security".to_owned()
            };
            let security = security::requirements(
                op.security.as_ref(),
                openapi.security.as_ref(),
                security_schemes,
                &security_ptr,
                ctx.schemas.diagnostics,
            );
            let scopes = security_scopes(&security);
            if !op.callbacks.is_empty() {
                let names: Vec<&str> = op.callbacks.keys().map(String::as_str).collect();
                ctx.schemas.diagnostics.warn(
                    &pointer(&op_ptr, &["callbacks"]),
                    format!(
                        "callbacks ({}) describe requests the server sends; no client code is generated for them",
                        names.join(", ")
                    ),
                );
            }
            let infer_pagination = customize.infers_pagination(&op.tags, path, &operation_id);
            let pagination = ctx.pagination(
                op.extensions.get("x-pagination"),
                &parameters,
                body.is_some(),
            );
            operations.push(Operation {
                method_name: method_name.into(),
                group: groups.group_of(&op.tags, path),
                type_prefix,
                // Claimed below, once every operation has made its inline types.
                items: naming::OperationItems::default(),
                operation_id,
                http_method: method.to_ascii_uppercase(),
                path: path.clone(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                parameters,
                body,
                responses,
                scopes,
                security,
                pagination,
                stream,
                infer_pagination,
                accept,
            });
        }
    }
    let mut names = naming::OperationNames::new(schemas.types.iter().map(|def| def.name.as_str()));
    for op in &mut operations {
        op.items = names.items(&op.type_prefix, &op.method_name);
        if let Some(stream) = &mut op.stream {
            stream.builder = names.stream_builder(&stream.type_prefix);
        }
    }
    operations
}

fn synthesize_id(method: &str, path: &str) -> String {
    format!("{method} {}", path.replace(['{', '}'], " "))
}

/// The scopes of the first requirement that needs credentials; `None` when none does.
fn security_scopes(requirements: &[SecurityRequirement]) -> Option<Vec<String>> {
    let first = requirements.iter().find(|r| !r.schemes.is_empty())?;
    let mut scopes: Vec<String> = first
        .schemes
        .iter()
        .flat_map(|used| used.scopes.iter().cloned())
        .collect();
    scopes.dedup();
    Some(scopes)
}

struct OpContext<'c, 'a> {
    document: &'c serde_json::Value,
    schemas: &'c mut SchemaConverter<'a>,
    ptr: String,
    prefix: String,
    /// The path template (`/pets/{petId}`).
    path: &'c str,
    /// What the first success response that can be streamed offers.
    stream: Option<streams::Candidate>,
}

impl OpContext<'_, '_> {
    fn deref<T: DeserializeOwned + Clone>(
        &mut self,
        item: &ReferenceOr<T>,
        ptr: &str,
    ) -> Option<T> {
        match item {
            ReferenceOr::Item(item) => Some(item.clone()),
            ReferenceOr::Reference { reference } => {
                let resolved = resolve::<T>(self.document, reference);
                if resolved.is_none() {
                    self.schemas.diagnostics.error(
                        ptr,
                        format!(
                            "`$ref` target `{reference}` does not exist or has the wrong shape"
                        ),
                    );
                }
                resolved
            }
        }
    }

    /// The media type to ask for: the one [`pick_media`] decodes, when a success response
    /// offers others too (a server or mock answers with its first one unless told).
    fn accept(&self, responses: &openapiv3::Responses) -> Option<String> {
        responses.responses.iter().find_map(|(code, response)| {
            if !status_of(code).is_success() {
                return None;
            }
            // A broken reference was reported by `responses`.
            let response = match response {
                ReferenceOr::Item(item) => item.clone(),
                ReferenceOr::Reference { reference } => {
                    resolve::<SpecResponse>(self.document, reference)?
                }
            };
            if response.content.len() < 2 {
                return None;
            }
            pick_media(&response.content).map(|(media_type, _)| media_type)
        })
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
    ) -> Vec<Response> {
        let mut out = Vec::new();
        let entries = responses
            .responses
            .iter()
            .map(|(code, r)| (status_of(code), code.to_string(), r))
            .chain(
                responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_owned(), r)),
            );
        for (status, key, response) in entries.collect::<Vec<_>>() {
            let ptr = pointer(&self.ptr, &["responses", &key]);
            let Some(response) = self.deref(response, &ptr) else {
                continue;
            };
            let body = self.response_body(&response, status, &ptr);
            if self.stream.is_none() && status.is_success() {
                self.stream = self.stream_candidate(&response, body.as_ref(), extensions, &ptr);
            }
            let headers = self.response_headers(&response, &ptr);
            out.push(Response {
                status,
                body,
                headers,
                description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
            });
        }
        out
    }

    fn response_body(
        &mut self,
        response: &SpecResponse,
        status: StatusMatch,
        ptr: &str,
    ) -> Option<ResponseBody> {
        let (media_type, media) = pick_media(&response.content)?;
        let media_ptr = pointer(ptr, &["content", &media_type]);
        let encoding = if is_json(&media_type) {
            ResponseEncoding::Json
        } else if media_type.starts_with("text/") {
            ResponseEncoding::Text
        } else {
            ResponseEncoding::Raw
        };
        let shape = match (&encoding, &media.schema) {
            (ResponseEncoding::Raw, _) => Shape::plain(Ty::Bytes),
            (ResponseEncoding::Text, _) => Shape::plain(Ty::String),
            (ResponseEncoding::Json, Some(schema)) => {
                let hint = match status {
                    s if s.is_success() => format!("{}ResponseBody", self.prefix),
                    StatusMatch::Code(code) => {
                        format!("{}{}Body", self.prefix, naming::status_variant(code))
                    }
                    StatusMatch::Range(digit) => format!("{}{digit}xxBody", self.prefix),
                    StatusMatch::Default => format!("{}DefaultBody", self.prefix),
                };
                let converted =
                    self.schemas
                        .convert(schema, &pointer(&media_ptr, &["schema"]), &hint);
                if converted.nullable && !matches!(converted.shape.ty, Ty::Json) {
                    Shape::plain(Ty::Option(Box::new(converted.shape)))
                } else {
                    converted.shape
                }
            }
            (ResponseEncoding::Json, None) => Shape::plain(Ty::Json),
        };
        Some(ResponseBody { encoding, shape })
    }

    fn response_headers(&mut self, response: &SpecResponse, ptr: &str) -> Vec<ResponseHeader> {
        let mut scope = Scope::response_fields();
        let mut out = Vec::new();
        for (wire, header) in &response.headers {
            let header_ptr = pointer(ptr, &["headers", wire]);
            let Some(header) = self.deref(header, &header_ptr) else {
                continue;
            };
            let shape = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let hint = format!("{}{}Header", self.prefix, naming::camel(wire));
                    self.schemas
                        .convert(schema, &pointer(&header_ptr, &["schema"]), &hint)
                        .shape
                }
                ParameterSchemaOrContent::Content(_) => Shape::plain(Ty::String),
            };
            let shape = if is_header_type(&shape.ty) {
                shape
            } else {
                Shape::plain(Ty::String)
            };
            let last_segment = self.last_segment(&header, &shape, &header_ptr);
            out.push(ResponseHeader {
                name: scope.snake(wire).into(),
                wire: wire.to_ascii_lowercase(),
                shape,
                required: header.required,
                docs: header.description.clone(),
                last_segment,
            });
        }
        out
    }

    /// The method name `x-last-segment` asks for on a string header; a located warning when
    /// the extension is not a name or the header not a string.
    fn last_segment(
        &mut self,
        header: &openapiv3::Header,
        shape: &Shape,
        ptr: &str,
    ) -> Option<String> {
        let value = header.extensions.get("x-last-segment")?;
        let ptr = pointer(ptr, &["x-last-segment"]);
        match value.as_str() {
            Some(name) if !name.is_empty() && matches!(shape.ty, Ty::String) => {
                Some(naming::escape_keyword(&naming::snake(name)))
            }
            Some(_) => {
                self.schemas.diagnostics.warn(
                    &ptr,
                    "x-last-segment needs a string header and a method name; ignored",
                );
                None
            }
            None => {
                self.schemas.diagnostics.warn(
                    &ptr,
                    "x-last-segment must be a method name (a string); ignored",
                );
                None
            }
        }
    }

    fn pagination(
        &mut self,
        extension: Option<&serde_json::Value>,
        parameters: &[Parameter],
        has_body: bool,
    ) -> Option<Pagination> {
        let extension = extension?;
        let ptr = pointer(&self.ptr, &["x-pagination"]);
        let field = |key: &str| {
            extension
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let split = |path: String| path.split('.').map(str::to_owned).collect::<Vec<_>>();
        let token_input = if let Some(name) = field("tokenParameter") {
            match parameters
                .iter()
                .find(|p| p.wire == name && p.location == Location::Query)
            {
                Some(parameter) => TokenInput::Query(parameter.name.code().to_owned()),
                None => {
                    self.schemas.diagnostics.warn(&ptr, format!("x-pagination names query parameter `{name}`, which the operation does not have"));
                    return None;
                }
            }
        } else if let (Some(path), true) = (field("tokenBodyField"), has_body) {
            TokenInput::Body(split(path))
        } else {
            self.schemas.diagnostics.warn(
                &ptr,
                "x-pagination needs `tokenParameter` or `tokenBodyField` (with a request body)",
            );
            return None;
        };
        let (Some(next), Some(items)) = (field("nextTokenField"), field("itemsField")) else {
            self.schemas
                .diagnostics
                .warn(&ptr, "x-pagination needs `nextTokenField` and `itemsField`");
            return None;
        };
        Some(Pagination {
            pattern: PagePattern::Extension,
            items_field: split(items),
            next: NextPage::Token {
                input: token_input,
                field: split(next),
            },
        })
    }
}

fn status_of(code: &StatusCode) -> StatusMatch {
    match code {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(digit) => StatusMatch::Range(*digit),
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence.ends_with("/json")
}

/// The media type to use: JSON first, then form, then the first listed.
fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(String, &MediaType)> {
    let by = |pred: &dyn Fn(&str) -> bool| {
        content
            .iter()
            .find(|(k, _)| pred(k))
            .map(|(k, v)| (k.clone(), v))
    };
    by(&|k| is_json(k) && k != "*/*")
        .or_else(|| by(&|k| k == "application/x-www-form-urlencoded"))
        .or_else(|| content.iter().next().map(|(k, v)| (k.clone(), v)))
}

fn is_header_type(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::String | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool | Ty::DateTime | Ty::Uuid | Ty::Uri
    )
}
