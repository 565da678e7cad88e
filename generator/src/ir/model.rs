//! The intermediate representation: an owned, spec-independent model of one API.
//!
//! Emitters see only this, never the raw spec. Types are kept in a `Vec` indexed by
//! [`TypeId`], in the order they were first reached, so output is deterministic.

use crate::naming::RustIdent;
use serde::Serialize;

pub use super::security::{ApiKeyIn, SchemeKind, SecurityRequirement, SecurityScheme};

mod bodies;
mod pagination;
mod streams;
pub use bodies::*;
pub use pagination::*;
pub use streams::*;


/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TypeId(pub usize);

/// One API, ready to emit.
#[derive(Debug, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers, in spec order.
    pub servers: Vec<Server>,
    /// Every named type.
    pub types: Vec<TypeDef>,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// Operation groups (tags), in order of first appearance: one file and one cargo
    /// feature each.
    pub groups: Vec<Group>,
    /// The OAuth 2.0 token URL, when a security scheme declares one.
    pub token_url: Option<String>,
    /// Every scheme of `components.securitySchemes`, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
}

impl Api {
    /// Whether a generated crate makes each operation group a cargo feature: when there is
    /// more than one group.
    pub fn has_group_features(&self) -> bool {
        self.groups.len() > 1
    }

    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// Operations that belong together: those sharing a first tag or, untagged, the first fixed
/// segment of their path.
#[derive(Debug, Serialize)]
pub struct Group {
    /// The tag (or path segment) as written.
    pub name: String,
    /// File/module name (snake case), unique among groups.
    pub module: String,
    /// Cargo feature name (kebab case).
    pub feature: String,
    /// The tag's description.
    pub docs: Option<String>,
}

/// A server from `servers`, turned into a region the client can pick.
#[derive(Debug, Serialize)]
pub struct Server {
    /// Variant name of the `Region` enum.
    pub variant: String,
    /// URL with variables replaced by their defaults.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// A named type.
#[derive(Debug, Serialize)]
pub struct TypeDef {
    /// Rust identifier.
    pub name: RustIdent,
    /// The only operation group that uses it; `None` when several or none do (then it is
    /// always compiled).
    pub group: Option<usize>,
    /// JSON pointer of the schema it came from.
    pub origin: String,
    /// Doc text.
    pub docs: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Whether its values can break a documented constraint (directly or in a value they
    /// hold), so that validating them is not a no-op.
    pub has_checks: bool,
    /// A one-value enum an untagged union tells its variants apart by: it refuses other
    /// values when decoding (every other string enum keeps them in `Unknown`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub union_constant: bool,
    /// What it is.
    pub kind: TypeKind,
    /// Extra attributes from the configuration (`#[derive(Hash)]`), in order.
    pub attributes: Vec<String>,
    /// A Rust type path used instead of generating this type (`shared::Money`).
    pub replacement: Option<String>,
}

/// What a named type is.
#[derive(Debug, Serialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enum; unknown values land in an `Unknown(String)` variant, except for
    /// one-value enums that tell untagged variants apart ([`TypeDef::union_constant`]).
    StringEnum(Vec<EnumValue>),
    /// `oneOf`/`anyOf` with a discriminator: an internally tagged enum.
    Tagged {
        /// The discriminator property.
        tag: String,
        /// Variants in spec order.
        variants: Vec<UnionVariant>,
    },
    /// `oneOf`/`anyOf` without discriminator: tried in order.
    Untagged(Vec<UnionVariant>),
    /// A named schema that is a plain type (string, array, map…).
    Alias(Shape),
}

impl TypeKind {
    /// The shapes a type of this kind holds directly: fields and additional properties,
    /// union payloads, the aliased shape (none for string enums).
    pub fn shapes(&self) -> Vec<&Shape> {
        match self {
            TypeKind::Struct(def) => def
                .fields
                .iter()
                .map(|field| &field.shape)
                .chain(&def.additional)
                .collect(),
            TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                variants.iter().map(|variant| &variant.shape).collect()
            }
            TypeKind::Alias(shape) => vec![shape],
            TypeKind::StringEnum(_) => Vec::new(),
        }
    }
}

impl Presence {
    /// The rule in words, each wire name written by `name`: "at least one of `a`, `b` or
    /// `c`", "exactly one of `a`, or `b` and `c`", "not all of `a` and `b` together" (as
    /// the runtime's validation messages word them).
    pub fn describe(&self, name: impl Fn(&str) -> String) -> String {
        let together = |group: &[String]| {
            let names: Vec<String> = group.iter().map(|wire| name(wire)).collect();
            match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => names.concat(),
            }
        };
        let choices = |groups: &[Vec<String>]| {
            let listed: Vec<String> = groups.iter().map(|group| together(group)).collect();
            match listed.split_last() {
                Some((last, rest)) if groups.iter().all(|g| g.len() == 1) && !rest.is_empty() => {
                    format!("{} or {last}", rest.join(", "))
                }
                _ => listed.join(", or "),
            }
        };
        match self {
            Presence::AnyOf(groups) => format!("at least one of {}", choices(groups)),
            Presence::OneOf(groups) => format!("exactly one of {}", choices(groups)),
            Presence::Not(group) => format!("not all of {} together", together(group)),
        }
    }
}

