//! The `[package]` metadata of a generated crate's `Cargo.toml`: version policy, description,
//! license, repository, authors, `publish`, extra dependencies and features. Set through
//! [`Config::package`](crate::Config::package) or `oapigen.toml`, and written on every
//! regeneration, so none of it is ever edited by hand.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How a generated crate's `version` is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionPolicy {
    /// A new crate starts at this version; an existing crate keeps the version in its
    /// `Cargo.toml` (so `oapigen --bump` or a release bump survives regeneration).
    Keep(String),
    /// Always this version.
    Fixed(String),
}

impl Default for VersionPolicy {
    fn default() -> Self {
        Self::Keep("0.1.0".to_owned())
    }
}

/// Package metadata of a generated crate. Unset fields are left out of `Cargo.toml`
/// (`publish` unset means publishable; `description` unset is "Typed client of TITLE").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    /// How `version` is chosen.
    pub version: VersionPolicy,
    /// `description`.
    pub description: Option<String>,
    /// `license` (an SPDX expression).
    pub license: Option<String>,
    /// `license-file`.
    pub license_file: Option<String>,
    /// `repository`.
    pub repository: Option<String>,
    /// `homepage`.
    pub homepage: Option<String>,
    /// `documentation`.
    pub documentation: Option<String>,
    /// `authors`.
    pub authors: Vec<String>,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `categories`.
    pub categories: Vec<String>,
    /// `publish`: `Some(false)` keeps the crate off registries.
    pub publish: Option<bool>,
    /// Extra `[dependencies]`: name → its TOML value (`"1"` or `{ version = "1", … }`).
    pub dependencies: BTreeMap<String, String>,
    /// Extra `[features]`: name → what it enables.
    pub features: BTreeMap<String, Vec<String>>,
}

/// `[package]` in `oapigen.toml` (for every crate) or `[crates.NAME.package]` (one crate,
/// field by field over the former).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct PackageFile {
    version: Option<String>,
    /// `"keep"` (default) or `"fixed"`.
    version_policy: Option<String>,
    description: Option<String>,
    license: Option<String>,
    license_file: Option<String>,
    repository: Option<String>,
    homepage: Option<String>,
    documentation: Option<String>,
    authors: Option<Vec<String>>,
    keywords: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    publish: Option<bool>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    #[serde(default)]
    features: BTreeMap<String, Vec<String>>,
}

impl PackageFile {
    /// `self` with every field `over` sets replaced; dependencies and features merged.
    pub(crate) fn merged(&self, over: &PackageFile) -> PackageFile {
        fn pick<T: Clone>(base: &Option<T>, over: &Option<T>) -> Option<T> {
            over.clone().or_else(|| base.clone())
        }
        let mut dependencies = self.dependencies.clone();
        dependencies.extend(over.dependencies.clone());
        let mut features = self.features.clone();
        features.extend(over.features.clone());
        PackageFile {
            version: pick(&self.version, &over.version),
            version_policy: pick(&self.version_policy, &over.version_policy),
            description: pick(&self.description, &over.description),
            license: pick(&self.license, &over.license),
            license_file: pick(&self.license_file, &over.license_file),
            repository: pick(&self.repository, &over.repository),
            homepage: pick(&self.homepage, &over.homepage),
            documentation: pick(&self.documentation, &over.documentation),
            authors: pick(&self.authors, &over.authors),
            keywords: pick(&self.keywords, &over.keywords),
            categories: pick(&self.categories, &over.categories),
            publish: pick(&self.publish, &over.publish),
            dependencies,
            features,
        }
    }

    /// The metadata this table describes.
    pub(crate) fn package(&self) -> Result<Package, String> {
        let version = self.version.clone().unwrap_or_else(|| "0.1.0".to_owned());
        let version = match self.version_policy.as_deref() {
            None | Some("keep") => VersionPolicy::Keep(version),
            Some("fixed") => VersionPolicy::Fixed(version),
            Some(other) => {
                return Err(format!(
                    "version-policy `{other}`: expected \"keep\" or \"fixed\""
                ))
            }
        };
        let dependencies = self
            .dependencies
            .iter()
            .map(|(name, value)| (name.clone(), inline_toml(value)))
            .collect();
        Ok(Package {
            version,
            description: self.description.clone(),
            license: self.license.clone(),
            license_file: self.license_file.clone(),
            repository: self.repository.clone(),
            homepage: self.homepage.clone(),
            documentation: self.documentation.clone(),
            authors: self.authors.clone().unwrap_or_default(),
            keywords: self.keywords.clone().unwrap_or_default(),
            categories: self.categories.clone().unwrap_or_default(),
            publish: self.publish,
            dependencies,
            features: self.features.clone(),
        })
    }
}

/// A TOML value on one line (tables inline), as a dependency's right-hand side.
fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(key, value)| format!("{} = {}", toml_key(key), inline_toml(value)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A bare key when TOML allows one, else a quoted one.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        toml::Value::String(key.to_owned()).to_string()
    }
}

/// Whether `name` can be a dependency or feature name (what Cargo accepts).
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/' || c == '+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_tables_override_field_by_field() {
        let all: PackageFile =
            toml::from_str("license = \"MIT\"\npublish = false\nauthors = [\"A\"]").unwrap();
        let one: PackageFile = toml::from_str(
            "publish = true\nversion = \"2.0.0\"\nversion-policy = \"fixed\"\n[dependencies]\nmoney = { path = \"../money\", version = \"1\" }",
        )
        .unwrap();
        let package = all.merged(&one).package().unwrap();
        assert_eq!(package.license.as_deref(), Some("MIT"));
        assert_eq!(package.publish, Some(true));
        assert_eq!(package.authors, ["A"]);
        assert_eq!(package.version, VersionPolicy::Fixed("2.0.0".into()));
        assert_eq!(
            package.dependencies["money"],
            "{ path = \"../money\", version = \"1\" }"
        );
    }

    #[test]
    fn unknown_policy_is_refused() {
        let file: PackageFile = toml::from_str("version-policy = \"latest\"").unwrap();
        assert!(file.package().unwrap_err().contains("version-policy"));
    }
}
