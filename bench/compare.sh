#!/usr/bin/env bash
# Generation time and peak memory of oapigen beside the other Rust OpenAPI generators, on the
# same specs, plus the floor (only parsing the spec). Writes bench/results/compare.md and
# bench/results/compare.svg. Takes minutes (the first run compiles the peers, ~15 min on
# 2 cores), so it is not part of CI; CI tests bench/report.py on a fixture instead.
#
# Usage: bash bench/compare.sh
# Environment:
#   CORPUS=DIR          where the specs are (default ../shared/corpus, relative to the repo)
#   SPECS="a.json b…"   spec file names in CORPUS (default: GitHub, Stripe, Nexus)
#   PEERS="ploidy …"    peers to measure (default: ploidy oas3-gen progenitor)
#   RUNS=5 WARMUP=1     hyperfine settings
#   TIMEOUT=900         seconds before one generator run counts as failed
#   CHECK_TOOLS="ours ploidy oas3-gen"  whose generated crates get the `cargo check` comparison
#                       (empty: skip it); CHECK_RUNS=3 timed checks each
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/bench/.tools
WORK=$ROOT/bench/.work
RESULTS=$ROOT/bench/results
CORPUS=${CORPUS:-../shared/corpus}
read -r -a SPECS <<<"${SPECS:-oxidecomputer__api.github.com.json stripe__spec3.json oxidecomputer__nexus.json}"
read -r -a PEERS <<<"${PEERS:-ploidy oas3-gen progenitor}"
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
TIMEOUT=${TIMEOUT:-900}
read -r -a CHECK_TOOLS <<<"${CHECK_TOOLS-ours ploidy oas3-gen}"
CHECK_RUNS=${CHECK_RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac

log() { printf '[compare %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed for peak memory"
command -v python3 >/dev/null || die "python3 is needed to write the report"
CORPUS=$(cd "$CORPUS" 2>/dev/null && pwd) || die "corpus directory not found"

# --- Tools: the pinned peers and hyperfine, each installed once into bench/.tools ----------
# (hyperfine 2.x needs rustc 1.97; 1.20.0 is the newest that builds with older ones.)
PINNED=("hyperfine 1.20.0" "ploidy 0.15.0" "oas3-gen 0.29.0" "cargo-progenitor 0.15.1")
installed=$(cargo install --list --root "$TOOLS" 2>/dev/null || true)
for pin in "${PINNED[@]}"; do
    read -r crate version <<<"$pin"
    if [ "$crate" != hyperfine ]; then
        wanted=no
        for peer in "${PEERS[@]}"; do
            [ "$crate" = "$peer" ] || [ "$crate" = "cargo-$peer" ] && wanted=yes
        done
        [ $wanted = yes ] || continue
    fi
    if grep -q "^$crate v$version:" <<<"$installed"; then
        continue
    fi
    log "installing $crate $version into bench/.tools (compiles it; minutes)"
    cargo install --locked --root "$TOOLS" "$crate@$version" >&2 ||
        log "could not install $crate $version: it is left out"
done
HYPERFINE=$TOOLS/bin/hyperfine
[ -x "$HYPERFINE" ] || die "hyperfine is not installed"

# --- Ours, and the parse floor ----------------------------------------------------------
log "building oapigen and the parse floor (release)"
cargo build --release --locked -p oapigen-cli -p oapigen --bin oapigen --example parse_floor >&2 ||
    die "cargo build failed"
OURS=$TARGET/release/oapigen
FLOOR=$TARGET/release/examples/parse_floor

# The command line of one tool reading spec $2 and writing into $3, set in CMD.
tool_cmd() {
    local tool=$1 spec=$2 out=$3
    case $tool in
        ours) CMD=("$OURS" --spec "$spec" --out "$out" --crate-name bench-client --lenient) ;;
        floor) CMD=("$FLOOR" "$spec") ;;
        # ploidy: a crate (Cargo.toml, client and models) in the output directory.
        ploidy) CMD=("$TOOLS/bin/ploidy" generate rust "$spec" -o "$out" --name bench-client) ;;
        # oas3-gen: a crate (--workspace writes Cargo.toml and src/) of types and a client.
        oas3-gen) CMD=("$TOOLS/bin/oas3-gen" generate client-mod --workspace -i "$spec" -o "$out") ;;
        # cargo-progenitor: a crate; a cargo subcommand, so its first argument is its name.
        progenitor) CMD=("$TOOLS/bin/cargo-progenitor" progenitor -i "$spec" -o "$out" -n bench-client -v 0.1.0) ;;
    esac
}

