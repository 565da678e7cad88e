//! Generates one module per fixture spec into `OUT_DIR/<module>/`, as a user's `build.rs`
//! would (each in its own folder: a generation removes files it did not write).

use std::path::{Path, PathBuf};

/// The fixture specs, under `generator/tests/fixtures/constructs/`, and their modules.
const FIXTURES: &[(&str, &str)] = &[
    ("uploads.yaml", "uploads"),
    ("media_choice.yaml", "media_choice"),
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../generator/tests/fixtures/constructs");
    for (file, module) in FIXTURES {
        let spec = fixtures.join(file);
        println!("cargo:rerun-if-changed={}", spec.display());
        if let Err(err) = oapigen::Config::new(&spec, out.join(module))
            .module(*module)
            .generate()
        {
            panic!("{}: {err}", spec.display());
        }
    }
}
