//! Following redirects in the transport rather than in reqwest, so that credentials of
//! every scheme (`Authorization`, cookies, API-key headers and query parameters) stay on
//! the host they were given for.
//!
//! reqwest drops `Authorization` and `Cookie` on a redirect to another host, but not an
//! API key in `X-API-Key` or `?api_key=`: its redirect policy cannot change the request.

use reqwest::header::PROXY_AUTHORIZATION;
use reqwest::header::{HeaderName, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::security;
use crate::transport::AttemptFailure;

/// How many redirects one attempt follows.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Where the credentials of a request were placed, to take them off before another host.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    /// Header names that carry credentials (besides `Authorization`, `Cookie` and
    /// `Proxy-Authorization`, which are always taken off).
    pub headers: Vec<HeaderName>,
    /// Query parameter names that carry credentials.
    pub query: Vec<&'static str>,
}

impl Placed {
    /// Takes every credential off `request`.
    fn strip(&self, request: &mut reqwest::Request) {
        let headers = request.headers_mut();
        for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
            headers.remove(name);
        }
        for name in &self.headers {
            headers.remove(name);
        }
        if !self.query.is_empty() && request.url().query().is_some() {
            let url = request.url_mut();
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(name, _)| !self.query.iter().any(|q| q == name))
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            if kept.is_empty() {
                url.set_query(None);
            } else {
                url.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
    }
}

/// Whether two URLs have the same origin (scheme, host and port).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Sends `request` with `http`, following up to [`MAX_REDIRECTS`] redirects: credentials
/// go only to the origin of the first URL; a redirect from https to plain http (off
/// loopback) or to another scheme is refused; `303` (and `301`/`302` after a `POST`)
/// continue as `GET` without a body.
pub(crate) async fn send(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    placed: &Placed,
) -> Result<reqwest::Response, AttemptFailure> {
    let origin = request.url().clone();
    let mut secure = origin.scheme() == "https";
    let mut stripped = false;
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
        if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
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
        if !stripped && !same_origin(next.url(), &origin) {
            placed.strip(&mut next);
            stripped = true;
        }
        request = next;
    }
    Err(AttemptFailure::Refused(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripping_takes_every_credential_off() {
        let url = Url::parse("https://a.example/p?api_key=k&page=2").expect("url");
        let mut request = reqwest::Request::new(Method::GET, url);
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, "Basic x".parse().expect("value"));
        headers.insert(COOKIE, "sid=1".parse().expect("value"));
        headers.insert("x-key", "k".parse().expect("value"));
        headers.insert("accept", "*/*".parse().expect("value"));
        let placed = Placed {
            headers: vec![HeaderName::from_static("x-key")],
            query: vec!["api_key"],
        };
        placed.strip(&mut request);
        assert_eq!(request.url().as_str(), "https://a.example/p?page=2");
        let names: Vec<&str> = request.headers().keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["accept"]);
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |text: &str| Url::parse(text).expect("url");
        assert!(same_origin(&url("https://a/x"), &url("https://a:443/y")));
        assert!(!same_origin(&url("https://a/x"), &url("http://a/x")));
        assert!(!same_origin(&url("https://a/x"), &url("https://b/x")));
        assert!(!same_origin(&url("http://a:1/x"), &url("http://a:2/x")));
    }
}