tool_installed() {
    case $1 in
        ours | floor) return 0 ;;
        progenitor) [ -x "$TOOLS/bin/cargo-progenitor" ] ;;
        *) [ -x "$TOOLS/bin/$1" ] ;;
    esac
}

# The first line of a failed run's stderr; for a panic, the message on the next line too.
first_error() {
    local stderr=$1 code=$2 line
    line=$(grep -m1 -v '^[[:space:]]*$' "$stderr" | cut -c1-300)
    if [[ $line == *panicked* ]]; then
        local next
        next=$(grep -v '^[[:space:]]*$' "$stderr" | sed -n 2p | cut -c1-300)
        [ -n "$next" ] && line="$line $next"
    fi
    # Shorten "thread 'main' (1234) panicked at /…/registry/src/index…/crate-1.0/src/x.rs".
    line=$(sed -E "s#^thread '([^']*)' \([0-9]+\)#thread '\1'#; s#[^ ]*/registry/src/[^/]+/##" <<<"$line")
    [ $code -eq 124 ] && line="timed out after ${TIMEOUT}s"
    printf '%s (exit %s)\n' "${line:-no message}" "$code"
}

# Measure one tool on one spec: one run under /usr/bin/time (peak memory; also tells whether
# it works), then hyperfine. Before each timed run the previous output is deleted and `sync`
# flushes the page cache's dirty pages, so no run pays for the last one's disk work. Never
# aborts the script.
measure() {
    local tool=$1 spec=$2 dir=$3
    local out=$WORK/out/$tool
    local -a CMD
    tool_cmd "$tool" "$spec" "$out"
    rm -f "$dir/$tool".{json,peak_kb,error,stderr}
    if ! tool_installed "$tool"; then
        log "$tool: not installed, skipped"
        return
    fi
    rm -rf "$out"
    mkdir -p "$(dirname "$out")"
    log "$tool: ${CMD[*]##*/}"
    /usr/bin/time -f %M -o "$dir/$tool.peak_kb" timeout "$TIMEOUT" "${CMD[@]}" \
        >/dev/null 2>"$dir/$tool.stderr"
    local code=$?
    if [ $code -ne 0 ]; then
        first_error "$dir/$tool.stderr" $code >"$dir/$tool.error"
        log "$tool fails: $(cat "$dir/$tool.error")"
        return
    fi
    local quoted
    quoted=$(printf '%q ' timeout "$TIMEOUT" "${CMD[@]}")
    if ! "$HYPERFINE" --shell=bash --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --prepare "rm -rf $(printf '%q' "$out") && sync" --export-json "$dir/$tool.json" \
        --command-name "$tool" "$quoted" >&2; then
        echo "failed under hyperfine (a later run exited non-zero)" >"$dir/$tool.error"
        rm -f "$dir/$tool.json"
    fi
}

# --- Compile cost of the output: `cargo check` of each generated crate ---------------------
# Every crate is its own workspace; all share one target directory. A first check builds the
# dependencies (untimed); before each timed run `touch src/lib.rs` makes cargo re-check only the
# generated crate. Peak = the largest process under cargo, i.e. rustc (`/usr/bin/time` reports
# the maximum over waited-for children). Ours is also checked with only its largest feature.
CHECK_TARGET=$WORK/check-target

