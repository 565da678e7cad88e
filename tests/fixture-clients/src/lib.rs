//! Clients generated at build time from the generator's fixture specs (module mode), so
//! behaviour tests can call generated code that the committed Alexa crates do not have:
//! multipart uploads, operations accepting several media types, responses offering several,
//! streamed responses and inferred pagination.

/// Generated from `generator/tests/fixtures/constructs/uploads.yaml`.
pub mod uploads {
    include!(concat!(env!("OUT_DIR"), "/uploads/uploads.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/streaming.yaml`.
pub mod streaming {
    include!(concat!(env!("OUT_DIR"), "/streaming/streaming.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/formats.yaml`.
pub mod formats {
    include!(concat!(env!("OUT_DIR"), "/formats/formats.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/shared_variant.yaml`.
pub mod shared_variant {
    include!(concat!(
        env!("OUT_DIR"),
        "/shared_variant/shared_variant.rs"
    ));
}

/// Generated from `generator/tests/fixtures/pagination/link.yaml`.
pub mod link_pages {
    include!(concat!(env!("OUT_DIR"), "/link_pages/link_pages.rs"));
}

/// Generated from `generator/tests/fixtures/pagination/stripe.yaml`.
pub mod stripe_pages {
    include!(concat!(env!("OUT_DIR"), "/stripe_pages/stripe_pages.rs"));
}

/// Generated from `generator/tests/fixtures/pagination/openai.yaml`.
pub mod openai_pages {
    include!(concat!(env!("OUT_DIR"), "/openai_pages/openai_pages.rs"));
}

/// Generated from `generator/tests/fixtures/pagination/cursors.yaml`.
pub mod cursor_pages {
    include!(concat!(env!("OUT_DIR"), "/cursor_pages/cursor_pages.rs"));
}

/// Generated from `generator/tests/fixtures/pagination/numbers.yaml`.
pub mod number_pages {
    include!(concat!(env!("OUT_DIR"), "/number_pages/number_pages.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/media_choice.yaml`.
pub mod media_choice {
    include!(concat!(env!("OUT_DIR"), "/media_choice/media_choice.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/objects.yaml` (struct decoding).
pub mod objects {
    include!(concat!(env!("OUT_DIR"), "/objects/objects.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/odd_names.yaml` (struct decoding).
pub mod odd_names {
    include!(concat!(env!("OUT_DIR"), "/odd_names/odd_names.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/additional_properties.yaml` (struct decoding).
pub mod additional_properties {
    include!(concat!(
        env!("OUT_DIR"),
        "/additional_properties/additional_properties.rs"
    ));
}

/// Generated from `generator/tests/fixtures/constructs/recursive.yaml` (struct decoding).
pub mod recursive {
    include!(concat!(env!("OUT_DIR"), "/recursive/recursive.rs"));
}

/// Generated from `generator/tests/fixtures/versions/v31_type_lists.yaml` (struct decoding).
pub mod type_lists {
    include!(concat!(env!("OUT_DIR"), "/type_lists/type_lists.rs"));
}

/// Generated from `generator/tests/fixtures/constructs/presence.yaml`.
pub mod presence {
    include!(concat!(env!("OUT_DIR"), "/presence/presence.rs"));
}
