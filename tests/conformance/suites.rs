//! One suite per spec: typed requests built with the generated API, then every documented
//! status and example.

use super::*;

pub(super) fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("RFC 3339 date-time")
}

pub(super) fn uri(text: &str) -> Uri {
    Uri::parse(text).expect("absolute URI")
}

// --- Notifications ---------------------------------------------------------------------

pub(super) fn nt_recipients(count: usize) -> Vec<nt::types::Recipient> {
    (1..=count)
        .map(|i| {
            nt::types::Recipient::new(
                nt::types::RecipientType::Unit,
                format!("amzn1.alexa.unit.did.AH3Q5EXAMPLE{i}"),
            )
        })
        .collect()
}

pub(super) fn nt_send_body() -> nt::types::SendNotificationsRequest {
    use nt::types::*;
    let spoken = SpokenContent::new(vec![SpokenTextContent::new(
        SpokenTextContentType::SpokenText,
        vec![
            LocalizedSpokenText::new("en-US".into(), "Happy hour starts at 5 pm.".into()),
            LocalizedSpokenText::new("de-DE".into(), "Die Happy Hour beginnt um 17 Uhr.".into()),
        ],
    )]);
    let text_wrapping = TextWrappingTemplate::new(
        "en-US".into(),
        TextWrappingDocument::new(
            DocumentType::Link,
            TextWrappingDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertTextWrappingTemplate,
        ),
        TextWrappingDatasources::new(
            DisplayText::new("Happy hour at the pool bar".into())
                .with_secondary_text("5 to 7 pm".into()),
        )
        .with_background(
            Background::new().with_background_image_source(uri("https://www.example.com/pool.jpg")),
        )
        .with_attribution(AttributionText::new("Example Hotel".into()).into()),
    );
    let media = MediaThumbnailTemplate::new(
        "en-US".into(),
        MediaThumbnailDocument::new(
            DocumentType::Link,
            MediaThumbnailDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertMediaThumbnailTemplate,
        ),
        MediaThumbnailDatasources::new(DisplayText::new("Spa".into()))
            .with_thumbnail(Thumbnail::new(uri("https://www.example.com/spa.jpg")))
            .with_attribution(
                AttributionImage::new(uri("https://www.example.com/logo.png")).into(),
            ),
    );
    let rating = RatingTemplate::new(
        "en-US".into(),
        RatingDocument::new(
            DocumentType::Link,
            RatingDocumentSrc::DocAlexaAplDocumentsEnterpriseNotificationsPersistentvisualalertRatingTemplate,
        ),
        RatingDatasources::new(
            RatingDisplayText::new("Pool bar".into(), 4.5, "4.5 / 5".into())
                .with_hint_text("Open until 10 pm".into()),
        ),
    );
    let alert = PersistentVisualAlert::new(VisualAlertContent::new(vec![V0TemplateContent::new(
        V0TemplateContentType::V0Template,
        vec![text_wrapping.into(), media.into(), rating.into()],
    )]))
    .with_dismissal_time(at("2030-04-30T10:00:00Z"));
    let notification = Notification::new(vec![
        DeviceNotification::new(spoken.clone()).into(),
        Announcement::new(spoken).into(),
        alert.into(),
    ])
    .with_reference_id("2f1d7a52-5c1b-4a8e-9d1e-0b6c1f8e3a77".into());
    SendNotificationsRequest::new(nt_recipients(3), notification)
}

pub(super) fn nt_query_by_units() -> nt::types::QueryNotificationsRequest {
    use nt::types::*;
    let units: Vec<QueryFilter> = nt_recipients(2)
        .into_iter()
        .map(|r| MatchFilter::new(RecipientIdMatch::new(r.id).into()).into())
        .collect();
    let query = QueryByUnits::new(vec![
        OrFilter::new(units).into(),
        MatchFilter::new(RecipientTypeMatch::new(RecipientType::Unit).into()).into(),
        MatchFilter::new(
            NotificationVariantTypeMatch::new(
                NotificationVariantTypeMatchNotificationVariantsType::PersistentVisualAlert,
            )
            .into(),
        )
        .into(),
    ]);
    QueryNotificationsRequest::new(query.into())
        .with_pagination_context(QueryPaginationContext::new().with_max_results(10))
}

pub(super) fn nt_query_by_reference_ids() -> nt::types::QueryNotificationsRequest {
    use nt::types::*;
    let query = QueryByReferenceIds::new(vec![MatchFilter::new(
        ReferenceIdMatch::new("2f1d7a52-5c1b-4a8e-9d1e-0b6c1f8e3a77".into()).into(),
    )]);
    QueryNotificationsRequest::new(query.into()).with_pagination_context(
        QueryPaginationContext::new()
            .with_max_results(100)
            .with_next_token("page-2".into()),
    )
}

