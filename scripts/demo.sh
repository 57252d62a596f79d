#!/usr/bin/env bash
# The demo: builds xapi, starts the local AWS (moto), seeds a producer account
# (a private REST API) and a consumer account (a VPC with two subnets), runs
# xapi against both accounts and shows what it prints, then stops the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

PRODUCER=111111111111
CONSUMER=222222222222

echo "== building xapi and the demo's stand-in for pattern 4" >&2
cargo build --quiet --bins --example aws-stand-in
xapi_bin="$root/target/debug/xapi"

state=$(mktemp -d)
trap 'scripts/moto.sh stop "$state"; rm -rf "$state"' EXIT
scripts/moto.sh start "$state"

# A clean AWS environment pointed at the emulator; STS goes there too.
export AWS_ENDPOINT_URL
AWS_ENDPOINT_URL=$(cat "$state/url")
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export HOME="$state/home" AWS_CONFIG_FILE="$state/home/config" AWS_SHARED_CREDENTIALS_FILE="$state/home/credentials"
export XDG_STATE_HOME="$state/home/state" AWS_EC2_METADATA_DISABLED=true
mkdir -p "$HOME"

eval "$(.venv/bin/python scripts/seed.py "$PRODUCER" "$CONSUMER")"
CONSUMER_ROLE="arn:aws:iam::$CONSUMER:role/platform-admin"
PRODUCER_ROLE="arn:aws:iam::$PRODUCER:role/api-owner"

step() {
  printf '\n\033[1m$ xapi %s\033[0m\n' "$*"
  "$xapi_bin" "$@"
}

echo
echo "Producer $PRODUCER owns private API $API_ID (stage prod)."
echo "Consumer $CONSUMER owns $VPC_ID with subnets $SUBNET_A, $SUBNET_B."

step whoami --role-arn "$CONSUMER_ROLE" --producer-role-arn "$PRODUCER_ROLE" --output table
step endpoint create --role-arn "$CONSUMER_ROLE" --vpc-id "$VPC_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" \
  --security-group-id "$SG_ID" --dry-run --output table
step endpoint create --role-arn "$CONSUMER_ROLE" --vpc-id "$VPC_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" \
  --security-group-id "$SG_ID" --tag team=payments --output table
echo "(run again: the endpoint is reused, nothing is created)"
step endpoint create --role-arn "$CONSUMER_ROLE" --vpc-id "$VPC_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" \
  --security-group-id "$SG_ID" --output table
step endpoint list --role-arn "$CONSUMER_ROLE" --output table
VPCE_ID=$("$xapi_bin" endpoint list --role-arn "$CONSUMER_ROLE" --vpc-id "$VPC_ID" --output json |
  .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["endpoints"][0]["id"])')
step endpoint show "$VPCE_ID" --role-arn "$CONSUMER_ROLE" --output table

echo
echo "The producer admits the consumer's endpoint on its private API."
step policy show --api-id "$API_ID" --role-arn "$PRODUCER_ROLE" --output table
step grant-vpce --api-id "$API_ID" --vpce "$VPCE_ID" --role-arn "$PRODUCER_ROLE" --dry-run --output table
step grant-vpce --api-id "$API_ID" --vpce "$VPCE_ID" --role-arn "$PRODUCER_ROLE" --output table
echo "(run again: already admitted, nothing written, nothing redeployed)"
step grant-vpce --api-id "$API_ID" --vpce "$VPCE_ID" --role-arn "$PRODUCER_ROLE" --output table
step policy show --api-id "$API_ID" --role-arn "$PRODUCER_ROLE" --output table
step revoke-vpce --api-id "$API_ID" --vpce "$VPCE_ID" --role-arn "$PRODUCER_ROLE" --output table
step policy show --api-id "$API_ID" --role-arn "$PRODUCER_ROLE" --output table
echo "(undo the revoke from the backup it saved)"
step policy restore --api-id "$API_ID" --role-arn "$PRODUCER_ROLE" --output table

