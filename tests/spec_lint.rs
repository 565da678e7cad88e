//! Lints `specs/*.yaml` with Redocly CLI (the `recommended` ruleset, configured in
//! `redocly.yaml`) and fails on any error.
//!
//! Redocly is a pinned npm dev-dependency (`package.json` / `package-lock.json`). When it is
//! not installed this test fails and says how to install it: it never skips silently.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn redocly() -> PathBuf {
    let name = if cfg!(windows) {
        "redocly.cmd"
    } else {
        "redocly"
    };
    let path = root().join("node_modules").join(".bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: the spec linter is not installed. Run `npm ci` in {} (Node.js 20.19 or \
         later), then run the tests again.",
        path.display(),
        root().display()
    );
    path
}

fn spec_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("specs"))
        .expect("specs/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "specs/ holds no *.yaml file");
    files
}

#[test]
fn redocly_lint_reports_no_errors() {
    let files = spec_files();
    let output = Command::new(redocly())
        .current_dir(root())
        .arg("lint")
        .args(&files)
        .arg("--config")
        .arg(root().join("redocly.yaml"))
        .arg("--format=json")
        // Offline and quiet: no usage data, no update checks.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .expect("failed to start redocly");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);

    // `--format=json` prints one report per file, back to back.
    let reports: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| {
            panic!("redocly output is not JSON ({e}).\nstdout:\n{stdout}\nstderr:\n{stderr}")
        });
    assert_eq!(
        reports.len(),
        files.len(),
        "expected one lint report per spec.\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );

    let mut errors = Vec::new();
    let mut warnings = 0;
    for report in &reports {
        warnings += report["totals"]["warnings"]
            .as_u64()
            .expect("totals.warnings");
        for problem in report["problems"].as_array().into_iter().flatten() {
            if problem["severity"] == "error" {
                let location = &problem["location"][0];
                errors.push(format!(
                    "{} {} [{}]: {}",
                    location["source"]["ref"].as_str().unwrap_or("?"),
                    location["pointer"].as_str().unwrap_or("?"),
                    problem["ruleId"].as_str().unwrap_or("?"),
                    problem["message"].as_str().unwrap_or("?"),
                ));
            }
        }
        let counted = report["totals"]["errors"].as_u64().expect("totals.errors");
        assert!(
            counted == 0 || !errors.is_empty(),
            "redocly counted errors it did not list:\n{stdout}"
        );
    }
    if warnings > 0 {
        eprintln!("redocly reported {warnings} warning(s); run `npx redocly lint specs/*.yaml` to see them");
    }
    assert!(
        errors.is_empty(),
        "redocly lint found {} error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        output.status.success(),
        "redocly exited with {}.\nstderr:\n{stderr}",
        output.status
    );
}

/// The lint-ignore file silences only the schema check of documented counter-examples: every
/// ignored problem is a `no-invalid-media-type-examples` inside an example marked
/// `x-counter-example: true`.
#[test]
fn only_documented_counter_examples_are_ignored() {
    let path = root().join(".redocly.lint-ignore.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let ignored: serde_yaml::Mapping = serde_yaml::from_str(&text).expect("lint-ignore is YAML");
    let mut entries = 0;
    for (file, rules) in &ignored {
        let file = file.as_str().expect("a spec path");
        let spec_text = std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|err| panic!("cannot read {file}: {err}"));
        let spec: Value = serde_yaml::from_str(&spec_text).expect("spec is YAML");
        let rules = rules.as_mapping().expect("rules per file");
        for (rule, pointers) in rules {
            assert_eq!(
                rule.as_str(),
                Some("no-invalid-media-type-examples"),
                "{file}: only counter-examples may be ignored"
            );
            for pointer in pointers.as_sequence().expect("a list of pointers") {
                entries += 1;
                let pointer = pointer.as_str().expect("a pointer").trim_start_matches('#');
                let example = pointer
                    .split_once("/value")
                    .map(|(example, _)| example)
                    .unwrap_or_else(|| panic!("{file}: {pointer} is not inside an example value"));
                let marked = spec
                    .pointer(example)
                    .and_then(|example| example.get("x-counter-example"));
                assert_eq!(
                    marked,
                    Some(&Value::Bool(true)),
                    "{file}: {pointer} is ignored but {example} is no documented counter-example"
                );
            }
        }
    }
    assert!(entries > 0, "the lint-ignore file lists nothing");
}
