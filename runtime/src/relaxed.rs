//! The second reading of a received JSON document that did not decode as documented.
//!
//! Servers drift from their specs in small ways that lose nothing: a number sent as a numeric
//! string, an id sent as a number where the spec says string, `"true"` (or `1`) for `true`, `5.0` for
//! an integer, one item where an array is documented, `null` for an empty array or object
//! (Go's nil slice and pointer), a nested document sent as JSON text. [`Relaxed`] is a
//! deserializer over the parsed [`Value`] that accepts exactly those conversions, at any
//! depth, and nothing that would invent or drop data: a missing required field or a `null`
//! for a plain value still fails here (the correcting reading, [`crate::correct`], comes
//! after).

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess};
use serde::de::{Error as _, Visitor};
use serde_json::{Error, Number, Value};

/// A JSON value read liberally by the type it is decoded into. The flag: `null` reads as the
/// zero value of a plain type (a required field's, in a correcting reading: see
/// [`crate::correct`]).
pub(crate) struct Relaxed(Value, bool);

impl Relaxed {
    /// `value`, `null` read as `null`.
    pub(crate) fn new(value: Value) -> Self {
        Self(value, false)
    }

    /// `value`, `null` read as the zero value of a plain type.
    pub(crate) fn zero(value: Value) -> Self {
        Self(value, true)
    }

    /// The value of an object's entry: `null` is a zero value in a struct that is corrected.
    fn entry(value: Value) -> Self {
        Self(value, crate::correct::fills())
    }

    /// The value as a number where it spells one (`"42"`, `" 1.5 "`).
    fn number(self) -> Value {
        match self.0 {
            Value::Null if self.1 => Value::Number(Number::from(0)),
            Value::String(text) => match text.trim().parse::<Number>() {
                Ok(number) => Value::Number(number),
                Err(_) => Value::String(text),
            },
            other => other,
        }
    }

    /// [`Relaxed::number`], with a float that has no fraction read as the integer it is.
    fn integer(self) -> Value {
        match self.number() {
            Value::Number(number) => match number.as_f64() {
                Some(float)
                    if number.is_f64() && float.fract() == 0.0 && float.abs() < 9.007e15 =>
                {
                    // Exact: within 2^53 every integral f64 is an i64.
                    Value::Number(Number::from(float as i64))
                }
                _ => Value::Number(number),
            },
            other => other,
        }
    }

    /// The document a string holds, when it holds an object or an array as JSON text.
    fn embedded(text: &str) -> Option<Value> {
        let trimmed = text.trim_start();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
            return None;
        }
        serde_json::from_str(trimmed).ok()
    }
}

macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.integer().$method(visitor)
        }
    )*};
}