echo
echo "Pattern 1: a public Regional API in the consumer account in front of the private API."
WIRE=(wire-regional-front --role-arn "$CONSUMER_ROLE" --producer-role-arn "$PRODUCER_ROLE"
  --private-api-id "$API_ID" --stage prod --vpce "$VPCE_ID" --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" --name orders-front)
step "${WIRE[@]}" --dry-run --output table
step "${WIRE[@]}" --output table
echo "(run again: everything is reused, nothing is written)"
step "${WIRE[@]}" --output table
FRONT_ID=$("$xapi_bin" "${WIRE[@]}" --output json 2>/dev/null | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["resources"]["front_api_id"])')
echo
echo "Diagnose the whole chain from the front door alone: every check passes."
step doctor --role-arn "$CONSUMER_ROLE" --producer-role-arn "$PRODUCER_ROLE" --front-api-id "$FRONT_ID" --output table
echo "(break it: the producer revokes the endpoint; doctor names the failing check and the fix, exit 1)"
"$xapi_bin" revoke-vpce --role-arn "$PRODUCER_ROLE" --api-id "$API_ID" --vpce "$VPCE_ID" --output json >/dev/null 2>&1
step doctor --role-arn "$CONSUMER_ROLE" --producer-role-arn "$PRODUCER_ROLE" --front-api-id "$FRONT_ID" --output table || echo "(doctor exited $?)"
"$xapi_bin" grant-vpce --role-arn "$PRODUCER_ROLE" --api-id "$API_ID" --vpce "$VPCE_ID" --output json >/dev/null 2>&1
step targets sync --role-arn "$CONSUMER_ROLE" --vpce "$VPCE_ID" --target-group orders-front-tg --prune --output table
step vpc-link list --role-arn "$CONSUMER_ROLE" --output table
step teardown --stack orders-front --role-arn "$CONSUMER_ROLE" --dry-run --output table
step teardown --stack orders-front --role-arn "$CONSUMER_ROLE" --yes --output table

echo
echo "Pattern 3: an mTLS proxy in the producer account, offered to the consumer as an endpoint service."
read -r PROXY_VPC PROXY_SUBNET_A PROXY_SUBNET_B < <(.venv/bin/python - "$PRODUCER" <<'PY'
import sys, boto3
sts = boto3.client("sts", region_name="us-east-1")
c = sts.assume_role(RoleArn=f"arn:aws:iam::{sys.argv[1]}:role/api-owner", RoleSessionName="demo")["Credentials"]
ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
print(vpc, *subnets)
PY
)
certs="$state/mtls/certs"
step mtls certs --out "$certs" --server-name mtls.orders.example --client partner-a --output table
step mtls render --api-id "$API_ID" --stage prod --server-name mtls.orders.example --out "$state/mtls/proxy" --output table
echo "(the proxy reaches the private API through its own VPC's execute-api endpoint)"
step endpoint create --role-arn "$PRODUCER_ROLE" --vpc-id "$PROXY_VPC" --subnet-id "$PROXY_SUBNET_A" --subnet-id "$PROXY_SUBNET_B" --output table
deploy=(mtls deploy --role-arn "$PRODUCER_ROLE" --name orders --vpc-id "$PROXY_VPC" --subnet-id "$PROXY_SUBNET_A"
  --subnet-id "$PROXY_SUBNET_B" --image "$PRODUCER.dkr.ecr.us-east-1.amazonaws.com/orders-mtls-proxy:1" --allow-account "$CONSUMER"
  --certs "$certs")
step "${deploy[@]}" --dry-run --output table
step "${deploy[@]}" --output table
echo "(run again: nothing is created)"
step "${deploy[@]}" --output table
step mtls show --role-arn "$PRODUCER_ROLE" --name orders --output table
SERVICE_NAME=$("$xapi_bin" mtls show --role-arn "$PRODUCER_ROLE" --name orders --output json |
  .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["endpoint_service"]["service_name"])')
echo "(the consumer connects to the proxy's endpoint service)"
step endpoint create --role-arn "$CONSUMER_ROLE" --service-name "$SERVICE_NAME" --vpc-id "$VPC_ID" \
  --subnet-id "$SUBNET_A" --subnet-id "$SUBNET_B" --security-group-id "$SG_ID" --output table
step teardown --role-arn "$PRODUCER_ROLE" --stack orders --yes --output table

echo
echo "Pattern 4: a private custom domain name, shared with the consumer through AWS RAM."
echo "(the local AWS has no private domains, access associations or RAM shares of domains: from here on"
echo " those calls are answered by xapi's test stand-in, examples/aws-stand-in.rs, in AWS's documented"
echo " shapes (docs/emulator.md, canned answers D1-D4 and R1-R4); everything else is still the local AWS)"
# The stand-in serves until its input closes, that is until this script exits.
coproc STANDIN { "$root/target/debug/examples/aws-stand-in" "$AWS_ENDPOINT_URL" "$PRODUCER" "$CONSUMER"; }
read -r url_line <&"${STANDIN[0]}" && eval "$url_line"
read -r url_line <&"${STANDIN[0]}" && eval "$url_line"
AS_PRODUCER=(--role-arn "$PRODUCER_ROLE" --endpoint-url "$PRODUCER_URL")
AS_CONSUMER=(--role-arn "$CONSUMER_ROLE" --endpoint-url "$CONSUMER_URL")
DOMAIN=private.example.com
CREATE=(domain create "${AS_PRODUCER[@]}" --name "$DOMAIN" --certificate-arn "$CERT_ARN" --api-id "$API_ID"
  --stage prod --base-path orders --allow-vpce "$VPCE_ID")
step "${CREATE[@]}" --dry-run --output table
step "${CREATE[@]}" --output table
DOMAIN_ARN=$("$xapi_bin" "${CREATE[@]}" --output json 2>/dev/null | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["domain"]["arn"])')
echo "(the mapped API's own policy must admit the endpoint too: the same grant, on the domain)"
step grant-vpce "${AS_PRODUCER[@]}" --domain "$DOMAIN_ARN" --vpce "$VPCE_ID" --output table
step domain share "${AS_PRODUCER[@]}" --domain "$DOMAIN_ARN" --account "$CONSUMER" --dry-run --output table
step domain share "${AS_PRODUCER[@]}" --domain "$DOMAIN_ARN" --account "$CONSUMER" --output table
echo "(the consumer accepts the invitation, associates its endpoint and names the domain in its VPC)"
ASSOCIATE=(domain associate "${AS_CONSUMER[@]}" --domain "$DOMAIN_ARN" --vpce "$VPCE_ID" --accept-invitation --dns)
step "${ASSOCIATE[@]}" --dry-run --output table
step "${ASSOCIATE[@]}" --output table
echo "(run again: nothing is written)"
step "${ASSOCIATE[@]}" --output table
step domain show "${AS_CONSUMER[@]}" --domain "$DOMAIN_ARN" --output table
step domain show "${AS_PRODUCER[@]}" --domain "$DOMAIN_ARN" --output table
echo
echo "Diagnose the domain from the endpoint's side, reading the producer's half with its role: every check passes."
DOCTOR=(doctor "${AS_CONSUMER[@]}" --producer-role-arn "$PRODUCER_ROLE" --domain "$DOMAIN_ARN" --vpce "$VPCE_ID" --output table)
step "${DOCTOR[@]}"
step audit "${AS_PRODUCER[@]}" --output table
echo "(break it: the producer revokes the endpoint on the domain; doctor names the failing check and the fix, exit 1)"
step revoke-vpce "${AS_PRODUCER[@]}" --domain "$DOMAIN_ARN" --vpce "$VPCE_ID" --output table
step "${DOCTOR[@]}" || echo "(doctor exited $?)"
step teardown "${AS_CONSUMER[@]}" --stack private-example-com --yes --output table
step teardown "${AS_PRODUCER[@]}" --stack private-example-com --yes --output table

echo
echo "Demo finished: the local AWS is stopped and its state discarded."
