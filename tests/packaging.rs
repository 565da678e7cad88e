//! Publishing, as a user would see it: `oapigen-runtime` packaged by `cargo package`, a crate
//! generated for a user's spec (package metadata, an extra dependency, a replaced type,
//! excluded and renamed operations) in a user's workspace **outside this repository**,
//! built against that packaged runtime through `[patch.crates-io]` (the runtime dependency is
//! a plain registry requirement), then the generated crate itself packaged by `cargo package`
//! and its `.crate` checked against the packaged runtime in a workspace of its own (what
//! `cargo package`'s own verification does, which cannot see `[patch]`es).
//!
//! Kept fast: `cargo check` (warnings are failures), `--offline` with this repository's
//! `Cargo.lock`, and the target directory the generator's compile tests share, so the
//! dependencies are built once.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs cargo with `args` in `dir`; returns stderr, failing the test on a non-zero exit or,
/// when `deny_warnings`, on any warning.
fn cargo(dir: &Path, target: &Path, args: &[&str], deny_warnings: bool) -> String {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{stderr}",
        dir.display()
    );
    if deny_warnings {
        assert!(
            !stderr.contains("warning"),
            "cargo {args:?} warned:\n{stderr}"
        );
    }
    stderr
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("directory");
    }
    std::fs::write(path, text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
}

/// Unpacks a `.crate` (a gzipped tarball) into `into`; returns the package directory.
fn unpack(crate_file: &Path, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).expect("directory");
    let status = Command::new("tar")
        .arg("xzf")
        .arg(crate_file)
        .arg("-C")
        .arg(into)
        .status()
        .expect("tar runs");
    assert!(status.success(), "unpacking {}", crate_file.display());
    let stem = crate_file.file_stem().expect("file name");
    into.join(stem)
}

const MONEY_LIB: &str = r#"//! The user's own money type, shared by several clients.
use serde::{Deserialize, Serialize};

/// An amount in a currency.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Decimal text.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
}
"#;

const APP_MAIN: &str = r#"//! A user's program calling the generated client.
use shop::types::Purchase;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = shop::Client::builder().base_url("http://127.0.0.1:9").build()?;
    let total = money::Money { amount: "9.99".into(), currency: "EUR".into() };
    let purchase = Purchase::new("order-1".to_owned(), total).with_note("gift".to_owned());
    // The renamed operation; `getAudit` was excluded with its tag.
    let _list = client.list_orders();
    let _place = client.place_order(purchase);
    Ok(())
}
"#;

