#!/usr/bin/env bash
# Benchmark (not a test): xapi doctor on the demo's pattern-1 chain against the
# local AWS, beside the same reads made with the AWS CLI one call at a time.
# Prints wall times, call counts (from moto's request recorder) and the ratio.
#   scripts/bench-doctor.sh            uses target/debug/xapi (built if missing)
#   XAPI_BIN=target/release/xapi scripts/bench-doctor.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PRODUCER=111111111111
CONSUMER=222222222222
RUNS=${RUNS:-5}

[ -n "${XAPI_BIN:-}" ] || { cargo build --quiet; XAPI_BIN="$root/target/debug/xapi"; }
scripts/moto.sh install
[ -x .venv/bin/aws ] || .venv/bin/pip install --quiet --disable-pip-version-check awscli
state=$(mktemp -d)
trap 'scripts/moto.sh stop "$state"; rm -rf "$state"' EXIT
MOTO_RECORDER_FILEPATH="$state/recording.jsonl" scripts/moto.sh start "$state" 2>/dev/null
url=$(cat "$state/url")
export AWS_ENDPOINT_URL=$url AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export HOME="$state/home" AWS_CONFIG_FILE="$state/home/config" AWS_SHARED_CREDENTIALS_FILE="$state/home/credentials"
export AWS_EC2_METADATA_DISABLED=true XDG_STATE_HOME="$state/home/state" AWS_PAGER=""
mkdir -p "$HOME"
eval "$(.venv/bin/python scripts/seed.py "$PRODUCER" "$CONSUMER")"
C="arn:aws:iam::$CONSUMER:role/bench"
P="arn:aws:iam::$PRODUCER:role/bench"
VPCE_ID=$("$XAPI_BIN" endpoint create --role-arn "$C" --vpc-id "$VPC_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" \
  --security-group-id "$SG_ID" --output json 2>/dev/null | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["endpoint"]["id"])')
WIRED=$("$XAPI_BIN" wire-regional-front --role-arn "$C" --producer-role-arn "$P" --private-api-id "$API_ID" --stage prod \
  --vpce "$VPCE_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" --name bench --output json 2>/dev/null)
read -r FRONT LINK LINK_SG TG LB <<<"$(.venv/bin/python -c '
import json,sys; r=json.loads(sys.argv[1])["resources"]; print(r["front_api_id"], r["vpc_link_id"], r["link_security_group_id"], r["target_group_arn"], r["load_balancer_arn"])' "$WIRED")"

recorder() { .venv/bin/python -c "import urllib.request as u; u.urlopen(u.Request('$url/moto-api/recorder/$1', method='${2:-POST}')).read()"; }
count_calls() { wc -l <"$state/recording.jsonl" 2>/dev/null | tr -d ' ' || echo 0; }
now() { date +%s.%N; }

# Credentials for the CLI: one AssumeRole per account, as a user's profile would do.
creds() {
  .venv/bin/aws sts assume-role --role-arn "$1" --role-session-name bench --output json |
    .venv/bin/python -c 'import json,sys; c=json.load(sys.stdin)["Credentials"]; print(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])'
}
read -r CK CS CT <<<"$(creds "$C")"
read -r PK PS PT <<<"$(creds "$P")"
caws() { AWS_ACCESS_KEY_ID=$CK AWS_SECRET_ACCESS_KEY=$CS AWS_SESSION_TOKEN=$CT .venv/bin/aws "$@" >/dev/null; }
paws() { AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT .venv/bin/aws "$@" >/dev/null; }
ROOT_ID=$(AWS_ACCESS_KEY_ID=$CK AWS_SECRET_ACCESS_KEY=$CS AWS_SESSION_TOKEN=$CT .venv/bin/aws apigateway get-resources --rest-api-id "$FRONT" \
  --query 'items[?path==`/`].id' --output text)
PROXY_ID=$(AWS_ACCESS_KEY_ID=$CK AWS_SECRET_ACCESS_KEY=$CS AWS_SESSION_TOKEN=$CT .venv/bin/aws apigateway get-resources --rest-api-id "$FRONT" \
  --query 'items[?path==`/{proxy+}`].id' --output text)
DEP=$(AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT .venv/bin/aws apigateway get-stage --rest-api-id "$API_ID" \
  --stage-name prod --query deploymentId --output text)
