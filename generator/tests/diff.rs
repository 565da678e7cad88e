//! The spec-change impact report: fixture pairs in `fixtures/diff/<case>/{old,new}.yaml`,
//! their Markdown reports snapshotted, their classifications checked, `--base` against a
//! temporary git repository and `--bump` (the command line: `cli/tests/diff.rs`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use oapigen::diff::{self, changelog, conventions, Bump, ChangeKind, CrateReport, Impact, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/diff exists")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

fn report(case: &str) -> CrateReport {
    // Relative paths keep the snapshots machine-independent (tests run in the package dir).
    let dir = Path::new("tests/fixtures/diff").join(case);
    diff::diff_files(
        &dir.join("old.yaml"),
        &dir.join("new.yaml"),
        case,
        Some("0.1.0"),
    )
    .unwrap_or_else(|err| panic!("{case}: {err}"))
}

fn kinds(report: &CrateReport) -> Vec<(ChangeKind, Impact)> {
    report.changes.iter().map(|c| (c.kind, c.impact)).collect()
}

#[test]
fn markdown_reports_of_every_fixture_pair() {
    for case in cases() {
        let markdown = diff::report::markdown(&Report {
            crates: vec![report(&case)],
        });
        insta::assert_snapshot!(format!("diff_{case}"), markdown);
    }
}

/// Each fixture's expected changes, with the impact the conventions give them.
#[test]
fn each_kind_of_change_is_classified() {
    use ChangeKind as K;
    use Impact::{Additive as A, Breaking as B, DocsOnly as D};
    let expected: &[(&str, &[(K, Impact)])] = &[
        (
            "operations",
            &[
                (K::OperationAdded, A),
                (K::OperationRemoved, B),
                (K::EndpointChanged, B),
                (K::Deprecated, A),
                (K::AuthChanged, B),
                (K::PaginationAdded, A),
            ],
        ),
        (
            "operation_names",
            &[(K::TypeAdded, A), (K::OperationItemRenamed, B)],
        ),
        (
            "parameters",
            &[
                (K::RequiredParameterAdded, B),
                (K::OptionalParameterAdded, A),
                (K::ParameterRemoved, B),
                (K::ParameterMadeRequired, B),
                (K::ParameterMadeOptional, B),
                (K::ParameterTypeChanged, B),
                (K::ParameterSerializationChanged, B),
                (K::ConstraintTightened, B),
                (K::ConstraintLoosened, A),
                (K::DocsChanged, D),
            ],
        ),
        (
            "bodies",
            &[
                (K::RequiredBodyAdded, B),
                (K::OptionalBodyAdded, A),
                (K::BodyRemoved, B),
                (K::BodyMadeOptional, B),
                (K::BodyMadeRequired, B),
                (K::BodyTypeChanged, B),
            ],
        ),
        (
            "responses",
            &[
                (K::ResponseHeaderAdded, A),
                (K::ResponseHeaderTypeChanged, B),
                (K::ErrorBodyChanged, B),
                (K::ErrorStatusAdded, A),
                (K::ErrorStatusRemoved, B),
                (K::ResponseBodyAdded, A),
                (K::SuccessStatusAdded, A),
                (K::SuccessStatusRemoved, B),
                (K::ResponseTypeChanged, B),
                (K::ResponseConstraintChanged, D),
            ],
        ),
        (
            "struct_fields",
            &[
                (K::RequiredFieldAdded, B),
                (K::OptionalFieldAdded, A),
                (K::FieldRemoved, B),
                (K::FieldRenamed, B),
                (K::FieldMadeRequired, B),
                (K::FieldMadeOptional, B),
                (K::FieldTypeChanged, B),
                (K::ConstraintTightened, B),
                (K::ConstraintLoosened, A),
                (K::Deprecated, A),
                (K::AdditionalPropertiesAdded, A),
                (K::UnknownPropertiesRejected, B),
                (K::UnknownPropertiesAccepted, A),
                (K::DocsChanged, D),
            ],
        ),
        ("enums", &[(K::EnumValueAdded, A), (K::EnumValueRemoved, B)]),
        (
            "unions",
            &[
                (K::UnionVariantAdded, A),
                (K::UnionVariantInserted, B),
                (K::UnionVariantRemoved, B),
            ],
        ),
        (
            "crate_level",
            &[
                (K::RegionAdded, A),
                (K::RegionRemoved, B),
                (K::ServerChanged, B),
                (K::DocsChanged, D),
            ],
        ),
        ("docs_only", &[(K::DocsChanged, D)]),
        ("examples_only", &[(K::SpecTextChanged, D)]),
    ];
    for (case, wanted) in expected {
        let found = kinds(&report(case));
        for want in *wanted {
            assert!(
                found.contains(want),
                "{case}: {want:?} missing from {found:?}"
            );
        }
    }
}