pub(super) async fn notifications_suite(service: &Service) {
    use nt::types::{DeletableNotificationType, DeleteNotificationsRequest, RecipientType};
    let client = &client!(nt, service);
    let sent = service
        .exercise("sendNotifications", |headers| {
            send!(client.send_notifications(nt_send_body()), headers)
        })
        .await;
    assert_eq!(sent.status, 202);
    service
        .send_request_examples("sendNotifications", |body| {
            client.send_notifications(body).send()
        })
        .await;
    service
        .exercise("deleteNotificationsByUnit", |headers| {
            send!(
                client.delete_notifications_by_unit(
                    "amzn1.alexa.unit.did.AH3Q5EXAMPLE1".into(),
                    RecipientType::Unit,
                    DeletableNotificationType::PersistentVisualAlert,
                ),
                headers
            )
        })
        .await;
    service
        .exercise("deleteNotifications", |headers| {
            let body = DeleteNotificationsRequest::new(
                nt_recipients(100),
                vec![DeletableNotificationType::DeviceNotification],
            );
            send!(client.delete_notifications(body), headers)
        })
        .await;
    service
        .send_request_examples("deleteNotifications", |body| {
            client.delete_notifications(body).send()
        })
        .await;
    let page = service
        .exercise("queryNotifications", |headers| {
            send!(client.query_notifications(nt_query_by_units()), headers)
        })
        .await;
    let page = page.body.expect("the query page decodes");
    assert!(!page.success_results.unwrap_or_default().is_empty());
    service
        .two_pages(
            "queryNotifications",
            client.query_notifications(nt_query_by_units()).pages(),
        )
        .await;
    let by_reference = client
        .query_notifications(nt_query_by_reference_ids())
        .send()
        .await;
    service.expect_success("queryNotifications by reference IDs", by_reference);
    service
        .send_request_examples("queryNotifications", |body| {
            client.query_notifications(body).send()
        })
        .await;
}

// --- Proactive Events ------------------------------------------------------------------

pub(super) fn pe_event(audience: pe::types::RelevantAudience) -> pe::types::ProactiveEvent {
    use pe::types::*;
    let payload = json!({
        "state": {"status": "ORDER_SHIPPED", "deliveryDetails": {"expectedArrival": "2030-06-23T18:00:00Z"}},
        "order": {"seller": {"name": "localizedattribute:sellerName"}},
    });
    let payload = serde_json::from_value(payload).expect("payload map");
    let mut en = LocalizedAttributes::new(Locale::EnUs);
    en.additional_properties
        .insert("sellerName".into(), "AnyCompany".into());
    let mut de = LocalizedAttributes::new(Locale::DeDe);
    de.additional_properties
        .insert("sellerName".into(), "AnyCompany Deutschland".into());
    ProactiveEvent::new(
        at("2030-06-22T20:00:00Z"),
        "order-1234.shipped_v1~a".into(),
        at("2030-06-23T20:00:00Z"),
        Event::new("AMAZON.OrderStatus.Updated".into(), payload),
        vec![en, de],
        audience,
    )
}

pub(super) fn pe_unicast() -> pe::types::RelevantAudience {
    use pe::types::*;
    UnicastAudience::new(
        UnicastAudiencePayload::new().with_user("amzn1.ask.account.AEXAMPLE".into()),
    )
    .into()
}

pub(super) fn pe_multicast() -> pe::types::RelevantAudience {
    use pe::types::*;
    MulticastAudience::new(MulticastAudiencePayload::new()).into()
}

pub(super) async fn proactive_events_suite(service: &Service) {
    let client = &client!(pe, service);
    service
        .exercise("createProactiveEvent", |headers| {
            send!(
                client.create_proactive_event(pe_event(pe_unicast())),
                headers
            )
        })
        .await;
    let multicast = client
        .create_proactive_event(pe_event(pe_multicast()))
        .send()
        .await;
    service.expect_success("createProactiveEvent multicast", multicast);
    service
        .send_request_examples("createProactiveEvent", |body| {
            client.create_proactive_event(body).send()
        })
        .await;
    service
        .exercise("createDevelopmentProactiveEvent", |headers| {
            send!(
                client.create_development_proactive_event(pe_event(pe_multicast())),
                headers
            )
        })
        .await;
    service
        .send_request_examples("createDevelopmentProactiveEvent", |body| {
            client.create_development_proactive_event(body).send()
        })
        .await;
}

// --- Proactive Suggestions -------------------------------------------------------------