ENIS=$(AWS_ACCESS_KEY_ID=$CK AWS_SECRET_ACCESS_KEY=$CS AWS_SESSION_TOKEN=$CT .venv/bin/aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$VPCE_ID" \
  --query 'VpcEndpoints[0].NetworkInterfaceIds' --output text)

# The reads doctor makes, as AWS CLI calls one after another.
cli_reads() {
  caws sts get-caller-identity
  paws sts get-caller-identity
  caws apigateway get-rest-api --rest-api-id "$FRONT"
  caws apigateway get-resources --rest-api-id "$FRONT"
  caws apigateway get-integration --rest-api-id "$FRONT" --resource-id "$ROOT_ID" --http-method ANY
  caws apigateway get-integration --rest-api-id "$FRONT" --resource-id "$PROXY_ID" --http-method ANY
  caws apigateway get-method --rest-api-id "$FRONT" --resource-id "$ROOT_ID" --http-method ANY
  caws apigateway get-method --rest-api-id "$FRONT" --resource-id "$PROXY_ID" --http-method ANY
  # The chain goes through a VPC link v2 (a new stack's kind): both kinds
  # are listed, the link and its network (subnets, group) read.
  caws apigateway get-vpc-links
  caws apigatewayv2 get-vpc-links
  caws apigatewayv2 get-vpc-link --vpc-link-id "$LINK"
  caws ec2 describe-subnets --subnet-ids "$SUBNET_A" "$SUBNET_B"
  caws ec2 describe-security-groups --group-ids "$LINK_SG"
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway get-stages --rest-api-id "$API_ID"
  caws elbv2 describe-load-balancers --load-balancer-arns "$LB"
  caws elbv2 describe-listeners --load-balancer-arn "$LB"
  caws ec2 describe-subnets --subnet-ids "$SUBNET_A" "$SUBNET_B"
  caws elbv2 describe-target-groups --target-group-arns "$TG"
  caws elbv2 describe-target-health --target-group-arn "$TG"
  paws apigateway get-deployment --rest-api-id "$API_ID" --deployment-id "$DEP"
  paws apigateway get-export --rest-api-id "$API_ID" --stage-name prod --export-type oas30 \
    --parameters extensions=apigateway --accepts application/json "$state/export.json"
  caws ec2 describe-vpc-endpoints --filters "Name=service-name,Values=com.amazonaws.us-east-1.execute-api"
  # shellcheck disable=SC2086
  caws ec2 describe-network-interfaces --network-interface-ids $ENIS
  caws ec2 describe-security-groups --group-ids "$SG_ID"
  caws ec2 describe-vpc-attribute --vpc-id "$VPC_ID" --attribute enableDnsSupport
  caws ec2 describe-vpc-attribute --vpc-id "$VPC_ID" --attribute enableDnsHostnames
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >"$state/recording.jsonl"
recorder start-recording
"$XAPI_BIN" doctor --role-arn "$C" --producer-role-arn "$P" --front-api-id "$FRONT" --output json >/dev/null || true
recorder stop-recording
doctor_calls=$(count_calls)
: >"$state/recording.jsonl"
recorder start-recording
cli_reads
recorder stop-recording
cli_calls=$(count_calls)

doctor_times=$(for _ in $(seq "$RUNS"); do s=$(now); "$XAPI_BIN" doctor --role-arn "$C" --producer-role-arn "$P" --front-api-id "$FRONT" --output json >/dev/null || true; e=$(now); echo "$e - $s" | bc -l; done | median)
cli_times=$(for _ in $(seq "$RUNS"); do s=$(now); cli_reads; e=$(now); echo "$e - $s" | bc -l; done | median)

printf 'doctor on the demo chain (%s runs, median)\n' "$RUNS"
printf '  xapi doctor:           %6.3f s  %3s AWS calls (incl. 2 AssumeRole)\n' "$doctor_times" "$doctor_calls"
printf '  AWS CLI, one at a time: %6.3f s  %3s AWS calls (credentials assumed beforehand)\n' "$cli_times" "$cli_calls"
printf '  ratio (CLI / xapi):    %6.1fx\n' "$(echo "$cli_times / $doctor_times" | bc -l)"
