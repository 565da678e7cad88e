//! String enums of the generated crates on the wire: documented values map to variants,
//! values the spec does not list are kept (`Unknown`) and sent back unchanged, validation
//! included (it checks what the user builds, not what the server sent), and one-value enums
//! (constants that tell union variants apart) accept only their value.

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

// Until issue 17 validation refused `Unknown`, so a value the server sent could not be sent
// back; now it passes validation unchanged.
#[test]
fn unknown_values_are_kept_and_pass_validation() {
    let locale: Locale = serde_json::from_value(json!("xx-XX")).unwrap();
    assert_eq!(locale, Locale::Unknown("xx-XX".to_owned()));
    assert_eq!(serde_json::to_value(&locale).unwrap(), json!("xx-XX"));
    assert_eq!(Locale::from_wire("en-US".to_owned()), Locale::EnUs);
    assert!(locale.validate().is_ok());
}

/// A subscription read from the service with an event name this client does not know is
/// updated with the same events: the unknown one reaches the service unchanged.
#[tokio::test]
async fn an_unknown_value_from_the_server_is_sent_back_unchanged() {
    use alexa_apis::skill_development_notifications::{types, Client, Credentials};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let id = "amzn1.ask-subscription.1";
    let events = json!([
        "AlexaDevelopmentEvent.ManifestUpdate",
        "AlexaDevelopmentEvent.Future"
    ]);
    Mock::given(method("GET"))
        .and(path(format!("/v0/developmentEvents/subscriptions/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "s", "subscriptionId": id, "subscriberId": "sub", "vendorId": "v",
            "events": events,
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/v0/developmentEvents/subscriptions/{id}")))
        .and(body_json(json!({"name": "renamed", "events": events})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer("t"))
        .build()
        .unwrap();
    let current = client
        .get_subscription(id.into())
        .send()
        .await
        .unwrap()
        .body
        .expect("the subscription decodes");
    assert!(matches!(
        current.events[1],
        types::DevelopmentEventName::Unknown(ref value) if value == "AlexaDevelopmentEvent.Future"
    ));
    let update = types::UpdateSubscriptionRequest::new("renamed".into(), current.events);
    client
        .update_subscription(id.into(), update)
        .send()
        .await
        .expect("the unknown event passes validation and is sent as received");
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
