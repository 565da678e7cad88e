//! A hostile spec cannot run code, escape the output folder, or exhaust the machine: each
//! test here reproduces one way a crafted spec (or its file name) used to act on the machine.

mod common;

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

#[test]
fn spec_text_never_becomes_a_doctest_html_or_bidi_text() {
    let rendered = common::render(&fixture("doc_injection.yaml"));
    let problems = common::doc_problems(&rendered.files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The texts are still there, inert.
    let all: String = rendered.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(all.contains("std::process::exit(66);"));
}

#[test]
fn the_doc_check_finds_live_fences() {
    // The check itself must fail on what it guards against.
    let file = |contents: &str| oapigen::output::OutputFile {
        path: "src/lib.rs".into(),
        contents: contents.to_owned(),
    };
    for bad in [
        "/// a\n/// ~~~rust\n/// std::process::exit(1);\n/// ~~~\nfn a() {}\n",
        "/// a\n/// ```\n/// x\n/// ```\nfn a() {}\n",
        "/// a\n///\n///     std::process::exit(1);\nfn a() {}\n",
        "/// <script>x</script>\nfn a() {}\n",
        "/// a \u{202E}b\nfn a() {}\n",
        "/// ```no_run\n/// std::process::exit(1);\n/// ```\nfn a() {}\n",
    ] {
        assert!(
            !common::doc_problems(&[file(bad)]).is_empty(),
            "missed: {bad}"
        );
    }
    let good = "/// a `<b>` <https://x.y>\n/// ```text\n/// <b> ~~~rust\n/// ```\nfn a() {}\n";
    assert_eq!(common::doc_problems(&[file(good)]), Vec::<String>::new());
}

fn minimal_spec(title: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: {title}, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {{description: done}}\n"
    )
}

/// A scratch folder of this test, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn file<'a>(rendered: &'a oapigen::config::Rendered, name: &str) -> &'a str {
    let found = rendered.files.iter().find(|f| f.path == Path::new(name));
    &found.unwrap_or_else(|| panic!("no {name}")).contents
}

#[test]
fn crate_names_are_checked_like_cargo_does() {
    let dir = scratch("crate-names");
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, minimal_spec("A")).unwrap();
    for bad in [
        "x\"\nbuild = \"evil.rs",
        "x\n[dependencies]\nevil = \"1\"",
        "../escape",
        "a b",
        "1st",
        "type",
        "",
        &"a".repeat(65),
    ] {
        let err = oapigen::Config::new(&spec, dir.join("out"))
            .crate_name(bad)
            .render()
            .err()
            .unwrap_or_else(|| panic!("accepted crate name {bad:?}"));
        let text = err.to_string();
        assert!(text.contains("cannot be the crate name"), "{text}");
        assert!(text.contains("api.yaml"), "{text}");
    }
    for good in ["api", "my-api_2", "_x"] {
        oapigen::Config::new(&spec, dir.join("out"))
            .crate_name(good)
            .render()
            .unwrap_or_else(|err| panic!("refused {good}: {err}"));
    }
    // A module name becomes a file name and a Rust path.
    let err = oapigen::Config::new(&spec, dir.join("out"))
        .module("../x")
        .render();
    assert!(err.is_err(), "module name `../x` accepted");
}

