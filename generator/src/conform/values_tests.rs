//! Tests of the synthesizer (`values.rs`).
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

#[test]
fn all_of_requires_what_any_part_requires() {
    let document = json!({"components": {"schemas": {
        "Base": {"type": "object", "properties": {
            "name": {"type": "string", "minLength": 3},
            "size": {"type": "integer", "minimum": 5},
            "note": {"type": "string"}
        }, "required": ["name"]},
        "Tagged": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"required": ["size"]},
            {"properties": {"tag": {"type": "string", "enum": ["a", "b"]}}, "required": ["tag"]}
        ]}
    }}});
    let value = synth(
        &document,
        json!({"$ref": "#/components/schemas/Tagged"}),
        Fill::Required,
    );
    assert_eq!(value["size"], json!(5), "{value}");
    assert_eq!(value["tag"], json!("a"), "{value}");
    assert!(
        value["name"].as_str().is_some_and(|n| n.len() >= 3),
        "{value}"
    );
    assert!(value.get("note").is_none(), "{value}");
    // A scalar `allOf` stays a scalar.
    let scalar = synth(
        &document,
        json!({"allOf": [{"type": "string", "minLength": 2}, {"description": "x"}]}),
        Fill::Required,
    );
    assert!(scalar.as_str().is_some_and(|s| s.len() >= 2), "{scalar}");
}

#[test]
fn one_of_picks_a_variant_no_other_matches_or_names_the_contradiction() {
    // Whatsapp's `Config`: every `bearer` object also matches the open `basic` variant.
    let document = json!({"components": {"schemas": {
        "Bearer": {"type": "object", "properties": {"bearer": {"type": "string"}}, "required": ["bearer"]},
        "Basic": {"type": "object", "properties": {"basic": {"type": "object"}}}
    }}});
    let synth = Synth::synthesized_only(&document);
    let config = json!({"oneOf": [
        {"$ref": "#/components/schemas/Bearer"},
        {"$ref": "#/components/schemas/Basic"}
    ]});
    let value = synth.synthesize(&config, Fill::Required, 0);
    assert!(value.get("bearer").is_none(), "{value}");
    assert_eq!(synth.take_contradiction(), None);
    // Ably's: two open objects without `required`; every object matches both.
    let open = json!({"oneOf": [
        {"type": "object", "properties": {"channel": {"type": "string"}, "deviceId": {"type": "string"}}},
        {"type": "object", "properties": {"channel": {"type": "string"}, "clientId": {"type": "string"}}}
    ]});
    synth.synthesize(&open, Fill::Everything, 0);
    assert!(synth.take_contradiction().is_some());
    // Tagged variants do not collide.
    let tagged = json!({"oneOf": [
        {"type": "object", "properties": {"kind": {"enum": ["a"]}}, "required": ["kind"]},
        {"type": "object", "properties": {"kind": {"enum": ["b"]}}, "required": ["kind"]}
    ]});
    assert_eq!(
        synth.synthesize(&tagged, Fill::Required, 0),
        json!({"kind": "a"})
    );
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn all_of_variants_that_share_their_base_collide() {
    // PagerDuty's action bodies: one base, one optional property each; the discriminator
    // is blind to JSON Schema, so every value of one matches the other too.
    let document = json!({"components": {"schemas": {
        "Base": {"type": "object", "properties": {"action_type": {"type": "string", "enum": ["script", "process_automation"]}}, "required": ["action_type"]},
        "Script": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"script": {"type": "string"}}}]},
        "Job": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"job_id": {"type": "string"}}}]}
    }}});
    let synth = Synth::synthesized_only(&document);
    let action = json!({"oneOf": [
        {"$ref": "#/components/schemas/Script"},
        {"$ref": "#/components/schemas/Job"}
    ], "discriminator": {"propertyName": "action_type", "mapping": {
        "script": "#/components/schemas/Script", "process_automation": "#/components/schemas/Job"}}});
    synth.synthesize(&action, Fill::Required, 0);
    assert!(synth.take_contradiction().is_some());
    // A closed part keeps them apart.
    let closed = json!({"components": {"schemas": {
        "A": {"allOf": [{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}, "required": ["a"]}]},
        "B": {"allOf": [{"type": "object", "additionalProperties": false, "properties": {"b": {"type": "string"}}}]}
    }}});
    let synth = Synth::synthesized_only(&closed);
    let union =
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
    synth.synthesize(&union, Fill::Required, 0);
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn an_integer_enum_of_strings_is_a_contradiction() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let schema = json!({"type": "integer", "enum": ["6", "12"]});
    assert_eq!(synth.synthesize(&schema, Fill::Required, 0), json!(6));
    assert!(synth
        .take_contradiction()
        .is_some_and(|why| why.contains("integer")));
    let fine = json!({"type": "integer", "enum": [6, 12]});
    assert_eq!(synth.synthesize(&fine, Fill::Required, 0), json!(6));
    assert_eq!(synth.take_contradiction(), None);
    // stackexchange's `accepted`: a string enum of booleans.
    let booleans = json!({"type": "string", "enum": [true, false]});
    assert_eq!(
        synth.synthesize(&booleans, Fill::Required, 0),
        json!("true")
    );
    assert!(synth
        .take_contradiction()
        .is_some_and(|why| why.contains("string")));
}

