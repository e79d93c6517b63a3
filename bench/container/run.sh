#!/usr/bin/env bash
# Builds and runs Backprop's container image and compose stack on this machine with podman, as
# ../shared/CONTAINERS.md describes (no Docker engine, no registry: base images come from Debian's
# packages), and checks them from outside:
#   1. the image from the project's Dockerfile runs secured (an admin key from a secret file), answers
#      readiness, and serves the README's iris flow with a tenant's API key;
#   2. docker-compose.yml (PostgreSQL + two replicas) comes up, a job submitted to one replica is seen
#      by the other, and a search's trials run on both.
# Stops and removes everything it started. Not part of ./mvnw verify: it takes minutes and needs the
# package registries. Usage: bench/container/run.sh   (as root; logs under target/container/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
work="$project/target/container"
mkdir -p "$work"
P="podman --runtime runc --cgroup-manager=cgroupfs"
SINGLE_PORT=${SINGLE_PORT:-18500}
export POSTGRES_PORT=${POSTGRES_PORT:-15432} BACKPROP_PORT_1=${BACKPROP_PORT_1:-18501} BACKPROP_PORT_2=${BACKPROP_PORT_2:-18502}
step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "tools"
for tool in podman runc debootstrap podman-compose; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap podman-compose >/dev/null
done
if ! grep -qs 'default_ulimits' /etc/containers/containers.conf; then
  printf '[containers]\ndefault_ulimits = []\n' > /etc/containers/containers.conf
fi
podman --version; podman-compose version 2>/dev/null | grep -i compose || true

step "base images from Debian's packages"
if ! $P image exists localhost/debian:bookworm-min; then
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  rm -rf "$work/rootfs" && debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log"
  tar -C "$work/rootfs" -c . | $P import - localhost/debian:bookworm-min
  rm -rf "$work/rootfs"
fi
base="$work/base" && rm -rf "$base" && mkdir -p "$base"
cp "$here"/Containerfile.* "$here/postgres-entrypoint.sh" "$base/"
cp /etc/ssl/certs/java/cacerts /etc/ssl/certs/ca-certificates.crt "$base/"
$P image exists localhost/jdk17 || $P build -q --network host -t localhost/jdk17 -f "$base/Containerfile.jdk" "$base"
$P image exists localhost/jre17 || $P build -q --network host --build-arg JAVA_PACKAGE=openjdk-17-jre-headless \
  -t localhost/jre17 -f "$base/Containerfile.jdk" "$base"
$P image exists localhost/postgres-debian || $P build -q --network host -t localhost/postgres-debian \
  -f "$base/Containerfile.postgres" "$base"
$P images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep localhost/

step "the project's image, from its Dockerfile"
start=$(date +%s)
$P build --format docker --network host --build-arg JDK_IMAGE=localhost/jdk17 --build-arg JRE_IMAGE=localhost/jre17 \
  -t localhost/backprop:latest "$project" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
echo "built in $(( $(date +%s) - start )) s; layers:"
$P history --format '{{.Size}}\t{{.CreatedBy}}' localhost/backprop:latest | awk 'NR <= 12' | cut -c1-150

# Everything below is started by this script and removed on exit, whatever happens.
containers=()
cleanup() {
  set +e
  for c in "${containers[@]}"; do $P rm -f "$c" >/dev/null 2>&1; done
  if [[ -n "${compose_up:-}" ]]; then (cd "$project" && "${compose[@]}" down -v >/dev/null 2>&1); fi
  rm -rf "$project/secrets.container-test"
  if [[ -n "${made_secrets:-}" ]]; then rm -rf "$project/secrets"; fi
}
trap cleanup EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
wait_ready() {  # port, seconds
  for _ in $(seq 1 "$2"); do
    if curl -sf "127.0.0.1:$1/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then return 0; fi
    sleep 1
  done
  echo "not ready on :$1 after $2 s" >&2; return 1
}
wait_job() {  # base url, key, job id -> prints the final status
  local status
  for _ in $(seq 1 300); do
    status=$(curl -sf -H "Authorization: Bearer $2" "$1/jobs/$3" | json 'd["status"]')
    case $status in SUCCEEDED|FAILED|CANCELLED) echo "$status"; return 0;; esac
    sleep 1
  done
  echo "job $3 still $status" >&2; return 1
}
# The admin key makes a tenant and a member key for it; the README's flow then runs with that key.
member_key() {  # base url, admin key, tenant id
  curl -sf -X POST "$1/admin/tenants" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"id\": \"$3\"}" >/dev/null
  curl -sf -X POST "$1/admin/keys" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"tenant\": \"$3\", \"name\": \"$3-member\", \"role\": \"member\"}" | json 'd["key"]'
}
iris_flow() {  # base url, key -> "<dataset id> <model id>"
  local dataset job status
  dataset=$(curl -sf -X POST "$1/datasets?name=iris" -H "Authorization: Bearer $2" -H 'Content-Type: text/csv' \
    --data-binary @"$project/src/main/resources/examples/iris.csv" | json 'd["id"]')
  job=$(curl -sf -X POST "$1/jobs" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"data\": {\"datasetId\": \"$dataset\", \"targetColumn\": \"species\"}}" | json 'd["id"]')
  status=$(wait_job "$1" "$2" "$job")
  echo "  iris job $job: $status" >&2
  [[ $status == SUCCEEDED ]]
  echo "$dataset $(curl -sf -H "Authorization: Bearer $2" "$1/jobs/$job" | json 'd["modelId"]')"
}

