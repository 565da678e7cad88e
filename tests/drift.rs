//! The committed crates in `generated/` are exactly what the generator makes from `specs/`,
//! and generating twice gives the same bytes.

use std::path::Path;

/// The project's configs, read from `oapigen.toml` exactly as the CLI and `build.rs` read it.
fn project_configs() -> Vec<oapigen::Config> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("oapigen.toml");
    oapigen::project::configs(&project).expect("oapigen.toml is valid")
}

#[test]
fn generated_crates_match_specs_byte_for_byte() {
    let configs = project_configs();
    assert_eq!(configs.len(), 4, "one crate per spec");
    let mut stale = Vec::new();
    for config in &configs {
        stale.extend(
            config
                .check()
                .expect("spec generates")
                .into_iter()
                .map(|s| s.to_string()),
        );
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p oapigen-cli`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    for config in project_configs() {
        let first = config.render().expect("renders");
        let second = config.render().expect("renders");
        assert_eq!(first.files.len(), second.files.len());
        for (a, b) in first.files.iter().zip(&second.files) {
            assert_eq!(a.path, b.path);
            assert!(
                a.contents == b.contents,
                "{} differs between two runs",
                a.path.display()
            );
        }
    }
}

#[test]
fn check_explains_a_hand_edit() {
    let config = &project_configs()[0];
    let dir = std::env::temp_dir().join(format!("oapigen-drift-{}", std::process::id()));
    let copy = oapigen::Config::new(config.spec(), &dir)
        .crate_name("alexa-notifications")
        .runtime_dependency(oapigen::RuntimeDependency::Path("../../runtime".into()));
    let first = copy.generate().expect("generates");
    assert!(!first.files.is_empty());
    assert!(
        copy.check().expect("checks").is_empty(),
        "fresh output is not stale"
    );
    let edited = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{text}\n// a hand edit\n")).unwrap();
    let stale = copy.check().expect("checks");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].reason.contains("edited by hand"), "{}", stale[0]);
    // Regenerating restores the file and reports exactly one change.
    let generated = copy.generate().expect("generates");
    assert_eq!(generated.changed(), 1);
    std::fs::remove_dir_all(&dir).ok();
}
