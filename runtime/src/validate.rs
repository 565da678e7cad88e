//! Client-side validation of the constraints a spec documents.
//!
//! Generated types implement [`Validate`]; operations call it before a request leaves the
//! process, so a broken constraint is reported with the field path and rule that failed
//! instead of as an opaque 400 from the service.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, OnceLock};

use crate::error::Operation;

/// Where in a request a value sits, as `recipients[3].id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationPath(String);

impl ValidationPath {
    /// The path of a whole request body or parameter named `root`.
    pub fn root(root: &str) -> Self {
        Self(root.to_owned())
    }

    /// The path of field `name` below this one.
    pub fn field(&self, name: &str) -> Self {
        // Built for every field checked on every call: one exact allocation, no `format!`.
        if self.0.is_empty() {
            return Self(name.to_owned());
        }
        let mut path = String::with_capacity(self.0.len() + 1 + name.len());
        path.push_str(&self.0);
        path.push('.');
        path.push_str(name);
        Self(path)
    }

    /// The path of item `index` below this one.
    pub fn index(&self, index: usize) -> Self {
        use std::fmt::Write as _;
        let mut path = String::with_capacity(self.0.len() + 8);
        path.push_str(&self.0);
        // Writing to a `String` cannot fail.
        let _ = write!(path, "[{index}]");
        Self(path)
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ValidationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Field path, such as `recipients[3].id`.
    pub path: String,
    /// The rule that failed: `maxItems`, `maxLength`, `minimum`, `pattern`, …
    pub rule: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A rule of a whole value checked on its own (its presence rules) has no path.
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{} ({})", self.message, self.rule)
    }
}

/// Every broken constraint of one request, in the order found, and the operation the
/// request was for (none when a value is validated on its own).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
    operation: Option<Operation>,
}

impl ValidationErrors {
    /// The errors found.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// The operation whose request broke the constraints, when known.
    pub fn operation(&self) -> Option<&Operation> {
        self.operation.as_ref()
    }

    /// The errors, as found in a request of `operation`.
    pub fn with_operation(mut self, operation: Operation) -> Self {
        self.operation = Some(operation);
        self
    }

    /// `Ok(())` when empty, else `Err(self)` naming the operation `id`, sent as `method` to
    /// the path template `path` (what generated operations check their request with; the
    /// operation is only built when something is broken).
    pub fn into_result_for(
        self,
        id: &'static str,
        method: reqwest::Method,
        path: &'static str,
    ) -> Result<(), Self> {
        self.into_result()
            .map_err(|errors| errors.with_operation(Operation::new(id, method, path)))
    }

    /// True when nothing was broken.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Records a broken rule.
    pub fn push(&mut self, path: impl Into<String>, rule: &'static str, message: String) {
        self.errors.push(ValidationError {
            path: path.into(),
            rule,
            message,
        });
    }

