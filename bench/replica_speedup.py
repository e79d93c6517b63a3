#!/usr/bin/python3
"""Issue 13: one search on one replica, then on two replicas sharing one PostgreSQL, wall time ratio.

Starts a PostgreSQL 15 of its own (initdb as the postgres user, a port of its own, a temporary directory; or uses
--pg-url), then replica A of the service jar on it; uploads the training folds of --set's outer fold 0 and runs
--rounds identical random searches on A alone (submit to SUCCEEDED, timed by the client). Then it starts replica B
on the same database and runs the same searches again, A and B claiming the trials (trial_unit rows) together.
Every search is the same request and seed, so its trials must score the same on one replica or two: the script
checks that, and counts which replica ran each trial (search.trials[].worker).

Each replica runs with --workers training workers (1 by default, so that the second replica doubles the workers;
with 2, one replica already has a worker per core of a 2-core machine and the second adds none).
"""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backprop_client import Http, load  # noqa: E402

DATA = "/work/shared/data"
TARGETS = {"iris": "species", "wine": "label", "breast_cancer": "label"}


def start_postgres(directory, port):
    subprocess.run(["chown", "postgres", directory], check=True)
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + ["initdb", "-D", f"{directory}/data", "-U", "postgres", "--auth=trust"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(as_pg + ["pg_ctl", "-D", f"{directory}/data", "-o", f"-p {port} -k {directory} -c listen_addresses=127.0.0.1",
                            "-l", f"{directory}/postgres.log", "-w", "start"], check=True, stdout=subprocess.DEVNULL)
    return lambda: subprocess.run(as_pg + ["pg_ctl", "-D", f"{directory}/data", "-m", "fast", "stop"], check=False,
                                  stdout=subprocess.DEVNULL)


def start_replica(jar, port, url, workers, log):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    process = subprocess.Popen(["java", "--add-modules=jdk.incubator.vector", "-jar", jar, f"--server.port={port}",
                                "--server.address=127.0.0.1", f"--spring.datasource.url={url}",
                                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                                f"--backprop.jobs.workers={workers}"],
                               stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env)
    http = Http(f"http://127.0.0.1:{port}", timeout=300, retries=30)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if http.call("GET", "/actuator/health/readiness")[0] == 200:
                return process, http
        except Exception:  # not listening yet
            pass
        if process.poll() is not None:
            raise SystemExit(f"replica on port {port} exited; see {log}")
        time.sleep(1)
    raise SystemExit(f"replica on port {port} not ready after 300 s; see {log}")


def search_request(dataset_id, target, trials, seed):
    return {"type": "random_search", "data": {"datasetId": dataset_id, "targetColumn": target},
            "network": {"hiddenLayers": [{"units": 32, "activation": "relu"}]}, "training": {"seed": seed},
            "search": {"space": {"learningRate": {"distribution": "loguniform", "min": 1e-4, "max": 1e-1},
                                 "hiddenLayers[0].units": [16, 32, 64, 128], "activation": ["relu", "tanh"],
                                 "l2": {"distribution": "loguniform", "min": 1e-6, "max": 1e-2}},
                       "maxTrials": trials, "folds": 3, "seed": seed, "refit": True}}


def run_search(http, request):
    t0 = time.monotonic()
    job = http.json("POST", "/jobs", request)
    while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        time.sleep(0.1)
        job = http.json("GET", f"/jobs/{job['id']}")
    seconds = time.monotonic() - t0
    if job["status"] != "SUCCEEDED":
        raise RuntimeError(f"search {job['id']} {job['status']}: {job.get('error')}")
    trials = http.json("GET", f"/jobs/{job['id']}/metrics")["search"]["trials"]
    scores = {t["index"]: t.get("score") for t in trials}
    workers = [t.get("worker") for t in trials]
    return seconds, scores, {w: workers.count(w) for w in set(workers)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--set", default="wine")
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="training workers per replica")
    parser.add_argument("--pg-port", type=int, default=55439)
    parser.add_argument("--ports", default="18561,18562")
    parser.add_argument("--pg-url", help="an existing PostgreSQL database instead of one of our own")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="replica-speedup-")
    stop_pg = None
    if args.pg_url:
        url = args.pg_url
    else:
        stop_pg = start_postgres(work, args.pg_port)
        url = f"jdbc:postgresql://127.0.0.1:{args.pg_port}/postgres"
    port_a, port_b = (int(p) for p in args.ports.split(","))
    replicas = []
    try:
        a, http = start_replica(args.jar, port_a, url, args.workers, f"{work}/replica-a.log")
        replicas.append(a)
        header, rows, folds = load(DATA, args.set)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header] + [r for r, f in zip(rows, folds) if f != 0])
        dataset = http.json("POST", f"/datasets?name={args.set}-outer0", buf.getvalue(), "text/csv")["id"]
        request = search_request(dataset, TARGETS[args.set], args.trials, 1)
        run_search(http, search_request(dataset, TARGETS[args.set], 4, 99))  # JIT warm-up, untimed
        results = {"one": [], "two": []}
        reference = None
        for label in ("one", "two"):
            if label == "two":
                b, http_b = start_replica(args.jar, port_b, url, args.workers, f"{work}/replica-b.log")
                replicas.append(b)
                run_search(http_b, search_request(dataset, TARGETS[args.set], 4, 98))  # B's warm-up, both replicas run it
            for r in range(args.rounds):
                seconds, scores, ran_by = run_search(http, request)
                if reference is None:
                    reference = scores
                same = scores == reference
                results[label].append(seconds)
                print(f"{label} replica(s), round {r + 1}: {seconds:.1f} s, trials run by {sorted(ran_by.values(), reverse=True)}"
                      f", scores {'equal to' if same else 'DIFFERENT from'} the first search's", flush=True)
        one, two = statistics.fmean(results["one"]), statistics.fmean(results["two"])
        print(f"\n| set | trials | workers per replica | one replica s (mean of {args.rounds}) | two replicas s | speed-up |")
        print("|---|---|---|---|---|---|")
        print(f"| {args.set} (outer fold 0, 3-fold CV) | {args.trials} | {args.workers} | {one:.1f} | {two:.1f} | {one / two:.2f}× |")
        with open("/proc/loadavg") as f:
            print(f"\nload average at the end: {f.read().split()[:3]}")
    finally:
        for p in replicas:
            p.terminate()
        for p in replicas:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        if stop_pg:
            stop_pg()


if __name__ == "__main__":
    main()
