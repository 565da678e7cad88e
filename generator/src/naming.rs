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
/// Names longer than [`MAX_MODULE_LEN`] bytes are cut and given a hash of the whole name,
/// so a long tag cannot make a file name the file system refuses (most allow 255 bytes).
pub fn module_name(ident: &str) -> String {
    let plain = unraw(ident);
    if KEYWORDS.contains(&plain) || NOT_RAW.contains(&plain) {
        format!("{plain}_")
    } else if plain.len() > MAX_MODULE_LEN {
        shorten(plain)
    } else {
        plain.to_owned()
    }
}

/// The longest module (and so file) name, in bytes.
pub const MAX_MODULE_LEN: usize = 64;

/// `name` cut to fit [`MAX_MODULE_LEN`], ending `_` and 8 hex digits of its FNV-1a hash:
/// deterministic, and two long names sharing a prefix stay apart.
fn shorten(name: &str) -> String {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut cut = MAX_MODULE_LEN - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", name[..cut].trim_end_matches('_'), hash as u32)
}

/// Why `name` cannot be a package name, checked the way Cargo does (ASCII letters, digits,
/// `-` and `_`, not starting with a digit, not a Rust keyword), or `None` when it can. It is
/// written into `Cargo.toml` and, as `name` with `_`, into Rust code and doc examples.
pub fn crate_name_error(name: &str) -> Option<String> {
    const MAX_LEN: usize = 64;
    let snake = name.replace('-', "_");
    let problem = if name.is_empty() {
        "the name is empty".to_owned()
    } else if name.len() > MAX_LEN {
        format!("longer than {MAX_LEN} characters")
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        format!("{c:?} is not allowed: use ASCII letters, digits, `-` and `_`")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        "a package name cannot start with a digit".to_owned()
    } else if KEYWORDS.contains(&snake.as_str()) || NOT_RAW.contains(&snake.as_str()) {
        "a Rust keyword cannot be a package name".to_owned()
    } else {
        return None;
    };
    Some(problem)
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

/// The words of the client method (and builder) that streams an operation's success body:
/// `create_chat_completion_stream`, `CreateChatCompletionStreamBuilder`.
pub fn stream_method(operation_name: &str) -> String {
    format!("{operation_name} stream")
}

/// The struct of an operation's `multipart/form-data` body (`CreateFileMultipart`).
pub fn multipart_type(type_prefix: &str) -> String {
    format!("{type_prefix}Multipart")
}

/// The identifier without a `r#` prefix: its plain form, for prose, file names and what serde
/// derives the wire name from. The code form is the identifier itself (see [`ident`]).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The token of an identifier made here, raw when it starts with `r#`.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, span),
        None => proc_macro2::Ident::new(name, span),
    }
}

/// `prefix_ident` for a snake-case `ident`, without the `_` that only kept a leading digit
/// out of first place (`with` + `_24h` → `with_24h`, not `with__24h`). Idents made by
/// [`snake`] start with `_` only before a digit, so no two of them give the same name.
fn prefixed(prefix: &str, ident: &str) -> String {
    let plain = unraw(ident);
    let plain = match plain.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => plain,
    };
    format!("{prefix}_{plain}")
}

/// The setter of a struct field or multipart part (`with_max_results`, `with_24h`).
pub fn setter(field: &str) -> String {
    prefixed("with", field)
}

/// The local variable a required response header is read into before the body.
pub fn header_local(field: &str) -> String {
    prefixed("header", field)
}

/// A cargo feature name for a group module: `_3d_secure` → `3d-secure`, `type_` → `type`
/// (cargo wants a letter, digit or `_` first; modules are unique, and so are these).
pub fn feature_name(module: &str) -> String {
    module.trim_matches('_').replace('_', "-")
}

/// Client methods a generated `Client` has of its own, which no operation may take.
const CLIENT_METHODS: &[&str] = &["builder", "new", "transport", "config", "with_transport"];

/// Request builder methods and fields a parameter must not take.
const BUILDER_METHODS: &[&str] = &[
    "send",
    "header",
    "body",
    "client",
    "into_stream",
    "pages",
    "items",
    "extra_headers",
    "call_options",
    "timeout",
    "first_byte_timeout",
    "idle_timeout",
];

/// Fields of every generated response struct, which a header must not take.
const RESPONSE_FIELDS: &[&str] = &["status", "body", "headers"];

/// The catch-all variant of a string enum (or union), which a value must not take.
const ENUM_RESERVED: &[&str] = &["Unknown"];

/// Modules beside the groups: `common` holds the shared types; `default` and `full` are
/// features of their own.
const GROUP_RESERVED: &[&str] = &["mod", "common", "default", "full"];

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

    /// The scope of a generated `Client`'s operation methods.
    pub fn client_methods() -> Self {
        Self::with_reserved(CLIENT_METHODS)
    }

    /// The scope of one request builder's parameter setters and fields.
    pub fn builder_methods() -> Self {
        Self::with_reserved(BUILDER_METHODS)
    }

    /// The scope of one response struct's header fields.
    pub fn response_fields() -> Self {
        Self::with_reserved(RESPONSE_FIELDS)
    }

    /// The scope of one string enum's (or union's) variants.
    pub fn enum_variants() -> Self {
        Self::with_reserved(ENUM_RESERVED)
    }

    /// The scope of group modules (and so of their files and features).
    pub fn group_modules() -> Self {
        Self::with_reserved(GROUP_RESERVED)
    }

    /// Whether `ident` is taken in this scope.
    pub fn is_taken(&self, ident: &str) -> bool {
        self.taken.contains(ident)
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

    /// Claims the prefix of an operation's item names ([`OperationNames::items`]) for spec name
    /// `name`: a type name, not escaped, since a suffix always follows (`self` → `Self`,
    /// whose builder is `SelfBuilder`, not `Self_Builder`).
    pub fn type_prefix(&mut self, name: &str) -> String {
        let mut ident = camel(name);
        if RESERVED_TYPES.contains(&ident.as_str()) {
            ident.push_str("Model");
        }
        self.claim(ident)
    }
}

/// The generated `ClientBuilder`'s own methods, which a security scheme's method must not
/// take.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "region",
    "base_url",
    "credentials",
    "token_url",
    "timeouts",
    "retry",
    "user_agent",
    "http_client",
    "default_header",
    "hook",
    "build",
    "default",
    "clone",
    "fmt",
];

/// The `ClientBuilder` method of each security scheme named in `names` (spec order): its
/// snake-case name, with `_auth` appended when that is one of [`CLIENT_BUILDER_METHODS`]
/// or a keyword (`credentials` → `credentials_auth`, `type` → `type_auth`), then `_2`, `_3`, … for schemes whose names meet.
pub fn scheme_methods(names: &[&str]) -> Vec<String> {
    let mut scope = Scope::with_reserved(CLIENT_BUILDER_METHODS);
    names
        .iter()
        .map(|name| {
            let plain = snake(name);
            let plain = if plain.is_empty() {
                "scheme".to_owned()
            } else {
                plain
            };
            let taken =
                CLIENT_BUILDER_METHODS.contains(&plain.as_str()) || escape_keyword(&plain) != plain;
            let method = if taken {
                format!("{plain}_auth")
            } else {
                plain
            };
            scope.claim(method)
        })
        .collect()
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

mod ident;
mod operations;
pub use ident::RustIdent;
pub use operations::{OperationItems, OperationNames};

#[cfg(test)]
mod tests;
