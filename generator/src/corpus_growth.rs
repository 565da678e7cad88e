//! The growth section of the corpus report: does generation time grow roughly linearly with
//! spec size, with no spec taking more than [`MAX_RATIO`] times what its size predicts?
//!
//! Two simple least-squares models over the specs that generated, one per size predictor:
//! `gen ms ≈ a + b·bytes` and `gen ms ≈ a + b·operations`. Each spec's ratio is its actual
//! time over the time its size predicts. Only specs of at least [`MIN_JUDGED_BYTES`] bytes or
//! [`MIN_JUDGED_OPERATIONS`] operations are judged: below that, time is mostly fixed cost
//! (configuration, templates, writing a handful of files) plus scheduling noise, and a ratio
//! of a few milliseconds over a few milliseconds says nothing about growth. Small specs still
//! take part in the fit (they pin down the fixed cost), and the report names the ones it does
//! not judge.

use std::fmt::Write as _;

use super::{Outcome, Row};

/// A judged spec slower than this many times its prediction is reported as an outlier.
pub const MAX_RATIO: f64 = 2.0;
/// Specs at least this large (bytes) are judged.
pub const MIN_JUDGED_BYTES: u64 = 100_000;
/// Specs with at least this many operations are judged.
pub const MIN_JUDGED_OPERATIONS: usize = 20;

/// A line `y ≈ intercept + slope·x` fitted by least squares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    /// Fixed cost (never negative, see [`fit`]).
    pub intercept: f64,
    /// Cost per unit of size.
    pub slope: f64,
    /// Coefficient of determination `1 - SS_res / SS_tot` (around the mean of `y`, also for
    /// a line through the origin, so both kinds compare); `None` when every `y` is equal.
    pub r_squared: Option<f64>,
    /// Whether the intercept was pinned to zero (see [`fit`]).
    pub through_origin: bool,
    /// Number of points fitted.
    pub points: usize,
}

impl Fit {
    /// The `y` this line predicts at `x`.
    pub fn predict(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// Actual over predicted at `x`, or `None` when the prediction is not positive.
    pub fn ratio(&self, x: f64, y: f64) -> Option<f64> {
        let predicted = self.predict(x);
        (predicted > 0.0 && predicted.is_finite()).then(|| y / predicted)
    }
}

/// Least squares `y ≈ a + b·x` over `points` (`(x, y)`; non-finite ones are ignored).
///
/// When the unconstrained intercept comes out negative, the line is refitted through the
/// origin (`b = Σxy / Σx²`). A negative fixed cost is physically meaningless (it happens when
/// a few large specs are slow or noisy and tilt the line), and it would predict near-zero or
/// negative times for mid-sized specs, inflating their ratios or making them undefined. Since
/// the squared error is convex in `a`, the origin fit is exactly the least-squares fit under
/// the constraint `a ≥ 0`, so this is still "the best line", with one honest constraint.
///
/// `None` with fewer than two points or when all `x` are equal (no slope to fit).
pub fn fit(points: &[(f64, f64)]) -> Option<Fit> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let mut slope = sxy / sxx;
    let mut intercept = mean_y - slope * mean_x;
    let through_origin = intercept < 0.0;
    if through_origin {
        let sum_x2: f64 = points.iter().map(|p| p.0 * p.0).sum();
        let sum_xy: f64 = points.iter().map(|p| p.0 * p.1).sum();
        slope = sum_xy / sum_x2;
        intercept = 0.0;
    }
    let ss_res: f64 = points
        .iter()
        .map(|p| (p.1 - (intercept + slope * p.0)).powi(2))
        .sum();
    let ss_tot: f64 = points.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let r_squared = (ss_tot > 0.0).then(|| 1.0 - ss_res / ss_tot);
    Some(Fit {
        intercept,
        slope,
        r_squared,
        through_origin,
        points: points.len(),
    })
}

/// One spec as a point of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The spec's file name.
    pub name: String,
    /// Its size in the model's unit.
    pub size: f64,
    /// Its generation time in milliseconds.
    pub millis: f64,
    /// Whether it is large enough to be judged.
    pub judged: bool,
}

/// A judged spec's actual time against its prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The spec's file name.
    pub name: String,
    /// Actual generation time (ms).
    pub actual: f64,
    /// Predicted generation time (ms).
    pub predicted: f64,
    /// `actual / predicted`.
    pub ratio: f64,
}

/// One model fitted over some samples and the judged ones measured against it.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The fit over every sample; `None` when there is no line to fit.
    pub fit: Option<Fit>,
    /// The judged sample with the highest ratio.
    pub worst: Option<Verdict>,
    /// Every judged sample with a ratio above `max_ratio`, highest first.
    pub outliers: Vec<Verdict>,
    /// Judged samples (with a positive prediction).
    pub judged: usize,
}