pub(super) fn ps_campaign() -> ps::types::CreateCampaignRequest {
    use ps::types::*;
    let content = |locale: &str, title: &str, body: &str| {
        LocalizedSuggestionContent::new(
            locale.into(),
            SuggestionDocument::new(
                SuggestionDocumentType::Link,
                SuggestionDocumentSrc::DocAlexaAplDocumentsEnterpriseSuggestionsHomeDefaultTemplate,
            ),
            SuggestionDatasources::new()
                .with_display_text(
                    SuggestionDisplayText::new()
                        .with_title(title.into())
                        .with_body(body.into())
                        .with_action(
                            SkillConnectionAction::new()
                                .with_type(SkillConnectionActionType::SkillConnection)
                                .with_uri(
                                    "connection://AMAZON.ColdLaunch/1?provider=amzn1.ask.skill.0f9e8d7c"
                                        .into(),
                                ),
                        ),
                )
                .with_background(Background::new(uri("https://www.example.com/spa.jpg"))),
        )
    };
    let suggestion = Suggestion::new(vec![SuggestionVariant::new(
        Placement::new(Channel::Home),
        SuggestionContent::new(vec![
            content("en-US", "Spa afternoon", "Massages half price until 6 pm."),
            content(
                "fr-FR",
                "Après-midi spa",
                "Massages à moitié prix jusqu'à 18 h.",
            ),
        ]),
    )]);
    let targeting = UnitsTargeting::new(
        UnitsTargetingType::Units,
        vec![
            UnitTarget::new("amzn1.alexa.unit.did.AH3Q5EXAMPLE1".into()),
            UnitTarget::new("amzn1.alexa.unit.did.AH3Q5EXAMPLE2".into()),
        ],
    );
    let window = ActivationWindow::new(at("2030-01-01T10:00:00Z"), at("2030-01-31T10:00:00Z"));
    CreateCampaignRequest::new(suggestion, targeting, Scheduling::new(window))
}

pub(super) fn ps_query() -> ps::types::QueryCampaignsRequest {
    use ps::types::*;
    let units: Vec<QueryFilter> = ["amzn1.alexa.unit.did.AH3Q5EXAMPLE1", "U2"]
        .into_iter()
        .map(|id| MatchFilter::new(TargetingValueIdMatch::new(id.into()).into()).into())
        .collect();
    let query = CampaignQuery::new(vec![
        OrFilter::new(units).into(),
        MatchFilter::new(TargetingTypeMatch::new(TargetingTypeMatchTargetingType::Units).into())
            .into(),
    ]);
    QueryCampaignsRequest::new(query)
        .with_pagination_context(QueryPaginationContext::new().with_max_results(10))
}

