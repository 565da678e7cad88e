//! What each kind of spec change means for Rust users of the generated crate.
//!
//! The classifier knows nothing but this table: every [`ChangeKind`] has exactly one row,
//! with its [`Impact`] and the convention of the generated code (see `emit/`) that makes it
//! so. When the emitters change a convention, change the row here.
//!
//! The conventions the rows rely on:
//!
//! - Structs are `#[non_exhaustive]` and built with `new(required fields…)` plus one
//!   `with_<field>(value)` setter per optional field; optional fields are `Option<T>`.
//!   So a new *optional* field is a new setter (additive), while a new *required* field is a
//!   new argument of `new` (breaking), and moving a field between required and optional
//!   changes both `new` and the field's type (breaking).
//! - String enums are `#[non_exhaustive]` and, with two or more values, carry
//!   `Unknown(String)`: a new value is a new variant that user `match`es already cover with a
//!   wildcard, and a server that sent it before decoded as `Unknown` (additive).
//! - Tagged unions are `#[non_exhaustive]` with an `Unknown` variant; untagged unions are
//!   `#[non_exhaustive]` and decode by trying variants in order, so a variant appended at the
//!   end is additive but one inserted before existing variants can change what a value
//!   decodes as (breaking).
//! - Each operation is one client method whose arguments are the required parameters and
//!   the required body; optional parameters and an optional body are setters on the request
//!   builder.
//! - Each operation returns `<Op>Response` (`#[non_exhaustive]`: status, typed body, one
//!   `Option` field per documented success header, all headers) and fails with `<Op>Error`,
//!   a `#[non_exhaustive]` enum with one variant per documented error status; its request
//!   builder is `<Op>Builder`. A spec type keeps its schema's name: when one is named like
//!   an item, that item takes its second name (`<Op>Output`, `<Op>Failure`, `<Op>Call`;
//!   `naming::OperationNames`), so a spec change that adds or removes such a type renames
//!   the item (breaking), and nothing else.
//! - The success body is the type shared by every 2xx response (`serde_json::Value` when they
//!   differ, `Option<…>` when some 2xx has no body).
//! - `Region` (from `servers`) is `#[non_exhaustive]`.
//! - `#[deprecated]` only adds a warning: a minor change by the Rust API guidelines.
//! - Documented constraints are checked client-side before sending: a tighter one rejects
//!   values that used to be sent (breaking), a looser one accepts more (additive). Responses
//!   are never validated, so constraints of types only responses use are documentation.

use serde::Serialize;

/// The effect of one change on users of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Only documentation (or spec text the generated code does not contain) changed.
    DocsOnly,
    /// New API; code that compiled still compiles and behaves the same.
    Additive,
    /// Code that compiled no longer compiles, or behaves differently on the wire.
    Breaking,
}

impl Impact {
    /// `breaking`, `additive` or `docs-only`.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::DocsOnly => "docs-only",
        }
    }
}

/// Every kind of change the diff detects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    EndpointChanged,
    OperationItemRenamed,
    RequiredParameterAdded,
    OptionalParameterAdded,
    ParameterRemoved,
    ParameterMadeRequired,
    ParameterMadeOptional,
    ParameterTypeChanged,
    ParameterSerializationChanged,
    RequiredBodyAdded,
    OptionalBodyAdded,
    BodyRemoved,
    BodyMadeRequired,
    BodyMadeOptional,
    BodyTypeChanged,
    ResponseBodyAdded,
    ResponseTypeChanged,
    SuccessStatusAdded,
    SuccessStatusRemoved,
    ErrorStatusAdded,
    ErrorStatusRemoved,
    ErrorBodyChanged,
    ResponseHeaderAdded,
    ResponseHeaderRemoved,
    ResponseHeaderTypeChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    AuthChanged,
    Deprecated,
    ConstraintTightened,
    ConstraintLoosened,
    ResponseConstraintChanged,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    RequiredFieldAdded,
    OptionalFieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldWireNameChanged,
    FieldMadeRequired,
    FieldMadeOptional,
    FieldTypeChanged,
    EnumValueAdded,
    EnumValueRemoved,
    UnionVariantAdded,
    UnionVariantInserted,
    UnionVariantRemoved,
    UnionVariantChanged,
    AdditionalPropertiesAdded,
    AdditionalPropertiesRemoved,
    UnknownPropertiesRejected,
    UnknownPropertiesAccepted,
    RegionAdded,
    RegionRemoved,
    ServerChanged,
    DocsChanged,
    SpecTextChanged,
}

/// One row of the table: a kind of change, its impact, and why.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Convention {
    /// The kind of change.
    pub kind: ChangeKind,
    /// Its effect on users.
    pub impact: Impact,
    /// The convention of the generated code behind the impact.
    pub because: &'static str,
}

const fn row(kind: ChangeKind, impact: Impact, because: &'static str) -> Convention {
    Convention {
        kind,
        impact,
        because,
    }
}

use ChangeKind as K;
use Impact::{Additive as A, Breaking as B, DocsOnly as D};