#[test]
fn a_required_name_no_property_declares_is_a_contradiction() {
    // Xero's `FileObject`: `required: [id]` beside a property `Id`.
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let schema =
        json!({"type": "object", "required": ["id"], "properties": {"Id": {"type": "string"}}});
    assert_eq!(
        synth.synthesize(&schema, Fill::Required, 0),
        json!({"id": "conform"})
    );
    assert!(synth
        .take_contradiction()
        .is_some_and(|why| why.contains("`id`")));
    let map =
        json!({"type": "object", "required": ["id"], "additionalProperties": {"type": "string"}});
    synth.synthesize(&map, Fill::Required, 0);
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn all_of_obeys_a_part_that_narrows_a_property_to_listed_values() {
    // mistral's ConversationAppendRequest: the base's `stream` is any boolean, the request
    // narrows it to `false`; the judge validates every part.
    let document = json!({"components": {"schemas": {
        "Base": {"type": "object", "properties": {
            "stream": {"type": "boolean", "default": true},
            "inputs": {"type": "string"}
        }, "required": ["stream"]},
        "Append": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"stream": {"type": "boolean", "enum": [false]}}}
        ]}
    }}});
    let value = synth(
        &document,
        json!({"$ref": "#/components/schemas/Append"}),
        Fill::Required,
    );
    assert_eq!(value["stream"], json!(false), "{value}");
}

#[test]
fn a_body_sent_as_bytes_or_text_under_a_schema_that_is_no_string_is_a_contradiction() {
    let doc = json!({"components": {"schemas": {"Branding": {
        "type": "object", "properties": {"url": {"type": "string"}}}}}});
    let object = json!({"schema": {"$ref": "#/components/schemas/Branding"}});
    let binary = json!({"schema": {"type": "string", "format": "binary"}});
    let synth = Synth::new(&doc);
    synth.raw_body(&binary);
    assert_eq!(synth.take_contradiction(), None);
    synth.raw_body(&json!({}));
    assert_eq!(synth.take_contradiction(), None);
    synth.raw_body(&object);
    let why = synth.take_contradiction().expect("a contradiction");
    assert!(why.contains("bytes") && why.contains("object"), "{why}");
    // meilisearch's `text/plain` body of `type: boolean`.
    synth.raw_body(&json!({"schema": {"type": "boolean"}}));
    let why = synth.take_contradiction().expect("a contradiction");
    assert!(why.contains("boolean"), "{why}");
    synth.raw_body(&json!({"schema": {"type": "string"}}));
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn several_gives_arrays_two_items_where_their_schema_allows() {
    let doc = json!({});
    let synth = Synth::synthesized_only(&doc);
    let nullable = json!({"type": "array", "nullable": true, "uniqueItems": true,
                          "items": {"type": "string", "maxLength": 256}});
    assert_eq!(
        synth.synthesize(&nullable, Fill::Required, 0),
        json!(["conform"])
    );
    assert_eq!(
        synth.several(|| synth.synthesize(&nullable, Fill::Required, 0)),
        json!(["conform", "conform1"])
    );
    // Afterwards arrays are back to one item.
    assert_eq!(
        synth.synthesize(&nullable, Fill::Required, 0),
        json!(["conform"])
    );
    let capped = json!({"type": "array", "maxItems": 1, "items": {"type": "string"}});
    assert_eq!(
        synth.several(|| synth.synthesize(&capped, Fill::Required, 0)),
        json!(["conform"])
    );
    let one_choice = json!({"type": "array", "uniqueItems": true,
                            "items": {"type": "string", "enum": ["only"]}});
    assert_eq!(
        synth.several(|| synth.synthesize(&one_choice, Fill::Required, 0)),
        json!(["only"])
    );
    let choices = json!({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}});
    assert_eq!(
        synth.several(|| synth.synthesize(&choices, Fill::Required, 0)),
        json!(["a", "b"])
    );
}

