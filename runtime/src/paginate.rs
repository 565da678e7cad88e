//! Pagination as streams: continuation tokens, `Link: <…>; rel="next"` headers and next-page
//! URLs, each followed until the service stops, repeats itself or a page limit is reached.
//!
//! ```
//! use oapigen_runtime::futures::{executor::block_on, TryStreamExt};
//! use oapigen_runtime::paginate::items;
//!
//! // A fake list call: three pages, linked by `next` tokens.
//! async fn list(token: Option<String>) -> Result<(Vec<u32>, Option<String>), String> {
//!     Ok(match token.as_deref() {
//!         None => (vec![1, 2], Some("p2".to_owned())),
//!         Some("p2") => (vec![3], Some("p3".to_owned())),
//!         _ => (vec![4], None),
//!     })
//! }
//!
//! let all: Vec<u32> = block_on(items(list, |page| page).try_collect()).unwrap();
//! assert_eq!(all, [1, 2, 3, 4]);
//! ```

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use reqwest::header::HeaderMap;

use crate::error::{Error, TransportFailure};
use crate::request::ApiRequest;

/// How many pages a stream fetches at most unless told otherwise: enough for any list a
/// client should walk in one go, few enough that a server that never stops is noticed.
pub const DEFAULT_MAX_PAGES: usize = 1000;

struct State<F> {
    next: Option<String>,
    first: bool,
    seen: HashSet<String>,
    fetched: usize,
    max_pages: usize,
    fetch: F,
}

/// Every page of a token-paginated list, in order, at most [`DEFAULT_MAX_PAGES`].
///
/// See [`pages_limited`].
pub fn pages<P, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<P, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    pages_limited(fetch, DEFAULT_MAX_PAGES)
}

/// Every page of a token-paginated list, in order, at most `max_pages` of them.
///
/// `fetch` is called first with `None`, then with each token the previous page returned,
/// until a page returns no token, an empty token, or a token already fetched with (a
/// server that repeats itself would otherwise be asked forever), or `max_pages` pages were
/// fetched. The stream ends after the first error, which it yields. It is `Unpin`, and
/// `Send` when `fetch` and its future are.
pub fn pages_limited<P, E, F, Fut>(fetch: F, max_pages: usize) -> impl Stream<Item = Result<P, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    let state = State {
        next: None,
        first: true,
        seen: HashSet::new(),
        fetched: 0,
        max_pages,
        fetch,
    };
    stream::unfold(state, |mut state| {
        Box::pin(async move {
            if !state.first && state.next.is_none() {
                return None;
            }
            if state.fetched >= state.max_pages {
                tracing::warn!(max_pages = state.max_pages, "page limit reached; stopping");
                return None;
            }
            state.first = false;
            state.fetched += 1;
            let sent = state.next.take();
            if let Some(token) = &sent {
                state.seen.insert(token.clone());
            }
            match (state.fetch)(sent).await {
                Ok((page, next)) => {
                    state.next = next.filter(|token| {
                        let fresh = !token.is_empty() && !state.seen.contains(token);
                        if !fresh && !token.is_empty() {
                            tracing::warn!("the service repeated a page token; stopping");
                        }
                        fresh
                    });
                    Some((Ok(page), state))
                }
                Err(err) => {
                    state.next = None;
                    Some((Err(err), state))
                }
            }
        })
    })
}

/// Every item of a token-paginated list: [`pages`], with `extract` taking each page's
/// items out, flattened.
pub fn items<P, T, E, F, Fut>(
    fetch: F,
    extract: impl FnMut(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    items_limited(fetch, extract, DEFAULT_MAX_PAGES)
}

/// [`items`] of at most `max_pages` pages (see [`pages_limited`]).
pub fn items_limited<P, T, E, F, Fut>(
    fetch: F,
    mut extract: impl FnMut(P) -> Vec<T>,
    max_pages: usize,
) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    pages_limited(fetch, max_pages)
        .map_ok(move |page| stream::iter(extract(page)).map(Ok))
        .try_flatten()
}

