//! [`Uri`], the type of `format: uri` values.
//!
//! A URI is kept as the text it is, not as a parsed [`url::Url`]: real servers send
//! relative references (`/2010-04-01/Accounts/AC1.json`), hosts whose last label is a
//! number (`http://api.example.1`, valid in RFC 3986, refused by the WHATWG parser) and
//! plain words where their spec says `uri`. Receiving takes any string, so none of that
//! turns a success into an error. Sending is strict: [`Uri::parse`] checks what the caller
//! makes, and validation refuses a received value that is not a URI before it goes back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Validate, ValidationErrors, ValidationPath};

/// A URI (`format: uri` or `url`), as text.
///
/// Make one with [`Uri::parse`] (or `Uri::try_from`, or from a [`url::Url`]); read it with
/// [`Uri::as_str`] or [`Uri::to_url`]. Decoding and `str::parse` keep any text, as a server
/// sent it; validation refuses one that is not an absolute URI before it is sent.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uri(String);

/// Text that is not an absolute URI, from [`Uri::parse`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an absolute URI: {reason}")]
pub struct InvalidUri {
    text: String,
    reason: &'static str,
}

impl Uri {
    /// `text` if it is an absolute URI (RFC 3986: a scheme, `:`, then only URI
    /// characters and `%` escapes); otherwise the WHATWG URL parser's serialization of it
    /// where that is one (`https://example.com/a b` becomes `https://example.com/a%20b`).
    pub fn parse(text: &str) -> Result<Self, InvalidUri> {
        let reason = match rfc3986_absolute(text) {
            Ok(()) => return Ok(Self(text.to_owned())),
            Err(reason) => reason,
        };
        match url::Url::parse(text) {
            Ok(url) if rfc3986_absolute(url.as_str()).is_ok() => Ok(Self::from(url)),
            _ => Err(InvalidUri {
                text: text.to_owned(),
                reason,
            }),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The URI parsed as a URL (fails for a relative reference or a host the WHATWG
    /// parser refuses).
    pub fn to_url(&self) -> Result<url::Url, url::ParseError> {
        url::Url::parse(&self.0)
    }
}

/// Why `text` is not an absolute URI by RFC 3986's grammar, checked by character class
/// (the grammar's finer structure is the server's to judge).
fn rfc3986_absolute(text: &str) -> Result<(), &'static str> {
    let Some((scheme, _)) = text.split_once(':') else {
        return Err("no scheme");
    };
    let mut letters = scheme.chars();
    if !letters.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !letters.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err("the scheme is not a letter followed by letters, digits, +, - or .");
    }
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let escape = bytes.get(index + 1..index + 3);
                if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                    return Err("a % is not followed by two hex digits");
                }
                index += 3;
            }
            byte if byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte) => {
                index += 1;
            }
            _ => return Err("it holds a character a URI cannot (space, quote, non-ASCII…)"),
        }
    }
    Ok(())
}

/// A received value that is not an absolute URI is refused before it is sent.
impl Validate for Uri {
    fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
        if let Err(reason) = rfc3986_absolute(&self.0) {
            errors.push(
                path.as_str(),
                "format",
                format!("{:?} is not an absolute URI: {reason}", self.0),
            );
        }
    }
}

impl From<url::Url> for Uri {
    fn from(url: url::Url) -> Self {
        Self(url.into())
    }
}

impl From<&url::Url> for Uri {
    fn from(url: &url::Url) -> Self {
        Self(url.as_str().to_owned())
    }
}

/// Any text, like decoding (it reads received headers); [`Uri::parse`] is the check.
impl FromStr for Uri {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.to_owned()))
    }
}

impl TryFrom<&str> for Uri {
    type Error = InvalidUri;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Uri {
    type Error = InvalidUri;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        match rfc3986_absolute(&text) {
            Ok(()) => Ok(Self(text)),
            Err(_) => Self::parse(&text),
        }
    }
}

impl AsRef<str> for Uri {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Uri {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Uri {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Serialize for Uri {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Any string: what a server sends is kept, not judged.
impl<'de> Deserialize<'de> for Uri {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_uris_are_kept_as_written() {
        for text in [
            "https://example.com/a?b=c#d",
            "http://api.example.1/v1",
            "urn:isbn:0451450523",
            "mailto:someone@example.com",
            "https://example.com/%E2%9C%93",
        ] {
            assert_eq!(Uri::parse(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn text_the_url_parser_reads_is_kept_as_it_serializes_it() {
        let uri = Uri::parse("https://example.com/a b").unwrap();
        assert_eq!(uri, "https://example.com/a%20b");
        assert!(uri.to_url().is_ok());
    }

    #[test]
    fn relative_references_and_words_are_refused_when_made() {
        for text in [
            "/2010-04-01/Accounts.json",
            "Sample text",
            "1http://x",
            "",
            "a:%zz",
            "x:b c",
        ] {
            let error = Uri::parse(text).unwrap_err().to_string();
            assert!(error.contains("is not an absolute URI"), "{error}");
        }
    }

    #[test]
    fn any_string_is_received_and_sent_back_unchanged() {
        for text in [
            "/2010-04-01/Accounts.json",
            "Sample text",
            "http://api.example.1",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let uri: Uri = serde_json::from_str(&json).unwrap();
            assert_eq!(uri, text);
            assert_eq!(serde_json::to_string(&uri).unwrap(), json);
        }
        assert!(serde_json::from_str::<Uri>("5").is_err());
        assert_eq!("/a b".parse::<Uri>().unwrap(), "/a b");
    }
}
