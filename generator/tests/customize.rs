//! The configuration hooks (type attributes, replacement types, operation selection, renames)
//! and package metadata, from the `Config` builder and from `oapigen.toml`; `--check` telling
//! a configuration change from a hand edit; `out_dir` from `OUT_DIR`. The generated crate is
//! compiled and packaged by `tests/packaging.rs` at the repository root.

use std::path::{Path, PathBuf};

use oapigen::{Config, GenerateError, OperationSelector, Package, VersionPolicy};

fn shop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/customize/shop.yaml")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn file(rendered: &oapigen::config::Rendered, path: &str) -> String {
    rendered
        .files
        .iter()
        .find(|file| file.path == Path::new(path))
        .map(|file| file.contents.clone())
        .unwrap_or_else(|| panic!("no {path} generated"))
}

fn all_rust(rendered: &oapigen::config::Rendered) -> String {
    rendered
        .files
        .iter()
        .filter(|file| file.path.extension().is_some_and(|e| e == "rs"))
        .map(|file| file.contents.as_str())
        .collect()
}

fn customized(out: &Path) -> Config {
    Config::new(shop(), out)
        .crate_name("shop")
        .type_attribute("Audit*", "#[derive(Eq, Hash)]")
        .replace_type("Money", "money::Money")
        .exclude_operations(OperationSelector::Tag("admin".into()))
        .rename_operation("getOrders", "listOrders")
        .rename_type("Order", "Purchase")
}

#[test]
fn hooks_shape_the_generated_code() {
    let plain = Config::new(shop(), scratch("customize-plain"))
        .render()
        .unwrap();
    let code = all_rust(&plain);
    assert!(code.contains("pub struct Money "), "{code}");
    assert!(code.contains("pub fn get_audit("), "{code}");
    assert!(code.contains("pub fn get_orders("), "{code}");

    let rendered = customized(&scratch("customize-hooks")).render().unwrap();
    let code = all_rust(&rendered);
    // Replaced: an alias of the user's type, no struct, no validation of it.
    assert!(code.contains("pub type Money = money::Money;"), "{code}");
    assert!(!code.contains("pub struct Money "), "{code}");
    assert!(!code.contains("impl Validate for Money"), "{code}");
    // The attribute lands on the matching type only.
    let audit = code.find("pub struct AuditLog").expect("AuditLog kept");
    assert!(code[..audit].ends_with("#[non_exhaustive]\n"), "{code}");
    assert!(code.contains("#[derive(Eq, Hash)]\n#[derive(Clone, Debug, PartialEq, Serialize, Default)]\n#[non_exhaustive]\npub struct AuditLog"), "{code}");
    assert!(
        code.contains("impl<'de> Deserialize<'de> for AuditLog {"),
        "{code}"
    );
    assert_eq!(code.matches("#[derive(Eq, Hash)]").count(), 1, "{code}");
    // Excluded by tag; renamed operation and type.
    assert!(!code.contains("get_audit"), "{code}");
    assert!(code.contains("pub fn list_orders("), "{code}");
    assert!(!code.contains("get_orders"), "{code}");
    assert!(code.contains("pub struct Purchase "), "{code}");
    assert!(!code.contains("pub struct Order "), "{code}");
    assert_eq!(rendered.operations, 2);
}

#[test]
fn include_rules_keep_only_what_they_select() {
    let by_path = Config::new(shop(), scratch("customize-include"))
        .include_operations(OperationSelector::Path("/v1/admin/*".into()))
        .render()
        .unwrap();
    assert_eq!(by_path.operations, 1);
    assert!(all_rust(&by_path).contains("pub fn get_audit("));
    let by_id = Config::new(shop(), scratch("customize-include"))
        .include_operations(OperationSelector::OperationId("*Order*".into()))
        .exclude_operations(OperationSelector::OperationId("place*".into()))
        .render()
        .unwrap();
    assert_eq!(by_id.operations, 1);
    assert!(all_rust(&by_id).contains("pub fn get_orders("));
}

#[test]
fn rules_naming_nothing_or_bad_rust_are_errors() {
    let out = scratch("customize-errors");
    let message = |config: Config| match config.render() {
        Err(GenerateError::Config(message)) => message,
        Err(other) => panic!("expected a configuration error, got {other}"),
        Ok(_) => panic!("expected a configuration error"),
    };
    let typo = message(Config::new(shop(), &out).replace_type("Mony", "money::Money"));
    assert!(typo.contains("`Mony`"), "{typo}");
    let op = message(Config::new(shop(), &out).rename_operation("getOrder", "x"));
    assert!(op.contains("getOrder"), "{op}");
    let attr = message(Config::new(shop(), &out).type_attribute("*", "derive(Hash)"));
    assert!(attr.contains("outer attribute"), "{attr}");
    let path = message(Config::new(shop(), &out).replace_type("Money", "1 + 1"));
    assert!(path.contains("type path"), "{path}");
    let mut package = Package::default();
    package
        .dependencies
        .insert("bad name".into(), "\"1\"".into());
    let dep = message(Config::new(shop(), &out).package(package));
    assert!(dep.contains("bad name"), "{dep}");
}

