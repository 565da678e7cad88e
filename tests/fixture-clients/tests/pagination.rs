//! Inferred paginators followed to the end against wiremock, one per pattern of
//! `generator/tests/fixtures/pagination/`: what each next request carries, where the stream
//! stops (no next page, an empty page, the total, a repeated token, the page limit), and a
//! next link off the API's origin refused.

use fixture_clients::{cursor_pages, link_pages, number_pages, openai_pages, stripe_pages};
use oapigen_runtime::futures::{StreamExt, TryStreamExt};
use oapigen_runtime::ErrorKind;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Answers `GET route` with `body` when the query matches `params` (`None`: absent).
async fn page(server: &MockServer, route: &str, params: &[(&str, Option<&str>)], body: Value) {
    page_with(
        server,
        route,
        params,
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
}

async fn page_with(
    server: &MockServer,
    route: &str,
    params: &[(&str, Option<&str>)],
    response: ResponseTemplate,
) {
    let mut mock = Mock::given(method("GET")).and(path(route));
    for (name, value) in params {
        mock = match value {
            Some(value) => mock.and(query_param(*name, *value)),
            None => mock.and(query_param_is_missing(*name)),
        };
    }
    mock.respond_with(response).expect(1).mount(server).await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording on")
}

fn query(request: &Request) -> String {
    request.url.query().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn link_header_is_followed_to_the_last_page_on_the_same_origin() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let issue = |n: i64| json!({ "number": n, "title": format!("issue {n}") });
    let link = |target: &str, rel: &str| format!("<{uri}{target}>; rel=\"{rel}\"");
    page_with(
        &server,
        "/repos/octo/issues",
        &[("page", None), ("per_page", Some("2"))],
        ResponseTemplate::new(200)
            .set_body_json(json!([issue(1), issue(2)]))
            .insert_header(
                "link",
                format!(
                    "{}, {}",
                    link("/repositories/7/issues?per_page=2&page=2", "next"),
                    link("/repositories/7/issues?per_page=2&page=3", "last")
                ),
            ),
    )
    .await;
    // GitHub's next links point at another path; the query is the link's.
    page_with(
        &server,
        "/repositories/7/issues",
        &[("page", Some("2"))],
        ResponseTemplate::new(200)
            .set_body_json(json!([issue(3), issue(4)]))
            .insert_header(
                "link",
                link("/repositories/7/issues?per_page=2&page=3", "next"),
            ),
    )
    .await;
    page_with(
        &server,
        "/repositories/7/issues",
        &[("page", Some("3"))],
        ResponseTemplate::new(200)
            .set_body_json(json!([issue(5)]))
            .insert_header(
                "link",
                link("/repositories/7/issues?per_page=2&page=1", "first"),
            ),
    )
    .await;
    let client = link_pages::Client::builder()
        .base_url(&uri)
        .build()
        .unwrap();
    let numbers: Vec<i64> = client
        .list_issues("octo".to_owned())
        .per_page(2)
        .into_stream()
        .map_ok(|issue| issue.number)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let queries: Vec<String> = requests(&server).await.iter().map(query).collect();
    assert_eq!(
        queries,
        ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]
    );
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    page_with(
        &server,
        "/repos/octo/issues",
        &[],
        ResponseTemplate::new(200)
            .set_body_json(json!([{ "number": 1, "title": "a" }]))
            .insert_header(
                "link",
                format!("<{}/steal?page=2>; rel=\"next\"", other.uri()),
            ),
    )
    .await;
    let client = link_pages::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let got: Vec<_> = client
        .list_issues("octo".to_owned())
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 2, "the first page's item, then the refusal");
    assert_eq!(got[0].as_ref().expect("first item").number, 1);
    let err = got[1].as_ref().expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.to_string().contains("origin"), "{err}");
    assert!(
        requests(&other).await.is_empty(),
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn stripe_lists_page_from_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    let customer = |id: &str| json!({ "id": id, "object": "customer" });
    let list = |data: Vec<Value>, has_more: bool| json!({ "object": "list", "url": "/v1/customers", "has_more": has_more, "data": data });
    let route = "/v1/customers";
    page(
        &server,
        route,
        &[("starting_after", None), ("limit", Some("2"))],
        list(vec![customer("cus_1"), customer("cus_2")], true),
    )
    .await;
    page(
        &server,
        route,
        &[("starting_after", Some("cus_2")), ("limit", Some("2"))],
        list(vec![customer("cus_3"), customer("cus_4")], true),
    )
    .await;
    page(
        &server,
        route,
        &[("starting_after", Some("cus_4"))],
        list(vec![customer("cus_5")], false),
    )
    .await;
    let client = stripe_pages::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .get_customers()
        .limit(2)
        .into_stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    // `pages()` yields the responses themselves.
    server.reset().await;
    page(
        &server,
        route,
        &[("starting_after", None)],
        list(vec![customer("cus_1")], false),
    )
    .await;
    let pages: Vec<_> = client.get_customers().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].status, 200);
}