#[test]
fn generated_crate_builds_and_packages_outside_the_repository() {
    let scratch = std::env::temp_dir().join(format!("oapigen-packaging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        !scratch.starts_with(repo()),
        "scratch must be outside the repository"
    );
    // Shared with the generator's compile tests (`generator/tests/features.rs`, corpus).
    let target = repo().join("target/tmp/corpus-small/target");

    // 1. The runtime as a registry would get it.
    let package_target = scratch.join("package-target");
    cargo(
        &repo(),
        &package_target,
        &[
            "package",
            "-p",
            "oapigen-runtime",
            "--no-verify",
            "--allow-dirty",
            "--offline",
        ],
        true,
    );
    let runtime = unpack(
        &package_target.join(format!(
            "package/oapigen-runtime-{}.crate",
            oapigen::VERSION
        )),
        &scratch.join("registry"),
    );
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "src/lib.rs"] {
        assert!(
            runtime.join(file).is_file(),
            "packaged runtime lacks {file}"
        );
    }
    let manifest = std::fs::read_to_string(runtime.join("Cargo.toml")).expect("manifest");
    for key in [
        "repository = ",
        "documentation = ",
        "readme = ",
        "keywords = ",
        "categories = ",
    ] {
        assert!(
            manifest.contains(key),
            "packaged runtime manifest lacks {key}"
        );
    }

    // 2. A user's workspace: their own `money` crate, the crate generated for their spec,
    //    and a program using it; the runtime comes from "the registry".
    let project = scratch.join("project");
    write(
        &project.join("money/Cargo.toml"),
        "[package]\nname = \"money\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"Money\"\nlicense = \"MIT\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
    );
    write(&project.join("money/src/lib.rs"), MONEY_LIB);
    let mut package = oapigen::Package {
        description: Some("Typed client of the Shop API".into()),
        license: Some("MIT OR Apache-2.0".into()),
        repository: Some("https://example.com/shop-client".into()),
        authors: vec!["Shop Team <team@example.com>".into()],
        ..oapigen::Package::default()
    };
    package.dependencies.insert(
        "money".into(),
        "{ path = \"../money\", version = \"0.1\" }".into(),
    );
    let spec = repo().join("generator/tests/fixtures/customize/shop.yaml");
    let generated = oapigen::Config::new(&spec, project.join("shop"))
        .crate_name("shop")
        .package(package)
        .replace_type("Money", "money::Money")
        .exclude_operations(oapigen::OperationSelector::Tag("admin".into()))
        .rename_operation("getOrders", "listOrders")
        .rename_type("Order", "Purchase")
        .type_attribute("Purchase", "#[derive(Eq)]")
        .generate()
        .expect("generates");
    assert_eq!(generated.operations, 2);
    let shop_manifest = std::fs::read_to_string(project.join("shop/Cargo.toml")).expect("read");
    assert!(
        shop_manifest.contains(&format!(
            "oapigen-runtime = {{ version = \"{}\" }}",
            oapigen::VERSION
        )),
        "{shop_manifest}"
    );
    write(
        &project.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nshop = { path = \"../shop\" }\nmoney = { path = \"../money\" }\n",
    );
    write(&project.join("app/src/main.rs"), APP_MAIN);
    write(
        &project.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\"app\", \"shop\", \"money\"]\n\n[patch.crates-io]\noapigen-runtime = {{ path = {:?} }}\nmoney = {{ path = \"money\" }}\n",
            runtime.display().to_string()
        ),
    );
    std::fs::copy(repo().join("Cargo.lock"), project.join("Cargo.lock")).expect("lockfile");
    cargo(
        &project,
        &target,
        &["check", "--offline", "--workspace", "--quiet"],
        true,
    );

    // 3. `cargo package` of the generated crate, and its `.crate` checked against the
    //    packaged runtime (and the user's `money`) in a workspace of its own.
    let stderr = cargo(
        &project,
        &scratch.join("shop-package-target"),
        &[
            "package",
            "-p",
            "shop",
            "--no-verify",
            "--allow-dirty",
            "--offline",
            // Cargo resolves the lock file of a package against the registry alone, where
            // neither the runtime nor `money` is (yet); a library's lock file is not used by
            // its dependents, and the check below resolves it against the packaged runtime.
            "--exclude-lockfile",
        ],
        true,
    );
    assert!(stderr.contains("Packaged"), "{stderr}");
    let verify = scratch.join("verify");
    let shop = unpack(
        &scratch.join("shop-package-target/package/shop-0.1.0.crate"),
        &verify,
    );
    let packaged = std::fs::read_to_string(shop.join("Cargo.toml")).expect("manifest");
    assert!(
        !packaged.contains("../money"),
        "registry manifest keeps a path:\n{packaged}"
    );
    assert!(shop.join("README.md").is_file());
    write(
        &verify.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\"shop-0.1.0\"]\n\n[patch.crates-io]\noapigen-runtime = {{ path = {:?} }}\nmoney = {{ path = {:?} }}\n",
            runtime.display().to_string(),
            project.join("money").display().to_string()
        ),
    );
    std::fs::copy(repo().join("Cargo.lock"), verify.join("Cargo.lock")).expect("lockfile");
    cargo(
        &verify,
        &target,
        &["check", "--offline", "--workspace", "--quiet"],
        true,
    );

    let _ = std::fs::remove_dir_all(&scratch);
}
