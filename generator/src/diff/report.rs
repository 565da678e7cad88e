//! The report as text (terminal), Markdown (a PR comment, a changelog entry) or JSON.

use std::fmt::Write as _;

use super::{Area, Change, CrateReport, Impact, Report};

/// Output format of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// The report as pretty JSON.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}\n"))
}

const IMPACTS: [(Impact, &str); 3] = [
    (Impact::Breaking, "Breaking"),
    (Impact::Additive, "Additive"),
    (Impact::DocsOnly, "Docs only"),
];

/// Where a change is, for a reader: a method (`` `send()` ``), a type
/// (`` `types::Foo` ``) or `crate`.
pub fn location(change: &Change) -> String {
    match change.area {
        Area::Crate => "crate".to_owned(),
        Area::Operation => format!("`{}()`", change.item),
        Area::Type => format!("`types::{}`", change.item),
    }
}

/// One line on the version: impact, bump and versions.
pub fn verdict(report: &CrateReport) -> String {
    if report.new_crate {
        return "new crate: nothing to compare with".to_owned();
    }
    let Some(impact) = report.impact else {
        return "no changes to the generated API; no version bump".to_owned();
    };
    let rule = match report.current_version.as_deref() {
        Some(v) if v.starts_with("0.") && impact != Impact::DocsOnly => " (0.x rule)",
        _ => "",
    };
    let versions = match (&report.current_version, &report.next_version) {
        (Some(current), Some(next)) => format!(": {current} → {next}"),
        _ => String::new(),
    };
    format!(
        "{} → {} bump{rule}{versions}",
        impact.label(),
        report.bump.label()
    )
}

fn counts(report: &CrateReport) -> String {
    IMPACTS
        .iter()
        .map(|(impact, _)| {
            let n = report
                .changes
                .iter()
                .filter(|c| c.impact == *impact)
                .count();
            format!("{n} {}", impact.label())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The changes of one crate as Markdown sections (`### Breaking` …) of bullets.
pub fn markdown_sections(report: &CrateReport, level: &str) -> String {
    let mut out = String::new();
    for (impact, title) in IMPACTS {
        let items: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.impact == impact)
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{level} {title}\n");
        for change in items {
            let why = if impact == Impact::DocsOnly {
                String::new()
            } else {
                format!(" — _{}_", change.because)
            };
            let _ = writeln!(out, "- {}: {}{why}", location(change), change.detail);
        }
        out.push('\n');
    }
    out
}

/// The report as Markdown, for a pull-request comment.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## Spec-change report\n\n");
    if report.crates.is_empty() {
        out.push_str("No specs compared.\n");
    }
    for krate in &report.crates {
        let _ = writeln!(out, "### `{}`: {}\n", krate.crate_name, verdict(krate));
        let _ = writeln!(out, "Spec `{}` · {}\n", krate.spec, counts(krate));
        if krate.new_crate {
            continue;
        }
        out.push_str(&markdown_sections(krate, "####"));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The report as plain text.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for krate in &report.crates {
        let _ = writeln!(
            out,
            "{} ({}): {}",
            krate.crate_name,
            krate.spec,
            verdict(krate)
        );
        if krate.new_crate {
            continue;
        }
        for change in &krate.changes {
            let detail = change.detail.replace('`', "");
            let _ = writeln!(
                out,
                "  {:<9} {}: {detail}",
                change.impact.label(),
                location(change).replace('`', "")
            );
        }
    }
    if report.crates.is_empty() {
        out.push_str("no specs compared\n");
    }
    out
}