#[test]
fn a_pattern_that_admits_no_text_of_its_typed_format_is_a_contradiction() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    // PagerDuty's `since`: the pattern is prose about the format.
    let prose = json!({"type": "string", "format": "date-time", "pattern": "YYYY-MM-DDThh:mm:ssZ"});
    assert_eq!(
        synth.synthesize(&prose, Fill::Required, 0),
        json!("2024-01-02T03:04:05Z")
    );
    assert!(synth.take_contradiction().is_some());
    // A pattern a date matches is followed.
    let dated = json!({"type": "string", "format": "date", "pattern": "^2024-0[1-9]-1[0-9]$"});
    let value = synth.synthesize(&dated, Fill::Required, 0);
    assert!(
        value.as_str().is_some_and(|v| v.starts_with("2024-0")),
        "{value}"
    );
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn a_discriminator_name_outside_the_tag_propertys_enum_is_a_contradiction() {
    let document = json!({"components": {"schemas": {
        "Sidecar": {"type": "object", "required": ["runner_type"], "properties": {
            "runner_type": {"type": "string", "enum": ["sidecar", "runbook"]}}}
    }}});
    let synth = Synth::synthesized_only(&document);
    let runner = json!({"oneOf": [{"$ref": "#/components/schemas/Sidecar"}],
        "discriminator": {"propertyName": "runner_type"}});
    let value = synth.synthesize(&runner, Fill::Required, 0);
    assert_eq!(value["runner_type"], json!("Sidecar"));
    assert!(synth.take_contradiction().is_some());
    let mapped = json!({"oneOf": [{"$ref": "#/components/schemas/Sidecar"}],
        "discriminator": {"propertyName": "runner_type",
            "mapping": {"sidecar": "#/components/schemas/Sidecar"}}});
    assert_eq!(
        synth.synthesize(&mapped, Fill::Required, 0)["runner_type"],
        json!("sidecar")
    );
    assert_eq!(synth.take_contradiction(), None);
}

#[test]
fn distinct_numeric_strings_stay_numeric() {
    assert_eq!(distinct(json!("0"), 1), json!("1"));
    assert_eq!(distinct(json!("41"), 2), json!("43"));
    assert_eq!(distinct(json!("conform"), 1), json!("conform1"));
    assert_eq!(distinct(json!("conform"), 0), json!("conform"));
}

