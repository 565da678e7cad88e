use std::path::{Path, PathBuf};

use super::{public_api, SurfaceError};

/// A crate written to a fresh temporary directory, removed on drop.
struct TempCrate(PathBuf);

impl TempCrate {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("oapigen-surface-{name}-{}", std::process::id()));
        // A leftover from an earlier run would mix old files in.
        let _ = std::fs::remove_dir_all(&dir);
        let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
        for (path, text) in [("Cargo.toml", manifest.as_str())].iter().chain(files) {
            let path = dir.join(path);
            let parent = path.parent().expect("files are below the crate directory");
            std::fs::create_dir_all(parent).expect("create test crate directory");
            std::fs::write(&path, text).expect("write test crate file");
        }
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const LIB: &str = r#"
//! A crate.
mod client;
pub mod types;
mod hidden;
pub use self::client::{Client as ApiClient, Region};
pub use ::other_crate::{Credentials, Error};
pub use hidden::*;
#[cfg(test)]
mod tests;
/// The version.
pub const VERSION: &str = "1";
"#;

const CLIENT: &str = r#"
#[derive(Clone, Debug)]
pub struct Client {
    transport: u8,
}
#[derive(Clone, Copy, Default)]
#[non_exhaustive]
pub enum Region {
    #[default]
    NorthAmerica,
    Custom(String),
    Shaped { name: String, weight: u32 },
}
impl Client {
    pub fn builder() -> Builder { Builder }
    pub async fn send(mut self, mut count: u32, name: impl Into<String>) -> Result<Vec<crate::types::Pet>, crate::Error> { todo!() }
    fn private(&self) {}
}
impl Default for Client { fn default() -> Self { todo!() } }
pub struct Builder;
"#;

const TYPES: &str = r#"
mod pet;
pub use self::pet::*;
pub type PetId = String;
"#;

const PET: &str = r#"
#[non_exhaustive]
#[derive(PartialEq, ::serde::Serialize)]
pub struct Pet {
    pub name: String,
    pub tags: Option<std::collections::BTreeMap<String, Vec<(u8, crate::types::PetId)>>>,
    secret: u8,
}
impl Pet {
    pub fn new(name: String) -> Self { todo!() }
}
impl<'a> ::std::fmt::Display for Pet { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() } }
pub(crate) struct Internal;
"#;

const HIDDEN: &str = r#"
pub trait Named: Clone {
    type Name;
    fn name(&self) -> Self::Name;
    fn shout(&self) -> String { todo!() }
}
pub fn helper<T: Clone>(value: &T) -> T where T: Default { todo!() }
"#;

#[test]
fn lists_every_public_path_with_signatures() {
    let dir = TempCrate::new(
        "demo-crate",
        &[
            ("src/lib.rs", LIB),
            ("src/client.rs", CLIENT),
            ("src/types/mod.rs", TYPES),
            ("src/types/pet.rs", PET),
            ("src/hidden.rs", HIDDEN),
        ],
    );
    let listing = public_api(dir.path()).expect("lists");
    let expected = "\
pub mod demo_crate
pub struct demo_crate::ApiClient
pub async fn demo_crate::ApiClient::send(self, count: u32, name: impl Into<String>) -> Result<Vec<crate::types::Pet>, crate::Error>
pub fn demo_crate::ApiClient::builder() -> Builder
impl Clone for demo_crate::ApiClient
impl Debug for demo_crate::ApiClient
impl Default for demo_crate::ApiClient
pub use demo_crate::Credentials = ::other_crate::Credentials
pub use demo_crate::Error = ::other_crate::Error
pub trait demo_crate::Named: Clone
pub fn demo_crate::Named::name(&self) -> Self::Name
pub fn demo_crate::Named::shout(&self) -> String (provided)
pub type demo_crate::Named::Name
#[non_exhaustive] pub enum demo_crate::Region
pub demo_crate::Region::Custom(String)
pub demo_crate::Region::NorthAmerica
pub demo_crate::Region::Shaped { name: String, weight: u32 }
impl Clone for demo_crate::Region
impl Copy for demo_crate::Region
impl Default for demo_crate::Region
pub const demo_crate::VERSION: &str
pub fn demo_crate::helper<T: Clone>(value: &T) -> T where T: Default
pub mod demo_crate::types
#[non_exhaustive] pub struct demo_crate::types::Pet
pub demo_crate::types::Pet::name: String
pub demo_crate::types::Pet::tags: Option<std::collections::BTreeMap<String, Vec<(u8, crate::types::PetId)>>>
pub fn demo_crate::types::Pet::new(name: String) -> Self
impl ::serde::Serialize for demo_crate::types::Pet
impl PartialEq for demo_crate::types::Pet
impl<'a> ::std::fmt::Display for demo_crate::types::Pet
pub type demo_crate::types::PetId = String
";
    assert_eq!(listing, expected, "got:\n{listing}");
    assert_eq!(public_api(dir.path()).expect("lists again"), listing);
}

#[test]
fn problems_are_errors_naming_the_file() {
    let missing = TempCrate::new("missing-mod", &[("src/lib.rs", "pub mod gone;\n")]);
    let err = public_api(missing.path()).expect_err("no file for `gone`");
    assert!(matches!(err, SurfaceError::MissingModule { ref name, .. } if name == "gone"));
    assert!(err.to_string().contains("gone.rs"), "{err}");

    let broken = TempCrate::new("broken", &[("src/lib.rs", "pub struct A;\npub fn (\n")]);
    let err = public_api(broken.path()).expect_err("not Rust");
    let SurfaceError::Parse { path, .. } = &err else {
        panic!("not a parse error: {err}");
    };
    assert!(path.ends_with("src/lib.rs"), "{err}");

    let nothing = std::env::temp_dir().join("oapigen-surface-does-not-exist");
    let err = public_api(&nothing).expect_err("no crate there");
    assert!(matches!(err, SurfaceError::Io { .. }), "{err}");
}

#[test]
fn imported_traits_are_listed_by_their_full_path() {
    let krate = TempCrate::new(
        "imports",
        &[(
            "src/lib.rs",
            "use ::serde::{Deserialize, Serialize as Ser};\n\
             use std::fmt::Display;\n\
             #[derive(Clone, Ser, Deserialize)]\n\
             pub struct Pet;\n\
             impl Display for Pet {}\n\
             impl From<u8> for Pet {}\n",
        )],
    );
    let listing = public_api(krate.path()).unwrap();
    assert!(
        listing.contains("impl ::serde::Serialize for imports::Pet\n"),
        "{listing}"
    );
    assert!(
        listing.contains("impl ::serde::Deserialize for imports::Pet\n"),
        "{listing}"
    );
    assert!(
        listing.contains("impl std::fmt::Display for imports::Pet\n"),
        "{listing}"
    );
    // Not imported: as written.
    assert!(
        listing.contains("impl Clone for imports::Pet\n"),
        "{listing}"
    );
    assert!(
        listing.contains("impl From<u8> for imports::Pet\n"),
        "{listing}"
    );
}