#[test]
fn spec_file_names_and_texts_cannot_inject_toml_or_rust() {
    let dir = scratch("toml-injection");
    // A newline in the file name used to end the header comment of every file.
    let spec = dir.join("a\n[package]\nbuild = \"evil.rs\"\n-->x.yaml");
    // YAML escapes: quotes, newlines and a DEL, which TOML strings must escape.
    let title = r#""Evil\"\"\"\n[dependencies]\nevil = \"1\"\n\x7f""#;
    std::fs::write(&spec, minimal_spec(title)).unwrap();
    let rendered = oapigen::Config::new(&spec, dir.join("out"))
        .crate_name("fixture")
        .runtime_dependency(oapigen::RuntimeDependency::Path(
            "../rt\"\nbuild = \"x.rs".into(),
        ))
        .render()
        .expect("renders");
    let cargo = file(&rendered, "Cargo.toml");
    let manifest: toml::Table =
        toml::from_str(cargo).unwrap_or_else(|err| panic!("{err}\n{cargo}"));
    assert_eq!(manifest["package"]["name"].as_str(), Some("fixture"));
    assert!(manifest["package"].get("build").is_none(), "{cargo}");
    assert!(manifest["dependencies"].get("evil").is_none(), "{cargo}");
    assert_eq!(
        manifest.keys().collect::<Vec<_>>(),
        ["dependencies", "package"]
    );
    assert_eq!(
        manifest["dependencies"]["oapigen-runtime"]["path"].as_str(),
        Some("../rt\"\nbuild = \"x.rs")
    );
    assert!(manifest["package"]["description"]
        .as_str()
        .unwrap()
        .contains("[dependencies]"));
    // The header stays one comment line in every file.
    for file in &rendered.files {
        let second = file.contents.lines().nth(1).unwrap_or_default();
        assert!(
            !second.contains("build ="),
            "{}: {second}",
            file.path.display()
        );
    }
    let readme = file(&rendered, "README.md");
    assert_eq!(readme.matches("-->").count(), 1, "{readme}");
    let problems = common::doc_problems(&rendered.files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_project_spec_name_cannot_leave_the_output_folder() {
    let dir = scratch("project-names");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(
        dir.join("oapigen.toml"),
        "specs = \"specs\"\nout = \"generated\"\n",
    )
    .unwrap();
    for name in ["...yaml", "..yaml", "a b.yaml"] {
        let spec = dir.join("specs").join(name);
        std::fs::write(&spec, minimal_spec("A")).unwrap();
        let err = oapigen::project::configs(&dir.join("oapigen.toml"))
            .err()
            .unwrap_or_else(|| panic!("project accepted spec {name}"));
        assert!(err.to_string().contains("cannot be a crate name"), "{err}");
        std::fs::remove_file(&spec).unwrap();
    }
    std::fs::write(dir.join("specs/ok.yaml"), minimal_spec("A")).unwrap();
    let configs = oapigen::project::configs(&dir.join("oapigen.toml")).expect("valid project");
    assert_eq!(configs[0].out_dir(), dir.join("generated/ok"));
}

/// A scratch folder with `api.yaml` and an output folder `out` generated once.
fn generated_once(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, minimal_spec("A")).unwrap();
    let out = dir.join("out");
    oapigen::Config::new(&spec, &out)
        .generate()
        .expect("first generation");
    (dir, spec, out)
}

#[cfg(unix)]
#[test]
fn writes_never_go_through_symlinks() {
    use std::os::unix::fs::symlink;
    let (dir, spec, out) = generated_once("symlinked-writes");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("victim"), "keep me").unwrap();
    // A symlinked folder on the way, and a symlinked file.
    std::fs::remove_dir_all(out.join("src")).unwrap();
    symlink(&outside, out.join("src")).unwrap();
    std::fs::remove_file(out.join("Cargo.toml")).unwrap();
    symlink(outside.join("victim"), out.join("Cargo.toml")).unwrap();
    for force in [false, true] {
        let err = oapigen::Config::new(&spec, &out)
            .force(force)
            .generate()
            .expect_err("wrote through a symlink");
        let text = err.to_string();
        assert!(text.contains("out/src is a symlink"), "{text}");
        assert!(text.contains("Cargo.toml: "), "{text}");
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(outside.join("victim")).unwrap(),
        "keep me"
    );
    // Nothing was written either: the README (changed by nothing) is untouched.
    assert!(out.join("README.md").is_file());
}

#[test]
fn a_users_file_is_overwritten_only_with_force() {
    let (_dir, spec, out) = generated_once("foreign-files");
    std::fs::write(out.join("README.md"), "my own notes\n").unwrap();
    // Also remove a generated file: a refused generation must not write it back.
    std::fs::remove_file(out.join("src/lib.rs")).unwrap();
    let err = oapigen::Config::new(&spec, &out)
        .generate()
        .expect_err("overwrote a user's file");
    let text = err.to_string();
    assert!(text.contains("README.md: not written by oapigen"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(
        std::fs::read_to_string(out.join("README.md")).unwrap(),
        "my own notes\n"
    );
    assert!(
        !out.join("src/lib.rs").exists(),
        "wrote part of the crate before refusing"
    );
    oapigen::Config::new(&spec, &out)
        .force(true)
        .generate()
        .expect("--force overwrites");
    assert!(std::fs::read_to_string(out.join("README.md"))
        .unwrap()
        .starts_with("<!-- @generated"));
    assert!(out.join("src/lib.rs").is_file());
    // No staging folder is left behind.
    let hidden = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(hidden, 0);
}

#[cfg(unix)]
#[test]
fn orphan_removal_deletes_only_the_generators_own_regular_files() {
    use std::os::unix::fs::symlink;
    let (dir, spec, out) = generated_once("orphans");
    let header = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    let header = header.lines().next().unwrap().to_owned();
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // Outside --out, reached through a symlinked folder: must survive.
    std::fs::write(outside.join("old.rs"), format!("{header}\n")).unwrap();
    symlink(&outside, out.join("linked")).unwrap();
    // A symlink loop must not hang the walk.
    symlink(&out, out.join("loop")).unwrap();
    // The marker, but not as the generator's header line.
    std::fs::write(
        out.join("src/notes.md"),
        "see: @generated by oapigen 0.1.0 from x (spec sha256 ab)\n",
    )
    .unwrap();
    // A symlink to a generated-looking file: the link is not removed, the target survives.
    symlink(outside.join("old.rs"), out.join("src/link.rs")).unwrap();
    // A real orphan: the generator's own file the spec no longer produces.
    std::fs::write(
        out.join("src/stale.rs"),
        format!("{header}\npub struct Old;\n"),
    )
    .unwrap();
    let generated = oapigen::Config::new(&spec, &out)
        .generate()
        .expect("generates");
    let removed: Vec<_> = generated
        .files
        .iter()
        .filter_map(|f| match f {
            oapigen::FileStatus::Removed(path) => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(removed, [out.join("src/stale.rs")]);
    assert!(outside.join("old.rs").is_file());
    assert!(out.join("src/notes.md").is_file());
    assert!(std::fs::symlink_metadata(out.join("src/link.rs")).is_ok());
}

#[test]
fn long_tags_make_short_file_names_and_a_whole_crate() {
    let dir = scratch("long-tags");
    let spec = dir.join("api.yaml");
    let long = "t".repeat(300);
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: A, version: '1'}}\npaths:\n  /a:\n    get:\n      tags: [{long}a]\n      operationId: getA\n      responses:\n        '204': {{description: done}}\n  /b:\n    get:\n      tags: [{long}b]\n      operationId: getB\n      responses:\n        '204': {{description: done}}\n"
    );
    std::fs::write(&spec, text).unwrap();
    let out = dir.join("out");
    let generated = oapigen::Config::new(&spec, &out)
        .generate()
        .expect("generates");
    let mut names = Vec::new();
    for status in &generated.files {
        let oapigen::FileStatus::Written(path) = status else {
            panic!("unexpected {status:?}");
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.len() <= 64 + ".rs".len(), "{name}");
        names.push(name);
    }
    // The two tags share 300 characters and still get two files.
    let operations: Vec<_> = names.iter().filter(|n| n.starts_with("ttt")).collect();
    assert_eq!(operations.len(), 2, "{names:?}");
    assert_ne!(operations[0], operations[1]);
}

#[test]
fn the_input_is_capped_and_must_be_a_regular_file() {
    let dir = scratch("input-cap");
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, minimal_spec("A")).unwrap();
    let err = oapigen::Config::new(&spec, dir.join("out"))
        .max_input_bytes(100)
        .render()
        .err()
        .expect("read a spec over the cap");
    let text = err.to_string();
    assert!(
        text.contains("api.yaml") && text.contains("over the input cap of 100 bytes"),
        "{text}"
    );
    assert!(text.contains("--max-input-mib"), "{text}");
    #[cfg(unix)]
    {
        let err = oapigen::Config::new("/dev/zero", dir.join("out"))
            .crate_name("zero")
            .render();
        let text = err.err().expect("read a device").to_string();
        assert!(text.contains("/dev/zero: not a regular file"), "{text}");
    }
    oapigen::Config::new(&spec, dir.join("out"))
        .max_input_bytes(10_000)
        .render()
        .expect("under the cap");
}

