//! Request bodies: the media type each client method sends, and multipart parts.

use openapiv3::{MediaType, ReferenceOr, RequestBody as SpecRequestBody, Schema};

use super::super::model::{
    BodyAlternative, BodyEncoding, MultipartDef, PartDef, PartKind, RequestBody, Shape, Ty,
};
use super::super::resolve;
use super::super::view::View;
use super::{is_json, pick_media, OpContext};
use crate::diagnostics::pointer;
use crate::naming::{self, Scope};

/// Kinds of encoding: an operation offers one client method per kind it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Form,
    Multipart,
    Text,
    Raw,
}

fn kind_of(media_type: &str) -> Kind {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    if is_json(essence) {
        Kind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Kind::Form
    } else if essence == "multipart/form-data" {
        Kind::Multipart
    } else if essence.starts_with("text/") {
        Kind::Text
    } else {
        Kind::Raw
    }
}

/// A request body's alternative before its client method is named.
pub(super) struct Alternative {
    /// The media type it sends (names the method).
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub shape: Shape,
}

impl Alternative {
    /// The alternative, sent by the client method `method_name`.
    pub fn named(self, method_name: String) -> BodyAlternative {
        BodyAlternative {
            method_name: method_name.into(),
            encoding: self.encoding,
            shape: self.shape,
        }
    }
}

impl OpContext<'_, '_> {
    /// The body, with the other kinds of media type it accepts still to be named.
    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<SpecRequestBody>,
    ) -> Option<(RequestBody, Vec<Alternative>)> {
        let ptr = pointer(&self.ptr, &["requestBody"]);
        let body = self.deref(body, &ptr)?;
        let (primary_type, primary) = pick_media(&body.content)?;
        let mut kinds = vec![kind_of(&primary_type)];
        let (encoding, shape) = self.media(&primary_type, primary, &ptr, "");
        let mut alternatives = Vec::new();
        for (media_type, media) in &body.content {
            let kind = kind_of(media_type);
            if kinds.contains(&kind) {
                continue;
            }
            kinds.push(kind);
            let hint_suffix = naming::camel(&naming::media_method_suffix(media_type));
            let (encoding, shape) = self.media(media_type, media, &ptr, &hint_suffix);
            alternatives.push(Alternative {
                media_type: media_type.clone(),
                encoding,
                shape,
            });
        }
        let body = RequestBody {
            encoding,
            shape,
            required: body.required,
            docs: body.description.clone(),
            alternatives: Vec::new(),
        };
        Some((body, alternatives))
    }

    /// How one media type of the body at `ptr` is encoded, and its type. `suffix` tells the
    /// names of an alternative's types from the first media type's.
    fn media(
        &mut self,
        media_type: &str,
        media: &MediaType,
        ptr: &str,
        suffix: &str,
    ) -> (BodyEncoding, Shape) {
        let media_ptr = pointer(ptr, &["content", media_type]);
        let encoding = match kind_of(media_type) {
            Kind::Json => BodyEncoding::Json,
            Kind::Form => BodyEncoding::Form,
            Kind::Text => BodyEncoding::Text(media_type.to_owned()),
            Kind::Raw => BodyEncoding::Raw(media_type.to_owned()),
            Kind::Multipart => match self.multipart(media, &media_ptr) {
                Some(def) => BodyEncoding::Multipart(Box::new(def)),
                None => {
                    self.schemas.diagnostics.warn(
                        &media_ptr,
                        "multipart body without an object schema of properties: its parts are an `oapigen_runtime::Multipart` the caller fills",
                    );
                    BodyEncoding::Parts
                }
            },
        };
        let shape = match (&encoding, &media.schema) {
            (BodyEncoding::Raw(_), _) => Shape::plain(Ty::Bytes),
            (BodyEncoding::Text(_), _) => Shape::plain(Ty::String),
            (BodyEncoding::Multipart(_) | BodyEncoding::Parts, _) | (_, None) => {
                Shape::plain(Ty::Json)
            }
            (_, Some(schema)) => {
                let hint = format!("{}{suffix}Request", self.prefix);
                self.schemas
                    .convert(schema, &pointer(&media_ptr, &["schema"]), &hint)
                    .shape
            }
        };
        (encoding, shape)
    }

    /// The parts of a `multipart/form-data` media type whose schema is an object of
    /// properties; `None` for any other schema.
    fn multipart(&mut self, media: &MediaType, media_ptr: &str) -> Option<MultipartDef> {
        let schema_ptr = pointer(media_ptr, &["schema"]);
        let schema_ref = media.schema.as_ref()?;
        let schema = self.schema_of(schema_ref)?;
        // A component's properties are typed already: its parts reuse those types.
        let component = match schema_ref {
            ReferenceOr::Reference { reference } => self.schemas.struct_fields(reference),
            ReferenceOr::Item(_) => None,
        };
        let typed: Vec<(String, Shape, bool)> = component
            .unwrap_or_default()
            .iter()
            .map(|field| (field.wire.clone(), field.shape.clone(), field.nullable))
            .collect();
        let view = View::of(&schema);
        let properties = view.properties.filter(|p| !p.is_empty())?;
        if !view.all_of.is_empty() || !view.one_of.is_empty() || !view.any_of.is_empty() {
            return None;
        }
        let required = view.required.to_vec();
        let mut scope = Scope::default();
        let mut parts = Vec::new();
        for (wire, property) in properties {
            let property_ptr = pointer(&schema_ptr, &["properties", wire]);
            let property: ReferenceOr<Schema> = match property {
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
            };
            let resolved = self.schema_of(&property)?;
            let encoding = media.encoding.get(wire);
            let content_type = encoding
                .and_then(|encoding| encoding.content_type.as_deref())
                .filter(|content_type| is_single_media_type(content_type))
                .map(str::to_owned);
            let headers = encoding
                .map(|encoding| encoding.headers.keys().cloned().collect())
                .unwrap_or_default();
            let files = file_kind(self.document, &resolved, 0);
            let (kind, shape, nullable) = match files {
                Some(kind) => (kind, Shape::plain(Ty::Bytes), false),
                None => {
                    let (shape, nullable) = match typed.iter().find(|(name, ..)| name == wire) {
                        Some((_, shape, nullable)) => (shape.clone(), *nullable),
                        None => {
                            let hint = format!("{}{}", self.prefix, naming::camel(wire));
                            let converted = self.schemas.convert(&property, &property_ptr, &hint);
                            (converted.shape, converted.nullable)
                        }
                    };
                    let json = content_type.as_deref().is_some_and(is_json);
                    let kind = match &shape.ty {
                        _ if json => PartKind::Json,
                        Ty::Array(_) => PartKind::List,
                        _ => PartKind::Value,
                    };
                    (kind, shape, nullable)
                }
            };
            parts.push(PartDef {
                name: scope.snake(wire).into(),
                wire: wire.clone(),
                required: required.contains(wire) && !nullable,
                kind,
                shape,
                content_type,
                headers,
                docs: resolved.schema_data.description.clone(),
            });
        }
        Some(MultipartDef {
            name: naming::multipart_type(&self.prefix).into(),
            docs: schema.schema_data.description.clone(),
            parts,
        })
    }

    /// `schema`, with a `$ref` followed (reported when it does not resolve).
    fn schema_of(&mut self, schema: &ReferenceOr<Schema>) -> Option<Schema> {
        let ptr = self.ptr.clone();
        self.deref(schema, &ptr)
    }
}

