#!/usr/bin/env python3
"""T3 of ../shared/bench/TASKS.md on the service: the tutorial's 18-trial grid with 1 and 2 workers.

Starts the packaged service once per worker count on 127.0.0.1 (in-memory H2), submits the grid
example of Swagger UI with search.parallelism = workers, and reads the search's own wall time
(finishedAt - startedAt) over several runs after warm-up searches, in several JVMs per configuration.
Prints the figures and the speedup.

Usage: ./mvnw -B -q package -DskipTests && python3 bench/grid_speedup.py [runs per JVM] [JVMs per configuration]
"""
import datetime
import glob
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 18081
# Searches before timing. With fewer, the JIT still compiles the service (H2, Tomcat, Jackson paths) during the
# timed runs, and with 2 workers its compiler thread takes CPU from the trials (top -H: ~25% of a core).
WARM_UP = 40
BASE = f"http://127.0.0.1:{PORT}"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def run_grid(workers, refit):
    grid = json.load(open(os.path.join(ROOT, "src/main/resources/openapi/examples/grid.json")))
    grid["search"]["parallelism"] = workers
    grid["search"]["refit"] = refit
    job = call("POST", "/jobs", grid)
    for _ in range(6000):
        job = call("GET", "/jobs/" + job["id"])
        if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.3)
    assert job["status"] == "SUCCEEDED", job
    best = call("GET", "/jobs/" + job["id"] + "/metrics")["search"]
    fit = sum(t["fitMillis"] for t in best["trials"]) / 1000
    return (parse(job["finishedAt"]) - parse(job["startedAt"])).total_seconds(), best["bestParams"], best["bestScore"], fit


def measure(workers, runs, refit):
    jar = sorted(glob.glob(os.path.join(ROOT, "target/backprop-*.jar")))[0]
    process = subprocess.Popen(["java", "@" + os.path.join(ROOT, "src/main/jvm/backprop.jvm.options"), "-jar", jar,
                                f"--server.port={PORT}", "--server.address=127.0.0.1", f"--backprop.jobs.workers={workers}",
                                "--spring.datasource.url=jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                call("GET", "/actuator/health")
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(WARM_UP):  # JIT compilation of the whole service settles only after many searches
            run_grid(workers, refit)
        results = [run_grid(workers, refit) for _ in range(runs)]
        return [r[0] for r in results], results[-1][1], results[-1][2], statistics.median(r[3] for r in results)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    forks = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    # T3 is the tutorial's loop: 18 trials, then the best; refit (our default) adds one sequential training run.
    # Each configuration runs in several JVMs: where the JIT settles differs from one JVM to the next.
    for refit in (False, True):
        rows = {}
        for workers in (1, 2):
            all_times = []
            for fork in range(forks):
                times, params, score, fit = measure(workers, runs, refit)
                all_times += times
                print(f"refit={refit} workers={workers} fork {fork + 1}: median {statistics.median(times):.3f} s over {runs} "
                      f"runs; sum of trial fit times {fit:.3f} s; best {params} validation accuracy {score}")
            rows[workers] = statistics.median(all_times)
            print(f"refit={refit} workers={workers}: median {rows[workers]:.3f} s over {forks} JVMs x {runs} runs")
        print(f"refit={refit} speedup 2 workers / 1 worker: {rows[1] / rows[2]:.2f}x")


if __name__ == "__main__":
    main()
