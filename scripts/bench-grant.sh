#!/usr/bin/env bash
# Benchmark (not a test): one grant-vpce process then one revoke-vpce process
# against the local AWS, beside the AWS CLI doing the same work one process per
# call, two ways: every call xapi makes (lease included), and only what a person
# does by hand (read the API, its stages and the deployed marker, write the
# policy, read it back, redeploy). xapi runs two ways too: assuming the
# producer's role itself (`--role-arn`, one AssumeRole per process), and with
# the session credentials the AWS CLI is given (assumed once beforehand, as a
# profile or SSO session gives them), which is the like-for-like comparison.
# Also beside the sum of the emulator's own latency for the calls xapi made
# (measured through a small timing proxy).
# Prints medians and the ratios; the runs alternate so that both sides see the
# same load.
#   scripts/bench-grant.sh             uses target/debug/xapi (built if missing)
#   XAPI_BIN=target/release/xapi RUNS=9 scripts/bench-grant.sh
#   XAPI_MOTO_STOCK=1 ...          against the unmodified moto_server
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PRODUCER=111111111111
CONSUMER=222222222222
RUNS=${RUNS:-5}
VPCE=vpce-0123456789abcdef0

[ -n "${XAPI_BIN:-}" ] || { cargo build --quiet; XAPI_BIN="$root/target/debug/xapi"; }
scripts/moto.sh install
[ -x .venv/bin/aws ] || .venv/bin/pip install --quiet --disable-pip-version-check awscli
state=$(mktemp -d)
timing_pid=
trap '[ -z "$timing_pid" ] || kill "$timing_pid" 2>/dev/null; scripts/moto.sh stop "$state"; rm -rf "$state"' EXIT
scripts/moto.sh start "$state" 2>/dev/null
url=$(cat "$state/url")
export AWS_ENDPOINT_URL=$url AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export HOME="$state/home" AWS_CONFIG_FILE="$state/home/config" AWS_SHARED_CREDENTIALS_FILE="$state/home/credentials"
export AWS_EC2_METADATA_DISABLED=true XDG_STATE_HOME="$state/home/state" AWS_PAGER=""
mkdir -p "$HOME"
eval "$(.venv/bin/python scripts/seed.py "$PRODUCER" "$CONSUMER")"
P="arn:aws:iam::$PRODUCER:role/bench"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

xapi_cycle() {
  "$XAPI_BIN" grant-vpce --role-arn "$P" --api-id "$API_ID" --vpce "$VPCE" --output json >/dev/null 2>&1
  "$XAPI_BIN" revoke-vpce --role-arn "$P" --api-id "$API_ID" --vpce "$VPCE" --output json >/dev/null 2>&1
}
xapi_cycle # first write of the policy and first xapi deployment: not measured

# The AWS CLI doing what xapi does, one call at a time (credentials assumed beforehand).
read -r PK PS PT <<<"$(.venv/bin/aws sts assume-role --role-arn "$P" --role-session-name bench --output json |
  .venv/bin/python -c 'import json,sys; c=json.load(sys.stdin)["Credentials"]; print(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])')"
paws() { AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT .venv/bin/aws "$@" >/dev/null; }
policy_with() {
  .venv/bin/python -c '
import json,sys
deny={"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}
if len(sys.argv) > 1: deny["Condition"]={"StringNotEquals":{"aws:SourceVpce":sys.argv[1:]}}
print(json.dumps({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},deny]}))' "$@"
}
GRANTED=$(policy_with "$VPCE")
REVOKED=$(policy_with)
DEP=$(AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT .venv/bin/aws apigateway get-stage --rest-api-id "$API_ID" \
  --stage-name prod --query deploymentId --output text)
cli_write() {
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway get-stages --rest-api-id "$API_ID"
  paws ssm get-parameter --name "/xapi/lease/$API_ID" 2>/dev/null || true
  paws apigateway get-deployment --rest-api-id "$API_ID" --deployment-id "$DEP"
  paws apigateway get-export --rest-api-id "$API_ID" --stage-name prod --export-type oas30 --parameters extensions=apigateway --accepts application/json /dev/null
  paws apigateway get-resources --rest-api-id "$API_ID" --embed methods
  paws ssm put-parameter --name "/xapi/lease/$API_ID" --type String --value '{"holder":"cli"}'
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway update-rest-api --rest-api-id "$API_ID" --patch-operations "op=replace,path=/policy,value='$1'"
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway get-resources --rest-api-id "$API_ID" --embed methods
  paws apigateway create-deployment --rest-api-id "$API_ID" --stage-name prod --description "xapi policy-sha256=cli"
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway get-stages --rest-api-id "$API_ID"
  paws ssm delete-parameter --name "/xapi/lease/$API_ID"
}
cli_cycle() { cli_write "$GRANTED"; cli_write "$REVOKED"; }
# What one change of the policy takes by hand: no lease, no caller identity.
cli_by_hand() {
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway get-stages --rest-api-id "$API_ID"
  paws apigateway get-deployment --rest-api-id "$API_ID" --deployment-id "$DEP"
  paws apigateway update-rest-api --rest-api-id "$API_ID" --patch-operations "op=replace,path=/policy,value='$1'"
  paws apigateway get-rest-api --rest-api-id "$API_ID"
  paws apigateway create-deployment --rest-api-id "$API_ID" --stage-name prod --description "xapi policy-sha256=cli"
}
cli_by_hand_cycle() { cli_by_hand "$GRANTED"; cli_by_hand "$REVOKED"; }
# xapi with the CLI's credentials: no --role-arn, so no AssumeRole before the
# first reads (the caller's identity is read beside them instead).
xapi_session_cycle() {
  AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT \
    "$XAPI_BIN" grant-vpce --api-id "$API_ID" --vpce "$VPCE" --output json >/dev/null 2>&1
  AWS_ACCESS_KEY_ID=$PK AWS_SECRET_ACCESS_KEY=$PS AWS_SESSION_TOKEN=$PT \
    "$XAPI_BIN" revoke-vpce --api-id "$API_ID" --vpce "$VPCE" --output json >/dev/null 2>&1
}
elapsed() { local s e; s=$(now); "$@"; e=$(now); echo "$e - $s" | bc -l; }