#[test]
fn discriminated_variants_are_checked_for_overlap_as_judges_validate_one_of() {
    // kratos: every login method's body carries `method`; the passkey method requires
    // nothing else, so a password body matches it too and `oneOf` fails whatever we send.
    let document = json!({"components": {"schemas": {
        "Password": {"type": "object", "required": ["method", "password"], "properties": {
            "method": {"type": "string"}, "password": {"type": "string"}}},
        "Passkey": {"type": "object", "required": ["method"], "properties": {
            "method": {"type": "string"}}},
        "Cat": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["cat"]}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["dog"]}}}
    }}});
    let synth = Synth::synthesized_only(&document);
    let login = json!({"oneOf": [{"$ref": "#/components/schemas/Password"},
                                 {"$ref": "#/components/schemas/Passkey"}],
        "discriminator": {"propertyName": "method", "mapping": {
            "password": "#/components/schemas/Password",
            "passkey": "#/components/schemas/Passkey"}}});
    // The passkey body is the one that matches a single variant.
    let value = synth.synthesize(&login, Fill::Required, 0);
    assert_eq!(value, json!({"method": "passkey"}));
    assert_eq!(synth.take_contradiction(), None);
    // When every variant's body matches another, the spec leaves nothing to send.
    let overlapping = json!({"oneOf": [{"$ref": "#/components/schemas/Passkey"},
                                       {"$ref": "#/components/schemas/Passkey"}],
        "discriminator": {"propertyName": "method"}});
    synth.synthesize(&overlapping, Fill::Required, 0);
    let contradiction = synth.take_contradiction().expect("overlapping variants");
    assert!(
        contradiction.contains("matches another variant"),
        "{contradiction}"
    );
    // Variants told apart by their tag's enum do not overlap.
    let pet = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"},
                               {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {
            "cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}});
    let value = synth.synthesize(&pet, Fill::Required, 0);
    assert_eq!(synth.take_contradiction(), None, "{value}");
}

#[test]
fn a_parameter_union_of_a_number_and_text_gets_text_no_number_spells() {
    // GitHub's `workflow_id`: on the wire `1` is text the string variant matches too.
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let parameter = json!({"name": "workflow_id", "in": "path", "required": true,
        "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}});
    let (value, _) = synth.parameter(&parameter, Fill::Required);
    assert!(
        value
            .as_str()
            .is_some_and(|text| text.parse::<f64>().is_err()),
        "{value}"
    );
    assert_eq!(synth.take_contradiction(), None);
    // In a body, the number is no string.
    let (value, _) = synth.schema_value(&parameter["schema"], Fill::Required);
    assert!(value.is_number(), "{value}");
}

#[test]
fn a_union_that_only_requires_names_of_its_object_fills_that_object() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let gist = json!({"type": "object", "nullable": true,
        "properties": {"description": {"type": "string"}, "files": {"type": "object"}},
        "anyOf": [{"required": ["description"]}, {"required": ["files"]}]});
    let value = synth.synthesize(&gist, Fill::Required, 0);
    assert!(
        value.get("description").is_some_and(Value::is_string),
        "{value}"
    );
}

#[test]
fn a_union_that_narrows_properties_of_its_object_fills_that_object() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let check_run = json!({"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"},
            "status": {"type": "string", "enum": ["queued", "completed"]},
            "conclusion": {"type": "string", "enum": ["success", "failure"]}},
        "oneOf": [
            {"properties": {"status": {"enum": ["completed"]}}, "required": ["status", "conclusion"]},
            {"properties": {"status": {"enum": ["queued"]}}}]});
    let value = synth.synthesize(&check_run, Fill::Required, 0);
    assert_eq!(value["status"], json!("completed"), "{value}");
    assert_eq!(value["conclusion"], json!("success"), "{value}");
    assert!(value["name"].is_string(), "{value}");
}

#[test]
fn a_one_of_requiring_either_name_fills_one_of_them_only() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let file_search = json!({"type": "object",
        "properties": {"vector_store_ids": {"type": "array", "items": {"type": "string"}},
            "vector_stores": {"type": "array", "items": {"type": "object"}},
            "note": {"type": "string"}},
        "oneOf": [{"required": ["vector_store_ids"]}, {"required": ["vector_stores"]}]});
    let value = synth.synthesize(&file_search, Fill::Everything, 0);
    assert!(value.get("vector_store_ids").is_some(), "{value}");
    assert!(
        value.get("vector_stores").is_none(),
        "both would match: {value}"
    );
    assert!(value.get("note").is_some(), "{value}");
}

#[test]
fn a_not_that_forbids_names_together_keeps_them_apart() {
    let document = json!({});
    let synth = Synth::synthesized_only(&document);
    let image_ref = json!({"type": "object", "additionalProperties": false,
        "properties": {"image_url": {"type": "string"}, "file_id": {"type": "string"}},
        "anyOf": [{"required": ["image_url"]}, {"required": ["file_id"]}],
        "not": {"required": ["image_url", "file_id"]}});
    for fill in [Fill::Required, Fill::Everything] {
        let value = synth.synthesize(&image_ref, fill, 0);
        assert!(value.get("image_url").is_some(), "{value}");
        assert!(
            value.get("file_id").is_none(),
            "`not` forbids both: {value}"
        );
    }
    let both_required = json!({"type": "object", "required": ["a", "b"],
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "not": {"required": ["a", "b"]}});
    assert_eq!(synth.take_contradiction(), None);
    synth.synthesize(&both_required, Fill::Required, 0);
    let why = synth.take_contradiction();
    assert!(
        why.as_ref().is_some_and(|why| why.contains("`not`")),
        "{why:?}"
    );
}