#[tokio::test]
async fn openai_lists_page_from_last_id_under_a_base_path() {
    let server = MockServer::start().await;
    let list = |ids: &[&str], has_more: bool| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({ "id": id, "name": id }))
            .collect();
        json!({
            "object": "list", "data": data, "has_more": has_more,
            "first_id": ids.first(), "last_id": ids.last(),
        })
    };
    let route = "/v1/assistants";
    page(
        &server,
        route,
        &[("after", None), ("order", Some("asc"))],
        list(&["a1", "a2"], true),
    )
    .await;
    page(
        &server,
        route,
        &[("after", Some("a2")), ("order", Some("asc"))],
        list(&["a3"], false),
    )
    .await;
    let client = openai_pages::Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();
    let names: Vec<String> = client
        .list_assistants()
        .order(openai_pages::types::ListAssistantsOrder::Asc)
        .into_stream()
        .map_ok(|a| a.name)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(names, ["a1", "a2", "a3"]);
}

fn channels(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| json!({ "id": id })).collect()
}

#[tokio::test]
async fn slack_cursor_is_followed_until_next_cursor_is_empty() {
    let server = MockServer::start().await;
    let route = "/api/conversations.list";
    let body = |ids: &[&str], next: &str| json!({ "ok": true, "channels": channels(ids), "response_metadata": { "next_cursor": next } });
    page(
        &server,
        route,
        &[("cursor", None), ("token", Some("xoxb"))],
        body(&["C1", "C2"], "dGVhbTpD"),
    )
    .await;
    page(
        &server,
        route,
        &[("cursor", Some("dGVhbTpD")), ("token", Some("xoxb"))],
        body(&["C3"], ""),
    )
    .await;
    let client = cursor_pages::Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .conversations_list()
        .token("xoxb".to_owned())
        .into_stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, ["C1", "C2", "C3"]);
}

#[tokio::test]
async fn page_tokens_next_tokens_and_nested_next_cursors_are_followed() {
    let server = MockServer::start().await;
    page(
        &server,
        "/api/videos",
        &[("pageToken", None)],
        json!({ "items": channels(&["v1"]), "nextPageToken": "CAEQAA" }),
    )
    .await;
    page(
        &server,
        "/api/videos",
        &[("pageToken", Some("CAEQAA"))],
        json!({ "items": channels(&["v2"]) }),
    )
    .await;
    page(
        &server,
        "/api/tables",
        &[("nextToken", None)],
        json!({ "tableNames": ["t1"], "nextToken": "n2" }),
    )
    .await;
    page(
        &server,
        "/api/tables",
        &[("nextToken", Some("n2"))],
        json!({ "tableNames": ["t2", "t3"] }),
    )
    .await;
    page(
        &server,
        "/api/servers",
        &[("cursor", None)],
        json!({ "servers": channels(&["s1"]), "metadata": { "next_cursor": "c2", "count": 1 } }),
    )
    .await;
    page(
        &server,
        "/api/servers",
        &[("cursor", Some("c2"))],
        json!({ "servers": channels(&["s2"]), "metadata": {} }),
    )
    .await;
    let client = cursor_pages::Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    let ids = |items: Vec<cursor_pages::types::Channel>| {
        items.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let videos = client
        .list_videos()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(videos), ["v1", "v2"]);
    let tables: Vec<String> = client
        .list_tables()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tables, ["t1", "t2", "t3"]);
    let servers = client
        .list_servers()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(servers), ["s1", "s2"]);
}