/// The pages of a generated request builder: each page is `fetch(builder.clone(), token)`,
/// as in [`pages_limited`].
pub fn builder_pages<'a, B, P, E, Fut>(
    builder: B,
    max_pages: usize,
    fetch: fn(B, Option<String>) -> Fut,
) -> impl Stream<Item = Result<P, E>> + 'a
where
    B: Clone + 'a,
    P: 'a,
    E: 'a,
    Fut: Future<Output = Result<(P, Option<String>), E>> + 'a,
{
    pages_limited(move |token| fetch(builder.clone(), token), max_pages)
}

/// The items of every page of a generated request builder, in order: [`builder_pages`]
/// with `items` taking each page's items out. A page `items` refuses (its body did not
/// decode) ends the stream with that error.
pub fn builder_items<'a, B, P, T, E, Fut>(
    builder: B,
    max_pages: usize,
    fetch: fn(B, Option<String>) -> Fut,
    items: fn(P) -> Result<Vec<T>, E>,
) -> impl Stream<Item = Result<T, E>> + 'a
where
    B: Clone + 'a,
    P: 'a,
    T: 'a,
    E: 'a,
    Fut: Future<Output = Result<(P, Option<String>), E>> + 'a,
{
    let fetch = move |token| {
        let page = fetch(builder.clone(), token);
        async move {
            let (page, next) = page.await?;
            Ok((items(page)?, next))
        }
    };
    items_limited(fetch, |items| items, max_pages)
}

/// The `rel="next"` target of the `Link` headers (RFC 8288), as GitHub pages its lists.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let is_next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.to_owned())
        })
}

