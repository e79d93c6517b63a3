#!/usr/bin/env bash
# Side-by-side T1-T3 of ../shared/bench/TASKS.md: Backprop's engine in-process against the tutorial's
# from-scratch NumPy network and scikit-learn (Debian's python3-numpy and python3-sklearn, installed here
# when missing), on the same data, in one run; prints a table with the ratios and writes bench/last-run.md.
# T4-T6 (the 70,000-row task, PyTorch, wrk on the service) are not in this harness yet.
# Usage: bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import numpy, sklearn' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-numpy python3-sklearn >/dev/null
fi
data=$(mktemp -d)
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
/usr/bin/python3 bench/peers.py "$data" > "$data/peers.jsonl"
java @src/main/jvm/backprop.jvm.options -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.backprop.bench.PeerTasks "$data" > "$data/backprop.jsonl" 2>/dev/null
/usr/bin/python3 - "$data" <<'PY' | tee bench/last-run.md
import json, platform, subprocess, sys
d = sys.argv[1]
rows = [json.loads(l) for f in ("peers.jsonl", "backprop.jsonl") for l in open(f"{d}/{f}")]
get = lambda task, peer: next(r for r in rows if r["task"] == task and r["peer"] == peer)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"Machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; {java}; "
      f"Python {platform.python_version()} (Debian) with NumPy and scikit-learn from Debian packages.\n")
print("| task | implementation | figure | accuracy | Backprop / this |")
print("|---|---|---|---|---|")
b1, b2, b3 = get("T1", "backprop"), get("T2", "backprop"), get("T3-1", "backprop")
for peer in ("backprop", "numpy-tutorial", "sklearn"):
    r = get("T1", peer)
    print(f"| T1 XOR | {peer} | {r['epochs_per_s']:,.0f} epochs/s | {r['correct']}/4 | {b1['epochs_per_s'] / r['epochs_per_s']:.1f}× |")
for peer in ("backprop", "numpy-tutorial", "sklearn"):
    r = get("T2", peer)
    print(f"| T2 synthetic | {peer} | {r['wall_s']:.4f} s | {r['val_accuracy']:.2f} | {r['wall_s'] / b2['wall_s']:.1f}× |")
s = get("T3", "sklearn-sequential"); t2 = get("T3-2", "backprop")
print(f"| T3 grid | backprop, 1 thread | {b3['wall_s']:.4f} s | {b3['val_accuracy']:.2f} ({b3['best']}) | 1.0× |")
print(f"| T3 grid | backprop, 2 threads | {t2['wall_s']:.4f} s | {t2['val_accuracy']:.2f} | {b3['wall_s'] / t2['wall_s']:.2f}× of 1 thread |")
print(f"| T3 grid | sklearn, sequential | {s['wall_s']:.4f} s | {s['val_accuracy']:.2f} ({s['best']}) | {s['wall_s'] / b3['wall_s']:.1f}× |")
PY
