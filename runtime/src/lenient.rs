//! Liberal reading of what a server sends.
//!
//! [`from_slice`] is how every received JSON document is decoded: strictly, and when that
//! fails, once more accepting the conversions that lose nothing (numbers as numeric strings
//! and the reverse, `"true"`, `1` and `0` for booleans, `5.0` for an integer, one item for a list, `null` for an empty
//! list or object, `[]` for an empty object, a list of objects of distinct keys for the one
//! object they spell, a document sent as JSON text, date-times in other common spellings),
//! and when that fails too, a last time filling the required fields the server left out
//! with zero values (Smithy's client error correction, only in objects that hold some
//! documented key, never inside an untagged union), logging a `tracing` warning when it did
//! either. In that last reading a field the spec's closed object (`additionalProperties:
//! false`) does not list is skipped too, outside unions.
//!
//! Numbers a server may also send as numeric strings at any time (ASP.NET describes its
//! numbers as `type: [integer, string]` with a numeric `pattern`) are typed as numbers (what
//! the client sends) and decoded with [`number`] and [`optional_number`] even in the strict
//! reading, so `"42"` reads as `42`.

use std::str::FromStr;

use serde::de::{Deserialize, Deserializer};

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum NumberOrText<T> {
    Number(T),
    Text(String),
}

impl<T: FromStr> NumberOrText<T> {
    fn number<E: serde::de::Error>(self) -> Result<T, E> {
        match self {
            NumberOrText::Number(number) => Ok(number),
            NumberOrText::Text(text) => text.trim().parse().map_err(|_| {
                E::custom(format!("`{text}` is neither a number nor a numeric string"))
            }),
        }
    }
}

/// Decodes a received JSON document: strictly, then liberally (the module's conversions).
/// The strict error is returned when neither reading succeeds.
pub fn from_slice<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    crate::relaxed::from_slice(bytes)
}

/// A number, or a string spelling one.
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
{
    NumberOrText::<T>::deserialize(deserializer)?.number()
}

/// [`number`] for an optional field: `null` (or, with `#[serde(default)]`, absence) is `None`.
pub fn optional_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
{
    Option::<NumberOrText<T>>::deserialize(deserializer)?
        .map(NumberOrText::number::<D::Error>)
        .transpose()
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Item {
        #[serde(deserialize_with = "super::number")]
        id: i32,
        #[serde(default, deserialize_with = "super::optional_number")]
        price: Option<f64>,
    }

    fn item(json: &str) -> Result<Item, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_numeric_strings_decode() {
        assert_eq!(item(r#"{"id": 7}"#).ok(), Some(Item { id: 7, price: None }));
        assert_eq!(
            item(r#"{"id": "-23", "price": "1.5"}"#).ok(),
            Some(Item {
                id: -23,
                price: Some(1.5)
            })
        );
        assert_eq!(
            item(r#"{"id": 1, "price": null}"#).ok(),
            Some(Item { id: 1, price: None })
        );
    }

    #[test]
    fn other_text_and_out_of_range_numbers_are_errors() {
        let err = item(r#"{"id": "seven"}"#).expect_err("not a number");
        assert!(err.to_string().contains("`seven`"), "{err}");
        assert!(item(r#"{"id": "99999999999"}"#).is_err());
        assert!(item(r#"{"id": true}"#).is_err());
    }
}
