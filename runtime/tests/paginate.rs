//! Token pagination, over a real server and in memory.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use oapigen_runtime::futures::{StreamExt, TryStreamExt};
use oapigen_runtime::paginate::{items, pages};
use oapigen_runtime::serde_json::{json, Value};
use oapigen_runtime::{Error, Transport};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn assert_send<T: Send>(value: T) -> T {
    value
}

type Page = (Vec<i64>, Option<String>);

async fn list(transport: Transport, token: Option<String>) -> Result<Page, Error<()>> {
    let mut request = get("/items");
    if let Some(token) = token {
        request.query("nextToken", &token);
    }
    let raw = transport.execute(request).await?;
    let body: Value = raw
        .json()
        .map_err(|err| Error::unexpected(raw.clone(), Some(err)))?;
    let items = body["items"].as_array().cloned().unwrap_or_default();
    let next = body["nextToken"].as_str().map(str::to_owned);
    Ok((items.iter().filter_map(Value::as_i64).collect(), next))
}

async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    let page = |items: Value, next: Value| {
        ResponseTemplate::new(200).set_body_json(json!({"items": items, "nextToken": next}))
    };
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .and(query_param_is_missing("nextToken"))
        .respond_with(page(json!([1, 2]), json!("t2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .and(query_param("nextToken", "t2"))
        .respond_with(page(json!([3]), json!("t3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .and(query_param("nextToken", "t3"))
        .respond_with(page(json!([4, 5]), Value::Null))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn pages_follow_tokens_and_stop_at_the_end() {
    let server = three_pages().await;
    let transport = transport(config(&server));
    let mut stream = assert_send(pages(move |token| list(transport.clone(), token)));
    let mut seen = Vec::new();
    // The stream is Unpin: `next()` needs no pinning.
    while let Some(page) = stream.next().await {
        seen.push(page.expect("page"));
    }
    assert_eq!(seen, vec![vec![1, 2], vec![3], vec![4, 5]]);
    assert_eq!(received(&server, "/v1/items").await, 3);
}

#[tokio::test]
async fn items_flatten_pages() {
    let server = three_pages().await;
    let transport = transport(config(&server));
    let stream = items(move |token| list(transport.clone(), token), |page| page);
    let all: Vec<i64> = assert_send(stream).try_collect().await.expect("items");
    assert_eq!(all, [1, 2, 3, 4, 5]);
    // Can be spawned.
    let server2 = three_pages().await;
    let transport = common::transport(config(&server2));
    let task = tokio::spawn(async move {
        items(move |token| list(transport.clone(), token), |page| page)
            .try_collect::<Vec<i64>>()
            .await
    });
    assert_eq!(task.await.expect("task").expect("items").len(), 5);
}

#[tokio::test]
async fn an_empty_or_repeated_token_ends_the_stream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let stream = pages(move |token: Option<String>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move {
            Ok::<_, ()>(match token.as_deref() {
                None => (1, Some("a".to_owned())),
                Some("a") => (2, Some(String::new())),
                Some(_) => unreachable!("an empty token is not followed"),
            })
        }
    });
    assert_eq!(stream.try_collect::<Vec<_>>().await, Ok(vec![1, 2]));
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let stream = pages(|token: Option<String>| async move {
        Ok::<_, ()>((token.clone(), Some("same".to_owned())))
    });
    let all = stream.try_collect::<Vec<_>>().await;
    assert_eq!(all, Ok(vec![None, Some("same".to_owned())]));
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let stream = pages(|token: Option<String>| async move {
        match token {
            None => Ok((1, Some("next".to_owned()))),
            Some(_) => Err("boom"),
        }
    });
    let all: Vec<Result<i32, &str>> = stream.collect().await;
    assert_eq!(all, vec![Ok(1), Err("boom")]);
}
