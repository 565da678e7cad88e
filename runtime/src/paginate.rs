//! Token-based pagination as streams.
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

use std::future::Future;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

enum Cursor {
    First,
    Next(String),
    Done,
}

/// Every page of a token-paginated list, in order.
///
/// `fetch` is called first with `None`, then with each token the previous page returned,
/// until a page returns no token, an empty token, or the token it was fetched with (which
/// would repeat that page forever). The stream ends after the first error, which it yields.
/// It is `Unpin`, and `Send` when `fetch` and its future are.
pub fn pages<P, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<P, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    stream::unfold((Cursor::First, fetch), |(cursor, mut fetch)| {
        Box::pin(async move {
            let sent = match cursor {
                Cursor::First => None,
                Cursor::Next(token) => Some(token),
                Cursor::Done => return None,
            };
            match fetch(sent.clone()).await {
                Ok((page, next)) => {
                    let next = match next {
                        Some(token) if !token.is_empty() && Some(&token) != sent.as_ref() => {
                            Cursor::Next(token)
                        }
                        _ => Cursor::Done,
                    };
                    Some((Ok(page), (next, fetch)))
                }
                Err(err) => Some((Err(err), (Cursor::Done, fetch))),
            }
        })
    })
}

/// Every item of a token-paginated list: [`pages`], with `extract` taking each page's
/// items out, flattened.
pub fn items<P, T, E, F, Fut>(
    fetch: F,
    mut extract: impl FnMut(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    pages(fetch)
        .map_ok(move |page| stream::iter(extract(page)).map(Ok))
        .try_flatten()
}
