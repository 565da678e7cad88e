//! Operation groups as files and cargo features: the fixture `constructs/groups.yaml` is laid
//! out by group, and its crate compiles clean with no feature, with each feature alone and
//! with all of them (a type shared across groups, or kept by an unused schema, must never be
//! gated by one group's feature).

use std::path::{Path, PathBuf};
use std::process::Command;

use oapigen::{Config, RuntimeDependency};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/groups.yaml")
}

fn file<'a>(rendered: &'a oapigen::config::Rendered, path: &str) -> &'a str {
    rendered
        .files
        .iter()
        .find(|file| file.path == Path::new(path))
        .map(|file| file.contents.as_str())
        .unwrap_or_else(|| panic!("no {path} generated"))
}

#[test]
fn groups_become_files_and_features() {
    let rendered = Config::new(
        fixture(),
        std::env::temp_dir().join("oapigen-groups-unused"),
    )
    .crate_name("groups")
    .render()
    .unwrap();
    let pets = file(&rendered, "src/types/pets.rs");
    let orders = file(&rendered, "src/types/store_orders.rs");
    let common = file(&rendered, "src/types/common.rs");
    // Only the group's operations use these.
    assert!(pets.contains("pub enum ListPetsKind"), "{pets}");
    assert!(orders.contains("pub struct Order "), "{orders}");
    assert!(orders.contains("pub struct OrderReceipt"), "{orders}");
    // Several groups use these (the first tag of `placeOrder` is its group, yet `Pet` is shared
    // through `Order`), or no operation does (`Audit`, and the status it holds).
    for shared in [
        "pub struct Pet ",
        "pub struct Collar",
        "pub struct User",
        "pub struct Audit",
        "pub enum OrderStatus",
    ] {
        assert!(
            common.contains(shared),
            "{shared} not in common.rs:\n{common}"
        );
    }
    // The untagged operation is grouped by its path; it has no types of its own.
    assert!(file(&rendered, "src/operations/users.rs").contains("pub fn get_user"));
    assert!(!rendered
        .files
        .iter()
        .any(|f| f.path == Path::new("src/types/users.rs")));
    let types_mod = file(&rendered, "src/types/mod.rs");
    assert!(types_mod
        .contains("#[cfg(feature = \"store-orders\")]\n#[rustfmt::skip]\nmod store_orders;"));
    assert!(types_mod.contains("pub use self::common::*;"));
    let manifest = file(&rendered, "Cargo.toml");
    assert!(manifest.contains("default = [\"full\"]"), "{manifest}");
    assert!(
        manifest.contains("full = [\"pets\", \"store-orders\", \"users\"]"),
        "{manifest}"
    );
}

/// `cargo check` of the crate with these cargo arguments; warnings count as failures.
fn check(crate_dir: &Path, target: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--quiet",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("warning"),
        "cargo check {args:?} failed:\n{stderr}"
    );
}

#[test]
fn every_feature_compiles_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let crate_dir = tmp.join("features-groups");
    let _ = std::fs::remove_dir_all(&crate_dir);
    let runtime = root.join("runtime").canonicalize().unwrap();
    Config::new(fixture(), &crate_dir)
        .crate_name("groups")
        .runtime_dependency(RuntimeDependency::Path(runtime.display().to_string()))
        .generate()
        .unwrap();
    // A workspace of its own, with the repository's dependency versions.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    // Shared with the corpus suites, so dependencies are built once.
    let target = tmp.join("corpus-small/target");
    check(&crate_dir, &target, &["--no-default-features"]);
    for feature in ["pets", "store-orders", "users"] {
        check(
            &crate_dir,
            &target,
            &["--no-default-features", "--features", feature],
        );
    }
    check(&crate_dir, &target, &[]);
}
