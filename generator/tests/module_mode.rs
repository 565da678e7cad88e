//! `Config::module`: one file to `include!` under `crate::PATH`, for a user's `build.rs`.

use std::path::Path;

#[test]
fn module_mode_renders_one_includable_file_rooted_at_its_path() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/parameters.yaml");
    let out = std::env::temp_dir().join("oapigen-module-mode");
    let rendered = oapigen::Config::new(&spec, &out)
        .module_at("api", "clients::api")
        .render()
        .expect("module mode renders");
    assert_eq!(rendered.files.len(), 1, "one file, nothing else");
    let file = &rendered.files[0];
    assert_eq!(file.path, Path::new("api.rs"));
    let parsed = syn::parse_file(&file.contents).expect("the file parses");
    // `include!` rejects inner attributes at the top of the included file.
    assert!(
        parsed.attrs.is_empty(),
        "inner attributes in an included file"
    );
    let modules: Vec<String> = parsed
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) => Some(module.ident.to_string()),
            _ => None,
        })
        .collect();
    assert!(modules.contains(&"types".to_owned()), "{modules:?}");
    assert!(modules.contains(&"operations".to_owned()), "{modules:?}");
    assert!(
        file.contents.contains("crate::clients::api::types::"),
        "types are referenced through the module path"
    );
    assert!(
        !file.contents.contains("crate::types::"),
        "no crate-root paths leak"
    );
}

#[test]
fn module_mode_rejects_an_invalid_path() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/parameters.yaml");
    let err = oapigen::Config::new(&spec, std::env::temp_dir())
        .module_at("api", "not a path!")
        .render()
        .err()
        .expect("an invalid module path is refused");
    assert!(err.to_string().contains("invalid module path"), "{err}");
}
