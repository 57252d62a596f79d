#!/usr/bin/env bash
# RUSTC_WORKSPACE_WRAPPER for scripts/test.sh: clippy lints each of xapi's
# targets once. The library is compiled twice by `cargo test --all-targets`:
# on its own (for the binary and the integration tests) and as its unit-test
# target, which holds the same code plus the tests; clippy on the second alone
# lints all of it (nothing here is `cfg(not(test))`), so the first is plain
# rustc with warnings denied. Measured on 2 cores: the library's own build
# 36 s through clippy-driver, 23 s through rustc.
set -euo pipefail
rustc=$1
shift
is_lib=false test=false
for arg in "$@"; do
  case $arg in
    src/lib.rs) is_lib=true ;;
    --test) test=true ;;
  esac
done
if $is_lib && ! $test; then
  exec "$rustc" "$@" -D warnings
fi
exec "${CLIPPY_DRIVER:?set by scripts/test.sh}" "$rustc" "$@"
