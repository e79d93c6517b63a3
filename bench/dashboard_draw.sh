#!/usr/bin/env bash
# Times the dashboard's loss chart in headless chromium on histories of 1,000, 10,000 and 100,000 epochs:
# drawn downsampled (as the pages do) against every point. Needs /usr/bin/chromium and /usr/bin/chromedriver.
# Usage: bench/dashboard_draw.sh [epochs ...]. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java @src/main/jvm/backprop.jvm.options -Dlogging.level.root=WARN \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.backprop.ui.CurveDrawBenchmark "$@" 2>&1 | grep '^curve-draw'
