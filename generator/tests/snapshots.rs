//! Snapshot tests: every fixture in `fixtures/constructs/` rendered in memory.

use std::fmt::Write as _;
use std::path::Path;

fn render_fixture(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    // Never written to; `render` only looks for an existing Cargo.toml there.
    let out_dir = std::env::temp_dir()
        .join("oapigen-snapshot-tests-nonexistent")
        .join(&stem);
    let rendered = oapigen::Config::new(path, &out_dir)
        .crate_name("fixture")
        .render()
        .unwrap_or_else(|err| panic!("{} failed to render:\n{err}", path.display()));

    let mut out = String::new();
    for file in &rendered.files {
        writeln!(out, "==> {}", file.path.display()).unwrap();
        out.push_str(&file.contents);
        if !file.contents.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str("==> warnings\n");
    // Warnings name the spec by its absolute path; keep snapshots machine-independent.
    let full = path.display().to_string();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    for warning in &rendered.warnings {
        writeln!(out, "{}", warning.to_string().replace(&full, &name)).unwrap();
    }
    out
}

#[test]
fn constructs() {
    insta::glob!("fixtures/constructs/*.yaml", |path| {
        insta::assert_snapshot!(render_fixture(path));
    });
}
