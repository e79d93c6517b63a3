#!/usr/bin/env bash
# What API keys cost on the predict path: wrk on one model's single-row predict, on a keyless service
# and on a keyed one (a stored bpk_ key: one primary-key read and a SHA-256 per request; the configured
# admin key: a SHA-256 only). Rate limits off for the run. Needs the jar (./mvnw -B package -DskipTests),
# curl and wrk. Usage: bench/security_overhead.sh [seconds per measurement, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-20}
PORT=18090
JAR=target/backprop-0.1.0-SNAPSHOT.jar
ADMIN=bench-admin-key-0123456789abcdefghij
XOR='{"task": "classification", "data": {"columns": ["x1", "x2", "y"], "rows": [[0,0,0],[0,1,1],[1,0,1],[1,1,0]], "targetColumn": "y"}, "network": {"hiddenLayers": [{"units": 8, "activation": "tanh"}]}, "training": {"epochs": 50, "seed": 1}}'
LUA=$(mktemp --suffix=.lua)
printf 'wrk.method = "POST"\nwrk.body = "{\\"instances\\": [[0, 1]]}"\nwrk.headers["Content-Type"] = "application/json"\n' > "$LUA"

start() {
  OPENBLAS_NUM_THREADS=1 java @src/main/jvm/backprop.jvm.options -jar "$JAR" --server.port=$PORT --server.address=127.0.0.1 \
    --spring.datasource.url="jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1" --backprop.security.rate-limits.predicts-per-minute=0 "$@" \
    > /tmp/security-bench.log 2>&1 &
  PID=$!
  for _ in $(seq 1 180); do curl -sf localhost:$PORT/livez > /dev/null && return; sleep 1; done
  echo "the service did not start" >&2; exit 1
}

model() { # $1: Authorization header or empty
  local job; job=$(curl -s localhost:$PORT/jobs -H "$1" -H 'Content-Type: application/json' -d "$XOR" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for _ in $(seq 1 120); do
    local body; body=$(curl -s localhost:$PORT/jobs/$job -H "$1")
    if echo "$body" | grep -q '"SUCCEEDED"'; then echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["modelId"])'; return; fi
    sleep 0.5
  done
  echo "the job did not succeed" >&2; exit 1
}

measure() { # $1: label, $2: Authorization header or empty, $3: model
  wrk -t2 -c16 -d10s -s "$LUA" ${2:+-H "$2"} "http://127.0.0.1:$PORT/models/$3/predict" > /dev/null   # JIT warm-up
  echo "== $1"
  wrk -t2 -c16 -d"${SECONDS_EACH}s" --latency -s "$LUA" ${2:+-H "$2"} "http://127.0.0.1:$PORT/models/$3/predict" \
    | grep -E "Requests/sec|99%|Non-2xx"
}

start
measure "keyless (loopback, no keys)" "" "$(model "X-None: 1")"
kill "$PID"; wait "$PID" 2>/dev/null || true

start --backprop.security.admin-key=$ADMIN
curl -s -o /dev/null localhost:$PORT/admin/tenants -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"id": "bench"}'
KEY=$(curl -s localhost:$PORT/admin/keys -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"tenant": "bench", "name": "bench", "role": "member"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
MEMBER_MODEL=$(model "Authorization: Bearer $KEY")
ADMIN_MODEL=$(model "Authorization: Bearer $ADMIN")
measure "stored member key (bpk_…)" "Authorization: Bearer $KEY" "$MEMBER_MODEL"
measure "configured admin key" "Authorization: Bearer $ADMIN" "$ADMIN_MODEL"
kill "$PID"; wait "$PID" 2>/dev/null || true
rm -f "$LUA"
