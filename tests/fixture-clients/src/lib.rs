//! Clients generated at build time from the generator's fixture specs (module mode), so
//! behaviour tests can call generated code that the committed Alexa crates do not have:
//! multipart uploads and operations accepting several media types.

/// Generated from `generator/tests/fixtures/constructs/uploads.yaml`.
pub mod uploads {
    include!(concat!(env!("OUT_DIR"), "/uploads.rs"));
}
