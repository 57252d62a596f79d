#!/usr/bin/env bash
# Mutation testing of the pure policy engine without building the AWS SDK.
#
# src/policy/ only uses self::/super:: paths and a handful of small crates, so it compiles as
# the root module of a scratch crate. This script builds that crate in a temporary directory
# (its own target dir: a mutant build is seconds there, against ~40 s inside xapi) and runs
# `cargo mutants` on one file of it.
#
# Usage: scripts/mutants-policy.sh [FILE] [-- extra cargo-mutants args]
#   FILE defaults to src/policy/edit.rs (a path relative to the repository root).
# Environment:
#   POLICY_PROPTEST_CASES  proptest cases per property (default here: 64)
#   MUTANTS_HARNESS_DIR    build the harness here and keep it (default: a temp dir, removed)
#   MUTANTS_TIMEOUT        per-mutant test timeout in seconds (default: 120)
#   MUTANTS_JOBS           parallel mutant builds (default: 1)
# The report (mutants.out/ with caught.txt, missed.txt, ...) is copied to ./mutants.out.
#
# Needs cargo-mutants (`cargo install --locked cargo-mutants`).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
file=src/policy/edit.rs
if [[ $# -gt 0 && $1 != -- ]]; then
    file=$1
    shift
fi
[[ ${1:-} == -- ]] && shift
case $file in
src/policy/*.rs) ;;
*)
    echo "mutants-policy: $file is not a file of src/policy/" >&2
    exit 2
    ;;
esac
if [[ ! -f $repo/$file ]]; then
    echo "mutants-policy: $repo/$file does not exist" >&2
    exit 2
fi
if ! cargo mutants --version >/dev/null 2>&1; then
    echo "mutants-policy: cargo-mutants is not installed; run: cargo install --locked cargo-mutants" >&2
    exit 2
fi

if [[ -n ${MUTANTS_HARNESS_DIR:-} ]]; then
    harness=$MUTANTS_HARNESS_DIR
    mkdir -p "$harness"
else
    harness=$(mktemp -d "${TMPDIR:-/tmp}/mutants-policy.XXXXXX")
    trap 'rm -rf "$harness"' EXIT
fi

mkdir -p "$harness/src"
# Same versions as xapi: the lock file pins them; cargo drops the entries it does not need.
cat >"$harness/Cargo.toml" <<'EOF'
[package]
name = "policy-harness"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order"] }
sha2 = "0.11"
similar = "2"
thiserror = "2"

[dev-dependencies]
proptest = "1"

# Mutant builds are incremental; opt-level 1 makes the proptest properties ~3x faster than
# debug for about the same build time.
[profile.mutants]
inherits = "dev"
opt-level = 1
debug = false
incremental = true

[profile.mutants.package."*"]
opt-level = 3
EOF
cp "$repo/Cargo.lock" "$harness/Cargo.lock"
echo 'pub mod policy;' >"$harness/src/lib.rs"
rm -rf "$harness/src/policy"
cp -r "$repo/src/policy" "$harness/src/policy"

# The harness has its own target dir: xapi's is built with other features and would be
# locked by every mutant build.
unset CARGO_TARGET_DIR
export POLICY_PROPTEST_CASES=${POLICY_PROPTEST_CASES:-64}
cd "$harness"
status=0
cargo mutants -f "$file" \
    --timeout "${MUTANTS_TIMEOUT:-120}" \
    -j "${MUTANTS_JOBS:-1}" \
    --cap-lints true \
    --profile mutants \
    "$@" || status=$?
# cargo-mutants exits 2 when some mutants were missed, 3 on timeouts: still a measurement.
if [[ -d mutants.out ]]; then
    rm -rf "$repo/mutants.out"
    cp -r mutants.out "$repo/mutants.out"
    echo "mutants-policy: report in $repo/mutants.out" >&2
fi
exit "$status"
