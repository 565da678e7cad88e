//! String enums of the generated crates on the wire: documented values map to variants,
//! values the spec does not list are kept (`Unknown`) and sent back unchanged but refused by
//! validation, and one-value enums (constants that tell union variants apart) accept only
//! their value.

use alexa_apis::notifications::types::RecipientType;
use alexa_apis::proactive_events::types::Locale;
use alexa_apis::runtime::Validate;
use serde_json::json;

#[test]
fn documented_values_map_to_variants_both_ways() {
    let locale: Locale = serde_json::from_value(json!("en-US")).unwrap();
    assert_eq!(locale, Locale::EnUs);
    assert_eq!(locale.as_str(), "en-US");
    assert_eq!(locale.to_string(), "en-US");
    assert_eq!(serde_json::to_value(&locale).unwrap(), json!("en-US"));
    assert!(locale.validate().is_ok());
}

#[test]
fn unknown_values_are_kept_and_sent_back_but_do_not_validate() {
    let locale: Locale = serde_json::from_value(json!("xx-XX")).unwrap();
    assert_eq!(locale, Locale::Unknown("xx-XX".to_owned()));
    assert_eq!(serde_json::to_value(&locale).unwrap(), json!("xx-XX"));
    assert_eq!(Locale::from_wire("en-US".to_owned()), Locale::EnUs);
    let errors = locale.validate().unwrap_err().to_string();
    assert!(
        errors.contains("\"xx-XX\" is not one of the documented values"),
        "{errors}"
    );
}

#[test]
fn one_value_enums_accept_only_their_value() {
    let unit: RecipientType = serde_json::from_value(json!("Unit")).unwrap();
    assert_eq!(unit, RecipientType::Unit);
    assert_eq!(serde_json::to_value(&unit).unwrap(), json!("Unit"));
    let err = serde_json::from_value::<RecipientType>(json!("Room")).unwrap_err();
    assert!(err.to_string().contains("unknown variant `Room`"), "{err}");
}

#[test]
fn non_strings_are_refused() {
    assert!(serde_json::from_value::<Locale>(json!(5)).is_err());
    assert!(serde_json::from_value::<RecipientType>(json!(null)).is_err());
}
