#!/usr/bin/env python3
"""Turn the raw results of bench/compare.sh into a markdown table and an SVG bar chart.

Standard library only. Layout of RAW (one directory per spec, named after the spec file):

    RAW/<spec>/<tool>.json      hyperfine --export-json of the tool on that spec
    RAW/<spec>/<tool>.peak_kb   peak resident memory in KiB (/usr/bin/time -f %M)
    RAW/<spec>/<tool>.error     present when the tool failed: its first stderr line(s)
    RAW/<spec>/ours.timings     output of `oapigen --timings` (optional)
    RAW/<spec>/check-<tool>.*   the same three files for `cargo check` of the tool's crate
                                (tools: ours, ours-feature, and the peers; optional)
    RAW/<spec>/check-ours-feature.name   "feature operations total" of that check

Tools: `ours`, `floor` (parse only) and the peers below. A tool with neither a JSON nor an
error file was not measured (not installed) and is shown as "n/a".

Usage: report.py RAW --md OUT.md --svg OUT.svg [--machine TEXT] SPEC...
"""

import argparse
import html
import json
import os
import re
import sys

PEERS = [
    ("ploidy", "ploidy 0.15.0"),
    ("oas3-gen", "oas3-gen 0.29.0"),
    ("progenitor", "cargo-progenitor 0.15.1"),
]
# The targets compare with the faster of these two.
TARGET_PEERS = ("ploidy", "oas3-gen")
PHASES = ("load", "ir", "emit", "format", "write")
# `cargo check` of the generated crates: ours with every feature, with its largest one, peers.
CHECKS = [
    ("ours", "ours"),
    ("ours-feature", "ours, one feature"),
    ("ploidy", "ploidy 0.15.0"),
    ("oas3-gen", "oas3-gen 0.29.0"),
]


def read_tool(spec_dir, tool):
    """The measurement of one tool on one spec: a dict with status ok/fails/missing."""
    base = os.path.join(spec_dir, tool)
    if os.path.exists(base + ".error"):
        with open(base + ".error", encoding="utf-8", errors="replace") as f:
            message = " ".join(line.strip() for line in f if line.strip())
        return {"status": "fails", "error": message or "non-zero exit"}
    if not os.path.exists(base + ".json"):
        return {"status": "missing"}
    with open(base + ".json", encoding="utf-8") as f:
        results = json.load(f)["results"]
    if not results:
        raise ValueError(f"{base}.json: no results")
    result = results[0]
    times = result.get("times") or [result["mean"]]
    median = result.get("median")
    if median is None:
        ordered = sorted(times)
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    peak_mib = None
    if os.path.exists(base + ".peak_kb"):
        with open(base + ".peak_kb", encoding="utf-8") as f:
            numbers = [line.strip() for line in f if line.strip().isdigit()]
        if numbers:
            peak_mib = int(numbers[-1]) / 1024
    return {
        "status": "ok",
        "median": median,
        "min": min(times),
        "max": max(times),
        "runs": len(times),
        "peak_mib": peak_mib,
    }


DURATION = re.compile(r"([0-9.]+)\s*(ns|µs|us|ms|s)\b")
UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def read_phases(spec_dir):
    """Phase times (seconds) from `oapigen --timings` output: `load 1.2ms, ir 3s, ...`."""
    path = os.path.join(spec_dir, "ours.timings")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    phases = {}
    for phase in PHASES:
        match = re.search(r"\b" + phase + r"\s+" + DURATION.pattern, text)
        if match:
            phases[phase] = float(match.group(1)) * UNITS[match.group(2)]
    return phases or None


def load(raw, specs):
    rows = []
    for spec in specs:
        spec_dir = os.path.join(raw, spec)
        tools = {tool: read_tool(spec_dir, tool) for tool in ["ours", "floor"] + [p for p, _ in PEERS]}
        checks = {tool: read_tool(spec_dir, "check-" + tool) for tool, _ in CHECKS}
        feature = None
        name_file = os.path.join(spec_dir, "check-ours-feature.name")
        if os.path.exists(name_file):
            with open(name_file, encoding="utf-8") as f:
                parts = f.read().split()
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                feature = {"name": parts[0], "operations": int(parts[1]), "total": int(parts[2])}
        rows.append(
            {
                "spec": spec,
                "tools": tools,
                "phases": read_phases(spec_dir),
                "checks": checks,
                "feature": feature,
            }
        )
    return rows


