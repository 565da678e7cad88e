//! `oapigen`: typed, production-grade Rust clients from OpenAPI 3.0 specs (3.1 and Swagger
//! 2.0 documents are normalised into the 3.0 shape first, see [`normalize`]).
//!
//! The pipeline is load → IR → emit → render: [`load`] reads a spec with every problem
//! located, [`ir`] builds an owned model of it, `emit` turns the model into token streams
//! with `quote!`, and `render` formats them with `prettyplease`. [`Config`] drives it all,
//! from the CLI or from a `build.rs`.

#![forbid(unsafe_code)]

pub mod config;
pub mod corpus;
pub mod customize;
pub mod diagnostics;
pub mod diff;
mod emit;
pub mod error;
pub mod output;
pub mod package;
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

pub use config::{Config, Generated, RuntimeDependency};
pub use customize::{OperationSelector, Pattern};
pub use diagnostics::{Diagnostic, Severity};
pub use error::GenerateError;
pub use output::{FileStatus, Staleness};
pub use package::{Package, VersionPolicy};

/// The generator's version, written into every `@generated` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