/// The classification table the diff relies on (one row per [`ChangeKind`]).
pub const CONVENTIONS: &[Convention] = &[
    row(K::OperationAdded, A, "a new client method"),
    row(K::OperationRemoved, B, "the client method is gone"),
    row(K::EndpointChanged, B, "the same method sends to another HTTP method or path"),
    row(K::OperationItemRenamed, B, "the operation's builder, response struct or error enum has another name (it steps aside from a type of the same name)"),
    row(K::RequiredParameterAdded, B, "required parameters are arguments of the client method"),
    row(K::OptionalParameterAdded, A, "optional parameters are new setters on the request builder"),
    row(K::ParameterRemoved, B, "the argument or builder setter is gone"),
    row(K::ParameterMadeRequired, B, "the builder setter becomes a method argument"),
    row(K::ParameterMadeOptional, B, "the method argument becomes a builder setter"),
    row(K::ParameterTypeChanged, B, "the argument or setter takes another type"),
    row(K::ParameterSerializationChanged, B, "the value is sent elsewhere on the wire (name, location or style)"),
    row(K::RequiredBodyAdded, B, "a required body is a new argument of the client method"),
    row(K::OptionalBodyAdded, A, "an optional body is a new `body` setter on the request builder"),
    row(K::BodyRemoved, B, "the body argument or setter is gone"),
    row(K::BodyMadeRequired, B, "the `body` setter becomes a method argument"),
    row(K::BodyMadeOptional, B, "the body argument becomes a `body` setter"),
    row(K::BodyTypeChanged, B, "the body argument or setter takes another type or encoding"),
    row(K::ResponseBodyAdded, A, "a new `body` field of the `#[non_exhaustive]` response struct"),
    row(K::ResponseTypeChanged, B, "`Response::body` has another type"),
    row(K::SuccessStatusAdded, A, "the status decodes as success instead of an unexpected-status error"),
    row(K::SuccessStatusRemoved, B, "the status now fails as an undocumented status"),
    row(K::ErrorStatusAdded, A, "a new variant of the `#[non_exhaustive]` error enum"),
    row(K::ErrorStatusRemoved, B, "the error enum variant is gone"),
    row(K::ErrorBodyChanged, B, "the error enum variant carries another type"),
    row(K::ResponseHeaderAdded, A, "a new `Option` field of the `#[non_exhaustive]` response struct"),
    row(K::ResponseHeaderRemoved, B, "the response struct field is gone"),
    row(K::ResponseHeaderTypeChanged, B, "the response struct field has another type"),
    row(K::PaginationAdded, A, "a new `into_stream` method on the request builder"),
    row(K::PaginationRemoved, B, "`into_stream` is gone"),
    row(K::PaginationChanged, B, "the stream follows another token or item field"),
    row(K::AuthChanged, B, "requests ask for other OAuth scopes (or none)"),
    row(K::Deprecated, A, "`#[deprecated]` only adds or removes a warning"),
    row(K::ConstraintTightened, B, "client-side validation rejects values it used to send"),
    row(K::ConstraintLoosened, A, "client-side validation accepts more values"),
    row(K::ResponseConstraintChanged, D, "the type is only in responses, which the client never validates"),
    row(K::TypeAdded, A, "a new type in `types`"),
    row(K::TypeRemoved, B, "the type is gone"),
    row(K::TypeKindChanged, B, "the type changes between struct, enum, union and alias (or its target)"),
    row(K::RequiredFieldAdded, B, "required fields are arguments of `new` (and `Default` is no longer derived)"),
    row(K::OptionalFieldAdded, A, "structs are `#[non_exhaustive]`; optional fields get a `with_` setter"),
    row(K::FieldRemoved, B, "the field (and its setter) is gone"),
    row(K::FieldRenamed, B, "the Rust field name changes"),
    row(K::FieldWireNameChanged, B, "the field is read and written under another JSON name"),
    row(K::FieldMadeRequired, B, "`Option<T>` becomes `T` and a new argument of `new`"),
    row(K::FieldMadeOptional, B, "`T` becomes `Option<T>` and leaves `new`'s arguments"),
    row(K::FieldTypeChanged, B, "the field has another type"),
    row(K::EnumValueAdded, A, "string enums are `#[non_exhaustive]` and carry `Unknown(String)`"),
    row(K::EnumValueRemoved, B, "the enum variant is gone"),
    row(K::UnionVariantAdded, A, "unions are `#[non_exhaustive]`; a tagged one picks by tag, an untagged one tries the new variant after every old one"),
    row(K::UnionVariantInserted, B, "untagged unions try variants in order: values may decode as the new variant"),
    row(K::UnionVariantRemoved, B, "the union variant is gone"),
    row(K::UnionVariantChanged, B, "the union variant carries another type or tag"),
    row(K::AdditionalPropertiesAdded, A, "a new `additional_properties` field of a `#[non_exhaustive]` struct"),
    row(K::AdditionalPropertiesRemoved, B, "the `additional_properties` field is gone"),
    row(K::UnknownPropertiesRejected, B, "decoding now fails on properties it used to ignore"),
    row(K::UnknownPropertiesAccepted, A, "decoding accepts more"),
    row(K::RegionAdded, A, "a new variant of the `#[non_exhaustive]` `Region`"),
    row(K::RegionRemoved, B, "the `Region` variant is gone"),
    row(K::ServerChanged, B, "requests go to another base URL or token URL"),
    row(K::DocsChanged, D, "only doc comments and the crate README change"),
    row(K::SpecTextChanged, D, "the spec changed in what the generated code does not contain (examples, ordering)"),
];

/// The row of `kind`.
pub fn convention(kind: ChangeKind) -> Convention {
    CONVENTIONS
        .iter()
        .copied()
        .find(|row| row.kind == kind)
        // Every kind has a row (a unit test checks it); breaking is the safe answer anyway.
        .unwrap_or(Convention {
            kind,
            impact: Impact::Breaking,
            because: "unclassified change",
        })
}

/// The impact of `kind`.
pub fn classify(kind: ChangeKind) -> Impact {
    convention(kind).impact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        for row in CONVENTIONS {
            let count = CONVENTIONS.iter().filter(|r| r.kind == row.kind).count();
            assert_eq!(count, 1, "{:?} has {count} rows", row.kind);
        }
        assert_eq!(CONVENTIONS.len(), 61, "a ChangeKind without a row?");
        assert_ne!(convention(K::TypeAdded).because, "unclassified change");
    }
}
