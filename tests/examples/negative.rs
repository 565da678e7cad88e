//! The negative set: values the specs forbid, refused by the generated operations before
//! anything is sent, with errors that name the field path.

use super::*;

/// Nothing listens here: a request that passed validation would fail as a transport error.
const NOWHERE: &str = "http://127.0.0.1:9";

/// The named request example of an operation, from the spec.
fn request_example(file: &str, op: &str, name: &str) -> Value {
    Spec::load(file)
        .operation(op)
        .request_examples
        .into_iter()
        .find(|e| e.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{file}: {op} has no request example {name}"))
        .value
}

/// The validation errors of a call that must not be sent.
fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
) -> (ValidationErrors, String) {
    match result {
        Err(err @ Error::Validation(_)) => {
            assert_eq!(err.attempts(), 0, "nothing was sent");
            let text = err.to_string();
            let Error::Validation(errors) = err else {
                unreachable!()
            };
            (errors, text)
        }
        other => panic!("expected a validation error before sending, got {other:?}"),
    }
}

/// Asserts the errors hold `rule` at `path`, and the message names the path.
fn assert_rejected(errors: &ValidationErrors, text: &str, path: &str, rule: &str) {
    assert!(
        errors
            .errors()
            .iter()
            .any(|e| e.path == path && e.rule == rule),
        "expected {rule} at {path}, got {errors:?}"
    );
    assert!(text.contains(path), "the message names the field: {text}");
}

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the mutated example still decodes")
}

fn nt_client() -> nt::Client {
    nt::Client::builder()
        .base_url(NOWHERE)
        .credentials(Credentials::bearer("token"))
        .build()
        .expect("client")
}

#[tokio::test]
async fn one_hundred_and_one_recipients_are_refused() {
    let mut example = request_example(NT, "sendNotifications", "deviceNotification");
    let recipient = example["recipients"][0].clone();
    example["recipients"] = Value::Array(vec![recipient; 101]);
    let (errors, text) = refused(nt_client().send_notifications(decode(example)).send().await);
    assert_rejected(&errors, &text, "body.recipients", "maxItems");

    let mut example = request_example(NT, "deleteNotifications", "persistentVisualAlerts");
    let recipient = example["recipients"][0].clone();
    example["recipients"] = Value::Array(vec![recipient; 101]);
    let (errors, text) = refused(
        nt_client()
            .delete_notifications(decode(example))
            .send()
            .await,
    );
    assert_rejected(&errors, &text, "body.recipients", "maxItems");

    // 100 is the documented maximum and passes validation (then fails to connect).
    let mut example = request_example(NT, "sendNotifications", "deviceNotification");
    let recipient = example["recipients"][0].clone();
    example["recipients"] = Value::Array(vec![recipient; 100]);
    let sent = nt_client().send_notifications(decode(example)).send().await;
    assert!(
        matches!(sent, Err(Error::Transport(_))),
        "100 recipients are valid: {sent:?}"
    );
}

#[tokio::test]
async fn a_1025_character_text_is_refused() {
    let mut example = request_example(NT, "sendNotifications", "announcement");
    let text_at = "/notification/variants/0/content/variants/0/values/0/text";
    *example.pointer_mut(text_at).expect("text") = Value::String("é".repeat(1025));
    let (errors, text) = refused(nt_client().send_notifications(decode(example)).send().await);
    assert_rejected(
        &errors,
        &text,
        "body.notification.variants[0].content.variants[0].values[0].text",
        "maxLength",
    );
}

#[tokio::test]
async fn a_rating_of_6_is_refused() {
    let mut example = request_example(NT, "sendNotifications", "persistentVisualAlertRating");
    let rating_at =
        "/notification/variants/0/content/variants/0/values/0/datasources/displayText/ratingNumber";
    *example.pointer_mut(rating_at).expect("ratingNumber") = json!(6);
    let (errors, text) = refused(nt_client().send_notifications(decode(example)).send().await);
    assert_rejected(
        &errors,
        &text,
        "body.notification.variants[0].content.variants[0].values[0].datasources.displayText.ratingNumber",
        "maximum",
    );
}

