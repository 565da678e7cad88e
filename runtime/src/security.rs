//! Keeping secrets off plain http and out of logs.

use std::net::IpAddr;

use reqwest::header::HeaderMap;
use url::{Host, Url};

use crate::error::AuthFailure;

/// Whether `url` points at this machine: `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.trim_end_matches('.');
            domain.eq_ignore_ascii_case("localhost")
                || domain
                    .get(domain.len().saturating_sub(".localhost".len())..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"))
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback()
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| IpAddr::V4(v4).is_loopback())
        }
        None => false,
    }
}

/// Whether credentials may be sent to `url`: https anywhere, plain http only to loopback.
pub fn may_carry_credentials(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
}

/// The error for refusing to send credentials to `url`; `what` names the URL's role.
pub(crate) fn insecure(url: &Url, what: &str) -> AuthFailure {
    AuthFailure::new("insecure_transport").with_description(format!(
        "refusing to send credentials to the {what} {}://{} over plain {}: use https \
         (plain http is allowed only to localhost, 127.0.0.0/8 and ::1)",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.scheme(),
    ))
}

/// Checks that credentials may be sent to `url` unless `allow_insecure` is set.
pub(crate) fn check(url: &Url, what: &str, allow_insecure: bool) -> Result<(), AuthFailure> {
    if allow_insecure || may_carry_credentials(url) {
        Ok(())
    } else {
        Err(insecure(url, what))
    }
}

/// Lowercase fragments that mark a header or parameter name as secret.
const SENSITIVE_FRAGMENTS: [&[u8]; 12] = [
    b"authorization",
    b"cookie",
    b"token",
    b"secret",
    b"password",
    b"passwd",
    b"api-key",
    b"api_key",
    b"apikey",
    b"signature",
    b"credential",
    b"session",
];

/// [`byte_classes`] of each of [`SENSITIVE_FRAGMENTS`].
const FRAGMENT_CLASSES: [u32; 12] = {
    let mut classes = [0; 12];
    let mut i = 0;
    while i < classes.len() {
        classes[i] = byte_classes(SENSITIVE_FRAGMENTS[i]);
        i += 1;
    }
    classes
};

/// A set of 32 classes of bytes (`byte % 32`, so a letter's two cases share one) that
/// `bytes` holds: a name can contain a fragment only if it holds all the fragment's classes.
const fn byte_classes(bytes: &[u8]) -> u32 {
    let mut classes = 0;
    let mut i = 0;
    while i < bytes.len() {
        classes |= 1 << (bytes[i] % 32);
        i += 1;
    }
    classes
}

/// Whether a header or parameter named `name` likely carries a secret: its name contains,
/// in any case, one of `authorization`, `cookie`, `token`, `secret`, `password`, `passwd`,
/// `api-key`, `api_key`, `apikey`, `signature`, `credential` or `session`.
///
/// Runs for every response header of every call, so it neither allocates nor builds a
/// substring searcher, and searches only for the fragments whose bytes all occur in `name`
/// (for most names, none).
pub fn is_sensitive_name(name: &str) -> bool {
    let name = name.as_bytes();
    let present = byte_classes(name);
    SENSITIVE_FRAGMENTS
        .iter()
        .zip(FRAGMENT_CLASSES.iter())
        .any(|(fragment, &classes)| {
            present & classes == classes
                && name
                    .windows(fragment.len())
                    .any(|window| window.eq_ignore_ascii_case(fragment))
        })
}

/// Marks every sensitive header of `headers` so its `Debug` output is redacted.
pub(crate) fn mark_sensitive(headers: &mut HeaderMap) {
    for (name, value) in headers.iter_mut() {
        if is_sensitive_name(name.as_str()) {
            value.set_sensitive(true);
        }
    }
}

/// `url` without its password and query values, for `Debug` output.
pub(crate) fn redact_url(url: &Url) -> String {
    redacted_url(url, &[]).to_string()
}

/// [`redact_url`] as text, with the query parameters named in `names` (API keys of
/// `apiKey` query schemes, whatever their names look like) redacted too.
pub(crate) fn redact_url_names(url: &Url, names: &[&str]) -> String {
    redacted_url(url, names).to_string()
}

/// `url` without its password, the values of secret-looking query parameters and those of
/// the parameters named in `names`.
pub(crate) fn redacted_url(url: &Url, names: &[&str]) -> Url {
    let mut url = url.clone();
    if url.password().is_some() {
        // Only fails for URLs that cannot have credentials, which have no password.
        let _ = url.set_password(Some("redacted"));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_sensitive_name(&name) || names.iter().any(|n| *n == name) {
                    "redacted".to_owned()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn loopback_hosts() {
        for ok in [
            "http://localhost:1/",
            "http://LOCALHOST./x",
            "http://api.localhost/",
            "http://127.0.0.1:8080/",
            "http://127.3.2.1/",
            "http://[::1]:9/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert!(is_loopback(&url(ok)), "{ok}");
            assert!(may_carry_credentials(&url(ok)), "{ok}");
        }
        for bad in [
            "http://example.com/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://128.0.0.1/",
        ] {
            assert!(!is_loopback(&url(bad)), "{bad}");
            assert!(!may_carry_credentials(&url(bad)), "{bad}");
        }
        assert!(may_carry_credentials(&url("https://example.com/")));
        assert!(!may_carry_credentials(&url("ftp://localhost/")));
    }

    #[test]
    fn redaction() {
        let shown = redact_url(&url("https://user:hunter2@h/p?access_token=abc&page=2"));
        assert!(
            !shown.contains("hunter2") && !shown.contains("abc"),
            "{shown}"
        );
        assert!(shown.contains("page=2"), "{shown}");
        let shown = redact_url_names(&url("https://h/p?key=abc&page=2"), &["key"]);
        assert_eq!(shown, "https://h/p?key=redacted&page=2");
        assert!(is_sensitive_name("X-Api-Key"));
        assert!(!is_sensitive_name("x-amzn-requestid"));
    }

    #[test]
    fn sensitive_names_match_anywhere_in_any_case() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Set-Cookie",
            "x-refresh-TOKEN",
            "client_secret",
            "PASSWORD",
            "passwd",
            "x-api-key",
            "api_key",
            "ApiKey",
            "X-Amz-Security-Token",
            "x-signature",
            "Credentials",
            "x-session-id",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "",
            "content-type",
            "Content-Length",
            "location",
            "x-amzn-requestid",
            "retry-after",
            "tok",
            "sessio",
            "api",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }
}
