//! A flat view of an `openapiv3::Schema`, so conversion handles one shape.
//!
//! `openapiv3` splits schemas into typed kinds and an `Any` catch-all (a schema with
//! `properties` but no `type`, or `oneOf` beside `properties`…). Real specs use both, so
//! everything is read through this view.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::model::Constraints;

/// The keywords of one schema, whatever kind `openapiv3` parsed it as.
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub enum_values: Vec<serde_json::Value>,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
    /// The `not` schema, when there is one.
    pub not: Option<&'a ReferenceOr<Schema>>,
    pub constraints: Constraints,
}

fn format_name<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

impl<'a> View<'a> {
    /// Reads `schema`.
    pub fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enum_values: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            has_not: false,
            not: None,
            constraints: Constraints::default(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_name(&s.format, string_format);
                view.enum_values = s
                    .enumeration
                    .iter()
                    .map(|v| {
                        v.clone()
                            .map_or(serde_json::Value::Null, serde_json::Value::String)
                    })
                    .collect();
                view.constraints.min_length = s.min_length.map(|n| n as u64);
                view.constraints.max_length = s.max_length.map(|n| n as u64);
                view.constraints.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                view.enum_values = n
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| serde_json::json!(v))
                    .collect();
                view.constraints.minimum = n.minimum;
                view.constraints.maximum = n.maximum;
                view.constraints.exclusive_minimum = n.exclusive_minimum;
                view.constraints.exclusive_maximum = n.exclusive_maximum;
                view.constraints.multiple_of = n.multiple_of;
                view.constraints.allowed_numbers =
                    n.enumeration.iter().flatten().copied().collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                view.enum_values = i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| serde_json::json!(v))
                    .collect();
                view.constraints.minimum = i.minimum.map(|v| v as f64);
                view.constraints.maximum = i.maximum.map(|v| v as f64);
                view.constraints.exclusive_minimum = i.exclusive_minimum;
                view.constraints.exclusive_maximum = i.exclusive_maximum;
                view.constraints.multiple_of = i.multiple_of.map(|v| v as f64);
                view.constraints.allowed_numbers =
                    i.enumeration.iter().flatten().map(|v| *v as f64).collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enum_values = b
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| serde_json::json!(v))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
                view.constraints.min_properties = o.min_properties.map(|n| n as u64);
                view.constraints.max_properties = o.max_properties.map(|n| n as u64);
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
                view.constraints.min_items = a.min_items.map(|n| n as u64);
                view.constraints.max_items = a.max_items.map(|n| n as u64);
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { not } => {
                view.has_not = true;
                view.not = Some(not);
            }
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.clone();
                view.enum_values = any.enumeration.clone();
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    view.properties = Some(&any.properties);
                }
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.all_of = &any.all_of;
                view.has_not = any.not.is_some();
                view.not = any.not.as_deref();
                let c = &mut view.constraints;
                c.min_length = any.min_length.map(|n| n as u64);
                c.max_length = any.max_length.map(|n| n as u64);
                c.pattern = any.pattern.clone();
                c.minimum = any.minimum;
                c.maximum = any.maximum;
                c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                c.multiple_of = any.multiple_of;
                c.min_items = any.min_items.map(|n| n as u64);
                c.max_items = any.max_items.map(|n| n as u64);
                c.min_properties = any.min_properties.map(|n| n as u64);
                c.max_properties = any.max_properties.map(|n| n as u64);
                if matches!(view.typ, Some("integer" | "number")) {
                    c.allowed_numbers = any.enumeration.iter().filter_map(|v| v.as_f64()).collect();
                }
            }
        }
        view
    }

    /// Whether the schema allows `null`.
    pub fn nullable(&self) -> bool {
        self.data.nullable || self.enum_values.iter().any(serde_json::Value::is_null)
    }

    /// Whether the schema describes an object with properties or a map.
    pub fn is_object(&self) -> bool {
        self.typ == Some("object") || self.properties.is_some_and(|p| !p.is_empty())
    }

    /// Whether the number may also arrive as a numeric string (marked by the 3.1
    /// normalisation of `type: [integer, string]`).
    pub fn numeric_string(&self) -> bool {
        self.data
            .extensions
            .get(crate::normalize::NUMERIC_STRING)
            .and_then(serde_json::Value::as_bool)
            == Some(true)
    }

    /// Whether `x-sensitive: true` or `format: password` marks a secret.
    pub fn sensitive(&self) -> bool {
        self.format.as_deref() == Some("password")
            || self
                .data
                .extensions
                .get("x-sensitive")
                .and_then(serde_json::Value::as_bool)
                == Some(true)
    }
}