# Runs `cargo check` of the crate in $2 (extra cargo arguments after $3) as result $3 of $1.
measure_check() {
    local dir=$1 crate=$2 label=$3
    shift 3
    local -a check=(cargo check --quiet --manifest-path "$crate/Cargo.toml" "$@")
    rm -f "$dir/check-$label".{json,peak_kb,error,stderr}
    log "cargo check: $label${*:+ ($*)}"
    if ! CARGO_TARGET_DIR=$CHECK_TARGET timeout "$TIMEOUT" "${check[@]}" >/dev/null 2>"$dir/check-$label.stderr"; then
        # cargo's first `error` line names the problem better than the first line (a warning).
        grep -m1 '^error' "$dir/check-$label.stderr" | cut -c1-300 >"$dir/check-$label.error"
        [ -s "$dir/check-$label.error" ] || first_error "$dir/check-$label.stderr" 1 >"$dir/check-$label.error"
        log "check of $label fails: $(cat "$dir/check-$label.error")"
        return
    fi
    touch "$crate/src/lib.rs"
    CARGO_TARGET_DIR=$CHECK_TARGET /usr/bin/time -f %M -o "$dir/check-$label.peak_kb" \
        "${check[@]}" >/dev/null 2>&1
    local quoted
    quoted=$(printf '%q ' env CARGO_TARGET_DIR="$CHECK_TARGET" "${check[@]}")
    "$HYPERFINE" --shell=bash --style basic --runs "$CHECK_RUNS" \
        --prepare "touch $(printf '%q' "$crate/src/lib.rs")" --export-json "$dir/check-$label.json" \
        --command-name "check-$label" "$quoted" >&2 || rm -f "$dir/check-$label.json"
}

# The feature of our crate in $1 with the most operations, as "name operations total".
largest_feature() {
    python3 - "$1/README.md" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Features", 1)[-1].split("\n## ", 1)[0] if "## Features" in text else ""
rows = re.findall(r"^\| `([^`]+)` \| .* \| (\d+) \|$", section, re.M)
if rows:
    name, count = max(rows, key=lambda row: int(row[1]))
    print(name, count, sum(int(n) for _, n in rows))
PY
}

compare_checks() {
    local spec=$1 dir=$2 tool crate
    for tool in "${CHECK_TOOLS[@]}"; do
        tool_installed "$tool" || continue
        crate=$WORK/check/$tool
        rm -rf "$crate"
        local -a CMD
        tool_cmd "$tool" "$spec" "$crate"
        [ "$tool" = ours ] && CMD+=(--runtime-path "$ROOT/runtime")
        if ! "${CMD[@]}" >/dev/null 2>&1 || [ ! -f "$crate/Cargo.toml" ]; then
            echo "generation failed" >"$dir/check-$tool.error"
            continue
        fi
        # A workspace of its own, so cargo does not look for ours around bench/.work.
        grep -q '^\[workspace\]' "$crate/Cargo.toml" || printf '\n[workspace]\n' >>"$crate/Cargo.toml"
        measure_check "$dir" "$crate" "$tool"
        if [ "$tool" = ours ]; then
            local feature
            feature=$(largest_feature "$crate")
            rm -f "$dir/check-ours-feature.name"
            if [ -n "$feature" ]; then
                echo "$feature" >"$dir/check-ours-feature.name"
                measure_check "$dir" "$crate" ours-feature --no-default-features \
                    --features "${feature%% *}"
            fi
        fi
    done
}

mkdir -p "$WORK" "$RESULTS"
log "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
RAW=$WORK/raw
for name in "${SPECS[@]}"; do
    spec=$CORPUS/$name
    [ -f "$spec" ] || die "$spec not found"
    dir=$RAW/$name
    mkdir -p "$dir"
    log "== $name"
    for tool in ours floor "${PEERS[@]}"; do
        measure "$tool" "$spec" "$dir"
    done
    # Where our time goes: one more run, warm, with the in-process phase times.
    rm -rf "$WORK/out/ours"
    "$OURS" --spec "$spec" --out "$WORK/out/ours" --crate-name bench-client --lenient \
        --timings >"$dir/ours.timings" 2>&1 || true
    [ ${#CHECK_TOOLS[@]} -gt 0 ] && compare_checks "$spec" "$dir"
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
machine="$(nproc) cores ($cpu), $mem RAM, $(uname -s) $(uname -r), $(rustc --version | cut -d' ' -f1-2), $(date -u +%F)"
python3 bench/report.py "$RAW" "${SPECS[@]}" --machine "$machine" \
    --md "$RESULTS/compare.md" --svg "$RESULTS/compare.svg" || die "report failed"
log "wrote bench/results/compare.md and bench/results/compare.svg"
cat "$RESULTS/compare.md"