/// Every kind in the conventions table is produced by some fixture, except those listed.
#[test]
fn fixtures_cover_the_conventions_table() {
    let mut seen = HashSet::new();
    for case in cases() {
        seen.extend(report(&case).changes.iter().map(|c| c.kind));
    }
    let not_covered = [
        ChangeKind::PaginationRemoved,
        ChangeKind::PaginationChanged,
        ChangeKind::FieldWireNameChanged,
        ChangeKind::UnionVariantChanged,
        ChangeKind::AdditionalPropertiesRemoved,
    ];
    for row in conventions::CONVENTIONS {
        if !not_covered.contains(&row.kind) {
            assert!(
                seen.contains(&row.kind),
                "no fixture produces {:?}",
                row.kind
            );
        }
    }
}

#[test]
fn docs_only_change_is_a_patch_without_breaking_items() {
    for case in ["docs_only", "examples_only"] {
        let report = report(case);
        assert!(!report.changes.is_empty(), "{case}");
        assert!(
            report.changes.iter().all(|c| c.impact == Impact::DocsOnly),
            "{case}"
        );
        assert!(!report.has_breaking());
        assert_eq!(report.bump, Bump::Patch, "{case}");
        assert_eq!(report.next_version.as_deref(), Some("0.1.1"), "{case}");
    }
    let same = report("no_change");
    assert!(same.changes.is_empty());
    assert_eq!(
        (same.bump, same.next_version.as_deref()),
        (Bump::None, Some("0.1.0"))
    );
}

#[test]
fn every_change_kind_at_once_takes_the_strongest_bump() {
    let report = report("everything");
    let impacts: HashSet<Impact> = report.changes.iter().map(|c| c.impact).collect();
    assert_eq!(impacts.len(), 3, "{:#?}", report.changes);
    assert!(report.has_breaking());
    assert_eq!(report.bump, Bump::Minor, "0.x: breaking bumps the minor");
    assert_eq!(report.next_version.as_deref(), Some("0.2.0"));
    let at_one = diff::CrateReport::new(
        "x",
        Path::new("x.yaml"),
        "",
        report.changes.clone(),
        Some("1.4.2"),
    )
    .expect("valid version");
    assert_eq!(
        (at_one.bump, at_one.next_version.as_deref()),
        (Bump::Major, Some("2.0.0"))
    );
}

#[test]
fn bad_input_gives_a_clear_error() {
    let missing = diff::diff_files(
        Path::new("no/such/old.yaml"),
        Path::new("tests/fixtures/diff/enums/new.yaml"),
        "x",
        None,
    );
    let message = missing.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("old spec") && message.contains("no/such/old.yaml"),
        "{message}"
    );
    let bad_version = diff::diff_files(
        Path::new("tests/fixtures/diff/enums/old.yaml"),
        Path::new("tests/fixtures/diff/enums/new.yaml"),
        "x",
        Some("one"),
    );
    assert!(bad_version
        .err()
        .is_some_and(|e| e.to_string().contains("`one`")));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=oapigen test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A project in a fresh git repository: one real spec of ours, generated, committed.
fn temp_project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oapigen-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).expect("temp dir");
    std::fs::write(
        dir.join("oapigen.toml"),
        "specs = \"specs\"\nout = \"generated\"\ncrate_prefix = \"alexa-\"\n",
    )
    .expect("write");
    let real =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/skill-development-notifications.yaml");
    std::fs::copy(real, dir.join("specs/sdn.yaml")).expect("copy spec");
    for config in oapigen::project::configs(&dir.join("oapigen.toml")).expect("project") {
        config.crate_version("0.3.0").generate().expect("generates");
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "first"]);
    dir
}