/// The links of one `Link` value: commas inside `<…>` or quotes do not separate links.
fn split_links(value: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let (mut start, mut in_target, mut in_quotes) = (0, false, false);
    for (at, c) in value.char_indices() {
        match c {
            '<' if !in_quotes => in_target = true,
            '>' if !in_quotes => in_target = false,
            '"' if !in_target => in_quotes = !in_quotes,
            ',' if !in_target && !in_quotes => {
                links.push(&value[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
}

/// Points `request` at `next`, a next-page URL the service returned (absolute, or relative
/// to `base`): its path and query replace the request's own. A URL on another origin than
/// `base` (scheme, host, port), or outside `base`'s path, is refused, so credentials never
/// follow a link off the API.
pub fn follow<E>(request: &mut ApiRequest, base: &url::Url, next: &str) -> Result<(), Error<E>> {
    let refused = |why: &str| {
        Error::Transport(TransportFailure::new(
            format!("next page link refused: {why}"),
            0,
            None,
        ))
    };
    let url = base.join(next).map_err(|_| refused("not a URL"))?;
    if url.origin() != base.origin() {
        return Err(refused("it leaves the API's origin"));
    }
    let root = base.path().trim_end_matches('/');
    let path = url
        .path()
        .strip_prefix(root)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .ok_or_else(|| refused("it leaves the API's base path"))?;
    request.path = if path.is_empty() {
        "/".to_owned()
    } else {
        path.to_owned()
    };
    request.query = url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use reqwest::header::HeaderValue;

    fn link_headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(reqwest::header::LINK, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn next_link_is_found_among_others() {
        let headers = link_headers(&[
            r#"<https://api.github.com/repositories/1/issues?page=1>; rel="prev", <https://api.github.com/repositories/1/issues?page=3&q=a,b>; rel="next""#,
        ]);
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=3&q=a,b")
        );
        let last_only =
            link_headers(&[r#"<https://x/?page=1>; rel="first", <https://x/?page=9>; rel=last"#]);
        assert_eq!(next_link(&last_only), None);
        let separate = link_headers(&[
            "<https://x/?page=1>; rel=\"first\"",
            "<https://x/?page=2>; rel=\"prefetch next\"",
        ]);
        assert_eq!(next_link(&separate).as_deref(), Some("https://x/?page=2"));
    }

    #[test]
    fn follow_stays_on_the_origin_and_base_path() {
        let base = url::Url::parse("https://api.example.com/v2").unwrap();
        let mut request = ApiRequest::new(reqwest::Method::GET, "/items".into(), "list");
        request.query("page", &1);
        follow::<()>(
            &mut request,
            &base,
            "https://api.example.com/v2/items?page=2&per_page=5",
        )
        .unwrap();
        assert_eq!(request.path, "/items");
        assert_eq!(
            request.query,
            [
                ("page".to_owned(), "2".to_owned()),
                ("per_page".to_owned(), "5".to_owned())
            ]
        );
        follow::<()>(&mut request, &base, "/v2/other?cursor=a%20b").unwrap();
        assert_eq!(
            (request.path.as_str(), request.query[0].1.as_str()),
            ("/other", "a b")
        );
        for foreign in [
            "https://evil.example.com/v2/items",
            "http://api.example.com/v2/items",
            "https://api.example.com:8443/v2/items",
            "https://api.example.com/v20/items",
            "/admin",
        ] {
            assert!(
                follow::<()>(&mut request, &base, foreign).is_err(),
                "{foreign}"
            );
        }
    }

    #[test]
    fn a_repeated_token_or_the_page_limit_ends_the_stream() {
        // Tokens a, b, a: the second `a` was fetched with already.
        let mut calls = 0;
        let fetch = |token: Option<String>| {
            calls += 1;
            let next = match token.as_deref() {
                None => "a",
                Some("a") => "b",
                _ => "a",
            };
            std::future::ready(Ok::<_, ()>((token, Some(next.to_owned()))))
        };
        let seen: Vec<Option<String>> = block_on(pages(fetch).try_collect()).unwrap();
        assert_eq!(seen, [None, Some("a".to_owned()), Some("b".to_owned())]);
        assert_eq!(calls, 3);

        // A server that always has a new token: stopped by the limit.
        let mut n = 0;
        let endless = |_token: Option<String>| {
            n += 1;
            std::future::ready(Ok::<_, ()>((n, Some(n.to_string()))))
        };
        let got: Vec<i32> = block_on(pages_limited(endless, 5).try_collect()).unwrap();
        assert_eq!(got, [1, 2, 3, 4, 5]);
    }

    #[derive(Clone)]
    struct Lister {
        fail_at: Option<&'static str>,
    }

    async fn fetch_list(
        lister: Lister,
        token: Option<String>,
    ) -> Result<(Result<Vec<u32>, String>, Option<String>), String> {
        let page = match token.as_deref() {
            None => (vec![1, 2], Some("p2".to_owned())),
            Some("p2") => (vec![3], Some("p3".to_owned())),
            _ => (vec![4], None),
        };
        let body = match (lister.fail_at, token.as_deref()) {
            (Some(at), Some(token)) if at == token => Err(format!("bad page {token}")),
            _ => Ok(page.0),
        };
        Ok((body, page.1))
    }

    #[test]
    fn builder_pages_and_items_follow_tokens() {
        let lister = Lister { fail_at: None };
        let pages: Vec<_> =
            block_on(builder_pages(lister.clone(), 10, fetch_list).try_collect::<Vec<_>>())
                .expect("pages");
        assert_eq!(pages.len(), 3);
        let items: Vec<u32> =
            block_on(builder_items(lister.clone(), 10, fetch_list, |page| page).try_collect())
                .expect("items");
        assert_eq!(items, [1, 2, 3, 4]);
        let limited: Vec<u32> =
            block_on(builder_items(lister, 2, fetch_list, |page| page).try_collect())
                .expect("items");
        assert_eq!(limited, [1, 2, 3]);
    }

    #[test]
    fn a_page_whose_items_are_refused_ends_builder_items() {
        let lister = Lister {
            fail_at: Some("p2"),
        };
        let all: Vec<Result<u32, String>> =
            block_on(builder_items(lister, 10, fetch_list, |page| page).collect());
        assert_eq!(all, [Ok(1), Ok(2), Err("bad page p2".to_owned())]);
    }
}
