//! `generate --bump`: writes a report's version into the generated crate's `Cargo.toml` and
//! its entry into the crate's `CHANGELOG.md`.
//!
//! `CHANGELOG.md` carries no `@generated` header, so the generator never treats it as an
//! orphan to remove, and `--check` ignores it. Bumping is idempotent: the version is
//! computed from the base revision's, and an entry for the same version is replaced.

use std::path::Path;

use super::{report, CrateReport, DiffError};

/// The changelog's file name inside the crate directory.
pub const FILE: &str = "CHANGELOG.md";

const TITLE: &str = "# Changelog\n";

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Nothing to bump (no change, a new crate, or an unknown current version).
    Nothing,
    /// The version was set and the changelog entry written.
    Bumped {
        /// The new version.
        version: String,
    },
}

/// The changelog entry of `report` (Markdown, starting with `## VERSION`).
pub fn entry(report: &CrateReport, version: &str) -> String {
    let sha = &report.spec_sha256;
    let mut out = format!(
        "## {version}\n\n{}: {}.\n<!-- oapigen: spec sha256 {sha} -->\n\n",
        report
            .spec
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&report.spec),
        report::verdict(report)
    );
    out.push_str(&report::markdown_sections(report, "###"));
    out
}

/// `text` of a changelog with `entry` as its newest entry, replacing one for the same
/// version (its first line) if the newest entry is that.
pub fn insert_entry(text: &str, entry: &str) -> String {
    let heading = entry.lines().next().unwrap_or_default();
    let text = if text.trim().is_empty() {
        format!(
            "{TITLE}\nEvery entry is written by `oapigen --bump` from the spec-change report.\n\n"
        )
    } else {
        text.to_owned()
    };
    let first = text.find("\n## ").map(|i| i + 1);
    let (head, entries) = match first {
        Some(i) => text.split_at(i),
        None => (text.as_str(), ""),
    };
    let rest = if entries.lines().next() == Some(heading) {
        // Replace the newest entry: it is this version's, from an earlier run.
        match entries[1..].find("\n## ") {
            Some(i) => &entries[i + 2..],
            None => "",
        }
    } else {
        entries
    };
    let mut head = head.to_owned();
    if !head.ends_with("\n\n") {
        head.push('\n');
    }
    format!("{head}{}{rest}", entry.trim_end().to_owned() + "\n\n")
        .trim_end()
        .to_owned()
        + "\n"
}

/// `cargo_toml` with its `[package]` version (the first `version = "…"` line) set.
pub fn set_version(cargo_toml: &str, version: &str) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = cargo_toml
        .lines()
        .map(|line| {
            if !done && line.starts_with("version = \"") {
                done = true;
                format!("version = \"{version}\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    done.then(|| lines.join("\n") + if cargo_toml.ends_with('\n') { "\n" } else { "" })
}

/// Writes `report`'s next version into `crate_dir/Cargo.toml` and its entry into
/// `crate_dir/CHANGELOG.md`.
pub fn apply(crate_dir: &Path, report: &CrateReport) -> Result<Applied, DiffError> {
    let Some(version) = report.next_version.as_deref() else {
        return Ok(Applied::Nothing);
    };
    if report.new_crate || report.impact.is_none() {
        return Ok(Applied::Nothing);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DiffError::Io { path, source }
    };
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let updated = set_version(&text, version).ok_or_else(|| DiffError::NoVersion {
        path: manifest.clone(),
    })?;
    if updated != text {
        std::fs::write(&manifest, updated).map_err(io(&manifest))?;
    }
    let changelog = crate_dir.join(FILE);
    let old = match std::fs::read_to_string(&changelog) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io(&changelog)(err)),
    };
    let new = insert_entry(&old, &entry(report, version));
    if new != old {
        std::fs::write(&changelog, new).map_err(io(&changelog))?;
    }
    Ok(Applied::Bumped {
        version: version.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_go_newest_first_and_replace_their_version() {
        let one = insert_entry("", "## 0.1.1\n\nfirst\n");
        assert!(one.starts_with("# Changelog\n"));
        let two = insert_entry(&one, "## 0.2.0\n\nsecond\n");
        assert!(two.find("## 0.2.0") < two.find("## 0.1.1"), "{two}");
        let again = insert_entry(&two, "## 0.2.0\n\nsecond, again\n");
        assert_eq!(again.matches("## 0.2.0").count(), 1, "{again}");
        assert!(again.contains("second, again") && again.contains("## 0.1.1"));
    }

    #[test]
    fn sets_the_package_version_only() {
        let toml = "# @generated\n[package]\nversion = \"0.1.0\"\n[dependencies]\nx = { version = \"1\" }\n";
        let set = set_version(toml, "0.2.0").unwrap_or_default();
        assert!(set.contains("version = \"0.2.0\"\n[dependencies]\nx = { version = \"1\" }"));
    }
}
