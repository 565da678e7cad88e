//! `oapigen`: typed, production-grade Rust clients from OpenAPI 3.0 specs (3.1 and Swagger
//! 2.0 documents are normalised into the 3.0 shape first, see [`normalize`]).
//!
//! The pipeline is load → IR → emit → render: [`load`] reads a spec with every problem
//! located, [`ir`] builds an owned model of it, `emit` turns the model into token streams
//! with `quote!`, and `render` formats them with `prettyplease`. [`Config`] drives it all,
//! from the CLI or from a `build.rs`.

#![forbid(unsafe_code)]

pub mod config;
pub mod conform;
pub mod corpus;
pub mod diagnostics;
pub mod diff;
mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod output;
pub mod project;
mod render;
pub mod surface;
mod templates;

pub use config::{Config, Generated, RuntimeDependency};
pub use diagnostics::{Diagnostic, Severity};
pub use error::GenerateError;
pub use output::{FileStatus, Staleness};

/// The generator's version, written into every `@generated` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