/// An object type.
#[derive(Debug, Serialize, Default)]
pub struct StructDef {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` value type, flattened into a map.
    pub additional: Option<Shape>,
    /// Property omitted because a tagged union carries it as its tag.
    pub omitted_tag: Option<String>,
    /// `additionalProperties: false`: unknown properties are rejected when decoding.
    pub deny_unknown: bool,
    /// Which optional properties go together (`anyOf`/`oneOf` of `required`-only
    /// alternatives, `not: {required}`): checked before sending, never when receiving.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub presence: Vec<Presence>,
}

/// A rule on which properties of an object are present, each group a list of wire names
/// of its properties: a group is present when all its properties are.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub enum Presence {
    /// `anyOf: [{required: […]}, …]`: at least one group is present.
    AnyOf(Vec<Vec<String>>),
    /// `oneOf: [{required: […]}, …]`: exactly one group is present.
    OneOf(Vec<Vec<String>>),
    /// `not: {required: […]}`: the group is not present.
    Not(Vec<String>),
}

/// A property of a struct.
#[derive(Debug, Serialize)]
pub struct Field {
    /// Rust identifier.
    pub name: RustIdent,
    /// Name on the wire.
    pub wire: String,
    /// Type and constraints.
    pub shape: Shape,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Doc text.
    pub docs: Option<String>,
    /// Holds a secret (`x-sensitive` or `format: password`): redacted in `Debug`.
    pub sensitive: bool,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Behind a `Box` to break a cycle of direct containment.
    pub boxed: bool,
    /// A number the spec also allows as a numeric string: decoded from either.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numeric_string: bool,
    /// A one-value number `enum` an untagged union tells its variants apart by (discord's
    /// `type: 11` option): decoding refuses another number, so the next variant is tried.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub union_constant: bool,
    /// A date-time, directly or through named aliases: decoded by the runtime's reader of
    /// the spellings servers send.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub date_time: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// One value of a string enum.
#[derive(Debug, Serialize)]
pub struct EnumValue {
    /// Variant name.
    pub name: RustIdent,
    /// Value on the wire.
    pub wire: String,
}

/// One variant of a union.
#[derive(Debug, Serialize)]
pub struct UnionVariant {
    /// Variant name.
    pub name: RustIdent,
    /// Discriminator value (tagged unions only).
    pub tag_value: Option<String>,
    /// Payload.
    pub shape: Shape,
    /// Behind a `Box` to break a cycle.
    pub boxed: bool,
    /// Tagged unions: the payload struct keeps its tag property, because it is used outside
    /// tagged unions too (where nothing else would send the tag); serialized as itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub keeps_tag: bool,
}

/// A type plus the constraints the spec puts on values of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Shape {
    /// The type.
    pub ty: Ty,
    /// Constraints on the value.
    pub constraints: Constraints,
}

impl Shape {
    /// A shape without constraints.
    pub fn plain(ty: Ty) -> Self {
        Self {
            ty,
            constraints: Constraints::default(),
        }
    }

    /// This shape, then the shapes inside it (array items, map values, option payloads).
    pub fn nested(&self) -> impl Iterator<Item = &Shape> {
        std::iter::successors(Some(self), |shape| match &shape.ty {
            Ty::Array(inner) | Ty::Map(inner) | Ty::Option(inner) => Some(inner),
            _ => None,
        })
    }

    /// The one allowed value of a number shape (through `Option`): a one-value number `enum`.
    pub fn one_number(&self) -> Option<f64> {
        match (&self.ty, self.constraints.allowed_numbers.as_slice()) {
            (Ty::Option(inner), _) => inner.one_number(),
            (Ty::I32 | Ty::I64 | Ty::F64, [only]) => Some(*only),
            _ => None,
        }
    }

    /// The named type this shape refers to, if it is one.
    pub fn named(&self) -> Option<TypeId> {
        match self.ty {
            Ty::Named(id) => Some(id),
            _ => None,
        }
    }
}

/// A Rust type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum Ty {
    /// A named type.
    Named(TypeId),
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `chrono::DateTime<Utc>` (`format: date-time`).
    DateTime,
    /// `chrono::NaiveDate` (`format: date`).
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// `oapigen_runtime::Uri` (`format: uri`/`url`): text, checked when the caller makes
    /// one, kept as received.
    Uri,
    /// `bytes::Bytes` (binary bodies).
    Bytes,
    /// `serde_json::Value`: anything, or what the generator could not type precisely.
    Json,
    /// `Vec<_>`.
    Array(Box<Shape>),
    /// `BTreeMap<String, _>`.
    Map(Box<Shape>),
    /// `Option<_>`: an array item, map value or union payload that may be `null`.
    Option(Box<Shape>),
}

/// Documented constraints of a value, checked client-side before sending.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `enum` of an integer or number schema: the values allowed (the type stays numeric so
    /// a new server value still decodes).
    pub allowed_numbers: Vec<f64>,
}

impl Constraints {
    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One operation.
#[derive(Debug, Serialize)]
pub struct Operation {
    /// `operationId` as written (or synthesized from method and path).
    pub operation_id: String,
    /// Method name on the client (snake case).
    pub method_name: RustIdent,
    /// Prefix for the operation's own types (`SendNotifications`).
    pub type_prefix: String,
    /// The names of its own items in `operations` (builder, success struct, error enum),
    /// claimed once every type has its name ([`crate::naming::OperationNames`]). Not in IR
    /// snapshots: the public API listings show them.
    #[serde(skip)]
    pub items: crate::naming::OperationItems,
    /// Index of its group in [`Api::groups`].
    pub group: usize,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template as in the spec.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Parameters in spec order (path-item parameters first).
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Every documented response.
    pub responses: Vec<Response>,
    /// The scopes of the first requirement in [`Operation::security`] that needs
    /// credentials; `None` when none does.
    pub scopes: Option<Vec<String>>,
    /// The effective security requirement alternatives: the operation's own `security`,
    /// else the document's; empty when the operation needs nothing (`security: []`). An
    /// empty requirement among others means credentials are optional.
    pub security: Vec<SecurityRequirement>,
    /// How the operation pages, when it does.
    pub pagination: Option<Pagination>,
    /// How its success body can be consumed as it arrives, when it can (`<op>_stream`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<StreamBody>,
    /// Whether pagination may be inferred when the spec has no `x-pagination` (the project
    /// setting did not turn it off).
    #[serde(skip)]
    pub infer_pagination: bool,
    /// The media type the client asks for (`Accept`) because it decodes that one of the
    /// several a success response offers; `None` when there is no choice to make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
}

/// The body every success response shares: `<Op>Response::body`.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessBody {
    /// Its type: the shared one, or `serde_json::Value` when the 2xx bodies differ.
    pub shape: Shape,
    /// How it is decoded.
    pub encoding: ResponseEncoding,
    /// Some success status has no body, so the field is an `Option`.
    pub optional: bool,
}

impl Operation {
    /// Every shape the operation names: parameters, request body, response bodies and headers.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        let responses = self.responses.iter().flat_map(|response| {
            let headers = response.headers.iter().map(|header| &header.shape);
            response.body.iter().map(|body| &body.shape).chain(headers)
        });
        self.parameters
            .iter()
            .map(|parameter| &parameter.shape)
            .chain(self.body.iter().flat_map(RequestBody::shapes))
            .chain(responses)
    }

    /// The responses that make a call succeed: the 2xx ones, else `default`.
    pub fn success_responses(&self) -> Vec<&Response> {
        let explicit: Vec<&Response> = self
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .collect();
        if explicit.is_empty() {
            self.responses
                .iter()
                .filter(|r| r.status == StatusMatch::Default)
                .collect()
        } else {
            explicit
        }
    }

    /// The documented responses that are errors: every one not in
    /// [`success_responses`](Self::success_responses).
    pub fn error_responses(&self) -> Vec<&Response> {
        let successes = self.success_responses();
        self.responses
            .iter()
            .filter(|r| !r.status.is_success() && !successes.iter().any(|s| std::ptr::eq(*s, *r)))
            .collect()
    }

    /// The success body, when any success response has one.
    pub fn success_body(&self) -> Option<SuccessBody> {
        let responses = self.success_responses();
        let bodies: Vec<_> = responses.iter().filter_map(|r| r.body.as_ref()).collect();
        let first = bodies.first()?;
        let same = bodies
            .iter()
            .all(|b| b.shape == first.shape && b.encoding == first.encoding);
        let (shape, encoding) = if same {
            (first.shape.clone(), first.encoding.clone())
        } else {
            (Shape::plain(Ty::Json), ResponseEncoding::Json)
        };
        Some(SuccessBody {
            shape,
            encoding,
            optional: bodies.len() < responses.len(),
        })
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// One parameter.
#[derive(Debug, Serialize)]
pub struct Parameter {
    /// Rust identifier.
    pub name: RustIdent,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// Must be given.
    pub required: bool,
    /// Type and constraints.
    pub shape: Shape,
    /// Doc text.
    pub docs: Option<String>,
    /// Arrays: repeat the name (`true`) or join with commas.
    pub explode: bool,
    /// Object-valued query parameters: how the object is written into the query string.
    pub object_style: Option<ObjectStyle>,
}

/// How an object-valued query parameter is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ObjectStyle {
    /// `form`: properties as `key=value` (exploded) or `name=key,value,…`.
    Form,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `2XX`, `4XX`…: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// Whether this covers a success (2xx) status.
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(digit) => digit == 2,
            StatusMatch::Default => false,
        }
    }
}

/// One documented response.
#[derive(Debug, Serialize)]
pub struct Response {
    /// Statuses it covers.
    pub status: StatusMatch,
    /// Body, when there is one.
    pub body: Option<ResponseBody>,
    /// Documented headers.
    pub headers: Vec<ResponseHeader>,
    /// `description`.
    pub description: Option<String>,
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ResponseEncoding {
    /// JSON.
    Json,
    /// Text.
    Text,
    /// Bytes.
    Raw,
}

/// A response body.
#[derive(Debug, Serialize)]
pub struct ResponseBody {
    /// Decoding.
    pub encoding: ResponseEncoding,
    /// Type.
    pub shape: Shape,
}

/// A documented response header.
#[derive(Debug, Serialize)]
pub struct ResponseHeader {
    /// Rust identifier.
    pub name: RustIdent,
    /// Header name on the wire.
    pub wire: String,
    /// Type.
    pub shape: Shape,
    /// Marked `required`: the response always carries it.
    pub required: bool,
    /// Doc text.
    pub docs: Option<String>,
    /// `x-last-segment: name`: the response gets a method `name()` returning the last path
    /// segment of this header's value (the ID of a created resource in `Location`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_segment: Option<String>,
}