macro_rules! floats {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number().$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Relaxed {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            Value::Object(entries) => visitor.visit_map(Entries::new(entries)),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(text) if text.trim().eq_ignore_ascii_case("true") => {
                visitor.visit_bool(true)
            }
            Value::String(text) if text.trim().eq_ignore_ascii_case("false") => {
                visitor.visit_bool(false)
            }
            // `1` and `0` (Slack's `is_hidden: 1`, PHP's booleans), as numbers or text.
            Value::Number(number) if number.as_u64().is_some_and(|n| n <= 1) => {
                visitor.visit_bool(number.as_u64() == Some(1))
            }
            Value::String(text) if matches!(text.trim(), "0" | "1") => {
                visitor.visit_bool(text.trim() == "1")
            }
            Value::Null if self.1 => visitor.visit_bool(false),
            other => other.deserialize_bool(visitor),
        }
    }

    integers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    floats! { deserialize_f32 deserialize_f64 }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(number) => visitor.visit_string(number.to_string()),
            Value::Bool(flag) => visitor.visit_string(flag.to_string()),
            // A document where text is documented: its JSON text.
            value @ (Value::Object(_) | Value::Array(_)) => visitor.visit_string(value.to_string()),
            Value::Null if self.1 => visitor.visit_string(String::new()),
            other => other.deserialize_string(visitor),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_byte_buf(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Relaxed(other, self.1)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            // No array at all: what Go sends for an empty slice.
            Value::Null => visitor.visit_seq(Items(Vec::new().into_iter())),
            Value::String(text) => match Self::embedded(&text) {
                Some(Value::Array(items)) => visitor.visit_seq(Items(items.into_iter())),
                _ => visitor.visit_seq(Items(vec![Value::String(text)].into_iter())),
            },
            // One item where a list is documented.
            item => visitor.visit_seq(Items(vec![item].into_iter())),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            other => other.deserialize_tuple(len, visitor),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let entries = match self.0 {
            Value::Object(entries) => entries,
            // No object at all, as for a list: a struct whose fields are all optional reads
            // as empty (a schema without `type` admits `null`); one with required fields
            // still fails on them.
            Value::Null => serde_json::Map::new(),
            // `[]`, how PHP encodes an empty object; objects of distinct keys, one per item
            // (box's `[{"id": 1}, {"type": "user"}]`), are that one object.
            Value::Array(items) => match merged(items) {
                Ok(entries) => entries,
                Err(items) => return Value::Array(items).deserialize_map(visitor),
            },
            // An object sent as its JSON text.
            Value::String(text) => match Self::embedded(&text) {
                Some(Value::Object(entries)) => entries,
                _ => return Value::String(text).deserialize_map(visitor),
            },
            other => return other.deserialize_map(visitor),
        };
        // A struct reading these entries may fill its missing required fields.
        crate::correct::mark_next_struct(crate::correct::active());
        let read = visitor.visit_map(Entries::new(entries));
        crate::correct::mark_next_struct(false);
        read
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The one object that `items`, objects of distinct keys, spell; `items` back otherwise.
fn merged(items: Vec<Value>) -> Result<serde_json::Map<String, Value>, Vec<Value>> {
    let distinct = items.iter().all(Value::is_object) && {
        let mut keys = std::collections::HashSet::new();
        items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|object| object.keys())
            .all(|key| keys.insert(key))
    };
    if !distinct {
        return Err(items);
    }
    let mut entries = serde_json::Map::new();
    for item in items {
        if let Value::Object(object) = item {
            entries.extend(object);
        }
    }
    Ok(entries)
}

impl<'de> IntoDeserializer<'de, Error> for Relaxed {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// The items of an array, each read liberally.
struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        crate::correct::mark_next_struct(false);
        self.0
            .next()
            .map(|item| seed.deserialize(Relaxed::new(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of an object, keys and values read liberally (a key `"7"` of an integer map).
struct Entries {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Entries {
    fn new(entries: serde_json::Map<String, Value>) -> Self {
        Self {
            entries: entries.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(Relaxed::new(Value::String(key))).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| Error::custom("a map value was asked for before its key"))?;
        crate::correct::mark_next_struct(false);
        seed.deserialize(Relaxed::entry(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

thread_local! {
    /// Whether the relaxed (or correcting) reading is under way on this thread.
    static RELAXED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the relaxed (or correcting) reading is under way on this thread.
pub(crate) fn reading() -> bool {
    RELAXED.with(std::cell::Cell::get)
}

/// Reads `value` into `T` the way the document under way is read: strictly, or relaxed.
pub(crate) fn read_value<T: de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    if reading() {
        T::deserialize(Relaxed::new(value))
    } else {
        serde_json::from_value(value)
    }
}

/// `read` with [`read_value`] reading relaxed.
fn relaxed<R>(read: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            RELAXED.with(|relaxed| relaxed.set(self.0));
        }
    }
    let _restore = Restore(RELAXED.with(|relaxed| relaxed.replace(true)));
    read()
}

/// Decodes `bytes` strictly; when that fails, reads the document once more liberally
/// ([`Relaxed`]), and when that fails too, once more correcting it ([`crate::correct`]). The
/// strict error is returned when no reading succeeds.
pub(crate) fn from_slice<T: de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let strict = match serde_json::from_slice(bytes) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    // Not JSON at all: nothing to read liberally.
    let Ok(document) = serde_json::from_slice::<Value>(bytes) else {
        return Err(strict);
    };
    if let Ok(value) = relaxed(|| T::deserialize(Relaxed::new(document.clone()))) {
        tracing::warn!(
            target: "oapigen_runtime::lenient",
            differs = %strict,
            "the received JSON differs from the documented type; decoded leniently"
        );
        return Ok(value);
    }
    match relaxed(|| crate::correct::read::<T>(document)) {
        Ok((value, filled)) => {
            tracing::warn!(
                target: "oapigen_runtime::lenient",
                differs = %strict,
                filled = %filled.join(", "),
                "the received JSON lacks required values; filled them with zero values"
            );
            Ok(value)
        }
        Err(()) => Err(strict),
    }
}

#[cfg(test)]
#[path = "relaxed_tests.rs"]
mod tests;
