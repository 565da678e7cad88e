//! Clients generated at build time from the generator's fixture specs (module mode), so
//! behaviour tests can call generated code that the committed Alexa crates do not have:
//! multipart uploads, operations accepting several media types, responses offering several.

/// Generated from `generator/tests/fixtures/constructs/uploads.yaml`.
pub mod uploads {
    include!(concat!(env!("OUT_DIR"), "/uploads/uploads.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/media_choice.yaml`.
pub mod media_choice {
    include!(concat!(env!("OUT_DIR"), "/media_choice/media_choice.rs"));
}
