//! The helpers as generated code uses them: a struct written the way the generator writes it.

use serde::de::{Deserializer, MapAccess};
use serde::Deserialize;

use super::{decode_struct, next_key, number, optional_number, required, skip, unknown_key};
use super::{DecodeStruct, Key};

#[derive(Debug, PartialEq)]
struct Item {
    id: i64,
    r#type: Option<String>,
    price: Option<f64>,
    count: u32,
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode_struct(deserializer)
    }
}

impl DecodeStruct for Item {
    const NAME: &'static str = "Item";

    fn decode_fields<'de, A: MapAccess<'de>>(mut map_: A) -> Result<Self, A::Error> {
        let (mut id, mut r#type, mut price, mut count) = (None, None, None, None);
        while let Some(key_) = next_key(&mut map_)? {
            match key_.as_str() {
                "id" => id = Some(map_.next_value()?),
                "type" => r#type = map_.next_value()?,
                "price" => price = optional_number(&mut map_)?,
                "count" => count = Some(number(&mut map_)?),
                _ => skip(&mut map_)?,
            }
        }
        Ok(Self {
            id: required(id, "id")?,
            r#type,
            price,
            count: required(count, "count")?,
        })
    }
}

#[derive(Debug, PartialEq)]
struct Closed {
    id: i64,
}

impl<'de> Deserialize<'de> for Closed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode_struct(deserializer)
    }
}

impl DecodeStruct for Closed {
    const NAME: &'static str = "Closed";

    fn decode_fields<'de, A: MapAccess<'de>>(mut map_: A) -> Result<Self, A::Error> {
        let mut id = None;
        while let Some(key_) = next_key(&mut map_)? {
            match key_.as_str() {
                "id" => id = Some(map_.next_value()?),
                other => unknown_key(&mut map_, other, &["id"])?,
            }
        }
        Ok(Self {
            id: required(id, "id")?,
        })
    }
}

