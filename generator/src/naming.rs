//! The one place that turns names from a spec into Rust identifiers.
//!
//! Every identifier the generator emits comes from here: case conversion (heck), keywords
//! (raw identifiers, or a `_` suffix where raw identifiers are not allowed), characters
//! Rust does not accept, leading digits, names that would shadow the prelude, and
//! collisions inside one scope, resolved deterministically in the order names are
//! claimed. The original spelling is kept by the caller for `#[serde(rename)]`.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that would shadow the prelude, the std types generated code names bare, or
/// what the modules of `types` import (runtime traits, serde derives).
const RESERVED_TYPES: &[&str] = &[
    "Validate",
    "ValidationErrors",
    "ValidationPath",
    "ParamValue",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "AsRef",
    "AsMut",
    "Extend",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Unpin",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Validate",
    "Client",
    "ClientBuilder",
    "Region",
    "Error",
];

/// Splits a spec name into words: anything that is not a letter or digit separates words,
/// and a leading `+`/`-` before a digit is spelled out (GitHub's `+1` and `-1` reactions).
fn words(name: &str) -> String {
    let mut spelled = String::with_capacity(name.len() + 8);
    let mut chars = name.chars().peekable();
    if let Some(&first) = chars.peek() {
        let sign_word = match first {
            '+' => Some("plus "),
            '-' => Some("minus "),
            _ => None,
        };
        let mut rest = name.chars().skip(1);
        if let (Some(word), Some(next)) = (sign_word, rest.next()) {
            if next.is_ascii_digit() {
                spelled.push_str(word);
                chars.next();
            }
        }
    }
    for c in chars {
        if c.is_alphanumeric() {
            spelled.push(c);
        } else if c == '@' {
            spelled.push_str(" at ");
        } else {
            spelled.push(' ');
        }
    }
    // Identifiers must be ASCII-friendly to stay readable; transliterate nothing, drop the rest.
    spelled
        .chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect()
}

/// `snake_case` identifier for a field, method, parameter or module.
pub fn snake(name: &str) -> String {
    let mut ident = words(name).to_snake_case();
    if ident.is_empty() {
        ident = "value".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    ident
}

/// `UpperCamelCase` identifier for a type or enum variant.
pub fn camel(name: &str) -> String {
    let mut ident = words(name).to_upper_camel_case();
    if ident.is_empty() {
        ident = "Value".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'V');
    }
    ident
}

/// Makes `ident` usable as written in code: keywords become raw identifiers (`r#type`) or,
/// where Rust forbids that, get a `_` suffix.
pub fn escape_keyword(ident: &str) -> String {
    if NOT_RAW.contains(&ident) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_owned()
    }
}

/// A module (and file) name: keywords get a `_` suffix, since `mod r#type;` would need a
/// file named `r#type.rs`.
pub fn module_name(ident: &str) -> String {
    let plain = unraw(ident);
    if KEYWORDS.contains(&plain) || NOT_RAW.contains(&plain) {
        format!("{plain}_")
    } else {
        plain.to_owned()
    }
}

/// The word a client method for another media type of a request body ends in
/// (`create_file_multipart`): `json`, `form`, `multipart`, `text` (`text/plain`), `bytes`
/// (`application/octet-stream`), else the media subtype without `x-` or a `+` suffix
/// (`text/csv` → `csv`, `application/x-msgpack` → `msgpack`).
pub fn media_method_suffix(media_type: &str) -> String {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let subtype = essence
        .split_once('/')
        .map_or(essence.as_str(), |(_, sub)| sub);
    let word = match (essence.as_str(), subtype) {
        ("application/x-www-form-urlencoded", _) => "form",
        ("multipart/form-data", _) => "multipart",
        ("text/plain", _) => "text",
        ("application/octet-stream", _) | (_, "*") => "bytes",
        (_, "json") => "json",
        (_, sub) if sub.ends_with("+json") => "json",
        (_, sub) => sub.strip_prefix("x-").unwrap_or(sub),
    };
    snake(word)
}

/// The struct of an operation's `multipart/form-data` body (`CreateFileMultipart`).
pub fn multipart_type(type_prefix: &str) -> String {
    format!("{type_prefix}Multipart")
}

/// The identifier without a `r#` prefix (what serde derives the wire name from).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A set of identifiers already taken in one scope (a module, a struct, an enum, an impl).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Claims `ident` in this scope, appending `2`, `3`, … (snake case: `_2`, …) until free.
    pub fn claim(&mut self, ident: String) -> String {
        if self.taken.insert(ident.clone()) {
            return ident;
        }
        let snake_like = ident
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c == '_')
            || ident.starts_with("r#");
        let base = unraw(&ident).trim_end_matches('_').to_owned();
        (2..)
            .map(|n| {
                if snake_like {
                    format!("{base}_{n}")
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }

    /// Claims a field/method/variable name for spec name `name`.
    pub fn snake(&mut self, name: &str) -> String {
        self.claim(escape_keyword(&snake(name)))
    }

    /// Claims an enum variant name for spec name `name`.
    pub fn variant(&mut self, name: &str) -> String {
        self.claim(escape_keyword(&camel(name)))
    }

    /// Claims a type name for spec name `name`, steering clear of prelude names.
    pub fn type_name(&mut self, name: &str) -> String {
        let mut ident = camel(name);
        if RESERVED_TYPES.contains(&ident.as_str()) {
            ident.push_str("Model");
        }
        self.claim(escape_keyword(&ident))
    }
}

/// The variant name of an error enum for an HTTP status (`404` → `NotFound`).
pub fn status_variant(status: u16) -> String {
    let reason = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    reason.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_escapes() {
        assert_eq!(snake("recipients.id"), "recipients_id");
        assert_eq!(snake("maxResults"), "max_results");
        assert_eq!(escape_keyword(&snake("type")), "r#type");
        assert_eq!(escape_keyword(&snake("self")), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(camel("+1"), "Plus1");
        assert_eq!(camel("-1"), "Minus1");
        assert_eq!(camel("ALL_SUCCESS"), "AllSuccess");
        assert_eq!(camel("200"), "V200");
        assert_eq!(camel(""), "Value");
        assert_eq!(snake("@odata.type"), "at_odata_type");
    }

    #[test]
    fn resolves_collisions_in_claim_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.snake("fooBar"), "foo_bar");
        assert_eq!(scope.snake("foo_bar"), "foo_bar_2");
        assert_eq!(scope.snake("foo-bar"), "foo_bar_3");
        let mut types = Scope::default();
        assert_eq!(types.type_name("Option"), "OptionModel");
        assert_eq!(types.type_name("pet"), "Pet");
        assert_eq!(types.type_name("Pet"), "Pet2");
    }

    #[test]
    fn media_method_suffixes_read_as_words() {
        let cases = [
            ("application/json", "json"),
            ("application/merge-patch+json", "json"),
            ("application/x-www-form-urlencoded", "form"),
            ("multipart/form-data; boundary=x", "multipart"),
            ("text/plain", "text"),
            ("text/csv", "csv"),
            ("application/octet-stream", "bytes"),
            ("image/*", "bytes"),
            ("application/x-msgpack", "msgpack"),
            ("application/vnd.ms-excel", "vnd_ms_excel"),
        ];
        for (media, word) in cases {
            assert_eq!(media_method_suffix(media), word, "{media}");
        }
    }
}