    /// Checks a string's length in characters.
    pub fn length(
        &mut self,
        path: &ValidationPath,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        // A string has at most one character per byte and at least one per four, so most
        // values pass on their byte length alone, without counting characters.
        let bytes = value.len() as u64;
        let may_be_short = min.is_some_and(|min| bytes.div_ceil(4) < min);
        let may_be_long = max.is_some_and(|max| bytes > max);
        if !(may_be_short || may_be_long) {
            return;
        }
        let len = value.chars().count() as u64;
        if let Some(min) = min.filter(|min| len < *min) {
            self.push(
                path.as_str(),
                "minLength",
                format!("length {len} is below the minimum {min}"),
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.push(
                path.as_str(),
                "maxLength",
                format!("length {len} exceeds the maximum {max}"),
            );
        }
    }

    /// Checks the number of items of an array.
    pub fn items(&mut self, path: &ValidationPath, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if let Some(min) = min.filter(|min| len < *min) {
            self.push(
                path.as_str(),
                "minItems",
                format!("{len} items, at least {min} required"),
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.push(
                path.as_str(),
                "maxItems",
                format!("{len} items, at most {max} allowed"),
            );
        }
    }

    /// Checks the number of properties of a map.
    pub fn properties(
        &mut self,
        path: &ValidationPath,
        len: usize,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let len = len as u64;
        if let Some(min) = min.filter(|min| len < *min) {
            self.push(
                path.as_str(),
                "minProperties",
                format!("{len} properties, at least {min} required"),
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.push(
                path.as_str(),
                "maxProperties",
                format!("{len} properties, at most {max} allowed"),
            );
        }
    }

    /// Checks a number against its bounds.
    pub fn range(&mut self, path: &ValidationPath, value: f64, bounds: Range) {
        if let Some(min) = bounds.minimum {
            let broken = if bounds.exclusive_minimum {
                value <= min
            } else {
                value < min
            };
            if broken {
                let op = if bounds.exclusive_minimum {
                    "above"
                } else {
                    "at least"
                };
                self.push(
                    path.as_str(),
                    "minimum",
                    format!("{value} must be {op} {min}"),
                );
            }
        }
        if let Some(max) = bounds.maximum {
            let broken = if bounds.exclusive_maximum {
                value >= max
            } else {
                value > max
            };
            if broken {
                let op = if bounds.exclusive_maximum {
                    "below"
                } else {
                    "at most"
                };
                self.push(
                    path.as_str(),
                    "maximum",
                    format!("{value} must be {op} {max}"),
                );
            }
        }
    }

    /// Checks that a number is a multiple of `factor`.
    pub fn multiple_of(&mut self, path: &ValidationPath, value: f64, factor: f64) {
        if factor > 0.0 {
            let quotient = value / factor;
            if (quotient - quotient.round()).abs() > 1e-9 {
                self.push(
                    path.as_str(),
                    "multipleOf",
                    format!("{value} is not a multiple of {factor}"),
                );
            }
        }
    }

    /// Checks that a number is one of the values of its schema's `enum`.
    pub fn one_of_numbers(&mut self, path: &ValidationPath, value: f64, allowed: &[f64]) {
        if !allowed.contains(&value) {
            let listed: Vec<String> = allowed.iter().map(f64::to_string).collect();
            self.push(
                path.as_str(),
                "enum",
                format!("{value} is not one of {}", listed.join(", ")),
            );
        }
    }

    /// Checks a string against an ECMA-style regular expression (compiled once per pattern).
    pub fn pattern(&mut self, path: &ValidationPath, value: &str, pattern: &'static str) {
        match matches_pattern(pattern, value) {
            Some(true) => {}
            Some(false) => self.push(
                path.as_str(),
                "pattern",
                format!("{value:?} does not match {pattern}"),
            ),
            // A pattern the regex crate cannot compile (look-around, back-references) is not
            // enforced client-side; the service still checks it.
            None => {}
        }
    }

    /// Checks `anyOf: [{required: […]}, …]` of an object: at least one group of properties
    /// is present (`present[i]` says whether all of `groups[i]` are).
    pub fn any_present(&mut self, path: &ValidationPath, present: &[bool], groups: &[&[&str]]) {
        if !present.contains(&true) {
            self.push(
                path.as_str(),
                "anyOf",
                format!("needs {}", alternatives(groups)),
            );
        }
    }

    /// Checks `oneOf: [{required: […]}, …]` of an object: exactly one group of properties is
    /// present (`present[i]` says whether all of `groups[i]` are).
    pub fn one_present(&mut self, path: &ValidationPath, present: &[bool], groups: &[&[&str]]) {
        let count = present.iter().filter(|present| **present).count();
        if count != 1 {
            self.push(
                path.as_str(),
                "oneOf",
                format!(
                    "needs exactly one of {}; {count} present",
                    alternatives(groups)
                ),
            );
        }
    }

    /// Checks `not: {required: […]}` of an object: the properties of `group` are not all
    /// present together.
    pub fn not_all_present(&mut self, path: &ValidationPath, present: bool, group: &[&str]) {
        if present {
            self.push(
                path.as_str(),
                "not",
                format!("must not have all of {} together", together(group)),
            );
        }
    }
}

/// `` `a` and `b` ``.
fn together(group: &[&str]) -> String {
    let names: Vec<String> = group.iter().map(|name| format!("`{name}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// `` `a`, `b` or `c` ``, `` `a`, or `b` and `c` ``: groups of properties to choose from.
fn alternatives(groups: &[&[&str]]) -> String {
    let listed: Vec<String> = groups.iter().map(|group| together(group)).collect();
    if groups.iter().all(|group| group.len() == 1) {
        if let Some((last, rest)) = listed.split_last().filter(|(_, rest)| !rest.is_empty()) {
            return format!("{} or {last}", rest.join(", "));
        }
    }
    listed.join(", or ")
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Numeric bounds of one value.
#[derive(Clone, Copy, Debug, Default)]
pub struct Range {
    /// Lower bound.
    pub minimum: Option<f64>,
    /// Upper bound.
    pub maximum: Option<f64>,
    /// Whether the lower bound itself is excluded.
    pub exclusive_minimum: bool,
    /// Whether the upper bound itself is excluded.
    pub exclusive_maximum: bool,
}

fn matches_pattern(pattern: &'static str, value: &str) -> Option<bool> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let regex = cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).ok());
    regex.as_ref().map(|regex| regex.is_match(value))
}

/// A value whose documented constraints can be checked before sending.
pub trait Validate {
    /// Records every broken constraint of `self`, located below `path`. The default records
    /// nothing: the impl of types without documented constraints.
    fn validate_at(&self, _path: &ValidationPath, _errors: &mut ValidationErrors) {}

    /// Checks `self` as a whole.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.validate_at(&ValidationPath::default(), &mut errors);
        errors.into_result()
    }
}

macro_rules! no_constraints {
    ($($ty:ty),*) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _: &ValidationPath, _: &mut ValidationErrors) {}
        })*
    };
}

no_constraints!(
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    serde_json::Value,
    uuid::Uuid,
    url::Url,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    bytes::Bytes,
    ()
);

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_at(path, errors);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&path.index(index), errors);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &ValidationPath, errors: &mut ValidationErrors) {
        for (key, value) in self {
            value.validate_at(&path.field(key), errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_enums_name_the_field_and_the_allowed_values() {
        let mut errors = ValidationErrors::default();
        let path = ValidationPath::root("body").field("quantity");
        errors.one_of_numbers(&path, 10.0, &[1.0, 10.0, 100.0]);
        assert!(errors.is_empty());
        errors.one_of_numbers(&path, 5.0, &[1.0, 10.0, 100.0]);
        let text = errors.to_string();
        assert!(text.contains("body.quantity"), "{text}");
        assert!(text.contains("enum"), "{text}");
        assert!(text.contains("5 is not one of 1, 10, 100"), "{text}");
    }

    #[test]
    fn presence_rules_name_the_groups_to_choose_from() {
        let path = ValidationPath::root("body");
        let groups: &[&[&str]] = &[&["image_url"], &["file_id", "detail"]];
        let mut errors = ValidationErrors::default();
        errors.any_present(&path, &[false, true], groups);
        errors.one_present(&path, &[true, false], groups);
        errors.not_all_present(&path, false, &["image_url", "file_id"]);
        assert!(errors.is_empty(), "{errors}");

        errors.any_present(&path, &[false, false], groups);
        errors.any_present(&path, &[false, false, false], &[&["a"], &["b"], &["c"]]);
        errors.one_present(&path, &[true, true], groups);
        errors.one_present(&path, &[false, false], groups);
        errors.not_all_present(&path, true, &["a", "b", "c"]);
        let messages: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "body: needs `image_url`, or `file_id` and `detail` (anyOf)",
                "body: needs `a`, `b` or `c` (anyOf)",
                "body: needs exactly one of `image_url`, or `file_id` and `detail`; 2 present (oneOf)",
                "body: needs exactly one of `image_url`, or `file_id` and `detail`; 0 present (oneOf)",
                "body: must not have all of `a`, `b` and `c` together (not)",
            ]
        );
    }

    #[test]
    fn a_request_error_names_its_operation_and_a_value_checked_alone_none() {
        let valid = ValidationErrors::default();
        assert_eq!(
            valid.into_result_for("listThings", reqwest::Method::GET, "/things"),
            Ok(())
        );
        let mut errors = ValidationErrors::default();
        errors.push("maxResults", "maximum", "51 is above 50".into());
        assert_eq!(errors.operation(), None);
        let Err(named) = errors.into_result_for("listThings", reqwest::Method::GET, "/things")
        else {
            panic!("an error was pushed");
        };
        let operation = named.operation().expect("named");
        assert_eq!(
            (
                operation.id(),
                operation.method().as_str(),
                operation.path()
            ),
            ("listThings", "GET", "/things")
        );
        let error: crate::Error<()> = named.into();
        assert_eq!(error.operation().map(|o| o.id()), Some("listThings"));
        assert_eq!(
            error.to_string(),
            "listThings (GET /things): invalid request: maxResults: 51 is above 50 (maximum)"
        );
    }
}