fn item(json: &str) -> Result<Item, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn fields_decode_by_wire_name_and_unknown_keys_are_skipped() {
    let decoded = item(r#"{"id": 1, "extra": {"deep": [1, 2]}, "type": "a", "count": "3"}"#);
    assert_eq!(
        decoded.ok(),
        Some(Item {
            id: 1,
            r#type: Some("a".into()),
            price: None,
            count: 3
        })
    );
}

#[test]
fn null_and_absent_optional_fields_are_none() {
    let decoded = item(r#"{"id": 1, "type": null, "price": null, "count": 0}"#).ok();
    assert_eq!(
        decoded.and_then(|i| i.r#type.or(i.price.map(|p| p.to_string()))),
        None
    );
    let decoded = item(r#"{"id": 1, "count": 0, "price": "2.5"}"#).ok();
    assert_eq!(decoded.and_then(|i| i.price), Some(2.5));
}

#[test]
fn a_missing_required_field_is_named() {
    let err = item(r#"{"id": 1}"#).expect_err("count is required");
    assert!(err.to_string().contains("missing field `count`"), "{err}");
    let err = item(r#"{"count": 1, "id": null}"#).expect_err("id is not nullable");
    assert!(err.to_string().contains("null"), "{err}");
}

#[test]
fn the_last_of_duplicate_keys_wins() {
    let decoded = item(r#"{"id": 1, "count": 1, "id": 2}"#).ok();
    assert_eq!(decoded.map(|i| i.id), Some(2));
}

#[test]
fn other_shapes_are_refused_with_the_type_name() {
    for json in ["[1, 1]", "null", "\"x\"", "3"] {
        let err = item(json).expect_err("not an object");
        assert!(
            err.to_string().contains("expected struct Item"),
            "{json}: {err}"
        );
    }
}

#[test]
fn a_closed_struct_refuses_unknown_keys() {
    let ok: Result<Closed, _> = serde_json::from_str(r#"{"id": 4}"#);
    assert_eq!(ok.ok(), Some(Closed { id: 4 }));
    let err = serde_json::from_str::<Closed>(r#"{"id": 4, "other": 1}"#).expect_err("closed");
    assert!(err.to_string().contains("unknown field `other`"), "{err}");
    // A received document: the correcting reading skips a field the server added.
    let received: Closed =
        crate::lenient::from_slice(br#"{"id": 4, "other": 1}"#).expect("corrected");
    assert_eq!(received, Closed { id: 4 });
}

#[test]
fn keys_are_borrowed_when_the_input_allows_and_owned_otherwise() {
    let borrowed: Key<'_> = serde_json::from_str(r#""plain""#).expect("a key");
    assert!(matches!(borrowed.0, std::borrow::Cow::Borrowed("plain")));
    let escaped: Key<'_> = serde_json::from_str(r#""a\"b""#).expect("a key");
    assert_eq!(escaped.as_str(), "a\"b");
    assert_eq!(escaped.into_string(), "a\"b");
    // Through serde's buffered content (untagged unions decode that way).
    let value = serde_json::json!({"id": 9, "count": 2, "escaped\"key": 1});
    let decoded: Option<Item> = serde_json::from_value(value).ok();
    assert_eq!(decoded.map(|i| (i.id, i.count)), Some((9, 2)));
}

#[derive(Debug, PartialEq)]
struct Post {
    at: chrono::DateTime<chrono::Utc>,
    edited: Option<chrono::DateTime<chrono::Utc>>,
}

impl<'de> Deserialize<'de> for Post {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode_struct(deserializer)
    }
}

impl DecodeStruct for Post {
    const NAME: &'static str = "Post";

    fn decode_fields<'de, A: MapAccess<'de>>(mut map_: A) -> Result<Self, A::Error> {
        let (mut at, mut edited) = (None, None);
        while let Some(key_) = next_key(&mut map_)? {
            match key_.as_str() {
                "at" => at = Some(super::date_time(&mut map_)?),
                "edited" => edited = super::optional_date_time(&mut map_)?,
                _ => skip(&mut map_)?,
            }
        }
        Ok(Self {
            at: required(at, "at")?,
            edited,
        })
    }
}

#[test]
fn date_times_read_rfc_3339_strictly_and_other_spellings_only_liberally() {
    let at = |text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .expect("test value")
            .with_timezone(&chrono::Utc)
    };
    let strict: Post =
        serde_json::from_str(r#"{"at": "2018-06-20T16:53:49+02:00", "edited": null}"#)
            .expect("RFC 3339");
    assert_eq!(
        strict,
        Post {
            at: at("2018-06-20T16:53:49+02:00"),
            edited: None
        }
    );
    let spaced: Post =
        serde_json::from_str(r#"{"at": "2000-01-23 04:56:07+00:00"}"#).expect("as chrono reads it");
    assert_eq!(spaced.at, at("2000-01-23T04:56:07Z"));
    for (text, means) in [
        ("Wed Jun 20 16:53:49 +0000 2018", "2018-06-20T16:53:49Z"),
        (
            "Wed, 20 Jun 2018 16:53:49 +0200",
            "2018-06-20T16:53:49+02:00",
        ),
        ("2020-12-10T01:22:00.0000000", "2020-12-10T01:22:00Z"),
        ("2020-12-10 01:22:00", "2020-12-10T01:22:00Z"),
        ("1421866952.062", "2015-01-21T19:02:32.062Z"),
        ("1421866952062", "2015-01-21T19:02:32.062Z"),
    ] {
        let json = format!(r#"{{"at": "{text}", "edited": "{text}"}}"#);
        let err = serde_json::from_str::<Post>(&json).expect_err(text);
        assert!(
            err.to_string().contains("an RFC 3339 date-time"),
            "{text}: {err}"
        );
        let read: Post = crate::lenient::from_slice(json.as_bytes()).expect(text);
        assert_eq!(
            read,
            Post {
                at: at(means),
                edited: Some(at(means))
            },
            "{text}"
        );
    }
    let number: Post = crate::lenient::from_slice(br#"{"at": 1421866952}"#).expect("a number");
    assert_eq!(number.at, at("2015-01-21T19:02:32Z"));
    let err = crate::lenient::from_slice::<Post>(br#"{"at": "yesterday"}"#).expect_err("no date");
    assert!(err.to_string().contains("yesterday"), "{err}");
}
