//! Shared by the test suites: rendering a fixture as a snapshot, locating a shared corpus,
//! and compiling a few of its specs through the same code as `oapigen corpus`.

// Each suite compiles this module and uses part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oapigen::corpus::{self, Outcome};

/// `../shared/NAME` beside the repository, or a failure saying how to get it.
pub fn shared_corpus(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(name);
    assert!(
        dir.is_dir(),
        "the shared {name} is missing at {}: clone the project with `shared/` beside it",
        dir.display()
    );
    dir
}

/// Generates `names` from `corpus` into a scratch workspace named `scratch_name` and
/// `cargo check`s them (warnings count as failures), asserting every one compiles clean.
/// All callers share one target directory, so dependencies are built once.
pub fn assert_compile_clean(corpus: &Path, names: &[&str], scratch_name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join(scratch_name);
    let specs = scratch.join("specs");
    std::fs::create_dir_all(&specs).expect("create scratch dir");
    for name in names {
        std::fs::copy(corpus.join(name), specs.join(name)).expect("copy spec");
    }
    let options = corpus::Options {
        specs,
        work: scratch.join("work"),
        target_dir: tmp.join("corpus-small/target"),
        runtime: root.join("runtime").canonicalize().expect("runtime crate"),
        filter: None,
        check: true,
        lockfile: Some(root.join("Cargo.lock")),
    };
    let mut generate = |spec: &Path, out: &Path, name: &str, runtime| {
        corpus::generate_one(spec, out, name, runtime)
    };
    let rows = corpus::run(&options, &mut generate, &mut |_| {}).expect("corpus run");
    let report = corpus::format_report(&rows, true);
    println!("{report}");
    assert_eq!(rows.len(), names.len(), "{report}");
    for row in &rows {
        assert!(
            matches!(row.outcome, Outcome::Generated(_)),
            "{} did not generate:\n{report}",
            row.spec
        );
        assert!(
            row.compiles_clean(),
            "{} does not compile clean:\n{report}",
            row.spec
        );
    }
    assert!(
        report.ends_with(&format!(
            "{0}/{0} specs compile clean, 0 panics\n",
            names.len()
        )),
        "{report}"
    );
}

/// Renders the spec at `path` in memory as crate `fixture`.
pub fn render(path: &Path) -> oapigen::config::Rendered {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    // Never written to; `render` only looks for an existing Cargo.toml there.
    let out_dir = std::env::temp_dir()
        .join("oapigen-fixture-tests-nonexistent")
        .join(&stem);
    oapigen::Config::new(path, &out_dir)
        .crate_name("fixture")
        .render()
        .unwrap_or_else(|err| panic!("{} failed to render:\n{err}", path.display()))
}

/// Every rendered file of the spec at `path`, then its warnings, as one snapshot text.
pub fn render_fixture(path: &Path) -> String {
    let rendered = render(path);
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

/// Renders every spec of `specs` leniently (no compile; `render` parses each generated file
/// with syn, so success means the output is Rust) and fails on any refusal or panic. Each
/// warning must carry a JSON pointer and pass `check_warning`.
pub fn assert_all_render(specs: &[PathBuf], check_warning: impl Fn(&Path, &oapigen::Diagnostic)) {
    let out = std::env::temp_dir().join("oapigen-corpus-render-only");
    let mut failures = Vec::new();
    for spec in specs {
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            oapigen::Config::new(spec, &out)
                .crate_name(corpus::crate_name(spec))
                .lenient(true)
                .render()
        }));
        match rendered {
            Ok(Ok(rendered)) => {
                assert!(!rendered.files.is_empty(), "{}: no files", spec.display());
                for warning in &rendered.warnings {
                    assert!(
                        warning.pointer.starts_with('/') || warning.pointer.is_empty(),
                        "{}: diagnostic without a JSON pointer: {warning}",
                        spec.display()
                    );
                    check_warning(spec, warning);
                }
            }
            Ok(Err(err)) => failures.push(format!("{}: refused: {err}", spec.display())),
            Err(_) => failures.push(format!("{}: PANIC", spec.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Why the doc comments of generated `files` are not inert, one line per problem: a fence
/// that is not the generator's own (`text`, or its `no_run` example), an indented code block,
/// HTML outside code, or a bidirectional control character anywhere. Empty when inert.
pub fn doc_problems(files: &[oapigen::output::OutputFile]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files {
        let name = file.path.display();
        for (n, line) in file.contents.lines().enumerate() {
            if line.chars().any(is_bidi_control) {
                problems.push(format!("{name}:{}: bidirectional control character", n + 1));
            }
        }
        if file.path.extension().is_some_and(|e| e == "rs") {
            problems.extend(
                fence_problems(&file.contents)
                    .into_iter()
                    .map(|p| format!("{name}:{p}")),
            );
        }
    }
    problems
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The doc-comment text of each line of Rust `source` that is one (`///`, `//!`, or a
/// `#[doc = "..."]` attribute prettyplease kept), with its 1-based line number.
fn doc_comment_lines(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        let text = if let Some(rest) = trimmed.strip_prefix("///") {
            rest.to_owned()
        } else if let Some(rest) = trimmed.strip_prefix("//!") {
            rest.to_owned()
        } else if trimmed.starts_with("#[doc") || trimmed.starts_with("#![doc") {
            // Not a line-comment form: report it verbatim so the check sees it.
            format!(" {trimmed}")
        } else {
            continue;
        };
        out.push((n + 1, text.strip_prefix(' ').unwrap_or(&text).to_owned()));
    }
    out
}

fn fence_problems(source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    // (info string, the fence's marker) of the open fence.
    let mut open: Option<(String, String)> = None;
    let mut previous_blank = true;
    for (n, text) in doc_comment_lines(source) {
        let trimmed = text.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        let is_fence =
            marker.len() >= 3 && marker.chars().all(|c| c == marker.as_bytes()[0] as char);
        if let Some((info, fence)) = &open {
            if is_fence && marker.starts_with(fence.as_str()) && trimmed.trim_end() == marker {
                open = None;
            } else if info != "text" && text.contains("exit(") {
                problems.push(format!(
                    "{n}: spec text inside a `{info}` code block: {text}"
                ));
            }
            continue;
        }
        if is_fence {
            let info = trimmed[marker.len()..].trim().to_owned();
            if info != "text" && info != "no_run" {
                problems.push(format!("{n}: live fence `{trimmed}`"));
            }
            open = Some((info, marker));
            continue;
        }
        if previous_blank && text.starts_with("    ") && !text.trim().is_empty() {
            problems.push(format!("{n}: indented code block: {text}"));
        }
        previous_blank = text.trim().is_empty();
        // HTML outside code spans: `<` may only open an autolink.
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 1 {
                continue;
            }
            for (at, _) in part.match_indices('<') {
                let rest = &part[at + 1..];
                if !(rest.starts_with("http://") || rest.starts_with("https://")) {
                    problems.push(format!("{n}: HTML outside code: {text}"));
                }
            }
        }
    }
    if let Some((info, _)) = open {
        problems.push(format!("unclosed `{info}` fence at the end of the file"));
    }
    problems
}
