#!/usr/bin/env bash
# Regenerate the checked-in completion scripts from the CLI definition.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
xapi=${XAPI_BIN:-$root/target/debug/xapi}
[ -x "$xapi" ] || (cd "$root" && cargo build --quiet)
mkdir -p "$root/completions"
for pair in bash:xapi.bash zsh:_xapi fish:xapi.fish elvish:xapi.elv powershell:_xapi.ps1; do
  "$xapi" completions "${pair%%:*}" >"$root/completions/${pair#*:}"
done
echo "completions written to completions/" >&2
