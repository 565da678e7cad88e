//! Generates one module per fixture spec into `OUT_DIR`, as a user's `build.rs` would.

use std::path::{Path, PathBuf};

/// The fixture specs, under `generator/tests/fixtures/constructs/`, and their modules.
const FIXTURES: &[(&str, &str)] = &[("uploads.yaml", "uploads")];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../generator/tests/fixtures/constructs");
    for (file, module) in FIXTURES {
        let spec = fixtures.join(file);
        println!("cargo:rerun-if-changed={}", spec.display());
        if let Err(err) = oapigen::Config::new(&spec, &out).module(*module).generate() {
            panic!("{}: {err}", spec.display());
        }
    }
}