step "one container, H2, secured"
secrets="$project/secrets.container-test" && rm -rf "$secrets" && mkdir -p "$secrets"
admin_key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32), end="")')
printf '%s' "$admin_key" > "$secrets/backprop.security.admin-key"
printf '%s' "$(python3 -c 'import secrets; print(secrets.token_hex(24))')" > "$secrets/postgres_password"
chmod 644 "$secrets"/*
$P run -d --name backprop-single --network host -e SERVER_PORT=$SINGLE_PORT \
  -v "$secrets/backprop.security.admin-key:/run/secrets/backprop.security.admin-key:ro" localhost/backprop:latest >/dev/null
containers+=(backprop-single)
wait_ready $SINGLE_PORT 120
echo "  ready; health check: $($P healthcheck run backprop-single >/dev/null 2>&1 && echo healthy || echo unhealthy)"
echo "  without a key: $(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$SINGLE_PORT/jobs)"
key=$(member_key "http://127.0.0.1:$SINGLE_PORT" "$admin_key" iris-user)
read -r dataset model < <(iris_flow "http://127.0.0.1:$SINGLE_PORT" "$key")
[[ -n "${model:-}" ]] || { echo "the iris flow failed" >&2; exit 1; }
echo "  predict: $(curl -sf -X POST 127.0.0.1:$SINGLE_PORT/models/$model/predict -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' -d '{"records": [{"petal width (cm)": 2.3, "sepal length (cm)": 6.9,
  "petal length (cm)": 5.7, "sepal width (cm)": 3.2}]}' | json 'd["predictions"][0]["label"]')"
echo "  JVM: $($P logs backprop-single 2>&1 | grep -m1 -o 'Matrix products use [^,(]*')"
$P rm -f backprop-single >/dev/null

step "compose: PostgreSQL and two replicas"
# This machine has no bridge networking: every service on the host's network, each on its own port.
compose=(podman-compose -p backprop --podman-path "$here/podman-host-network" -f docker-compose.yml -f bench/container/compose.host-network.yml)
# The compose file reads ./secrets; a user's own secrets there are used as they are.
if [[ ! -d "$project/secrets" ]]; then
  mkdir -p "$project/secrets" && made_secrets=1
  cp "$secrets/postgres_password" "$project/secrets/postgres_password"
  printf '%s' "$admin_key" > "$project/secrets/admin_key"
fi
admin_key=$(<"$project/secrets/admin_key")
export POSTGRES_IMAGE=localhost/postgres-debian POSTGRES_HOST=127.0.0.1 BACKPROP_IMAGE=localhost/backprop:latest
(cd "$project" && "${compose[@]}" up -d --no-build) >"$work/compose.log" 2>&1 \
  || { tail -30 "$work/compose.log"; exit 1; }
compose_up=1
wait_ready $BACKPROP_PORT_1 180 && wait_ready $BACKPROP_PORT_2 180
one="http://127.0.0.1:$BACKPROP_PORT_1" two="http://127.0.0.1:$BACKPROP_PORT_2"
key=$(member_key "$one" "$admin_key" compose-user)
read -r dataset model < <(iris_flow "$one" "$key")
[[ -n "${model:-}" ]] || { echo "the iris flow failed on replica 1" >&2; exit 1; }
echo "  the model trained through replica 1, read from replica 2: $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$two/models/$model")"
search=$(curl -sf -X POST "$two/jobs" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{
  \"data\": {\"datasetId\": \"$dataset\", \"targetColumn\": \"species\"},
  \"type\": \"random_search\", \"training\": {\"epochs\": 60, \"seed\": 3},
  \"search\": {\"maxTrials\": 12, \"folds\": 3, \"seed\": 5, \"space\": {
    \"learningRate\": {\"distribution\": \"loguniform\", \"min\": 0.001, \"max\": 0.1},
    \"hiddenLayers[0].units\": [8, 16, 32]}}}" \
  | json 'd["id"]')
echo "  search $search submitted to replica 2: $(wait_job "$one" "$key" "$search") (polled on replica 1)"
curl -sf -H "Authorization: Bearer $key" "$one/jobs/$search/metrics" > "$work/search-metrics.json"
python3 - "$work/search-metrics.json" <<'PY'
import collections, json, sys
trials = json.load(open(sys.argv[1]))["search"]["trials"]
by_worker = collections.Counter(t.get("worker", "?").split("/")[0] for t in trials)
print(f"  {len(trials)} trials; ran on: {dict(by_worker)}")
PY
