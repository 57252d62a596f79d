#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine with only Rust and Python 3:
# installs what the tests need (moto; nginx and curl through apt-get) while the
# one debug build runs, checks the format, starts real moto servers on
# loopback and runs every test; clippy lints xapi's own code in that build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

state=$(mktemp -d)
installs=""
servers=()
trap '[ -z "$installs" ] || kill "$installs" 2>/dev/null || true; for s in "${servers[@]}"; do scripts/moto.sh stop "$s"; done; rm -rf "$state"' EXIT

echo "== [${SECONDS}s] cargo fmt --check" >&2
cargo fmt --all -- --check

for n in $(seq $((2 * $(nproc)))); do
  servers+=("$state/moto-$n")
done
# The installs mostly wait on the network and the disk, the build on the CPU:
# running them side by side takes the build's time, not the sum. The
# installs run niced: pip's own CPU work (about 30 s) then fills the moments
# the build leaves a core idle instead of slowing the build (the moto servers
# are not niced: the tests wait on them).
(
  # The mTLS proxy test runs real NGINX and curl (tests/it/mtls_nginx.rs
  # fails, never skips, without them).
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] || ! command -v curl >/dev/null 2>&1; then
    echo "installing nginx-light, curl and ca-certificates" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" nice -n 19 env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$state/apt.log" 2>&1
    "${sudo_cmd[@]}" nice -n 19 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      nginx-light curl ca-certificates >>"$state/apt.log" 2>&1 || { cat "$state/apt.log" >&2; exit 1; }
  fi
  nice -n 19 scripts/moto.sh install
  # Two moto servers per core: a server answers one request at a time
  # (measured on 2 cores: with one server it was busy for 145 s of the 198 s
  # test run), and each test process keeps to one server
  # (tests/it/common/mod.rs). Measured on 2 cores, fresh servers, one run each:
  # 2 servers and 4 test threads 114 s and 107 s; 4 servers and 8 threads
  # (.config/nextest.toml) 90 s and 97 s; 2 servers and 12 threads 126 s.
  # Started here, while the build runs (about a second each), one after the
  # other so that two never race for the same free port.
  for dir in "${servers[@]}"; do
    scripts/moto.sh start "$dir"
  done
) &
installs=$!

# One build serves both the tests and clippy: clippy-driver compiles xapi's own
# targets (the dependencies get plain rustc; scripts/clippy-once.sh says which
# of xapi's), so its lints fail the build exactly as
# `cargo clippy --all-targets -- -D warnings` would, without a second,
# check-mode pass over every dependency (minutes on two cores).
export RUSTC_WORKSPACE_WRAPPER CLIPPY_DRIVER CLIPPY_ARGS=-Dwarnings
# A CI run builds once from clean: incremental compilation only writes a cache
# nobody reads (measured: xapi's own targets 47 s -> 38 s on 2 cores), and
# nobody reads a backtrace's line numbers there either (a failed assertion
# names its line without them; measured: the unit-test target 35 s -> 28 s).
if [ -n "${CI:-}" ]; then
  export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=false
fi
CLIPPY_DRIVER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
RUSTC_WORKSPACE_WRAPPER="$root/scripts/clippy-once.sh"
echo "== [${SECONDS}s] cargo build of every test target (xapi's own code through clippy-driver, warnings denied)" >&2
cargo test --locked --all-targets --no-run

echo "== [${SECONDS}s] waiting for the installs and the moto servers" >&2
wait "$installs"
installs=""
urls=()
for dir in "${servers[@]}"; do
  urls+=("$(cat "$dir/url")")
done
export XAPI_TEST_AWS_ENDPOINT="${urls[*]}"

# nextest (on every machine of this kind) runs the unit and emulator-backed
# tests in one pool, slowest first (.config/nextest.toml); plain cargo test
# runs the same tests where it is missing.
if cargo nextest --version >/dev/null 2>&1; then
  echo "== [${SECONDS}s] cargo nextest run" >&2
  cargo nextest run --locked --all-targets --no-fail-fast
else
  echo "== [${SECONDS}s] cargo test (cargo-nextest not installed)" >&2
  cargo test --locked --all-targets
fi
