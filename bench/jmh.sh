#!/usr/bin/env bash
# Runs the engine's JMH benchmarks (GEMM, XOR epochs/s, T4 training throughput) and writes
# target/jmh-result.json. Usage: bench/jmh.sh [JMH arguments, e.g. a benchmark regex]
# Not part of ./mvnw verify: it takes a few minutes and wants an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
# OpenBLAS computes each product on the calling thread; Backprop splits large products itself (as in bench/run.sh).
export OPENBLAS_NUM_THREADS=1
exec java @src/main/jvm/backprop.jvm.options \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main -rf json -rff target/jmh-result.json "$@"