#[tokio::test]
async fn an_unknown_template_is_refused() {
    let mut example = request_example(NT, "sendNotifications", "persistentVisualAlert");
    let src_at = "/notification/variants/0/content/variants/0/values/0/document/src";
    *example.pointer_mut(src_at).expect("document.src") = Value::String(
        "doc://alexa/apl/documents/enterprise/notifications/persistentvisualalert/unknownTemplate"
            .into(),
    );
    let (errors, text) = refused(nt_client().send_notifications(decode(example)).send().await);
    assert_rejected(
        &errors,
        &text,
        "body.notification.variants[0].content.variants[0].values[0]",
        "oneOf",
    );
    // The message says why each of the three templates refused it.
    for template in [
        "RatingTemplate",
        "MediaThumbnailTemplate",
        "TextWrappingTemplate",
    ] {
        assert!(text.contains(template), "{text}");
    }
    assert!(text.contains("unknownTemplate"), "{text}");
}

#[tokio::test]
async fn more_documented_constraints_are_enforced() {
    // A locale outside the documented set (`Locale::Unknown`) is no longer refused since
    // issue 17, so a value the server sent can be sent back (see `tests/enums.rs`): the call
    // gets past validation to the transport, which finds nothing listening.
    let mut example = request_example(PE, "createProactiveEvent", "createOrderStatusUnicast");
    example["localizedAttributes"][1]["locale"] = json!("xx-XX");
    let client = pe::Client::builder()
        .base_url(NOWHERE)
        .credentials(Credentials::bearer("token"))
        .build()
        .expect("client");
    let sent = client.create_proactive_event(decode(example)).send().await;
    assert!(matches!(sent, Err(Error::Transport(_))), "{sent:?}");

    // A delivery type outside the discriminator mapping (notifications).
    let mut example = request_example(NT, "sendNotifications", "deviceNotification");
    example["notification"]["variants"][0]["type"] = json!("Hologram");
    let (errors, text) = refused(nt_client().send_notifications(decode(example)).send().await);
    assert_rejected(
        &errors,
        &text,
        "body.notification.variants[0]",
        "discriminator",
    );

    // A title over 60 characters and 101 targeted units (proactive suggestions).
    let mut example = request_example(PS, "createCampaign", "homeScreenSuggestion");
    let title_at = "/suggestion/variants/0/content/values/1/datasources/displayText/title";
    *example.pointer_mut(title_at).expect("title") = Value::String("t".repeat(61));
    let unit = example["targeting"]["values"][0].clone();
    example["targeting"]["values"] = Value::Array(vec![unit; 101]);
    let client = ps::Client::builder()
        .base_url(NOWHERE)
        .credentials(Credentials::bearer("token"))
        .build()
        .expect("client");
    let (errors, text) = refused(client.create_campaign(decode(example)).send().await);
    assert_rejected(
        &errors,
        &text,
        "body.suggestion.variants[0].content.values[1].datasources.displayText.title",
        "maxLength",
    );
    assert_rejected(&errors, &text, "body.targeting.values", "maxItems");

    // maxResults above 50 and an empty path parameter (skill development notifications).
    let client = sdn::Client::builder()
        .base_url(NOWHERE)
        .credentials(Credentials::bearer("token"))
        .build()
        .expect("client");
    let (errors, text) = refused(
        client
            .list_subscribers("v".into())
            .max_results(51)
            .send()
            .await,
    );
    assert_rejected(&errors, &text, "maxResults", "maximum");
    let (errors, text) = refused(client.get_subscriber(String::new()).send().await);
    assert_rejected(&errors, &text, "subscriberId", "minLength");
}

#[tokio::test]
async fn path_parameter_examples_pass_validation() {
    let spec = Spec::load(SDN);
    let client = sdn::Client::builder()
        .base_url(NOWHERE)
        .credentials(Credentials::bearer("token"))
        .build()
        .expect("client");
    let example = |pointer: &str| -> String {
        let id = spec.doc.pointer(pointer).and_then(Value::as_str);
        id.expect(pointer).to_owned()
    };
    let id = example("/components/parameters/SubscriberId/example");
    let sent = client.get_subscriber(id.clone()).send().await;
    assert!(
        matches!(sent, Err(Error::Transport(_))),
        "subscriberId example {id:?} fails validation: {sent:?}"
    );
    let id = example("/components/parameters/SubscriptionId/example");
    let sent = client.get_subscription(id.clone()).send().await;
    assert!(
        matches!(sent, Err(Error::Transport(_))),
        "subscriptionId example {id:?} fails validation: {sent:?}"
    );
}
