//! A generated client against a real local HTTP server (wiremock): paths, query parameters,
//! typed success values and headers, typed errors, validation before sending, pagination.

use alexa_apis::runtime::futures::TryStreamExt;
use alexa_apis::skill_development_notifications::{operations, Client, Credentials, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn subscriber(id: &str) -> serde_json::Value {
    json!({
        "subscriberId": id,
        "name": "ops",
        "endpoint": {"uri": "arn:aws:sns:us-east-1:123456789012:topic", "authorization": {"type": "AWS_IAM", "arn": "arn:aws:iam::123456789012:role/r"}}
    })
}

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer("test-token"))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn get_decodes_body_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v0/developmentEvents/subscribers/sub%201"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Amzn-RequestId", "req-1")
                .set_body_json(subscriber("sub 1")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .get_subscriber("sub 1".into())
        .send()
        .await
        .expect("succeeds");
    assert_eq!(response.status, 200);
    assert_eq!(response.body.expect("decodes").subscriber_id, "sub 1");
    assert_eq!(response.x_amzn_request_id.as_deref(), Some("req-1"));
}

#[tokio::test]
async fn documented_error_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("X-Amzn-RequestId", "req-404")
                .set_body_json(json!({"message": "no such subscriber"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .get_subscriber("gone".into())
        .send()
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-404"));
    match err {
        Error::Api(api) => match &api.body {
            operations::GetSubscriberError::NotFound(Ok(body)) => {
                assert_eq!(body.message.as_deref(), Some("no such subscriber"))
            }
            other => panic!("wrong variant {other:?}"),
        },
        other => panic!("not an API error: {other}"),
    }
}

#[tokio::test]
async fn constraint_is_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .list_subscribers("vendor".into())
        .max_results(51)
        .send()
        .await
        .expect_err("maxResults above 50");
    let Error::Validation(errors) = &err else {
        panic!("not a validation error: {err}")
    };
    assert_eq!(errors.errors()[0].path, "maxResults");
    assert_eq!(errors.errors()[0].rule, "maximum");
    assert_eq!(err.attempts(), 0);
    // Named like every other error of the call: id, method and path template.
    let operation = err
        .operation()
        .expect("the validation error names its operation");
    assert_eq!(operation.id(), "listSubscribers");
    assert_eq!(operation.method().as_str(), "GET");
    assert_eq!(operation.path(), "/v0/developmentEvents/subscribers");
    assert!(
        err.to_string().starts_with(
            "listSubscribers (GET /v0/developmentEvents/subscribers): invalid request: maxResults"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn stream_follows_next_token_to_the_end() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v0/developmentEvents/subscribers"))
        .and(query_param("nextToken", "page-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"subscribers": [subscriber("c")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v0/developmentEvents/subscribers"))
        .and(query_param("vendorId", "vendor"))
        .and(query_param("maxResults", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"subscribers": [subscriber("a"), subscriber("b")], "nextToken": "page-2"}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let items: Vec<_> = client
        .list_subscribers("vendor".into())
        .max_results(2)
        .into_stream()
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(items.len(), 3);
}

#[tokio::test]
async fn created_ids_are_read_from_the_location_header() {
    use alexa_apis::skill_development_notifications::types;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v0/developmentEvents/subscribers"))
        .respond_with(ResponseTemplate::new(201).insert_header(
            "Location",
            "/v0/developmentEvents/subscribers/amzn1.ask-subscriber.42",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let endpoint = types::Endpoint::new(
        "arn:aws:sns:us-east-1:123456789012:topic"
            .parse()
            .expect("uri"),
        types::AwsIamAuthorization::new(
            types::AwsIamAuthorizationType::AwsIam,
            "arn:aws:iam::123456789012:role/r".into(),
        ),
    );
    let body = types::CreateSubscriberRequest::new("ops".into(), "vendor".into(), endpoint);
    let created = client(&server)
        .await
        .create_subscriber(body)
        .send()
        .await
        .expect("201");
    assert_eq!(created.subscriber_id(), Some("amzn1.ask-subscriber.42"));
}
