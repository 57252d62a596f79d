#!/usr/bin/env bash
# Benchmark (not a test, not run in CI): xapi audit over a fleet on the local
# AWS, beside the same reads made with the AWS CLI one call at a time.
# Prints wall times, requests sent (from moto's request recorder) and the ratio.
#   scripts/bench-audit.sh                         20 producers x 10 private APIs, 5 consumers x 4 endpoints
#   PRODUCERS=50 APIS=10 CONSUMERS=10 scripts/bench-audit.sh
#   XAPI_BIN=target/release/xapi scripts/bench-audit.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PRODUCERS=${PRODUCERS:-20}
APIS=${APIS:-10}
CONSUMERS=${CONSUMERS:-5}
ENDPOINTS=${ENDPOINTS:-4}
RUNS=${RUNS:-3}
ROLE=bench

[ -n "${XAPI_BIN:-}" ] || { cargo build --quiet; XAPI_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/xapi"; }
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

# Seed with boto3 in one process, accounts in parallel: consumers first (their
# endpoint ids go into the producers' policies), then producers. Prints
# "<producers> <consumers>" as two space-separated id lists on two lines.
PRODUCERS=$PRODUCERS APIS=$APIS CONSUMERS=$CONSUMERS ENDPOINTS=$ENDPOINTS .venv/bin/python - >"$state/accounts" <<'EOF'
import json, os
from concurrent.futures import ThreadPoolExecutor
import boto3

R = "us-east-1"
P, A, C, E = (int(os.environ[k]) for k in ("PRODUCERS", "APIS", "CONSUMERS", "ENDPOINTS"))
producers = [f"3{i:011d}" for i in range(1, P + 1)]
consumers = [f"4{i:011d}" for i in range(1, C + 1)]

def session(account):
    c = boto3.client("sts", region_name=R).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seed")["Credentials"]
    return boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                 aws_session_token=c["SessionToken"], region_name=R)

def consumer(n_account):
    n, account = n_account
    ec2 = session(account).client("ec2")
    vpc = ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{n}.1.0/24")["Subnet"]["SubnetId"]
    return [ec2.create_vpc_endpoint(VpcId=vpc, VpcEndpointType="Interface", SubnetIds=[subnet],
                                    ServiceName=f"com.amazonaws.{R}.execute-api")["VpcEndpoint"]["VpcEndpointId"]
            for _ in range(E)]

def producer(n_account, endpoints):
    n, account = n_account
    apigw = session(account).client("apigateway")
    for i in range(A):
        granted = [endpoints[(n * A + i + k) % len(endpoints)] for k in range(2)] if endpoints else []
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": granted or ["vpce-00000000000000000"]}}}]}
        api = apigw.create_rest_api(name=f"svc-{i}", endpointConfiguration={"types": ["PRIVATE"]},
                                    policy=json.dumps(policy))["id"]
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        apigw.create_deployment(restApiId=api, stageName="prod", description="bench")

with ThreadPoolExecutor(8) as pool:
    endpoints = [e for es in pool.map(consumer, enumerate(consumers, 1)) for e in es]
    list(pool.map(lambda na: producer(na, endpoints), enumerate(producers, 1)))
print(" ".join(producers))
print(" ".join(consumers))
EOF
PRODUCER_IDS=$(sed -n 1p "$state/accounts")
CONSUMER_IDS=$(sed -n 2p "$state/accounts")
# shellcheck disable=SC2206
ALL=($PRODUCER_IDS $CONSUMER_IDS)

recorder() { .venv/bin/python -c "import urllib.request as u; u.urlopen(u.Request('$url/moto-api/recorder/$1', method='POST')).read()"; }
count_calls() { wc -l <"$state/recording.jsonl" 2>/dev/null | tr -d ' ' || echo 0; }
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
audit() { "$XAPI_BIN" audit --account "${ALL[@]}" --role-name "$ROLE" --output json "$@"; }

# The reads audit makes, with the AWS CLI one call after another: per account
# AssumeRole, GetRestApis and DescribeVpcEndpoints; per private API GetStages
# and GetDeployments (the policy comes with GetRestApis, as in audit), and
# GetExport of its one stage (the seed deploys it without xapi's marker).
cli_reads() {
  local account creds ids id
  for account in "${ALL[@]}"; do
    creds=$(.venv/bin/aws sts assume-role --role-arn "arn:aws:iam::$account:role/$ROLE" --role-session-name bench \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
    read -r K S T <<<"$creds"
    ids=$(AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws apigateway get-rest-apis \
      --query "items[?contains(endpointConfiguration.types, 'PRIVATE')].id" --output text)
    AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws ec2 describe-vpc-endpoints \
      --filters "Name=service-name,Values=com.amazonaws.us-east-1.execute-api" "Name=vpc-endpoint-type,Values=Interface" >/dev/null
    AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws apigateway get-domain-names >/dev/null
    for id in $ids; do
      AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws apigateway get-stages --rest-api-id "$id" >/dev/null
      AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws apigateway get-deployments --rest-api-id "$id" >/dev/null
      AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T .venv/bin/aws apigateway get-export --rest-api-id "$id" \
        --stage-name prod --export-type oas30 --parameters extensions=apigateway --accepts application/json /dev/null >/dev/null
    done
  done
}

: >"$state/recording.jsonl"
recorder start-recording
audit >"$state/report.json" || true
recorder stop-recording
audit_calls=$(count_calls)
read -r findings apis endpoints access counted <<<"$(.venv/bin/python -c '
import json,sys; r=json.load(open(sys.argv[1])); s=r["summary"]
print(len(r["findings"]), s["private_apis"], s["endpoints"], len(r["access_map"]), r["stats"]["requests"])' "$state/report.json")"

audit_times=$(for _ in $(seq "$RUNS"); do s=$(now); audit >/dev/null || true; e=$(now); echo "$e - $s" | bc -l; done | median)

: >"$state/recording.jsonl"
recorder start-recording
s=$(now)
cli_reads
e=$(now)
recorder stop-recording
cli_calls=$(count_calls)
cli_time=$(echo "$e - $s" | bc -l)

accounts=${#ALL[@]}
printf 'xapi audit on %s accounts (%s producers x %s private APIs, %s consumers x %s endpoints)\n' \
  "$accounts" "$PRODUCERS" "$APIS" "$CONSUMERS" "$ENDPOINTS"
printf '  scanned: %s private APIs, %s endpoints, %s access paths, %s findings\n' "$apis" "$endpoints" "$access" "$findings"
printf '  xapi audit (median of %s): %8.3f s  %5s requests (xapi counted %s)  %6.0f accounts/minute\n' \
  "$RUNS" "$audit_times" "$audit_calls" "$counted" "$(echo "$accounts * 60 / $audit_times" | bc -l)"
printf '  AWS CLI, one at a time:   %8.3f s  %5s requests\n' "$cli_time" "$cli_calls"
printf '  ratio (CLI / xapi):       %8.1fx\n' "$(echo "$cli_time / $audit_times" | bc -l)"