: >"$state/xapi.t"; : >"$state/session.t"; : >"$state/cli.t"; : >"$state/hand.t"
for _ in $(seq "$RUNS"); do
  elapsed xapi_cycle >>"$state/xapi.t"
  elapsed cli_cycle >>"$state/cli.t"
  elapsed xapi_session_cycle >>"$state/session.t"
  elapsed xapi_cycle >>"$state/xapi.t"
  elapsed cli_by_hand_cycle >>"$state/hand.t"
  elapsed xapi_session_cycle >>"$state/session.t"
done
xapi_times=$(median <"$state/xapi.t")
session_times=$(median <"$state/session.t")
cli_times=$(median <"$state/cli.t")
hand_times=$(median <"$state/hand.t")

# The emulator's own time for each call xapi makes: a proxy that times each
# forwarded request (its own overhead is not counted).
cat >"$state/timing.py" <<'PY'
import http.client, http.server, re, sys, time, urllib.parse
upstream = urllib.parse.urlparse(sys.argv[1]); log = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without it the response's body waits for the client's delayed ACK of
    # its headers (about 40 ms a call), which the timings would not show but
    # xapi's runs through this proxy would suffer.
    disable_nagle_algorithm = True
    def handle_one(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        t = time.perf_counter(); conn.request(self.command, self.path, body, headers)
        resp = conn.getresponse(); data = resp.read(); took = time.perf_counter() - t
        # The operation: JSON protocols name it in a header, query ones in the
        # body, REST ones by method and path (ids left out).
        target = self.headers.get("x-amz-target", "")
        if target:
            op = target.rsplit(".", 1)[-1]
        elif b"Action=" in body:
            op = body.split(b"Action=")[1].split(b"&")[0].decode()
        else:
            path = re.sub(r"/(restapis|deployments)/[^/?]+", r"/\1/ID", self.path.split("?")[0])
            op = f"{self.command} {path}"
        log.write(f"{took:.6f} {op}\n")
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"): self.send_header(k, v)
        self.send_header("content-length", str(len(data))); self.end_headers(); self.wfile.write(data)
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True); srv.serve_forever()
PY
: >"$state/latency"
.venv/bin/python "$state/timing.py" "$url" "$state/latency" >"$state/timing.port" &
timing_pid=$!
for _ in $(seq 50); do [ -s "$state/timing.port" ] && break; sleep 0.1; done
timed_url="http://127.0.0.1:$(cat "$state/timing.port")"
sums=$(for _ in $(seq "$RUNS"); do
  : >"$state/latency"
  AWS_ENDPOINT_URL=$timed_url xapi_cycle
  awk '{s+=$1} END {printf "%.6f %d\n", s, NR}' "$state/latency"
done)
latency=$(awk '{print $1}' <<<"$sums" | median)
calls=$(awk '{print $2}' <<<"$sums" | median)
# The last timed run's calls, summed by operation: where the emulator's time goes.
by_call=$(awk '{op=$2; for (i=3; i<=NF; i++) op=op" "$i; s[op]+=$1; n[op]++}
  END {for (o in s) printf "    %6.1f ms  %2d x %s\n", s[o]*1000, n[o], o}' "$state/latency" | sort -rn)

printf 'one grant-vpce process, then one revoke-vpce process (%s runs, median)\n' "$RUNS"
printf '  emulator: %s\n' "$([ -n "${XAPI_MOTO_STOCK:-}" ] && echo "moto_server, unmodified (XAPI_MOTO_STOCK=1)" || echo "moto as scripts/moto.sh runs it (scripts/moto_server.py)")"
printf '  xapi:                                          %6.3f s\n' "$xapi_times"
printf '  AWS CLI, every call xapi makes, one by one:    %6.3f s  (%.1fx xapi)\n' "$cli_times" "$(echo "$cli_times / $xapi_times" | bc -l)"
printf '  AWS CLI, by hand (reads, write, read-back, redeploy): %6.3f s  (%.1fx xapi)\n' "$hand_times" "$(echo "$hand_times / $xapi_times" | bc -l)"
printf '  xapi, with the session credentials the CLI is given: %6.3f s\n' "$session_times"
printf '    AWS CLI, every call, against it:             %6.3f s  (%.1fx)\n' "$cli_times" "$(echo "$cli_times / $session_times" | bc -l)"
printf '    AWS CLI, by hand, against it:                %6.3f s  (%.1fx; target >= 50x)\n' "$hand_times" "$(echo "$hand_times / $session_times" | bc -l)"
printf '  emulator latency, xapi calls:                  %6.3f s over %s calls (xapi is %.1fx that; target <= 3x)\n' "$latency" "$calls" "$(echo "$xapi_times / $latency" | bc -l)"
printf '  the emulator'"'"'s time by call, one grant and one revoke:\n%s\n' "$by_call"
