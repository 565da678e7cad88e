//! The generated structs' hand-written `Deserialize` (`oapigen_runtime::de`): wire names,
//! keywords, required and optional fields, `null`, unknown and duplicate keys, closed
//! objects, additional properties, numeric strings, recursion, and serialize → deserialize
//! round trips.

use fixture_clients::type_lists;
use fixture_clients::{
    additional_properties, cursor_pages, formats, objects, odd_names, recursive, shared_variant,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    // From text, as a response body is read (keys borrowed from the input)...
    let text = value.to_string();
    let from_text = serde_json::from_str::<T>(&text).map_err(|err| err.to_string());
    // ...and from a `Value`, as serde's buffered unions hand a variant its content.
    let from_value = serde_json::from_value::<T>(value).map_err(|err| err.to_string());
    assert_eq!(from_text.is_ok(), from_value.is_ok(), "{text}");
    from_text
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_value(value).expect("serializes");
    let back: T = decode(json.clone()).expect("decodes what it sent");
    assert_eq!(&back, value, "{json}");
}

#[test]
fn required_optional_and_nullable_fields() {
    let pet: objects::types::Pet = decode(json!({
        "id": 7, "name": "Rex", "nickname": null, "owner": {"email": "a@b.c"}, "weight": 1.5
    }))
    .expect("decodes");
    assert_eq!((pet.id, pet.name.as_str()), (7, "Rex"));
    assert_eq!((pet.tag, pet.nickname, pet.weight), (None, None, Some(1.5)));
    assert_eq!(pet.owner.map(|o| o.email), Some("a@b.c".to_owned()));
    // `null` for an optional object, and every optional field absent.
    let pet: objects::types::Pet =
        decode(json!({"id": 1, "name": "x", "owner": null})).expect("decodes");
    assert!(pet.owner.is_none() && pet.tag.is_none());
}

#[test]
fn a_missing_or_null_required_field_is_an_error_that_names_it() {
    let err = decode::<objects::types::Pet>(json!({"id": 1})).expect_err("no name");
    assert!(err.contains("missing field `name`"), "{err}");
    let err = decode::<objects::types::Pet>(json!({"id": 1, "name": null})).expect_err("null");
    assert!(err.contains("invalid type: null"), "{err}");
    // In a nested object too.
    let nested = json!({"id": 1, "name": "x", "owner": {}});
    let err = decode::<objects::types::Pet>(nested).expect_err("no email");
    assert!(err.contains("missing field `email`"), "{err}");
    let err = decode::<objects::types::Pet>(json!([1, "x"])).expect_err("not an object");
    assert!(err.contains("expected struct Pet"), "{err}");
}

