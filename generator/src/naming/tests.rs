//! Tests of the names the generator makes.

use super::*;

#[test]
fn converts_case_and_escapes() {
    assert_eq!(snake("recipients.id"), "recipients_id");
    assert_eq!(snake("maxResults"), "max_results");
    assert_eq!(escape_keyword(&snake("type")), "r#type");
    assert_eq!(escape_keyword(&snake("self")), "self_");
    assert_eq!(snake("2fa"), "_2fa");
    assert_eq!(camel("+1"), "Plus1");
    assert_eq!(camel("-1"), "Minus1");
    assert_eq!(camel("ALL_SUCCESS"), "AllSuccess");
    assert_eq!(camel("200"), "V200");
    assert_eq!(camel(""), "Value");
    assert_eq!(snake("@odata.type"), "at_odata_type");
}

#[test]
fn names_built_on_idents_keep_no_digit_guard_or_raw_prefix() {
    assert_eq!(setter(&snake("24h")), "with_24h");
    assert_eq!(setter("_24h_2"), "with_24h_2");
    assert_eq!(setter("r#type"), "with_type");
    assert_eq!(setter("max_results"), "with_max_results");
    assert_eq!(header_local("_3ds"), "header_3ds");
    let items = OperationNames::new([]).items(&Scope::default().type_prefix("self"), "self_");
    assert_eq!(items.builder, "SelfBuilder");
    assert_eq!(items.decode, "decode_self_");
    let mut prefixes = Scope::default();
    assert_eq!(prefixes.type_prefix("Client"), "ClientModel");
    assert_eq!(prefixes.type_prefix("client"), "ClientModel2");
    assert_eq!(ident("r#type").to_string(), "r#type");
    assert_eq!(unraw("r#type"), "type");
}

#[test]
fn scheme_methods_avoid_builder_methods_and_each_other() {
    assert_eq!(
        scheme_methods(&[
            "api_key",
            "basicAuth",
            "credentials",
            "Build",
            "api-key",
            "type"
        ]),
        [
            "api_key",
            "basic_auth",
            "credentials_auth",
            "build_auth",
            "api_key_2",
            "type_auth"
        ]
    );
}

#[test]
fn resolves_collisions_in_claim_order() {
    let mut scope = Scope::default();
    assert_eq!(scope.snake("fooBar"), "foo_bar");
    assert_eq!(scope.snake("foo_bar"), "foo_bar_2");
    assert_eq!(scope.snake("foo-bar"), "foo_bar_3");
    let mut types = Scope::default();
    assert_eq!(types.type_name("Option"), "OptionModel");
    assert_eq!(types.type_name("pet"), "Pet");
    assert_eq!(types.type_name("Pet"), "Pet2");
}

#[test]
fn media_method_suffixes_read_as_words() {
    let cases = [
        ("application/json", "json"),
        ("application/merge-patch+json", "json"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data; boundary=x", "multipart"),
        ("text/plain", "text"),
        ("text/csv", "csv"),
        ("application/octet-stream", "bytes"),
        ("image/*", "bytes"),
        ("application/x-msgpack", "msgpack"),
        ("application/vnd.ms-excel", "vnd_ms_excel"),
    ];
    for (media, word) in cases {
        assert_eq!(media_method_suffix(media), word, "{media}");
    }
}
