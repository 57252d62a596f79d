#!/usr/bin/env bash
# The policy engine's property tests at a benchmark-sized case count (CI runs 160 each):
# grant admits X exactly like an admitted endpoint and changes nothing else, revoke never
# widens and undoes a grant, the search agrees with brute force, the stored form is
# equivalent. Builds bench/policy-eval (src/policy/ on its own, no AWS SDK) in release.
#   scripts/prove-policy.sh [CASES]   (default 10000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases=${1:-10000}
POLICY_PROPTEST_CASES=$cases exec cargo test --release \
  --manifest-path "$root/bench/policy-eval/Cargo.toml" -- policy::tests::props policy::reach_tests
