//! A Rust identifier made by this module: its code form (`r#type`, what the generated source
//! says) and its bare form (`type`, what docs, file names and setters built from it say).

use std::ops::Deref;

use serde::Serialize;

/// An identifier of the generated code, as [`super`] made it: a keyword is raw (`r#type`).
/// Derefs to the code form; [`RustIdent::bare`] is the form without `r#`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RustIdent(String);

impl RustIdent {
    /// An identifier in code form, as the naming functions return it.
    pub fn new(code: impl Into<String>) -> Self {
        Self(code.into())
    }

    /// The form the generated source uses (`r#type`).
    pub fn code(&self) -> &str {
        &self.0
    }

    /// The code form, as `String::as_str` (so a name compares and matches like one).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form without `r#` (`type`): for docs, file names and names built from it.
    pub fn bare(&self) -> &str {
        super::unraw(&self.0)
    }

    /// The token, raw when it is a keyword.
    pub fn token(&self) -> proc_macro2::Ident {
        super::ident(&self.0)
    }
}

impl Deref for RustIdent {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for RustIdent {
    fn from(code: String) -> Self {
        Self(code)
    }
}

impl From<&str> for RustIdent {
    fn from(code: &str) -> Self {
        Self(code.to_owned())
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RustIdent {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl quote::ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.token().to_tokens(tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::RustIdent;

    #[test]
    fn a_keyword_has_a_code_and_a_bare_form() {
        let name = RustIdent::new("r#type");
        assert_eq!(name.code(), "r#type");
        assert_eq!(name.bare(), "type");
        assert_eq!(quote::quote!(#name).to_string(), "r#type");
        let plain = RustIdent::new("count");
        assert_eq!((plain.code(), plain.bare()), ("count", "count"));
        assert_eq!(quote::quote!(#plain).to_string(), "count");
    }
}
