//! Semver arithmetic with Cargo's 0.x rule.
//!
//! For `1.0.0` and later: breaking → major, additive → minor, docs-only → patch.
//! Cargo treats the first non-zero component as the major one, so for `0.y.z` breaking →
//! minor (`0.y+1.0`) and additive or docs-only → patch; for `0.0.z` every change is
//! breaking to Cargo, and every change bumps the patch.

use serde::Serialize;

use super::{DiffError, Impact};

/// Which version component to increment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// `x.y.z+1`.
    Patch,
    /// `x.y+1.0`.
    Minor,
    /// `x+1.0.0`.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// A `MAJOR.MINOR.PATCH` version (a pre-release or build suffix is dropped by a bump).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// `-pre` / `+build` suffix, kept when nothing is bumped.
    pub suffix: String,
}

impl Version {
    /// Parses `MAJOR.MINOR.PATCH[-pre][+build]`.
    pub fn parse(text: &str) -> Result<Self, DiffError> {
        let bad = || DiffError::Version(text.to_owned());
        let text = text.trim();
        let end = text.find(['-', '+']).unwrap_or(text.len());
        let (core, suffix) = text.split_at(end);
        let mut parts = core.split('.');
        let mut next = || -> Result<u64, DiffError> {
            parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)
        };
        let version = Self {
            major: next()?,
            minor: next()?,
            patch: next()?,
            suffix: suffix.to_owned(),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(version)
    }

    /// This version with `bump` applied.
    pub fn bumped(&self, bump: Bump) -> Self {
        let (major, minor, patch) = (self.major, self.minor, self.patch);
        let (major, minor, patch) = match bump {
            Bump::None => return self.clone(),
            Bump::Patch => (major, minor, patch + 1),
            Bump::Minor => (major, minor + 1, 0),
            Bump::Major => (major + 1, 0, 0),
        };
        Self {
            major,
            minor,
            patch,
            suffix: String::new(),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}.{}{}",
            self.major, self.minor, self.patch, self.suffix
        )
    }
}

/// The bump an impact calls for at `current` (1.x rules when the version is unknown).
pub fn bump_for(impact: Option<Impact>, current: Option<&Version>) -> Bump {
    let Some(impact) = impact else {
        return Bump::None;
    };
    let (major, minor) = current.map_or((1, 0), |v| (v.major, v.minor));
    match (impact, major, minor) {
        (_, 0, 0) => Bump::Patch,
        (Impact::Breaking, 0, _) => Bump::Minor,
        (_, 0, _) => Bump::Patch,
        (Impact::Breaking, _, _) => Bump::Major,
        (Impact::Additive, _, _) => Bump::Minor,
        (Impact::DocsOnly, _, _) => Bump::Patch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, impact: Option<Impact>) -> String {
        let current = Version::parse(version).unwrap_or_else(|e| panic!("{e}"));
        current.bumped(bump_for(impact, Some(&current))).to_string()
    }

    #[test]
    fn zero_x_rule() {
        assert_eq!(next("0.1.0", Some(Impact::Breaking)), "0.2.0");
        assert_eq!(next("0.1.3", Some(Impact::Additive)), "0.1.4");
        assert_eq!(next("0.1.3", Some(Impact::DocsOnly)), "0.1.4");
        assert_eq!(next("0.0.7", Some(Impact::Breaking)), "0.0.8");
        assert_eq!(next("0.0.7", Some(Impact::Additive)), "0.0.8");
        assert_eq!(next("0.4.2", None), "0.4.2");
    }

    #[test]
    fn one_x_rule() {
        assert_eq!(next("1.2.3", Some(Impact::Breaking)), "2.0.0");
        assert_eq!(next("1.2.3", Some(Impact::Additive)), "1.3.0");
        assert_eq!(next("1.2.3", Some(Impact::DocsOnly)), "1.2.4");
        assert_eq!(next("1.2.3-rc.1", Some(Impact::DocsOnly)), "1.2.4");
        assert_eq!(next("1.2.3-rc.1", None), "1.2.3-rc.1");
    }

    #[test]
    fn bad_versions_are_errors() {
        for bad in ["", "1", "1.2", "1.2.x", "1.2.3.4", "v1.2.3"] {
            assert!(Version::parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