/// The sample change: an optional field, a required field, an enum value, a doc edit.
fn edit_spec(spec: &Path) {
    let text = std::fs::read_to_string(spec).expect("spec");
    let text = text
        .replace("      enum: [ACTIVE, INACTIVE]", "      enum: [ACTIVE, INACTIVE, SUSPENDED]")
        .replace("      required: [name, endpoint]\n", "      required: [name, endpoint, vendorId]\n")
        .replace(
            "          description: New name of the subscriber.\n          minLength: 1\n",
            "          description: New name of the subscriber.\n          minLength: 1\n        vendorId:\n          type: string\n          description: Owning developer account.\n        note:\n          type: string\n",
        )
        .replace("ARN of the IAM role that SDNS assumes to publish.", "ARN of the IAM role SDNS assumes when it publishes.");
    std::fs::write(spec, text).expect("write spec");
}

#[test]
fn base_compares_with_a_git_revision_of_a_real_spec() {
    let dir = temp_project("base");
    let project = dir.join("oapigen.toml");
    let unchanged = diff::diff_base(&project, "HEAD").expect("diff");
    assert_eq!(unchanged.crates.len(), 1);
    assert!(unchanged.crates[0].changes.is_empty());

    edit_spec(&dir.join("specs/sdn.yaml"));
    // A spec the revision does not have: a new crate, nothing to compare with.
    std::fs::copy(
        fixtures().join("enums/new.yaml"),
        dir.join("specs/added.yaml"),
    )
    .expect("copy");
    let report = diff::diff_base(&project, "HEAD").expect("diff");
    assert_eq!(report.crates.len(), 2);
    assert!(report.crates[0].new_crate && report.crates[0].crate_name == "alexa-added");
    assert_eq!(report.crates[0].bump, Bump::None);
    let krate = &report.crates[1];
    assert_eq!(krate.crate_name, "alexa-sdn");
    assert_eq!(krate.current_version.as_deref(), Some("0.3.0"));
    assert_eq!(krate.next_version.as_deref(), Some("0.4.0"));
    let markdown = diff::report::markdown(&report).replace(&dir.display().to_string(), "PROJECT");
    insta::assert_snapshot!("diff_base_real_spec", markdown);

    let unknown = diff::diff_base(&project, "no-such-revision")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        unknown.contains("unknown revision `no-such-revision`"),
        "{unknown}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bump_sets_the_version_and_keeps_the_changelog_across_regeneration() {
    let dir = temp_project("bump");
    edit_spec(&dir.join("specs/sdn.yaml"));
    let configs = oapigen::project::configs(&dir.join("oapigen.toml")).expect("project");
    let config = &configs[0];
    for _ in 0..2 {
        // What `generate --bump` does; twice, to show it is idempotent.
        let report = diff::diff_config_base(config, "HEAD").expect("diff");
        config.generate().expect("generates");
        let applied = changelog::apply(config.out_dir(), &report).expect("bump");
        assert_eq!(
            applied,
            changelog::Applied::Bumped {
                version: "0.4.0".into()
            }
        );
    }
    let manifest = std::fs::read_to_string(config.out_dir().join("Cargo.toml")).expect("manifest");
    assert_eq!(diff::package_version(&manifest).as_deref(), Some("0.4.0"));
    // Regenerating keeps the bumped version and does not remove the changelog.
    config.generate().expect("regenerates");
    assert!(
        config.check().expect("checks").is_empty(),
        "bumped crate is up to date"
    );
    let manifest = std::fs::read_to_string(config.out_dir().join("Cargo.toml")).expect("manifest");
    assert_eq!(diff::package_version(&manifest).as_deref(), Some("0.4.0"));
    let log =
        std::fs::read_to_string(config.out_dir().join(changelog::FILE)).expect("changelog kept");
    assert_eq!(log.matches("## 0.4.0").count(), 1, "{log}");
    assert!(
        log.contains("new required field `vendor_id: String`"),
        "{log}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
