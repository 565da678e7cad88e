use std::collections::BTreeMap;

use super::from_slice;

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Holiday {
    id: String,
    federal: bool,
    year: i32,
    price: f64,
    tags: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

fn holiday(json: &str) -> Result<Holiday, serde_json::Error> {
    from_slice(json.as_bytes())
}

#[test]
fn a_body_of_the_documented_type_reads_as_before() {
    let read = holiday(r#"{"id":"a","federal":true,"year":2024,"price":1.5,"tags":["x"]}"#);
    assert_eq!(
        read.expect("strict"),
        Holiday {
            id: "a".into(),
            federal: true,
            year: 2024,
            price: 1.5,
            tags: vec!["x".into()],
            note: None,
        }
    );
}

#[test]
fn scalars_of_another_json_type_that_lose_nothing_are_converted() {
    let read = holiday(
        r#"{"id": 17, "federal": "TRUE", "year": "2024", "price": "50.00", "tags": "x",
            "note": 1.25}"#,
    )
    .expect("relaxed");
    assert_eq!(
        read,
        Holiday {
            id: "17".into(),
            federal: true,
            year: 2024,
            price: 50.0,
            tags: vec!["x".into()],
            note: Some("1.25".into()),
        }
    );
    // An integer sent as a float without a fraction, and `null` for an empty list.
    let read = holiday(r#"{"id":"a","federal":false,"year":2024.0,"price":1,"tags":null}"#)
        .expect("relaxed");
    assert_eq!((read.year, read.tags.len()), (2024, 0));
    // `1` and `0` for a boolean (Slack's `is_hidden: 1`), as numbers or text; not `2`.
    for (federal, expected) in [
        ("1", true),
        ("0", false),
        (r#""1""#, true),
        (r#""0""#, false),
    ] {
        let json = format!(r#"{{"id":"a","federal":{federal},"year":1,"price":1,"tags":[]}}"#);
        assert_eq!(holiday(&json).expect(&json).federal, expected);
    }
}

#[test]
fn documents_sent_as_json_text_are_read_and_documents_for_text_kept_as_text() {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Outer {
        inner: Holiday,
        raw: String,
        list: Vec<i64>,
    }
    let read: Outer = from_slice(
        br#"{"inner": "{\"id\":\"a\",\"federal\":true,\"year\":1,\"price\":2,\"tags\":[]}",
             "raw": {"b": [1, 2]}, "list": "[1, 2]"}"#,
    )
    .expect("relaxed");
    assert_eq!(read.inner.id, "a");
    assert_eq!(read.raw, r#"{"b":[1,2]}"#);
    assert_eq!(read.list, vec![1, 2]);
    // A whole body sent as a JSON string holding the document.
    let whole: BTreeMap<String, i64> = from_slice(br#""{\"a\": 1}""#).expect("relaxed");
    assert_eq!(whole.get("a"), Some(&1));
}

#[test]
fn null_for_an_object_reads_as_empty_where_nothing_is_required() {
    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    struct Account {
        #[serde(default)]
        name: Option<String>,
    }
    let read: Vec<Account> = from_slice(br#"[null, {"name": "a"}]"#).expect("relaxed");
    assert_eq!(
        read,
        vec![
            Account::default(),
            Account {
                name: Some("a".into())
            }
        ]
    );
    let err = holiday("null").expect_err("required fields");
    assert!(err.to_string().contains("invalid type: null"), "{err}");
}

#[test]
fn objects_of_distinct_keys_in_a_list_read_as_the_one_object_they_spell() {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct User {
        id: i64,
        name: String,
    }
    let user: User = from_slice(br#"[{"id": 3}, {"name": "Dylan"}]"#).expect("relaxed");
    assert_eq!(
        user,
        User {
            id: 3,
            name: "Dylan".into()
        }
    );
    // A key twice, or an item that is no object, is no one object.
    for json in [
        r#"[{"id": 3}, {"id": 4, "name": "x"}]"#,
        r#"[{"id": 3}, "name"]"#,
    ] {
        assert!(from_slice::<User>(json.as_bytes()).is_err(), "{json}");
    }
}

#[test]
fn map_keys_are_read_by_their_type() {
    let read: BTreeMap<i64, Vec<u8>> = from_slice(br#"{"7": 3, "8": [1]}"#).expect("relaxed");
    assert_eq!(read.get(&7), Some(&vec![3]));
    assert_eq!(read.get(&8), Some(&vec![1]));
}

#[test]
fn what_would_invent_or_drop_data_still_fails_with_the_strict_error() {
    for (json, strict) in [
        // A required field missing.
        (
            r#"{"federal":true,"year":1,"price":1,"tags":[]}"#,
            "missing field `id`",
        ),
        // `null` for a plain value.
        (
            r#"{"id":null,"federal":true,"year":1,"price":1,"tags":[]}"#,
            "invalid type: null",
        ),
        // Text that is no number, a fraction for an integer, a number out of range.
        (
            r#"{"id":"a","federal":true,"year":"soon","price":1,"tags":[]}"#,
            "invalid type: string \"soon\"",
        ),
        (
            r#"{"id":"a","federal":true,"year":1.5,"price":1,"tags":[]}"#,
            "invalid type: floating point `1.5`",
        ),
        (
            r#"{"id":"a","federal":true,"year":3000000000,"price":1,"tags":[]}"#,
            "invalid value: integer `3000000000`",
        ),
        // A number for a flag that is neither `1` nor `0`.
        (
            r#"{"id":"a","federal":2,"year":1,"price":1,"tags":[]}"#,
            "invalid type: integer `2`, expected a boolean",
        ),
    ] {
        let err = holiday(json).expect_err(json);
        assert!(err.to_string().contains(strict), "{json}: {err}");
    }
    // Not JSON at all.
    let err = holiday("{").expect_err("not JSON");
    assert!(err.is_eof(), "{err}");
}

#[test]
fn untagged_unions_and_unknown_keys_are_read_as_strictly_as_serde_reads_them() {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Either {
        Number(i64),
        Text(String),
    }
    let read: Vec<Either> = from_slice(br#"[1, "a"]"#).expect("strict");
    assert_eq!(read, vec![Either::Number(1), Either::Text("a".into())]);
    // The one-item list reaches the union as the item.
    let read: Vec<Either> = from_slice(br#""a""#).expect("relaxed");
    assert_eq!(read, vec![Either::Text("a".into())]);
}
