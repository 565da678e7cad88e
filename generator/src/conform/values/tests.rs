use super::*;
use serde_json::json;

fn synth(document: &Value, schema: Value, fill: Fill) -> Value {
    Synth::new(document).synthesize(&schema, fill, 0)
}

#[test]
fn objects_carry_required_properties_and_optional_ones_on_request() {
    let doc = json!({"components": {"schemas": {"Pet": {
        "type": "object", "required": ["name"],
        "properties": {"name": {"type": "string", "minLength": 12},
                       "id": {"type": "integer", "readOnly": true},
                       "tag": {"type": "string", "enum": ["a", "b"]}}}}}});
    let pet = json!({"$ref": "#/components/schemas/Pet"});
    assert_eq!(
        synth(&doc, pet.clone(), Fill::Required),
        json!({"name": "conformaaaaa"})
    );
    assert_eq!(
        synth(&doc, pet, Fill::Everything),
        json!({"name": "conformaaaaa", "tag": "a"})
    );
}

#[test]
fn numbers_respect_ranges_and_steps() {
    let doc = json!({});
    assert_eq!(
        synth(
            &doc,
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true}),
            Fill::Required
        ),
        json!(6)
    );
    assert_eq!(
        synth(
            &doc,
            json!({"type": "integer", "maximum": -3}),
            Fill::Required
        ),
        json!(-3)
    );
    assert_eq!(
        synth(
            &doc,
            json!({"type": "integer", "minimum": 1, "multipleOf": 10}),
            Fill::Required
        ),
        json!(10)
    );
    assert_eq!(
        synth(
            &doc,
            json!({"type": "number", "minimum": 0.5, "maximum": 2}),
            Fill::Required
        ),
        json!(0.5)
    );
}

#[test]
fn discriminated_unions_set_their_tag() {
    let doc = json!({"components": {"schemas": {
        "Cat": {"type": "object", "required": ["kind", "lives"],
                "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "kind",
                                  "mapping": {"cat": "#/components/schemas/Cat"}}}}}});
    assert_eq!(
        synth(
            &doc,
            json!({"$ref": "#/components/schemas/Pet"}),
            Fill::Required
        ),
        json!({"kind": "cat", "lives": 1})
    );
}

#[test]
fn examples_come_first_then_defaults() {
    let doc = json!({"components": {"examples": {"E": {"value": {"a": 1}}}}});
    let synth = Synth::new(&doc);
    let media = json!({"examples": {"one": {"$ref": "#/components/examples/E"}},
                       "schema": {"type": "object"}});
    assert_eq!(
        synth.media(&media, Fill::Required),
        (json!({"a": 1}), Source::Example)
    );
    let parameter = json!({"schema": {"type": "integer", "default": 20}});
    assert_eq!(
        synth.parameter(&parameter, Fill::Required),
        (json!(20), Source::Default)
    );
}

#[test]
fn cycles_and_broken_refs_end() {
    let doc = json!({"components": {"schemas": {
        "Node": {"type": "object", "required": ["next"],
                 "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
        "Loop": {"$ref": "#/components/schemas/Loop"}}}});
    let node = synth(
        &doc,
        json!({"$ref": "#/components/schemas/Node"}),
        Fill::Everything,
    );
    assert!(node.is_object());
    assert_eq!(
        synth(
            &doc,
            json!({"$ref": "#/components/schemas/Loop"}),
            Fill::Required
        ),
        Value::Null
    );
    assert_eq!(
        synth(&doc, json!({"$ref": "other.yaml#/X"}), Fill::Required),
        Value::Null
    );
}

#[test]
fn recursive_unions_end_in_a_leaf_variant() {
    let doc = json!({"components": {"schemas": {
        "Filter": {"oneOf": [{"$ref": "#/components/schemas/And"},
                             {"$ref": "#/components/schemas/Match"}]},
        "And": {"type": "object", "required": ["and"],
                "properties": {"and": {"type": "array",
                                       "items": {"$ref": "#/components/schemas/Filter"}}}},
        "Match": {"type": "object", "required": ["match"],
                  "properties": {"match": {"type": "string"}}}}}});
    assert_eq!(
        synth(
            &doc,
            json!({"$ref": "#/components/schemas/Filter"}),
            Fill::Required
        ),
        json!({"match": "conform"})
    );
    assert_eq!(
        synth(
            &doc,
            json!({"$ref": "#/components/schemas/And"}),
            Fill::Required
        ),
        json!({"and": [{"match": "conform"}]})
    );
}

#[test]
fn enum_values_have_the_schemas_type() {
    let doc = json!({});
    assert_eq!(
        synth(
            &doc,
            json!({"type": "integer", "enum": ["1", "2"]}),
            Fill::Required
        ),
        json!(1)
    );
    assert_eq!(
        synth(
            &doc,
            json!({"type": "string", "enum": [null, "on"]}),
            Fill::Required
        ),
        json!("on")
    );
}

#[test]
fn arrays_honour_item_counts_and_uniqueness() {
    let doc = json!({});
    assert_eq!(
        synth(
            &doc,
            json!({"type": "array", "minItems": 3, "uniqueItems": true,
                   "items": {"type": "string"}}),
            Fill::Required
        ),
        json!(["conform", "conform1", "conform2"])
    );
    assert_eq!(
        synth(
            &doc,
            json!({"type": "array", "maxItems": 0, "items": {"type": "string"}}),
            Fill::Required
        ),
        json!([])
    );
}