pub(super) async fn proactive_suggestions_suite(service: &Service) {
    let client = &client!(ps, service);
    let created = service
        .exercise("createCampaign", |headers| {
            send!(client.create_campaign(ps_campaign()), headers)
        })
        .await;
    service
        .send_request_examples("createCampaign", |body| client.create_campaign(body).send())
        .await;
    let campaign_id = created
        .body
        .expect("the created campaign decodes")
        .campaign_id;
    service
        .exercise("listCampaigns", |headers| {
            send!(
                client
                    .list_campaigns()
                    .max_results(5)
                    .next_token("token-from-previous-page".into()),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listCampaigns",
            client.list_campaigns().max_results(2).pages(),
        )
        .await;
    service
        .exercise("queryCampaigns", |headers| {
            send!(client.query_campaigns(ps_query()), headers)
        })
        .await;
    service
        .two_pages("queryCampaigns", client.query_campaigns(ps_query()).pages())
        .await;
    service
        .send_request_examples("queryCampaigns", |body| client.query_campaigns(body).send())
        .await;
    service
        .exercise("getCampaign", |headers| {
            send!(client.get_campaign(campaign_id.clone()), headers)
        })
        .await;
    service
        .exercise("deleteCampaign", |headers| {
            send!(client.delete_campaign(campaign_id.clone()), headers)
        })
        .await;
}

// --- Skill Development Notifications ---------------------------------------------------

pub(super) fn sdn_endpoint() -> sdn::types::Endpoint {
    use sdn::types::*;
    Endpoint::new(
        uri("arn:aws:sns:us-east-1:123456789012:skill-development-events"),
        AwsIamAuthorization::new(
            AwsIamAuthorizationType::AwsIam,
            "arn:aws:iam::123456789012:role/sdns-publisher".into(),
        ),
    )
}

/// The last path segment of a `Location` header: the new resource's ID.
pub(super) fn id_from_location(location: &str) -> String {
    location.rsplit('/').next().expect("a segment").to_owned()
}

/// Takes the token off every request: an operation that requires one fails before sending
/// when the client has none, so the control request is sent with one and stripped here.
struct WithoutToken;

impl alexa_apis::runtime::Hook for WithoutToken {
    fn on_request(
        &self,
        request: &mut alexa_apis::runtime::reqwest::Request,
        _info: &alexa_apis::runtime::AttemptInfo,
    ) -> alexa_apis::runtime::Control {
        request
            .headers_mut()
            .remove(alexa_apis::runtime::reqwest::header::AUTHORIZATION);
        alexa_apis::runtime::Control::Send
    }
}

pub(super) async fn skill_development_notifications_suite(service: &Service) {
    use sdn::types::*;
    let client = &client!(sdn, service);
    let vendor = "M2EXAMPLEVENDOR";
    let created = service
        .exercise("createSubscriber", |headers| {
            let body =
                CreateSubscriberRequest::new("ops-alerts".into(), vendor.into(), sdn_endpoint());
            send!(client.create_subscriber(body), headers)
        })
        .await;
    let subscriber_id = id_from_location(&created.location);
    // Control: Prism's verdict on a bad request reaches the client's error, so its absence
    // everywhere else means Prism accepted the requests. No token is a bad request.
    let anonymous = sdn::Client::builder()
        .base_url(service.prism.base_url())
        .credentials(Credentials::bearer(TOKEN))
        .hook(WithoutToken)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client builds");
    match anonymous.get_subscriber(subscriber_id.clone()).send().await {
        Err(Error::Api(api)) if api.status == 401 && api.headers.contains_key(VIOLATIONS) => {}
        other => service.fail(
            "control request without a token",
            format!("Prism did not flag it: {other:?}"),
        ),
    }
    service
        .send_request_examples("createSubscriber", |body| {
            client.create_subscriber(body).send()
        })
        .await;
    service
        .exercise("listSubscribers", |headers| {
            send!(
                client
                    .list_subscribers(vendor.into())
                    .max_results(50)
                    .next_token("a".repeat(2047)),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listSubscribers",
            client
                .list_subscribers(vendor.into())
                .max_results(2)
                .pages(),
        )
        .await;
    service
        .exercise("getSubscriber", |headers| {
            send!(client.get_subscriber(subscriber_id.clone()), headers)
        })
        .await;
    service
        .exercise("updateSubscriber", |headers| {
            let body = UpdateSubscriberRequest::new("ops-alerts-v2".into(), sdn_endpoint());
            send!(
                client.update_subscriber(subscriber_id.clone(), body),
                headers
            )
        })
        .await;
    service
        .send_request_examples("updateSubscriber", |body| {
            client.update_subscriber(subscriber_id.clone(), body).send()
        })
        .await;
    let created = service
        .exercise("createSubscription", |headers| {
            let body = CreateSubscriptionRequest::new(
                "certification-and-publishing".into(),
                vec![
                    DevelopmentEventName::AlexaDevelopmentEventSkillCertification,
                    DevelopmentEventName::AlexaDevelopmentEventSkillPublish,
                ],
                vendor.into(),
                subscriber_id.clone(),
            );
            send!(client.create_subscription(body), headers)
        })
        .await;
    let subscription_id = id_from_location(&created.location);
    service
        .send_request_examples("createSubscription", |body| {
            client.create_subscription(body).send()
        })
        .await;
    service
        .exercise("listSubscriptions", |headers| {
            send!(
                client
                    .list_subscriptions()
                    .vendor_id(vendor.into())
                    .subscriber_id(subscriber_id.clone())
                    .max_results(1),
                headers
            )
        })
        .await;
    service
        .two_pages(
            "listSubscriptions",
            client.list_subscriptions().vendor_id(vendor.into()).pages(),
        )
        .await;
    service
        .exercise("getSubscription", |headers| {
            send!(client.get_subscription(subscription_id.clone()), headers)
        })
        .await;
    service
        .exercise("updateSubscription", |headers| {
            let body = UpdateSubscriptionRequest::new(
                "everything".into(),
                vec![
                    DevelopmentEventName::AlexaDevelopmentEventAll,
                    DevelopmentEventName::AlexaCustomerFeedbackEventSkillReviewPublish,
                ],
            );
            send!(
                client.update_subscription(subscription_id.clone(), body),
                headers
            )
        })
        .await;
    service
        .send_request_examples("updateSubscription", |body| {
            client
                .update_subscription(subscription_id.clone(), body)
                .send()
        })
        .await;
    service
        .exercise("deleteSubscription", |headers| {
            send!(client.delete_subscription(subscription_id.clone()), headers)
        })
        .await;
    service
        .exercise("deleteSubscriber", |headers| {
            send!(client.delete_subscriber(subscriber_id.clone()), headers)
        })
        .await;
}