def seconds(value):
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def mib(value):
    if value is None:
        return "?"
    return f"{value / 1024:.1f} GiB" if value >= 1024 else f"{value:.0f} MiB"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def best_peer(tools, key, names):
    values = [
        (tools[name][key], name)
        for name in names
        if tools[name]["status"] == "ok" and tools[name].get(key) is not None
    ]
    return min(values) if values else None


def markdown(rows, machine):
    out = []
    notes = []
    header = ["spec", "ours", "ours peak"]
    header += [label for _, label in PEERS]
    header += [
        "ours / faster of ploidy, oas3-gen (time, peak)",
        "ours / best peer (time)",
        "parse floor",
        "ours / floor",
    ]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for row in rows:
        tools = row["tools"]
        ours = tools["ours"]
        floor = tools["floor"]
        cells = [f"`{row['spec']}`"]
        if ours["status"] == "ok":
            cells += [seconds(ours["median"]), mib(ours["peak_mib"])]
        elif ours["status"] == "fails":
            notes.append(f"ours on `{row['spec']}`: {ours['error']}")
            cells += [f"fails ({len(notes)})", ""]
        else:
            cells += ["n/a", "n/a"]
        for name, label in PEERS:
            peer = tools[name]
            if peer["status"] == "ok":
                cells.append(f"{seconds(peer['median'])}, {mib(peer['peak_mib'])}")
            elif peer["status"] == "fails":
                notes.append(f"{label} on `{row['spec']}`: {peer['error']}")
                cells.append(f"fails ({len(notes)})")
            else:
                cells.append("not measured")
        ours_time = ours.get("median")
        ours_peak = ours.get("peak_mib")
        target_time = best_peer(tools, "median", TARGET_PEERS)
        target_peak = best_peer(tools, "peak_mib", TARGET_PEERS)
        if target_time or target_peak:
            cells.append(
                f"{ratio(ours_time, target_time and target_time[0])}, "
                f"{ratio(ours_peak, target_peak and target_peak[0])}"
            )
        else:
            cells.append("n/a")
        best = best_peer(tools, "median", [name for name, _ in PEERS])
        cells.append(f"{ratio(ours_time, best[0])} ({best[1]})" if best else "n/a")
        if floor["status"] == "ok":
            cells += [seconds(floor["median"]), ratio(ours_time, floor["median"])]
        else:
            cells += ["n/a", "n/a"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    runs = max((row["tools"]["ours"].get("runs", 0) for row in rows), default=0)
    out.append(
        f"Median of {runs} runs after a warm-up run (hyperfine), whole process, fresh output directory "
        "each run; peak = maximum resident set size of one run (`/usr/bin/time -f %M`). "
        "Targets: ours / faster of ploidy and oas3-gen ≤ 0.5x in time and in peak memory; "
        "ours / floor ≤ 5x on GitHub and Stripe."
    )
    if machine:
        out.append("")
        out.append(f"Machine: {machine}.")
    if notes:
        out.append("")
        for number, note in enumerate(notes, 1):
            out.append(f"{number}. {note}")
    phase_rows = [row for row in rows if row["phases"]]
    if phase_rows:
        out.append("")
        out.append("Where our time goes (`oapigen --lenient --timings`, one run, in-process phases):")
        out.append("")
        out.append("| spec | " + " | ".join(PHASES) + " | sum |")
        out.append("|" + "---|" * (len(PHASES) + 2))
        for row in phase_rows:
            phases = row["phases"]
            total = sum(phases.values())
            cells = []
            for phase in PHASES:
                value = phases.get(phase)
                cells.append(
                    "?" if value is None else f"{value * 1000:.0f} ms ({value / total:.0%})"
                )
            out.append(f"| `{row['spec']}` | " + " | ".join(cells) + f" | {total * 1000:.0f} ms |")
    out += check_markdown(rows)
    return "\n".join(out) + "\n"


def check_markdown(rows):
    """The compile-cost table, when any check was measured."""
    if not any(r["checks"][tool]["status"] != "missing" for r in rows for tool, _ in CHECKS):
        return []
    out = ["", "Compile cost of the generated crate (`cargo check`, dependencies prebuilt):", ""]
    header = ["spec"] + [label for _, label in CHECKS] + ["ours / ploidy", "one feature / ploidy"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    notes = []
    for row in rows:
        checks = row["checks"]
        cells = [f"`{row['spec']}`"]
        for tool, label in CHECKS:
            result = checks[tool]
            if result["status"] == "ok":
                cell = f"{seconds(result['median'])}, {mib(result['peak_mib'])} rustc peak"
                if tool == "ours-feature" and row["feature"]:
                    f = row["feature"]
                    cell += f" (`{f['name']}`: {f['operations']} of {f['total']} operations)"
                cells.append(cell)
            elif result["status"] == "fails":
                notes.append(f"{label} on `{row['spec']}`: {result['error']}")
                cells.append(f"fails ({len(notes)})")
            else:
                cells.append("n/a" if tool == "ours-feature" else "not measured")
        ploidy = checks["ploidy"].get("median")
        cells.append(ratio(checks["ours"].get("median"), ploidy))
        cells.append(ratio(checks["ours-feature"].get("median"), ploidy))
        out.append("| " + " | ".join(cells) + " |")
    runs = max((r["checks"]["ours"].get("runs", 0) for r in rows), default=0)
    out.append("")
    out.append(
        f"Median of {runs} runs of `cargo check` after `touch src/lib.rs` (hyperfine), each crate "
        "its own workspace, one shared target directory; rustc peak = maximum resident set size "
        "under cargo. Target: ours / ploidy ≤ 0.5x. \"one feature\" is our crate built with "
        "`--no-default-features` and its largest operation group."
    )
    if notes:
        out.append("")
        for number, note in enumerate(notes, 1):
            out.append(f"{number}. {note}")
    return out


COLORS = {
    "floor": "#9e9e9e",
    "ours": "#d9480f",
    "ploidy": "#1c7ed6",
    "oas3-gen": "#37b24d",
    "progenitor": "#7048e8",
    "ours-feature": "#f08c00",
}


def svg(rows):
    """Horizontal bars per spec: generation time (the floor, ours, each peer) and, when
    measured, `cargo check` time of the generated crates."""
    generation = [("floor", "parse floor"), ("ours", "oapigen (ours)")] + PEERS
    runs = max((row["tools"]["ours"].get("runs", 0) for row in rows), default=0)
    panels = [
        (
            f"Generation time per spec (whole process, median of {runs} runs; shorter is better)",
            [(row["spec"], [(tool, label, row["tools"][tool]) for tool, label in generation]) for row in rows],
        )
    ]
    if any(r["checks"][tool]["status"] != "missing" for r in rows for tool, _ in CHECKS):
        labels = [("ours", "oapigen (ours)"), ("ours-feature", "ours, one feature")] + CHECKS[2:]
        panels.append(
            (
                "cargo check of the generated crate (dependencies prebuilt; shorter is better)",
                [(row["spec"], [(tool, label, row["checks"][tool]) for tool, label in labels]) for row in rows],
            )
        )
    left, bar_w, bar_h, gap, group_gap = 230, 460, 16, 4, 26
    width = left + bar_w + 170
    y = 0
    parts = []
    for title, groups in panels:
        y += 22
        parts.append(f'<text x="10" y="{y}" font-size="15" font-weight="bold">{html.escape(title)}</text>')
        y += 28
        values = [r["median"] for _, bars in groups for _, _, r in bars if r["status"] == "ok"]
        top = max(values) if values else 1.0
        for spec, bars in groups:
            parts.append(f'<text x="10" y="{y - 6}" font-weight="bold">{html.escape(spec)}</text>')
            for tool, label, result in bars:
                parts.append(
                    f'<text x="{left - 8}" y="{y + bar_h - 4}" text-anchor="end">{html.escape(label)}</text>'
                )
                if result["status"] == "ok":
                    w = max(1.0, bar_w * result["median"] / top)
                    parts.append(
                        f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLORS[tool]}"/>'
                    )
                    text = seconds(result["median"])
                    if result["peak_mib"] is not None:
                        text += f", {mib(result['peak_mib'])} peak"
                    parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 4}">{text}</text>')
                else:
                    text = "fails" if result["status"] == "fails" else "not measured"
                    parts.append(
                        f'<text x="{left + 6}" y="{y + bar_h - 4}" fill="#c92a2a" font-style="italic">{text}</text>'
                    )
                y += bar_h + gap
            y += group_gap
    height = y + 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">\n'
        f'<rect width="{width}" height="{height}" fill="white"/>\n'
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("specs", nargs="+")
    parser.add_argument("--md", required=True)
    parser.add_argument("--svg", required=True)
    parser.add_argument("--machine", default="")
    args = parser.parse_args(argv)
    rows = load(args.raw, args.specs)
    with open(args.md, "w", encoding="utf-8") as f:
        f.write(markdown(rows, args.machine))
    with open(args.svg, "w", encoding="utf-8") as f:
        f.write(svg(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
