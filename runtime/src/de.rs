//! Decoding of generated structs.
//!
//! A generated struct implements [`DecodeStruct`]: one `match` on each key of the JSON
//! object, a slot per field, and [`required`] for the fields that must be present. The
//! shape-independent parts (the visitor, keys, ignored values, numeric strings) live here,
//! so each struct's code stays short for the reader and for the compiler (serde's derive
//! writes about four times as much per field).
//!
//! Behaviour, as serde's derive had it: keys are matched by their wire name, unknown keys
//! are skipped (or refused when the schema forbids additional properties), an absent or
//! `null` optional field is `None`, a missing required field is an error naming it. A key
//! that appears twice is not an error: the last value wins.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;

/// A struct decoded from the entries of a JSON object.
pub trait DecodeStruct: Sized {
    /// The Rust name of the type, for error messages (`expected struct Name`).
    const NAME: &'static str;

    /// Reads every entry of `map` and builds the value.
    fn decode_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a [`DecodeStruct`] type: expects an object.
pub fn decode_struct<'de, T: DecodeStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        if !crate::correct::active() {
            return T::decode_fields(map);
        }
        // A correcting reading (`crate::correct`): count the keys, so a missing required field
        // is filled only in an object that holds some documented key.
        let _scope = crate::correct::StructScope::enter();
        T::decode_fields(CountedKeys(map))
    }
}

/// The entries of an object whose keys are counted for [`crate::correct`].
struct CountedKeys<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CountedKeys<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.0.next_key_seed(seed)?;
        if key.is_some() {
            crate::correct::saw_key();
        }
        Ok(key)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An object key, borrowed from the input when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for a map of additional properties).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(value)
            .map(|text| Key(Cow::Borrowed(text)))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(value), &self))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(value)
            .map(|text| Key(Cow::Owned(text.to_owned())))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(value), &self))
    }
}

/// The next key of `map`, `None` after the last entry.
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// The value of a required field: an error naming its wire name when it never arrived (its
/// zero value in a correcting reading, see `oapigen_runtime::lenient`).
pub fn required<T: DeserializeOwned, E: de::Error>(
    slot: Option<T>,
    wire: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => crate::correct::zero(wire).ok_or_else(|| E::missing_field(wire)),
    }
}

/// A number an untagged union tells its variants apart by: another value fails, so that
/// decoding moves on to the next variant.
pub fn constant<T: Numeric, E: de::Error>(
    value: T,
    allowed: f64,
    wire: &'static str,
) -> Result<T, E> {
    if value.as_f64() == allowed {
        Ok(value)
    } else {
        Err(E::custom(format_args!(
            "`{wire}` is {}, not this variant's {allowed}",
            value.as_f64()
        )))
    }
}

/// [`constant`] of an optional field: absent or `null` passes.
pub fn optional_constant<T: Numeric, E: de::Error>(
    value: Option<T>,
    allowed: f64,
    wire: &'static str,
) -> Result<Option<T>, E> {
    value
        .map(|value| constant(value, allowed, wire))
        .transpose()
}

/// The number types of generated fields, compared as `f64` (the spec's `enum` values).
pub trait Numeric: Copy {
    /// The value as an `f64`.
    fn as_f64(self) -> f64;
}

impl Numeric for i32 {
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Numeric for i64 {
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl Numeric for f64 {
    fn as_f64(self) -> f64 {
        self
    }
}

/// The tag of an object of an internally tagged union (a `discriminator`), and the object
/// without it. Buffered as a JSON value rather than serde's private content, so that the
/// variant is read the way the whole document is (see [`variant`]).
pub fn tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, serde_json::Value), D::Error> {
    let mut value = serde_json::Value::deserialize(deserializer)?;
    let Some(object) = value.as_object_mut() else {
        return Err(de::Error::invalid_type(unexpected(&value), &"an object"));
    };
    match object.remove(tag) {
        Some(serde_json::Value::String(name)) => Ok((name, value)),
        Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"a tag name")),
        None => Err(de::Error::missing_field(tag)),
    }
}

/// The object [`tagged`] took the tag `name` out of, with the tag back in: for a variant
/// whose type has the tag property itself (it is used outside the union too).
pub fn with_tag(mut value: serde_json::Value, tag: &str, name: &str) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.insert(tag.to_owned(), serde_json::Value::from(name));
    }
    value
}

