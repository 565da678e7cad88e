//! Following redirects in the transport rather than in reqwest: only within the origin of
//! the request, so credentials of every scheme (`Authorization`, cookies, API-key headers
//! and query parameters) and bodies stay on their host, also with a client the user brings
//! (one that followed a redirect elsewhere by itself is refused).

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::exchange::AttemptFailure;
use crate::security;

use crate::limits::MAX_REDIRECTS;

/// Where the credentials of a request were placed, for redacting URLs.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    /// Query parameter names that carry credentials.
    pub query: Vec<&'static str>,
}

/// Whether two URLs have the same origin (scheme, host and port).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Sends `request` with `http`, following up to [`MAX_REDIRECTS`] redirects within the
/// origin of the first URL (one elsewhere is refused), except those whose status is in `kept`
/// (documented by the operation, returned as they are); a redirect from https to plain http (off
/// loopback) or to another scheme is refused; `303` (and `301`/`302` after a `POST`)
/// continue as `GET` without a body.
pub(crate) async fn send(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    kept: &[u16],
) -> Result<reqwest::Response, AttemptFailure> {
    let origin = request.url().clone();
    let mut secure = origin.scheme() == "https";
    for _ in 0..=MAX_REDIRECTS {
        let next = request.try_clone();
        let sent_url = request.url().clone();
        let response = http.execute(request).await.map_err(AttemptFailure::Http)?;
        if response.url() != &sent_url && !same_origin(response.url(), &sent_url) {
            return Err(AttemptFailure::Refused(
                "the HTTP client followed a redirect to another host by itself; build it \
                 with `reqwest::redirect::Policy::none()` so that the transport follows \
                 redirects and keeps credentials on their host"
                    .into(),
            ));
        }
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|value| value.to_str().ok());
        let (Some(location), Some(mut next)) = (location.filter(|_| status.is_redirection()), next)
        else {
            return Ok(response);
        };
        // A status the operation documents is its answer (a login's `302 Found`).
        if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
            || kept.contains(&status.as_u16())
        {
            return Ok(response);
        }
        let target = sent_url.join(location).map_err(|err| {
            AttemptFailure::Refused(format!("the redirect's Location is not a URL: {err}"))
        })?;
        if !matches!(target.scheme(), "http" | "https") {
            return Err(AttemptFailure::Refused(format!(
                "refusing to follow a redirect to a {} URL",
                target.scheme()
            )));
        }
        if secure && !security::may_carry_credentials(&target) {
            return Err(AttemptFailure::Refused(
                "refusing to follow a redirect from https to plain http".into(),
            ));
        }
        secure |= target.scheme() == "https";
        let to_get = status == StatusCode::SEE_OTHER && next.method() != Method::HEAD
            || matches!(status.as_u16(), 301 | 302) && next.method() == Method::POST;
        if to_get {
            *next.method_mut() = Method::GET;
            *next.body_mut() = None;
            next.headers_mut().remove(CONTENT_TYPE);
            next.headers_mut().remove(CONTENT_LENGTH);
        }
        *next.url_mut() = target;
        // Another origin is refused outright (issue 20): reqwest would re-send a 307's body
        // (a secret in it) there, and custom credential headers with it.
        if !same_origin(next.url(), &origin) {
            return Err(AttemptFailure::Refused(
                "redirect refused: refusing to follow a redirect to another origin (scheme, host or port)"
                    .into(),
            ));
        }
        request = next;
    }
    Err(AttemptFailure::Refused(format!(
        "redirect refused: more than {MAX_REDIRECTS} redirects"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |text: &str| Url::parse(text).expect("url");
        assert!(same_origin(&url("https://a/x"), &url("https://a:443/y")));
        assert!(!same_origin(&url("https://a/x"), &url("http://a/x")));
        assert!(!same_origin(&url("https://a/x"), &url("https://b/x")));
        assert!(!same_origin(&url("http://a:1/x"), &url("http://a:2/x")));
    }
}
