#!/usr/bin/env bash
# Benchmark (not a test): evaluation time of adversarial resource policies up to the
# 8,192-character limit, per operation (summarize, admits_vpce, grant dry run).
# Builds bench/policy-eval in release mode: it compiles src/policy/ on its own, without
# the AWS SDK, so the release build takes seconds rather than a full xapi release build.
#   scripts/bench-eval.sh [POLICIES_PER_SHAPE]   (default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
manifest="$root/bench/policy-eval/Cargo.toml"
cargo build --quiet --release --manifest-path "$manifest"
target=${CARGO_TARGET_DIR:-"$root/bench/policy-eval/target"}
"$target/release/policy-eval-bench" "$@"
