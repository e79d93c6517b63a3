#!/usr/bin/env bash
# The side-by-side benchmark of issue 6: tasks T1-T6 of ../shared/bench/TASKS.md on Backprop (in-process engine,
# then the service end to end over HTTP) and on the peers (the tutorial's NumPy network, scikit-learn, PyTorch),
# plus the machine's OpenBLAS GEMM peak, in one run. Writes BENCHMARKS.md (tables, target check, then
# bench/NOTES.md) and prints the tables. About 17 minutes; wants an otherwise idle machine.
# Usage: bench/run.sh            (from any directory; installs Debian's python3-numpy, python3-sklearn,
#                                 python3-torch, python3-threadpoolctl, wrk and OpenBLAS when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=/usr/bin/python3   # Debian's, where the Debian packages are

# OpenBLAS too: without it the system's libblas.so.3 (Backprop's native BLAS, and NumPy's) is the reference BLAS,
# many times slower, and every figure would measure that instead (a fresh machine of the eighth session had only it).
if ! $PYTHON -c 'import numpy, sklearn, torch, pandas, threadpoolctl' 2>/dev/null || ! command -v wrk >/dev/null \
    || ! ldconfig -p | grep -q 'libopenblas'; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-sklearn python3-torch python3-pandas \
    python3-threadpoolctl wrk libopenblas0-pthread >/dev/null
fi

./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
jar=$(ls target/backprop-*.jar | grep -v original | head -1)
classpath="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
data=$(mktemp -d)
results=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
echo "data in $data, results in $results" >&2

# The same numbers for everyone: T2 data from peers.py, T4 data from peers_t4.py, and T4 as CSV for the service.
$PYTHON bench/peers_t4.py "$data" --data
java -cp "$classpath" dev.backprop.bench.T4Tasks "$data" --csv

echo "GEMM peak (OpenBLAS picks its own kernel for this one command)" >&2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PYTHON bench/gemm_peak.py > "$results/gemm.jsonl"
# For context only: the same GEMM with the kernel this environment pins for every other process.
$PYTHON bench/gemm_peak.py | sed 's/"peer": "openblas"/"peer": "openblas-pinned"/' > "$results/gemm_pinned.jsonl"

echo "Peers T1-T3" >&2
$PYTHON bench/peers.py "$data" > "$results/peers.jsonl"
echo "Peers T4-T6" >&2
$PYTHON bench/peers_t4.py "$data" > "$results/peers_t4.jsonl"

echo "Backprop in-process" >&2
# OpenBLAS computes each product on the calling thread; Backprop splits large products across the cores itself.
export OPENBLAS_NUM_THREADS=1
java @src/main/jvm/backprop.jvm.options -cp "$classpath" dev.backprop.bench.PeerTasks "$data" > "$results/backprop.jsonl" 2>/dev/null
java @src/main/jvm/backprop.jvm.options -Xmx1g -cp "$classpath" dev.backprop.bench.T4Tasks "$data" \
  > "$results/backprop_t4.jsonl" 2>/dev/null
# The same tasks on a float32 network (products in float32, parameters in float64: see nn/Precision.java).
java @src/main/jvm/backprop.jvm.options -Xmx1g -cp "$classpath" dev.backprop.bench.T4Tasks "$data" --float32 \
  > "$results/backprop_t4_float32.jsonl" 2>/dev/null
# The same engine with every product on the Java BLAS, to show what the native BLAS brings.
java @src/main/jvm/backprop.jvm.options -Xmx1g -Dbackprop.gemm.native=false -cp "$classpath" \
  dev.backprop.bench.T4Tasks "$data" --t4 2>/dev/null | sed 's/"peer": "backprop"/"peer": "backprop-java"/' \
  > "$results/backprop_java.jsonl"

echo "Backprop service: T4 over HTTP, then wrk on predict" >&2
$PYTHON bench/service_t4.py "$data" "$jar" > "$results/service.jsonl"

echo "The user's path: CSV file -> trained model, service against pandas + PyTorch and pandas + scikit-learn" >&2
$PYTHON bench/file_to_model.py "$data" "$jar" > "$results/file_to_model.jsonl"

$PYTHON bench/report.py "$results" BENCHMARKS.md