fn publishable() -> Package {
    let mut package = Package {
        description: Some("Shop client".into()),
        license: Some("MIT".into()),
        repository: Some("https://example.com/shop".into()),
        authors: vec!["Shop Team <team@example.com>".into()],
        keywords: vec!["shop".into()],
        ..Package::default()
    };
    package.dependencies.insert(
        "money".into(),
        "{ path = \"../money\", version = \"0.1\" }".into(),
    );
    package
        .features
        .insert("extras".into(), vec!["serde_json/std".into()]);
    package
}

#[test]
fn package_metadata_is_written_and_survives_regeneration() {
    let out = scratch("customize-package");
    let config = customized(&out).package(publishable());
    config.generate().unwrap();
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    for line in [
        "description = \"Shop client\"",
        "license = \"MIT\"",
        "repository = \"https://example.com/shop\"",
        "keywords = [\"shop\"]",
        "readme = \"README.md\"",
        // The runtime from a registry by default, never a path into this repository.
        &format!("oapigen-runtime = {{ version = \"{}\" }}", oapigen::VERSION),
        "money = { path = \"../money\", version = \"0.1\" }",
        "extras = [\"serde_json/std\"]",
    ] {
        assert!(manifest.contains(line), "{line} not in:\n{manifest}");
    }
    assert!(!manifest.contains("publish"), "{manifest}");
    // Parses as TOML with the values we set.
    let parsed: toml::Table = toml::from_str(&manifest).unwrap();
    assert_eq!(parsed["package"]["name"].as_str(), Some("shop"));
    assert_eq!(
        parsed["package"]["authors"][0].as_str(),
        Some("Shop Team <team@example.com>")
    );
    assert!(config.check().unwrap().is_empty());

    // A bump (by hand or `--bump`) is kept by the default policy; `fixed` overrides it.
    let bumped = manifest.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1);
    std::fs::write(out.join("Cargo.toml"), bumped).unwrap();
    assert!(config.check().unwrap().is_empty());
    let mut fixed = publishable();
    fixed.version = VersionPolicy::Fixed("1.0.0".into());
    let fixed = customized(&out).package(fixed);
    let rendered = fixed.render().unwrap();
    assert!(file(&rendered, "Cargo.toml").contains("version = \"1.0.0\""));
}

#[test]
fn check_names_a_configuration_change_not_a_hand_edit() {
    let out = scratch("customize-check");
    customized(&out).package(publishable()).generate().unwrap();
    let mut changed = publishable();
    changed.description = Some("A better description".into());
    let stale = customized(&out).package(changed).check().unwrap();
    assert!(!stale.is_empty());
    for file in &stale {
        assert!(file.reason.contains("configuration"), "{file}");
        assert!(!file.reason.contains("by hand"), "{file}");
    }
    // A real hand edit is still called one.
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("Shop client", "Edited")).unwrap();
    let stale = customized(&out).package(publishable()).check().unwrap();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].reason.contains("edited by hand"), "{}", stale[0]);
}

#[test]
fn project_file_tables_match_the_builder() {
    let dir = scratch("customize-project");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::copy(shop(), dir.join("specs/shop.yaml")).unwrap();
    let project = dir.join("oapigen.toml");
    std::fs::write(
        &project,
        r##"specs = "specs"
out = "crates"

[package]
license = "MIT"
repository = "https://example.com/shop"

[crates.shop.package]
description = "Shop client"
authors = ["Shop Team <team@example.com>"]
keywords = ["shop"]
dependencies = { money = { path = "../money", version = "0.1" } }
features = { extras = ["serde_json/std"] }

[customize]
type_attributes = { "Audit*" = ["#[derive(Eq, Hash)]"] }

[crates.shop.customize]
replace = { Money = "money::Money" }
exclude = { tags = ["admin"] }
rename = { operations = { getOrders = "listOrders" }, types = { Order = "Purchase" } }
"##,
    )
    .unwrap();
    let configs = oapigen::project::configs(&project).unwrap();
    assert_eq!(configs.len(), 1);
    let from_file = configs[0].render().unwrap();
    let from_builder = customized(&dir.join("crates/shop"))
        .package(publishable())
        .render()
        .unwrap();
    assert_eq!(from_file.files.len(), from_builder.files.len());
    for (a, b) in from_file.files.iter().zip(&from_builder.files) {
        assert_eq!(a.path, b.path);
        assert_eq!(a.contents, b.contents, "{} differs", a.path.display());
    }

    std::fs::write(
        &project,
        "specs = \"specs\"\nout = \"crates\"\n[crates.shoop.package]\nlicense = \"MIT\"\n",
    )
    .unwrap();
    let err = oapigen::project::configs(&project).expect_err("unknown crate");
    assert!(err.to_string().contains("[crates.shoop]"), "{err}");
}

#[test]
fn out_dir_defaults_to_the_build_scripts_out_dir() {
    let config = Config::from_spec(shop());
    match std::env::var_os("OUT_DIR") {
        // Not a build script: nowhere to write, said so.
        None => {
            let err = config.generate().expect_err("no output directory");
            assert!(err.to_string().contains("OUT_DIR"), "{err}");
        }
        Some(dir) => assert_eq!(config.out_dir(), Path::new(&dir)),
    }
    let out = scratch("customize-out-dir");
    let generated = Config::from_spec(shop())
        .with_out_dir(&out)
        .module("shop")
        .generate()
        .unwrap();
    assert_eq!(generated.operations, 3);
    assert!(out.join("shop.rs").is_file());
}
