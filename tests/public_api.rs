//! A snapshot of the runtime's and of each committed crate's public API (every public item, field, variant,
//! method signature and trait implementation), so a change to a spec or to the generator
//! shows its effect on users at a glance in review. Accept an intended change with
//! `cargo insta review`.

use std::path::{Path, PathBuf};

/// The crates under `generated/`, in name order.
fn generated_crates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated");
    let entries =
        std::fs::read_dir(&root).unwrap_or_else(|err| panic!("{}: {err}", root.display()));
    let mut crates: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    crates
}

#[test]
fn public_api_of_each_generated_crate() {
    let crates = generated_crates();
    assert!(!crates.is_empty(), "no crates under generated/");
    for dir in crates {
        let name = dir
            .file_name()
            .and_then(|name| name.to_str())
            .expect("crate directory name")
            .to_owned();
        let listing = oapigen::surface::public_api(&dir)
            .unwrap_or_else(|err| panic!("public API of {name}: {err}"));
        insta::assert_snapshot!(name, listing);
    }
}

/// The runtime is published on its own and every generated crate builds on it: a breaking
/// change to it shows here in review.
#[test]
fn public_api_of_the_runtime() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let listing = oapigen::surface::public_api(&dir)
        .unwrap_or_else(|err| panic!("public API of oapigen-runtime: {err}"));
    assert!(
        listing.contains("pub struct oapigen_runtime::ApiRequest"),
        "{listing}"
    );
    insta::assert_snapshot!("oapigen-runtime", listing);
}