#[test]
fn type_alias_cycles_are_located_errors_not_uncompilable_code() {
    let path = fixture("alias_cycles.yaml");
    let err = oapigen::Config::new(&path, scratch("alias-cycles").join("out"))
        .render()
        .err()
        .expect("rendered aliases rustc rejects");
    let text = err.to_string();
    assert!(text.contains("alias_cycles.yaml:19: error:"), "{text}");
    assert!(text.contains("Ping → Pong → Ping"), "{text}");
    assert!(text.contains("(at #/components/schemas/Ping)"), "{text}");
    assert!(text.contains("alias_cycles.yaml:23: error:"), "{text}");
    assert!(text.contains("(at #/components/schemas/Nested)"), "{text}");
}

/// `S0` an object, each `S{i}` an `allOf` of `S{i-1}` alone: a chain `depth` links long.
fn all_of_chain(depth: usize) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Chain, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n",
    );
    spec.push_str(&format!(
        "              schema: {{$ref: '#/components/schemas/S{}'}}\ncomponents:\n  schemas:\n    S0:\n      type: object\n      properties:\n        p0: {{type: string}}\n",
        depth - 1
    ));
    for i in 1..depth {
        spec.push_str(&format!(
            "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{}'\n",
            i - 1
        ));
    }
    spec
}

#[test]
fn a_long_all_of_chain_is_merged_whole_in_linear_time() {
    let dir = scratch("all-of-chain");
    let spec = dir.join("chain.yaml");
    std::fs::write(&spec, all_of_chain(3000)).unwrap();
    let started = std::time::Instant::now();
    let rendered = oapigen::Config::new(&spec, dir.join("out"))
        .render()
        .expect("renders");
    let elapsed = started.elapsed();
    // Each link used to walk the chain again, up to a cap of 256 members, so the links past
    // the cap lost `p0` (with a warning): 3000 links took 3000 x 256 steps.
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let types: String = rendered
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/types"))
        .map(|f| f.contents.as_str())
        .collect();
    let last = types.find("pub struct S2999 ").expect("S2999");
    assert!(
        types[last..].contains("pub p0: Option<String>"),
        "S2999 lost p0"
    );
    eprintln!("3000-link allOf chain rendered in {elapsed:?}");
}

#[test]
fn the_hostile_doc_fixture_compiles_clean() {
    // The inert texts must still be a crate that builds with warnings denied.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    common::assert_compile_clean(&fixtures, &["doc_injection.yaml"], "hostile-compile");
}

#[test]
fn names_starting_with_digits_underscores_symbols_and_keywords_compile_clean() {
    // Every position a spec name reaches (types, fields, setters, variants, operations,
    // parameters, headers, groups and their features) with warnings denied.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/names");
    common::assert_compile_clean(&fixtures, &["hostile_names.yaml"], "hostile-names");
}