#[test]
fn unknown_keys_are_skipped_and_the_last_duplicate_wins() {
    let pet: objects::types::Pet = decode(json!({
        "id": 1, "name": "x", "species": {"deep": [1, {"a": null}]}, "Name": "other case"
    }))
    .expect("unknown keys are ignored");
    assert_eq!(pet.name, "x", "keys match exactly");
    let pet: objects::types::Pet =
        serde_json::from_str(r#"{"id": 1, "name": "first", "name": "last"}"#).expect("decodes");
    assert_eq!(pet.name, "last");
}

#[test]
fn renamed_and_keyword_fields_map_to_their_wire_names() {
    let wire = json!({
        "type": "t", "self": "s", "match": 3, "Self": true, "1st-place": "p",
        "x-rate.limit": 10, "+1": 1, "-1": -1, "fooBar": "camel", "foo_bar": "snake"
    });
    let thing: odd_names::types::Thing = decode(wire.clone()).expect("decodes");
    assert_eq!(thing.r#type.as_deref(), Some("t"));
    assert_eq!(thing.self_.as_deref(), Some("s"));
    assert_eq!((thing.r#match, thing.self_2), (Some(3), Some(true)));
    assert_eq!(thing._1st_place.as_deref(), Some("p"));
    assert_eq!(
        (thing.x_rate_limit, thing.plus_1, thing.minus_1),
        (Some(10), Some(1), Some(-1))
    );
    assert_eq!(thing.foo_bar.as_deref(), Some("camel"));
    assert_eq!(thing.foo_bar_2.as_deref(), Some("snake"));
    assert_eq!(serde_json::to_value(&thing).ok(), Some(wire));
    round_trip(&thing);
}

#[test]
fn additional_properties_collect_the_keys_not_listed() {
    let mixed: additional_properties::types::Mixed =
        decode(json!({"id": "m", "a": 1, "b": {"c": [true]}})).expect("decodes");
    assert_eq!(mixed.id, "m");
    let keys: Vec<&str> = mixed
        .additional_properties
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["a", "b"],
        "`id` is a field, not an additional property"
    );
    assert_eq!(mixed.additional_properties["b"], json!({"c": [true]}));
    round_trip(&mixed);
    let err = decode::<additional_properties::types::Mixed>(json!({"a": 1})).expect_err("no id");
    assert!(err.contains("missing field `id`"), "{err}");
    let nested: additional_properties::types::Nested =
        decode(json!({"by_region": {"eu": {"x": 2}}})).expect("decodes");
    assert_eq!(nested.by_region.map(|r| r["eu"]["x"]), Some(2));
}

#[test]
fn a_closed_object_refuses_keys_it_does_not_list_unless_received() {
    type Body = cursor_pages::types::ConversationsListResponseBody;
    let body: Body = decode(json!({"ok": true, "channels": [{"id": "c"}]})).expect("decodes");
    assert_eq!(body.channels.len(), 1);
    let extra = json!({"ok": true, "channels": [], "extra": 1});
    let err = decode::<Body>(extra.clone()).expect_err("closed");
    assert!(err.contains("unknown field `extra`"), "{err}");
    // A response body: a field the server added since the spec was written costs nothing.
    let received: Body = oapigen_runtime::lenient::from_slice(extra.to_string().as_bytes())
        .expect("the correcting reading skips it");
    assert!(received.ok && received.channels.is_empty());
}

#[test]
fn numbers_may_arrive_as_numeric_strings() {
    let thing: type_lists::types::Thing =
        decode(json!({"kind": "thing", "stock": "42", "id": null})).expect("decodes");
    assert_eq!((thing.stock, thing.id), (Some(42), None));
    let thing: type_lists::types::Thing =
        decode(json!({"kind": "thing", "stock": 5, "nothing": null})).expect("decodes");
    assert_eq!((thing.stock, thing.nothing), (Some(5), None));
    let err = decode::<type_lists::types::Thing>(json!({"kind": "thing", "stock": "many"}))
        .expect_err("not a number");
    assert!(err.contains("`many`"), "{err}");
}

#[test]
fn a_named_union_with_null_is_nullable_where_it_is_used() {
    let thing: type_lists::types::Thing =
        decode(json!({"kind": "thing", "id": 1, "labels": null})).expect("null labels");
    assert_eq!(thing.labels, None);
    let thing: type_lists::types::Thing =
        decode(json!({"kind": "thing", "id": 1, "labels": {"a": "b"}})).expect("labels");
    assert_eq!(
        thing.labels.map(|labels| labels["a"].clone()).as_deref(),
        Some("b")
    );
}

#[test]
fn recursive_types_decode_and_round_trip() {
    let node: recursive::types::Node = decode(json!({
        "name": "root",
        "children": [{"name": "a", "children": []}],
        "parent": {"name": "up", "children": [], "first_child": null},
        "first_child": {"name": "a", "children": []}
    }))
    .expect("decodes");
    assert_eq!(node.children[0].name, "a");
    assert_eq!(node.parent.as_ref().map(|p| p.name.as_str()), Some("up"));
    assert_eq!(node.first_child.as_ref().map(|c| c.children.len()), Some(0));
    round_trip(&node);
    let err = decode::<recursive::types::Node>(json!({"name": "r", "children": [{"name": "c"}]}))
        .expect_err("a child without children");
    assert!(err.contains("missing field `children`"), "{err}");
}

#[test]
fn a_named_date_time_is_read_like_an_inline_one() {
    type Record = formats::types::Record;
    let body = br#"{"id": "5f1e4c8e-8d2c-4a43-9e55-0d7a3f1c2b10", "created_at": "2015-01-21T18:49:12Z", "updated_at": "1421866952.062"}"#;
    // Strictly, seconds since the epoch are no RFC 3339 date-time...
    serde_json::from_slice::<Record>(body).expect_err("not RFC 3339");
    // ...but a received body reads them, through the `Timestamp` alias as inline.
    let record: Record = oapigen_runtime::lenient::from_slice(body).expect("relaxed");
    assert_eq!(
        record.updated_at.map(|at| at.timestamp_millis()),
        Some(1_421_866_952_062)
    );
    assert_eq!(record.created_at.timestamp(), 1_421_866_152);
}

#[test]
fn a_variant_used_outside_its_tagged_union_keeps_its_tag() {
    use shared_variant::types::{Auto, AutoType, Chunking, Fixed, Settings};
    let auto = Auto::new(AutoType::Auto);
    // As the type of `fallback`, nothing but the struct itself can send `type`...
    let settings = Settings::new()
        .with_fallback(auto.clone())
        .with_chunking(Chunking::Auto(auto.clone()));
    assert_eq!(
        serde_json::to_value(&settings).expect("serializes"),
        json!({"chunking": {"type": "auto"}, "fallback": {"type": "auto"}})
    );
    // ...and as a variant it is written once, by itself, not by the union too.
    assert_eq!(
        serde_json::to_string(&Chunking::Auto(auto.clone())).expect("serializes"),
        r#"{"type":"auto"}"#
    );
    // The union reads it back with its tag; a variant used only in the union still omits it.
    let read: Chunking = decode(json!({"type": "auto"})).expect("decodes");
    assert_eq!(read, Chunking::Auto(auto));
    let fixed: Chunking = decode(json!({"type": "fixed", "size": 3})).expect("decodes");
    assert!(
        matches!(fixed, Chunking::Fixed(Fixed { size: 3, .. })),
        "{fixed:?}"
    );
    assert_eq!(
        serde_json::to_value(&fixed).expect("serializes"),
        json!({"type": "fixed", "size": 3})
    );
    round_trip(&settings);
}
