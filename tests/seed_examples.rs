//! Every JSON example of the source documents (`../shared/seeds/*.txt`) appears verbatim, as
//! an equal JSON value, among the examples of the spec that describes the document. Examples
//! that break the schema their own document states are there too, marked
//! `x-counter-example` (`tests/examples.rs` checks they are refused and have a valid variant).

mod common;

use std::path::PathBuf;

use common::Spec;
use serde_json::Value;

/// Each document and the spec it is folded into.
const DOCUMENTS: &[(&str, &str)] = &[
    ("notifications.txt", "notifications.yaml"),
    ("notifications-v3-legacy.txt", "notifications.yaml"),
    ("proactive-events.txt", "proactive-events.yaml"),
    ("proactive-suggestions.txt", "proactive-suggestions.yaml"),
    (
        "skill-development-notifications.txt",
        "skill-development-notifications.yaml",
    ),
];

/// The longest example block, in lines, tried before giving up on a `{` line.
const MAX_BLOCK_LINES: usize = 400;

fn seeds() -> PathBuf {
    let dir = common::root().join("../shared/seeds");
    assert!(
        dir.is_dir(),
        "{} is missing: the source documents are read from the shared folder",
        dir.display()
    );
    dir
}

/// The JSON examples of a document with their line numbers: blocks that start on a line
/// beginning with `{` or `[` and parse as JSON, and inline `Example: {...}` illustrations.
fn json_examples(text: &str) -> Vec<(usize, Value)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        if let Some((_, inline)) = line.split_once("Example: ") {
            if let Ok(value) = serde_json::from_str::<Value>(inline) {
                out.push((index + 1, value));
            }
        } else if line.starts_with('{') || line.starts_with('[') {
            let end = (index + MAX_BLOCK_LINES).min(lines.len());
            for last in index..end {
                let block = lines[index..=last].join("\n");
                if let Ok(value) = serde_json::from_str::<Value>(&block) {
                    out.push((index + 1, value));
                    index = last;
                    break;
                }
            }
        }
        index += 1;
    }
    out
}

#[test]
fn every_document_example_is_a_spec_example_verbatim() {
    let mut missing = Vec::new();
    let mut found = 0;
    for (document, spec_file) in DOCUMENTS {
        let path = seeds().join(document);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let spec = Spec::load(spec_file);
        let examples: Vec<Value> = spec.all_examples().into_iter().map(|e| e.value).collect();
        let blocks = json_examples(&text);
        assert!(!blocks.is_empty(), "{document}: no JSON example found");
        for (line, value) in blocks {
            found += 1;
            if !examples.contains(&value) {
                missing.push(format!(
                    "{document}:{line}: not verbatim in {spec_file}: {value}"
                ));
            }
        }
    }
    println!("{found} document examples found verbatim in the specs");
    // The count guards the extraction itself: a document edit that hides examples from it
    // shows here instead of passing quietly.
    assert_eq!(found, 35, "examples found in the documents");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
