#!/usr/bin/python3
"""Where a predict load's CPU goes on a live jar, profiled with Linux perf instead of JFR (issue 16).

Usage: /usr/bin/python3 bench/predict_profile.py DATA_DIR JAR OUT_PREFIX [--loads 64json:60,64bin64:15] [--port 18701]
       [--seconds 15] [--jvm-option OPT]...        (run from the repository's root, under the CPU lock)

Starts JAR as bench/predict_pair.py does (same data, same two T4 models), then per LOAD:WARM: WARM seconds of
`wrk -t2 -c32`, 10 s measured without a profiler (req/s and the service's CPU ms a request, as predict_pair prints
them), then --seconds of `perf record -F 499 -g` on the service under the same load, written to OUT_PREFIX-LOAD.perf
with the JIT's symbols in /tmp/perf-PID.map (`jcmd PID Compiler.perfmap`). Read it with
`perf report -i OUT_PREFIX-LOAD.perf --no-children --sort dso,sym -g none`: each compiled method's samples include
what C2 inlined into it; native BLAS and the kernel's socket work are in the same report.

Why not JFR: on JDK 17 `jcmd PID JFR.start` on a running service retransforms the JDK's socket and file classes
for its I/O events, and the first retransformation in a JVM deoptimizes every compiled method (their dependencies on
redefinition were never recorded). A profile started that way measures a JVM gone back to the interpreter: 45-50% of
the samples in `Interpreter`, `Math.max` and `Unsafe.getLongUnaligned` among the interpreted frames, 2.5 times the CPU a
request (bench/NOTES.md, eleventh session). perf samples the code as it runs and leaves the compiled code alone.
"""
import argparse
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import predict_pair  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("jar")
    parser.add_argument("out")
    parser.add_argument("--loads", default="64json:60,64bin64:15")
    parser.add_argument("--port", type=int, default=18701)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--jvm-option", action="append", default=[])
    args = parser.parse_args()
    csv, bodies = predict_pair.csv_and_bodies(args.data, args.rows)
    # frame pointers for perf's call graphs, and the JIT's debug information at every instruction
    service = predict_pair.Service(args.jar, args.port, ["-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                                                         "-XX:+PreserveFramePointer", *args.jvm_option], csv)
    try:
        service.ready()
        pid = service.process.pid
        for step in args.loads.split(","):
            load, warm = step.split(":")
            precision, body, _ = bodies[load]
            url = f"{service.base}/models/{service.models[precision]}/predict"
            predict_pair.wrk(url, body, int(warm))
            before = predict_pair.cpu_seconds(pid)
            requests, micros, _, p99, errors = predict_pair.wrk(url, body, 10)
            cpu_ms = 1e3 * (predict_pair.cpu_seconds(pid) - before) / max(requests, 1)
            print(f"{load}: {requests / (micros / 1e6):.0f} req/s, p99 {p99 / 1e3:.1f} ms, {errors} errors, "
                  f"{cpu_ms:.3f} ms of CPU a request, load average {os.getloadavg()[0]:.2f}", flush=True)
            loader = threading.Thread(target=predict_pair.wrk, args=(url, body, args.seconds + 4))
            loader.start()
            time.sleep(2)
            subprocess.run(["perf", "record", "-F", "499", "-g", "-p", str(pid), "-o", f"{args.out}-{load}.perf",
                            "--", "sleep", str(args.seconds)], capture_output=True, check=True)
            subprocess.run(["jcmd", str(pid), "Compiler.perfmap"], capture_output=True, check=True)
            loader.join()
            print(f"{load}: perf report -i {args.out}-{load}.perf --no-children --sort dso,sym -g none", flush=True)
    finally:
        service.stop()


if __name__ == "__main__":
    main()
