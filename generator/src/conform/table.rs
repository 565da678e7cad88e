//! The report as text: one row per spec, the failures with evidence, the summary line.

use std::fmt::Write as _;

use super::judge::Mode;
use super::report::SpecReport;

/// The table: one row per spec, a list of failures with evidence (when `details`), then
/// the summary line `N/M operations conform (K/S specs fully), P panics`.
pub fn format(reports: &[SpecReport], modes: &[Mode], details: bool) -> String {
    let width = reports
        .iter()
        .map(|r| r.spec.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = String::new();
    let _ = write!(out, "{:<width$}  {:>5}", "spec", "ops");
    for mode in modes {
        let _ = write!(out, "  {:>7}", mode.label());
    }
    let _ = writeln!(out, "  {:>7}  judge   failures by cause", "both");
    for report in reports {
        let _ = write!(
            out,
            "{:<width$}  {:>5}",
            report.spec, report.operation_count
        );
        for mode in modes {
            let _ = write!(out, "  {:>7}", report.conforming_in(*mode));
        }
        let causes: Vec<String> = report
            .causes()
            .into_iter()
            .map(|(label, count)| format!("{label} {count}"))
            .chain(
                (report.spec_defects() > 0)
                    .then(|| format!("(spec contradicts itself: {})", report.spec_defects())),
            )
            .chain(
                (report.lenient() > 0)
                    .then(|| format!("(decoded leniently: {})", report.lenient())),
            )
            .chain(judged_by(report))
            .chain(report.notes.iter().map(|note| format!("note: {note}")))
            .collect();
        let _ = writeln!(
            out,
            "  {:>7}  {:<6}  {}",
            report.conforming(),
            report.judge,
            causes.join("; ")
        );
    }
    if details {
        let mut any = false;
        for report in reports {
            for op in &report.operations {
                for (mode, verdict) in &op.modes {
                    if let Some(cause) = &verdict.cause {
                        if !any {
                            out.push_str("\nfailures:\n");
                            any = true;
                        }
                        // Which judge, where the row has more than one.
                        let judge = if report.judges().len() > 1 {
                            format!(", {}", verdict.judge)
                        } else {
                            String::new()
                        };
                        let _ = writeln!(
                            out,
                            "  {} {} [{mode}{judge}] {}: {}",
                            report.spec,
                            op.operation,
                            cause.label(),
                            cause.evidence
                        );
                    }
                }
            }
        }
    }
    out.push('\n');
    out.push_str(&summary(reports));
    out.push('\n');
    out
}

/// `(judged by prism 23, openapi-backend 50)` for a row with more than one judge.
fn judged_by(report: &SpecReport) -> Option<String> {
    let judges = report.judges();
    (judges.len() > 1).then(|| {
        let counts: Vec<String> = judges
            .iter()
            .map(|(judge, count)| format!("{judge} {count}"))
            .collect();
        format!("(judged by {})", counts.join(", "))
    })
}

/// `N/M operations conform (K/S specs fully), P panics`.
pub fn summary(reports: &[SpecReport]) -> String {
    let total: usize = reports.iter().map(|r| r.operation_count).sum();
    let conforming: usize = reports.iter().map(SpecReport::conforming).sum();
    let fully = reports
        .iter()
        .filter(|r| r.notes.is_empty() && r.conforming() == r.operation_count)
        .count();
    let panics = reports.iter().filter(|r| r.panicked).count();
    format!(
        "{conforming}/{total} operations conform ({fully}/{} specs fully), {panics} panics",
        reports.len()
    )
}
