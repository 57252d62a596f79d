#!/usr/bin/env bash
# The whole test suite on a fresh machine with only Rust and Python 3:
# installs what the tests need, starts a real moto server on loopback, runs
# the format check, every test (one debug build), then clippy on top of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/moto.sh install

state=$(mktemp -d)
trap 'scripts/moto.sh stop "$state"; rm -rf "$state"' EXIT
scripts/moto.sh start "$state"
export XAPI_TEST_AWS_ENDPOINT
XAPI_TEST_AWS_ENDPOINT=$(cat "$state/url")

echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
echo "== cargo test" >&2
cargo test --locked --all-targets
echo "== cargo clippy" >&2
cargo clippy --locked --all-targets -- -D warnings