#[tokio::test]
async fn a_next_url_in_the_body_is_followed_until_null() {
    let server = MockServer::start().await;
    let next = format!("{}/api/events?since=x&page=2", server.uri());
    page(
        &server,
        "/api/events",
        &[("page", None), ("since", Some("x"))],
        json!({ "count": 3, "next": next, "previous": null, "results": channels(&["e1", "e2"]) }),
    )
    .await;
    page(
        &server,
        "/api/events",
        &[("page", Some("2")), ("since", Some("x"))],
        json!({ "count": 3, "next": null, "results": channels(&["e3"]) }),
    )
    .await;
    let client = cursor_pages::Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .list_events()
        .since("x".to_owned())
        .into_stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, ["e1", "e2", "e3"]);
}

#[tokio::test]
async fn a_server_repeating_its_cursor_is_asked_once_more_not_forever() {
    let server = MockServer::start().await;
    // Every page names the same next cursor.
    Mock::given(method("GET"))
        .and(path("/api/conversations.list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "channels": channels(&["C1"]), "response_metadata": { "next_cursor": "again" }
        })))
        .mount(&server)
        .await;
    let client = cursor_pages::Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    let pages: Vec<_> = client
        .conversations_list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    let queries: Vec<String> = requests(&server).await.iter().map(query).collect();
    assert_eq!(queries, ["", "cursor=again"]);
}

#[tokio::test]
async fn page_numbers_stop_at_the_total() {
    let server = MockServer::start().await;
    let movies = |ids: &[i64]| -> Vec<Value> { ids.iter().map(|id| json!({ "id": id })).collect() };
    let body = |ids: &[i64]| json!({ "totalRecords": 5, "records": movies(ids) });
    page(
        &server,
        "/movies",
        &[("page", None), ("pageSize", Some("2"))],
        body(&[1, 2]),
    )
    .await;
    page(
        &server,
        "/movies",
        &[("page", Some("2")), ("pageSize", Some("2"))],
        body(&[3, 4]),
    )
    .await;
    page(
        &server,
        "/movies",
        &[("page", Some("3")), ("pageSize", Some("2"))],
        body(&[5]),
    )
    .await;
    let client = number_pages::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let ids: Vec<i64> = client
        .list_movies()
        .page_size(2)
        .into_stream()
        .map_ok(|m| m.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    // Mocks `expect(1)`: no fourth request after the total was reached.
    server.verify().await;
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn offsets_advance_by_the_items_until_an_empty_page() {
    let server = MockServer::start().await;
    let movies = |ids: &[i64]| -> Value { ids.iter().map(|id| json!({ "id": id })).collect() };
    page(
        &server,
        "/logs",
        &[("offset", Some("10"))],
        movies(&[1, 2, 3]),
    )
    .await;
    page(&server, "/logs", &[("offset", Some("13"))], movies(&[4])).await;
    page(&server, "/logs", &[("offset", Some("14"))], movies(&[])).await;
    let client = number_pages::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let ids: Vec<i64> = client
        .list_logs()
        .offset(10)
        .into_stream()
        .map_ok(|m| m.id)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn the_page_limit_stops_a_list_that_never_ends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "id": 1 }])))
        .mount(&server)
        .await;
    let client = number_pages::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let items: Vec<_> = client
        .list_logs()
        .max_pages(4)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 4);
    let queries: Vec<String> = requests(&server).await.iter().map(query).collect();
    assert_eq!(queries, ["", "offset=1", "offset=2", "offset=3"]);
}
