//! The correcting reading on structs written the way the generator writes them.

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, MapAccess};
use serde::Deserialize;
use serde_json::Value;

use crate::de::{decode_struct, next_key, required, skip, DecodeStruct};
use crate::lenient::from_slice;

/// A struct of required fields of every kind, and one optional field.
#[derive(Debug, PartialEq)]
struct Event {
    id: String,
    count: i64,
    open: bool,
    tags: Vec<String>,
    start: DateTime<Utc>,
    owner: Owner,
    note: Option<String>,
}

#[derive(Debug, PartialEq)]
struct Owner {
    id: String,
    level: f64,
}

/// An object whose field is an untagged union (as generated: `Other` keeps what matches no
/// variant).
#[derive(Debug, PartialEq)]
struct Holder {
    name: String,
    target: Target,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum Target {
    Owner(Owner),
    Other(Value),
}

/// A required field of its own type: zero values must not nest forever.
#[derive(Debug, PartialEq)]
struct Node {
    name: String,
    next: Box<Node>,
}

macro_rules! decode_struct {
    ($name:ident { $($field:ident : $wire:literal $(as $optional:ident)?),* }) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                decode_struct(deserializer)
            }
        }
        impl DecodeStruct for $name {
            const NAME: &'static str = stringify!($name);
            fn decode_fields<'de, A: MapAccess<'de>>(mut map_: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)*
                while let Some(key_) = next_key(&mut map_)? {
                    match key_.as_str() {
                        $($wire => $field = decode_struct!(@value map_ $($optional)?),)*
                        _ => skip(&mut map_)?,
                    }
                }
                Ok(Self { $($field: decode_struct!(@init $field $wire $($optional)?),)* })
            }
        }
    };
    (@value $map:ident optional) => { $map.next_value()? };
    (@value $map:ident) => { Some($map.next_value()?) };
    (@init $field:ident $wire:literal optional) => { $field };
    (@init $field:ident $wire:literal) => { required($field, $wire)? };
}

decode_struct!(Event {
    id: "id",
    count: "count",
    open: "open",
    tags: "tags",
    start: "start",
    owner: "owner",
    note: "note" as optional
});
decode_struct!(Owner {
    id: "id",
    level: "level"
});
decode_struct!(Holder {
    name: "name",
    target: "target"
});
decode_struct!(Node {
    name: "name",
    next: "next"
});

fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(0, 0).expect("epoch")
}

#[test]
fn missing_required_fields_of_a_recognised_object_take_zero_values() {
    let event: Event = from_slice(br#"{"id": "e-1", "note": "n"}"#).expect("corrected");
    assert_eq!(
        event,
        Event {
            id: "e-1".into(),
            count: 0,
            open: false,
            tags: Vec::new(),
            start: epoch(),
            owner: Owner {
                id: String::new(),
                level: 0.0
            },
            note: Some("n".into()),
        }
    );
    // `null` for a required plain value is its zero too; an optional `null` stays `None`.
    let event: Event = from_slice(
        br#"{"id": null, "count": null, "open": true, "note": null, "owner": {"id": "o"}}"#,
    )
    .expect("corrected");
    assert_eq!((event.id.as_str(), event.count, event.open), ("", 0, true));
    assert_eq!((event.owner.id.as_str(), event.note), ("o", None));
}

#[test]
fn the_lossless_conversions_still_apply_while_correcting() {
    let event: Event = from_slice(br#"{"id": 7, "count": "3", "tags": "x", "owner": {"id": 1}}"#)
        .expect("corrected");
    assert_eq!((event.id.as_str(), event.count), ("7", 3));
    assert_eq!(event.tags, vec!["x".to_owned()]);
    assert_eq!((event.owner.id.as_str(), event.owner.level), ("1", 0.0));
    // `[]` for an object whose fields are all optional (PHP's empty object).
    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Settings {
        #[serde(default)]
        name: Option<String>,
    }
    let settings: Vec<Settings> = from_slice(b"[[], {}]").expect("relaxed");
    assert_eq!(settings, vec![Settings::default(), Settings::default()]);
}

#[test]
fn a_body_of_another_shape_is_not_filled_and_keeps_the_strict_error() {
    for json in [r#"{"receiptId": "r-1"}"#, "{}", "[]", "null", r#""text""#] {
        let err = from_slice::<Event>(json.as_bytes()).expect_err(json);
        assert!(
            err.to_string().contains("missing field `id`")
                || err.to_string().contains("invalid type"),
            "{json}: {err}"
        );
    }
    // A present but unrecognised nested object is not filled either.
    let err = from_slice::<Event>(br#"{"id": "e", "owner": {"name": "x"}}"#).expect_err("owner");
    assert!(err.to_string().contains("missing field"), "{err}");
    // A value of the wrong type is no missing value.
    let err = from_slice::<Event>(br#"{"id": "e", "count": "many"}"#).expect_err("count");
    assert!(err.to_string().contains("many"), "{err}");
}

#[test]
fn a_union_inside_a_corrected_object_takes_no_variant_the_body_does_not_match() {
    let holder: Holder = from_slice(br#"{"target": {"id": "o"}}"#).expect("corrected");
    assert_eq!(holder.name, "");
    assert_eq!(
        holder.target,
        Target::Other(serde_json::json!({"id": "o"})),
        "an owner without `level` is no `Owner`"
    );
}

#[test]
fn zero_values_of_a_recursive_type_stop_and_the_strict_error_stays() {
    let err = from_slice::<Node>(br#"{"name": "root"}"#).expect_err("no finite zero node");
    assert!(err.to_string().contains("missing field `next`"), "{err}");
    // Readings after a failed one start afresh.
    let owner: Owner = from_slice(br#"{"id": "o"}"#).expect("corrected");
    assert_eq!(owner.level, 0.0);
    let strict: Owner = serde_json::from_slice(br#"{"id": "o", "level": 1}"#).expect("strict");
    assert_eq!(strict.level, 1.0);
    assert!(
        serde_json::from_slice::<Owner>(br#"{"id": "o"}"#).is_err(),
        "plain serde is strict"
    );
}

#[test]
fn an_empty_object_inside_a_recognised_one_is_that_field_left_empty() {
    // mistral's OCR pages: `"dimensions": {}` where `dpi`, `height`, `width` are required.
    let event: Event =
        from_slice(br#"{"id": "e", "owner": {}}"#).expect("the empty owner is corrected");
    assert_eq!((event.owner.id.as_str(), event.owner.level), ("", 0.0));
    // At the top the same `{}` is a body of another shape (see above), and inside a union
    // it still picks no variant.
    from_slice::<Event>(b"{}").expect_err("a top-level {}");
    let holder: Holder = from_slice(br#"{"name": "h", "target": {}}"#).expect("corrected");
    assert_eq!(holder.target, Target::Other(serde_json::json!({})));
}
