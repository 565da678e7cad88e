//! `oapigen`: typed, production-grade Rust clients from OpenAPI 3.0 specs (3.1 and Swagger
//! 2.0 documents are normalised into the 3.0 shape first).
//!
//! Each operation becomes an async method, each schema a type; the generated code depends
//! on [`oapigen-runtime`](https://docs.rs/oapigen-runtime) for transport, auth, retries and
//! validation. There are three ways to use it.
//!
//! # 1. The command line
//!
//! ```text
//! cargo install oapigen-cli            # or, from a checkout: cargo install --path cli
//! oapigen --spec openapi.yaml --out my-client --crate-name my-client
//! ```
//!
//! writes a complete crate (`Cargo.toml`, `README.md`, `src/…`) that depends on the runtime
//! by a registry version requirement, so it builds anywhere. `oapigen --check` exits 1 when
//! the committed output is stale and says why: spec changed, generator changed, configuration
//! changed, or edited by hand.
//!
//! # 2. A project file
//!
//! `oapigen` with no arguments reads `oapigen.toml` (see [`project::configs`]): every spec in
//! a directory becomes a crate, with package metadata and customisations per crate:
//!
//! ```toml
//! specs = "specs"
//! out = "crates"
//! crate_prefix = "acme-"
//!
//! [package]                        # every crate's Cargo.toml
//! license = "MIT OR Apache-2.0"
//! repository = "https://github.com/acme/clients"
//!
//! [crates.acme-billing.package]    # one crate
//! description = "Typed client of the Acme Billing API"
//! dependencies = { acme-money = "1" }
//!
//! [crates.acme-billing.customize]
//! replace = { Money = "acme_money::Money" }
//! type_attributes = { "*Id" = ["#[derive(Eq, Hash)]"] }
//! exclude = { tags = ["internal"] }
//! rename = { operations = { getInvoiceList = "listInvoices" } }
//! ```
//!
//! # 3. A build script
//!
//! Like `prost-build`: [`Config`] generates one module into `OUT_DIR` (the default output
//! directory in a build script); the library has no command-line dependencies.
//!
//! ```no_run
//! // build.rs (with `oapigen` under [build-dependencies], `oapigen-runtime`, `serde` and
//! // `serde_json` under [dependencies])
//! fn main() -> Result<(), oapigen::GenerateError> {
//!     println!("cargo:rerun-if-changed=openapi.yaml");
//!     oapigen::Config::from_spec("openapi.yaml")
//!         .module("api")
//!         .type_attribute("*Id", "#[derive(Eq, Hash)]")
//!         .exclude_operations(oapigen::OperationSelector::Tag("internal".into()))
//!         .generate()?;
//!     Ok(())
//! }
//! // src/lib.rs: pub mod api { include!(concat!(env!("OUT_DIR"), "/api.rs")); }
//! ```
//!
//! # Stability
//!
//! The public API is [`Config`] and what it takes and returns ([`Package`],
//! [`OperationSelector`], [`Pattern`], [`Generated`], [`GenerateError`], [`Diagnostic`]),
//! the project file, and the report modules the CLI prints ([`diff`], [`corpus`],
//! [`surface`]). The IR, loader, normaliser and naming are internal; the `unstable` cargo
//! feature makes them public for experiments and benchmarks, with no stability promise.

#![forbid(unsafe_code)]

pub mod config;
pub mod conform;
pub mod corpus;
pub mod customize;
pub mod diagnostics;
pub mod diff;
mod emit;
pub mod error;
pub mod output;
pub mod package;
mod pipeline;
pub mod project;
mod render;
pub mod surface;
mod templates;

/// Internals with no stability promise: public only with the `unstable` feature (for the
/// generator's own benchmarks and for experiments), private otherwise.
macro_rules! unstable_modules {
    ($($(#[$attr:meta])* $name:ident;)*) => {
        $(
            $(#[$attr])*
            #[cfg(feature = "unstable")]
            pub mod $name;
            #[cfg(not(feature = "unstable"))]
            mod $name;
        )*
    };
}

unstable_modules! {
    /// Spec → IR: the owned model of one API that everything after loading reads.
    ir;
    /// Reading a spec with every problem located.
    load;
    /// The one place that turns spec names into Rust identifiers.
    naming;
    /// OpenAPI 3.1 and Swagger 2.0 rewritten into the 3.0 shape.
    normalize;
}

pub use config::{Config, Generated, Paginator, Paging, RuntimeDependency};
pub use customize::{OperationSelector, Pattern};
pub use diagnostics::{Diagnostic, Severity};
pub use error::GenerateError;
pub use load::DEFAULT_MAX_INPUT;
pub use output::{FileStatus, Staleness};
pub use package::{Package, VersionPolicy};

/// The generator's version, written into every `@generated` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
