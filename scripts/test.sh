#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine with only Rust and Python 3:
# installs what the tests need (moto; nginx and curl through apt-get), starts a real moto server on loopback, runs
# the format check, then every test in one debug build whose own code clippy lints.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The mTLS proxy test runs real NGINX and curl (tests/it/mtls_nginx.rs fails,
# never skips, without them).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] || ! command -v curl >/dev/null 2>&1; then
  echo "installing nginx-light, curl and ca-certificates" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light curl ca-certificates
fi

scripts/moto.sh install

state=$(mktemp -d)
trap 'scripts/moto.sh stop "$state"; rm -rf "$state"' EXIT
scripts/moto.sh start "$state"
export XAPI_TEST_AWS_ENDPOINT
XAPI_TEST_AWS_ENDPOINT=$(cat "$state/url")

echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
# One build serves both the tests and clippy: clippy-driver compiles xapi's own
# targets (the dependencies get plain rustc), so its lints fail the build
# exactly as `cargo clippy --all-targets -- -D warnings` would, without a
# second, check-mode pass over every dependency (minutes on two cores).
echo "== cargo test (xapi's targets built by clippy-driver, warnings denied)" >&2
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver) \
  CLIPPY_ARGS=-Dwarnings cargo test --locked --all-targets