/// Whether `content_type` names one concrete media type (not a list or a wildcard), so
/// it can be sent as a part's `Content-Type`.
fn is_single_media_type(content_type: &str) -> bool {
    !content_type.contains(',') && !content_type.contains('*') && content_type.contains('/')
}

/// `Some(File)` for a binary string, `Some(Files)` for an array of them or a union holding
/// one (unions nested no deeper than `depth` 4); `None` for anything else.
fn file_kind(document: &serde_json::Value, schema: &Schema, depth: usize) -> Option<PartKind> {
    let resolve_item = |item: &ReferenceOr<Schema>| match item {
        ReferenceOr::Reference { reference } => resolve::<Schema>(document, reference),
        ReferenceOr::Item(schema) => Some(schema.clone()),
    };
    let view = View::of(schema);
    if is_binary(&view) {
        return Some(PartKind::File);
    }
    if let Some(items) = view.items {
        let item = match items {
            ReferenceOr::Reference { reference } => resolve::<Schema>(document, reference),
            ReferenceOr::Item(schema) => Some((**schema).clone()),
        };
        return item
            .filter(|item| is_binary(&View::of(item)))
            .map(|_| PartKind::Files);
    }
    if depth >= 4 {
        return None;
    }
    let members = view.one_of.iter().chain(view.any_of);
    let holds_files = members
        .filter_map(resolve_item)
        .any(|member| file_kind(document, &member, depth + 1).is_some());
    holds_files.then_some(PartKind::Files)
}

fn is_binary(view: &View) -> bool {
    view.typ == Some("string") && view.format.as_deref() == Some("binary")
}