/// The variant a tag of [`tagged`] names, read from the rest of the object: strictly, or in
/// the relaxed and correcting readings of `oapigen_runtime::lenient` when one is under way.
pub fn variant<T: DeserializeOwned, E: de::Error>(value: serde_json::Value) -> Result<T, E> {
    crate::relaxed::read_value(value).map_err(E::custom)
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(flag) => de::Unexpected::Bool(*flag),
        serde_json::Value::Number(_) => de::Unexpected::Other("number"),
        serde_json::Value::String(text) => de::Unexpected::Str(text),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

/// Skips the value of a key the type does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    crate::correct::skipped_key();
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Refuses a key of a type that allows no additional properties (what crates generated
/// before [`unknown_key`] call; kept so they build against this runtime).
pub fn unknown_field<E: de::Error>(key: &str, expected: &'static [&'static str]) -> E {
    E::unknown_field(key, expected)
}

/// A key of a type that allows no additional properties (`additionalProperties: false`):
/// refused, which tells an untagged union's variants apart, except in the correcting reading
/// (the last one of [`crate::lenient`]) of an object outside any union, where a field the
/// server added is skipped like any other.
pub fn unknown_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: &str,
    expected: &'static [&'static str],
) -> Result<(), A::Error> {
    if crate::correct::fills() {
        return skip(map);
    }
    Err(de::Error::unknown_field(key, expected))
}

/// The value of a field that holds a number or a string spelling one
/// ([`crate::lenient::number`]).
pub fn number<'de, A, T>(map: &mut A) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + FromStr,
{
    map.next_value_seed(Number(PhantomData))
}

/// [`number`] for an optional field: `null` is `None`.
pub fn optional_number<'de, A, T>(map: &mut A) -> Result<Option<T>, A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + FromStr,
{
    map.next_value_seed(OptionalNumber(PhantomData))
}

/// The value of a `format: date-time` field: RFC 3339 (as chrono's own `Deserialize` reads
/// it, a space for the `T` included), and in the relaxed reading of
/// `oapigen_runtime::lenient` the other spellings servers send: no offset (read as UTC),
/// RFC 2822, Twitter's `Wed Jun 20 16:53:49 +0000 2018` and seconds since the epoch.
pub fn date_time<'de, A: MapAccess<'de>>(map: &mut A) -> Result<DateTime<Utc>, A::Error> {
    map.next_value_seed(DateTimeText)
}

/// [`date_time`] for an optional field: `null` is `None`.
pub fn optional_date_time<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<DateTime<Utc>>, A::Error> {
    map.next_value_seed(OptionalDateTime)
}

struct DateTimeText;

impl<'de> DeserializeSeed<'de> for DateTimeText {
    type Value = DateTime<Utc>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        parse_date_time(&text).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Str(&text), &"an RFC 3339 date-time")
        })
    }
}

struct OptionalDateTime;

impl<'de> DeserializeSeed<'de> for OptionalDateTime {
    type Value = Option<DateTime<Utc>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct Some_;
        impl<'de> Visitor<'de> for Some_ {
            type Value = Option<DateTime<Utc>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                DateTimeText.deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(Some_)
    }
}

/// `text` as a date-time: RFC 3339 first, the other spellings in a relaxed reading.
fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(parsed) = text.parse::<DateTime<FixedOffset>>() {
        return Some(parsed.with_timezone(&Utc));
    }
    if !crate::relaxed::reading() {
        return None;
    }
    let text = text.trim();
    let with_offset = DateTime::parse_from_rfc2822(text)
        .or_else(|_| DateTime::parse_from_str(text, "%a %b %d %H:%M:%S %z %Y"));
    if let Ok(parsed) = with_offset {
        return Some(parsed.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok());
    naive.map(|naive| naive.and_utc()).or_else(|| epoch(text))
}

/// Seconds since the Unix epoch (AWS's JSON protocols: `1421866952.062`), or milliseconds
/// when the number is too large for seconds of this era.
fn epoch(text: &str) -> Option<DateTime<Utc>> {
    let number: f64 = text.parse().ok().filter(|n: &f64| n.is_finite())?;
    let millis = if number.abs() >= 1e11 {
        number
    } else {
        number * 1000.0
    };
    // Within chrono's range (±262,000 years) the cast is exact enough for milliseconds.
    (millis.abs() < 8.0e18).then(|| DateTime::from_timestamp_millis(millis.round() as i64))?
}

struct Number<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + FromStr> DeserializeSeed<'de> for Number<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        crate::lenient::number(deserializer)
    }
}

struct OptionalNumber<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + FromStr> DeserializeSeed<'de> for OptionalNumber<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        crate::lenient::optional_number(deserializer)
    }
}

#[cfg(test)]
#[path = "de_tests.rs"]
mod tests;