/// Fits all `samples`, then measures the judged ones against the line.
pub fn judge(samples: &[Sample], max_ratio: f64) -> Judgement {
    let points: Vec<(f64, f64)> = samples.iter().map(|s| (s.size, s.millis)).collect();
    let fit = fit(&points);
    let mut verdicts: Vec<Verdict> = match fit {
        Some(fit) => samples
            .iter()
            .filter(|s| s.judged)
            .filter_map(|s| {
                let ratio = fit.ratio(s.size, s.millis)?;
                ratio.is_finite().then(|| Verdict {
                    name: s.name.clone(),
                    actual: s.millis,
                    predicted: fit.predict(s.size),
                    ratio,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    verdicts.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    Judgement {
        fit,
        worst: verdicts.first().cloned(),
        judged: verdicts.len(),
        outliers: verdicts
            .into_iter()
            .filter(|v| v.ratio > max_ratio)
            .collect(),
    }
}

/// The growth section of the report for `rows` (spec sizes from [`Row::bytes`]).
pub fn section(rows: &[Row]) -> String {
    let mut by_bytes = Vec::new();
    let mut by_operations = Vec::new();
    let mut small = Vec::new();
    let mut unsized_specs = 0;
    for row in rows {
        let Outcome::Generated(g) = &row.outcome else {
            continue;
        };
        let judged = row.bytes.is_some_and(|b| b >= MIN_JUDGED_BYTES)
            || g.operations >= MIN_JUDGED_OPERATIONS;
        if !judged {
            small.push(row.spec.as_str());
        }
        match row.bytes {
            Some(bytes) => by_bytes.push(Sample {
                name: row.spec.clone(),
                size: bytes as f64,
                millis: g.millis,
                judged,
            }),
            None => unsized_specs += 1,
        }
        by_operations.push(Sample {
            name: row.spec.clone(),
            size: g.operations as f64,
            millis: g.millis,
            judged,
        });
    }
    let generated = by_operations.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "growth: gen ms against spec size, least squares over the {generated} generated specs \
         ({} not generated, left out)\n  judged: specs of >= {} bytes or >= {} operations; \
         flagged: judged specs above {MAX_RATIO}x their predicted time",
        rows.len() - generated,
        MIN_JUDGED_BYTES,
        MIN_JUDGED_OPERATIONS,
    );
    if small.is_empty() {
        let _ = writeln!(out, "  every generated spec is judged");
    } else {
        let _ = writeln!(
            out,
            "  not judged ({} below the cut-off, time mostly fixed cost): {}",
            small.len(),
            small.join(", ")
        );
    }
    if unsized_specs > 0 {
        let _ = writeln!(
            out,
            "  {unsized_specs} spec(s) without a file size: left out of the bytes model"
        );
    }
    write_model(
        &mut out,
        "bytes",
        &judge(&by_bytes, MAX_RATIO),
        |fit| {
            format!(
                "{:.1} + {:.1} per MiB",
                fit.intercept,
                fit.slope * 1024.0 * 1024.0
            )
        },
        |size| format!("{:.0} KiB", size / 1024.0),
        &by_bytes,
    );
    write_model(
        &mut out,
        "operations",
        &judge(&by_operations, MAX_RATIO),
        |fit| format!("{:.1} + {:.2} per operation", fit.intercept, fit.slope),
        |size| format!("{size:.0} ops"),
        &by_operations,
    );
    out
}

fn write_model(
    out: &mut String,
    predictor: &str,
    judgement: &Judgement,
    line: impl Fn(&Fit) -> String,
    size: impl Fn(f64) -> String,
    samples: &[Sample],
) {
    let Some(fit) = &judgement.fit else {
        let _ = writeln!(
            out,
            "  by {predictor}: no fit (needs at least 2 generated specs of different sizes)"
        );
        return;
    };
    let r_squared = fit
        .r_squared
        .map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3}"));
    let origin = if fit.through_origin {
        ", through the origin: the free intercept was negative"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  by {predictor}: gen ms ≈ {} (R² {r_squared}{origin})",
        line(fit)
    );
    let Some(worst) = &judgement.worst else {
        let _ = writeln!(out, "    no spec judged");
        return;
    };
    let size_of = |name: &str| {
        samples
            .iter()
            .find(|s| s.name == name)
            .map(|s| size(s.size))
            .unwrap_or_default()
    };
    let _ = writeln!(
        out,
        "    worst of {} judged: {} at {:.2}x ({:.1} ms actual, {:.1} ms predicted, {})",
        judgement.judged,
        worst.name,
        worst.ratio,
        worst.actual,
        worst.predicted,
        size_of(&worst.name)
    );
    if judgement.outliers.is_empty() {
        let _ = writeln!(out, "    none above {MAX_RATIO}x");
    } else {
        let _ = writeln!(out, "    {} above {MAX_RATIO}x:", judgement.outliers.len());
        for v in &judgement.outliers {
            let _ = writeln!(
                out,
                "      {}: {:.1} ms actual, {:.1} ms predicted ({:.2}x, {})",
                v.name,
                v.actual,
                v.predicted,
                v.ratio,
                size_of(&v.name)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str, size: f64, millis: f64) -> Sample {
        Sample {
            name: name.into(),
            size,
            millis,
            judged: true,
        }
    }

    #[test]
    fn exact_line_has_r_squared_one_and_ratios_one() {
        let points: Vec<(f64, f64)> = (1..=6).map(|x| (x as f64, 5.0 + 2.0 * x as f64)).collect();
        let fit = fit(&points).expect("fit");
        assert!((fit.intercept - 5.0).abs() < 1e-9, "{fit:?}");
        assert!((fit.slope - 2.0).abs() < 1e-9, "{fit:?}");
        assert!(!fit.through_origin);
        assert!((fit.r_squared.unwrap() - 1.0).abs() < 1e-12, "{fit:?}");
        let samples: Vec<Sample> = points
            .iter()
            .map(|&(x, y)| sample(&format!("s{x}"), x, y))
            .collect();
        let judgement = judge(&samples, MAX_RATIO);
        assert_eq!(judgement.judged, 6);
        assert!(judgement.outliers.is_empty());
        assert!((judgement.worst.unwrap().ratio - 1.0).abs() < 1e-9);
        for &(x, y) in &points {
            assert!((fit.ratio(x, y).unwrap() - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn outlier_three_times_above_the_line_is_flagged() {
        let mut samples: Vec<Sample> = (1..=10)
            .map(|x| sample(&format!("s{x}"), x as f64 * 100.0, 10.0 + x as f64 * 10.0))
            .collect();
        // On the line this one would take 10 + 50 = 60 ms.
        samples[4].millis = 180.0;
        let judgement = judge(&samples, MAX_RATIO);
        let fit = judgement.fit.expect("fit");
        assert!(fit.r_squared.unwrap() < 1.0);
        assert_eq!(judgement.outliers.len(), 1, "{judgement:?}");
        let outlier = &judgement.outliers[0];
        assert_eq!(outlier.name, "s5");
        assert!(outlier.ratio > MAX_RATIO, "{outlier:?}");
        assert_eq!(judgement.worst.as_ref(), Some(outlier));
    }

    #[test]
    fn unjudged_samples_are_fitted_but_never_flagged() {
        let mut samples: Vec<Sample> = (1..=10)
            .map(|x| sample(&format!("s{x}"), x as f64 * 100.0, 10.0 + x as f64 * 10.0))
            .collect();
        samples[0].millis = 100.0;
        samples[0].judged = false;
        let judgement = judge(&samples, MAX_RATIO);
        assert_eq!(judgement.judged, 9);
        assert!(judgement.outliers.is_empty(), "{judgement:?}");
    }

    #[test]
    fn negative_intercept_refits_through_the_origin() {
        // Free fit: intercept -10; the constrained one goes through the origin.
        let points = [(10.0, 10.0), (20.0, 30.0), (30.0, 50.0)];
        let fit = fit(&points).expect("fit");
        assert!(fit.through_origin);
        assert_eq!(fit.intercept, 0.0);
        // Σxy / Σx² = (100 + 600 + 1500) / (100 + 400 + 900).
        assert!((fit.slope - 2200.0 / 1400.0).abs() < 1e-12, "{fit:?}");
    }

    #[test]
    fn too_few_or_degenerate_points_give_no_fit() {
        assert_eq!(fit(&[]), None);
        assert_eq!(fit(&[(1.0, 2.0)]), None);
        assert_eq!(fit(&[(3.0, 2.0), (3.0, 5.0)]), None);
        assert_eq!(fit(&[(1.0, 2.0), (f64::NAN, 5.0)]), None);
        let judgement = judge(&[sample("only", 1.0, 2.0)], MAX_RATIO);
        assert_eq!(judgement.fit, None);
        assert_eq!(judgement.worst, None);
        assert!(judgement.outliers.is_empty());
    }

    #[test]
    fn section_without_enough_specs_prints_no_nan() {
        let rows = vec![Row {
            spec: "a.yaml".into(),
            crate_name: "corpus-a".into(),
            outcome: Outcome::Generated(super::super::Generation {
                operations: 3,
                types: 2,
                diagnostics: 0,
                millis: 4.0,
                peak_kib: None,
                lists: 0,
                paginators: Default::default(),
                lines: Default::default(),
            }),
            check: None,
            bytes: Some(1234),
        }];
        let text = section(&rows);
        assert!(!text.to_lowercase().contains("nan"), "{text}");
        assert!(text.contains("by bytes: no fit"), "{text}");
        assert!(text.contains("by operations: no fit"), "{text}");
        assert!(text.contains("not judged (1 below the cut-off"), "{text}");
    }
}
