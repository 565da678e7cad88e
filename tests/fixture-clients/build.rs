//! Generates one module per fixture spec into `OUT_DIR/<module>/`, as a user's `build.rs`
//! would (each in its own folder: a generation removes files it did not write).

use std::path::{Path, PathBuf};

/// The fixture specs, under `generator/tests/fixtures/`, and their modules.
const FIXTURES: &[(&str, &str)] = &[
    ("constructs/uploads.yaml", "uploads"),
    ("constructs/streaming.yaml", "streaming"),
    ("constructs/media_choice.yaml", "media_choice"),
    ("pagination/link.yaml", "link_pages"),
    ("pagination/stripe.yaml", "stripe_pages"),
    ("pagination/openai.yaml", "openai_pages"),
    ("pagination/cursors.yaml", "cursor_pages"),
    ("pagination/numbers.yaml", "number_pages"),
    ("constructs/objects.yaml", "objects"),
    ("constructs/formats.yaml", "formats"),
    ("constructs/shared_variant.yaml", "shared_variant"),
    ("constructs/odd_names.yaml", "odd_names"),
    (
        "constructs/additional_properties.yaml",
        "additional_properties",
    ),
    ("constructs/recursive.yaml", "recursive"),
    ("constructs/presence.yaml", "presence"),
    ("versions/v31_type_lists.yaml", "type_lists"),
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../generator/tests/fixtures");
    for (file, module) in FIXTURES {
        let spec = fixtures.join(file);
        println!("cargo:rerun-if-changed={}", spec.display());
        // One folder per module: a module owns (and prunes) the folder it is written to.
        let folder = out.join(module);
        if let Err(err) = oapigen::Config::new(&spec, &folder)
            .module(*module)
            .generate()
        {
            panic!("{}: {err}", spec.display());
        }
    }
}
