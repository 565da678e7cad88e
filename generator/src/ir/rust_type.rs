//! The one map from IR types to Rust type text. Generated code spells full paths
//! (`::chrono::DateTime<::chrono::Utc>`); docs and diff reports the short names users read
//! (`DateTime<Utc>`). Named types are spelt by the caller, who knows where the code is.

use super::model::{Api, Shape, Ty, TypeDef};

/// Which spelling of the std and dependency types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// Paths that resolve anywhere in generated code.
    Full,
    /// What a reader sees in the generated crate's docs.
    Short,
}

/// The Rust type of `shape`, with `named` spelling each named type.
pub fn rust_type(
    api: &Api,
    shape: &Shape,
    spelling: Spelling,
    named: &dyn Fn(&TypeDef) -> String,
) -> String {
    let full = spelling == Spelling::Full;
    let pick = |full_path: &str, short: &str| if full { full_path } else { short }.to_owned();
    let inner = |shape: &Shape| rust_type(api, shape, spelling, named);
    match &shape.ty {
        Ty::Named(id) => match api.types.get(id.0) {
            Some(def) => named(def),
            // Only a broken IR has a dangling id; a report still shows where.
            None => "?".to_owned(),
        },
        Ty::String => "String".to_owned(),
        Ty::I32 => "i32".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::DateTime => pick("::chrono::DateTime<::chrono::Utc>", "DateTime<Utc>"),
        Ty::Date => pick("::chrono::NaiveDate", "NaiveDate"),
        Ty::Uuid => pick("::uuid::Uuid", "Uuid"),
        Ty::Uri => pick("::oapigen_runtime::Uri", "Uri"),
        Ty::Bytes => pick("::oapigen_runtime::bytes::Bytes", "Bytes"),
        Ty::Json => pick("::serde_json::Value", "serde_json::Value"),
        Ty::Array(item) => format!("Vec<{}>", inner(item)),
        Ty::Map(value) => {
            let map = pick("::std::collections::BTreeMap", "BTreeMap");
            format!("{map}<String, {}>", inner(value))
        }
        Ty::Option(value) => format!("Option<{}>", inner(value)),
    }
}
