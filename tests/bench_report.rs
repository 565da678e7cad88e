//! `bench/report.py`, which turns the raw results of `bench/compare.sh` into the README's
//! table and chart, run on a tiny fake result set (CI never runs the peers: minutes).

use std::fs;
use std::path::Path;
use std::process::Command;

fn hyperfine(times: &[f64]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    serde_json::json!({
        "results": [{
            "command": "tool",
            "mean": mean,
            "stddev": 0.01,
            "median": sorted[sorted.len() / 2],
            "user": 0.1,
            "system": 0.01,
            "min": sorted[0],
            "max": sorted[sorted.len() - 1],
            "times": times,
            "exit_codes": vec![0; times.len()],
        }]
    })
    .to_string()
}

fn write(dir: &Path, name: &str, text: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), text).unwrap();
}

#[test]
fn report_reads_hyperfine_json_and_writes_table_and_chart() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench_report");
    let _ = fs::remove_dir_all(&root);
    let raw = root.join("raw");

    let big = raw.join("big.json");
    write(
        &big,
        "ours.json",
        &hyperfine(&[0.40, 0.38, 0.39, 0.41, 0.42]),
    );
    write(&big, "ours.peak_kb", "102400\n");
    write(
        &big,
        "ours.timings",
        "big.json -> out: 10 operations, 20 types, 5 file(s) changed, 0 warning(s), 410 ms\n  \
         load 100ms, ir 50ms, emit 150ms, format 100.0ms, write 10ms\n",
    );
    write(
        &big,
        "floor.json",
        &hyperfine(&[0.10, 0.11, 0.10, 0.12, 0.10]),
    );
    write(&big, "ploidy.json", &hyperfine(&[1.0, 1.1, 1.2, 1.3, 1.4]));
    write(
        &big,
        "ploidy.peak_kb",
        "Command exited with non-zero status 0\n409600\n",
    );
    write(
        &big,
        "oas3-gen.json",
        &hyperfine(&[0.8, 0.8, 0.8, 0.8, 0.8]),
    );
    write(&big, "oas3-gen.peak_kb", "204800\n");
    write(
        &big,
        "progenitor.error",
        "thread 'main' panicked at src/main.rs:1:1: not implemented (exit 101)\n",
    );

    // `cargo check` of the generated crates: ours, ours with one feature, ploidy; oas3-gen's
    // crate does not compile.
    write(&big, "check-ours.json", &hyperfine(&[10.0, 11.0, 12.0]));
    write(&big, "check-ours.peak_kb", "1048576\n");
    write(
        &big,
        "check-ours-feature.json",
        &hyperfine(&[2.0, 2.5, 3.0]),
    );
    write(&big, "check-ours-feature.peak_kb", "307200\n");
    write(&big, "check-ours-feature.name", "repos 30 100\n");
    write(&big, "check-ploidy.json", &hyperfine(&[20.0, 22.0, 24.0]));
    write(&big, "check-ploidy.peak_kb", "2097152\n");
    write(
        &big,
        "check-oas3-gen.error",
        "error: failed to run custom build command for `openssl-sys`\n",
    );

    // A second spec where only ours and the floor were measured (peers not installed).
    let small = raw.join("small.yaml");
    write(&small, "ours.json", &hyperfine(&[0.05; 5]));
    write(&small, "ours.peak_kb", "20480\n");
    write(&small, "floor.json", &hyperfine(&[0.01; 5]));

    let md = root.join("compare.md");
    let svg = root.join("compare.svg");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/report.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(&raw)
        .args(["big.json", "small.yaml"])
        .args(["--machine", "2 cores, test"])
        .arg("--md")
        .arg(&md)
        .arg("--svg")
        .arg(&svg)
        .output()
        .expect("python3 runs bench/report.py");
    assert!(
        output.status.success(),
        "report.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let table = fs::read_to_string(&md).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "| spec | ours | ours peak | ploidy 0.15.0 | oas3-gen 0.29.0 | cargo-progenitor 0.15.1 \
         | ours / faster of ploidy, oas3-gen (time, peak) | ours / best peer (time) \
         | parse floor | ours / floor |"
    );
    // Medians, MiB, failures with a note, ratios against the faster of ploidy and oas3-gen
    // (time: oas3-gen 0.8 s; memory: oas3-gen 200 MiB) and against the floor.
    assert_eq!(
        lines[2],
        "| `big.json` | 0.400 s | 100 MiB | 1.20 s, 400 MiB | 0.800 s, 200 MiB | fails (1) \
         | 0.50x, 0.50x | 0.50x (oas3-gen) | 0.100 s | 4.00x |"
    );
    assert_eq!(
        lines[3],
        "| `small.yaml` | 0.050 s | 20 MiB | not measured | not measured | not measured \
         | n/a | n/a | 0.010 s | 5.00x |"
    );
    assert!(table.contains("Machine: 2 cores, test."), "{table}");
    assert!(
        table.contains(
            "1. cargo-progenitor 0.15.1 on `big.json`: thread 'main' panicked at \
             src/main.rs:1:1: not implemented (exit 101)"
        ),
        "{table}"
    );
    // The phase table from `--timings`, with each phase's share.
    assert!(
        table.contains(
            "| `big.json` | 100 ms (24%) | 50 ms (12%) | 150 ms (37%) | 100 ms (24%) \
             | 10 ms (2%) | 410 ms |"
        ),
        "{table}"
    );

    // The compile-cost table: medians, rustc peaks, the feature checked, ratios to ploidy.
    assert!(
        table.contains(
            "| `big.json` | 11.00 s, 1.0 GiB rustc peak \
             | 2.50 s, 300 MiB rustc peak (`repos`: 30 of 100 operations) \
             | 22.00 s, 2.0 GiB rustc peak | fails (1) | 0.50x | 0.11x |"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "| `small.yaml` | not measured | n/a | not measured | not measured | n/a | n/a |"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "1. oas3-gen 0.29.0 on `big.json`: error: failed to run custom build command for `openssl-sys`"
        ),
        "{table}"
    );

    let chart = fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(chart.trim_end().ends_with("</svg>"));
    // One bar per measured tool and spec: generation 4 + 2, checks 3 + 0 (plus the background
    // rectangle); failures and missing tools are labelled, not drawn.
    assert_eq!(chart.matches("<rect").count(), 1 + 4 + 2 + 3);
    assert_eq!(chart.matches(">fails<").count(), 2);
    assert_eq!(chart.matches(">not measured<").count(), 3 + 4);
    assert!(chart.contains("cargo check of the generated crate"));
}
