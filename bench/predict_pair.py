#!/usr/bin/python3
"""Paired predict loads of issue 16 on two jars (or one), as bench/service_t4.py runs them, in a few minutes.

Usage: /usr/bin/python3 bench/predict_pair.py DATA_DIR JAR_A[,JVM_OPTION…] [JAR_B[,JVM_OPTION…]] [--ports 18701,18702] [--seconds 12] [--rows 2000]
       [--loads 1f64,1f32,64json,64bin64,64bin32] [--rounds 2] [--jvm-option OPT]...

DATA_DIR holds t4.csv (bench/run.sh makes it: peers_t4.py DIR --data, then T4Tasks DIR --csv). Each jar is started
as the harness starts it (@src/main/jvm/backprop.jvm.options, OPENBLAS_NUM_THREADS=1, H2 in a temporary folder,
127.0.0.1) on its own port; each gets the first --rows rows of t4.csv as a data set and the T4 network
784-256(relu)-128(relu)-10(softmax) trained 1 epoch in float64 and in float32 (the weights do not change the cost of
a predict). Then per load: `wrk -t2 -c32` 15 s on each jar for the JIT, then --rounds rounds of --seconds measured,
A then B in odd rounds, B then A in even ones. Each measurement prints one JSON line: req/s, rows/s, p50/p99, errors
and the service's CPU per request (utime + stime of its process over the measured seconds / wrk's requests, JIT and
GC threads included), with the load average. Stops the services it started, by their PIDs, whatever happens.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from service_t4 import call  # noqa: E402

LOADS = ("1f64", "1f32", "64json", "64bin64", "64bin32")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url, body, seconds):
    binary = isinstance(body, bytes)
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as body_file:
        body_file.write(body if binary else json.dumps(body).encode())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        content_type = "application/octet-stream" if binary else "application/json"
        script.write(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "{content_type}"\n'
                     f'local file = io.open("{body_file.name}", "rb")\nwrk.body = file:read("*all")\nfile:close()\n'
                     "done = function(summary, latency, requests)\n"
                     "  local e = summary.errors\n"
                     '  io.write(string.format("WRK %d %d %d %d %d\\n", summary.requests, summary.duration,'
                     " latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))\n"
                     "end\n")
    try:
        out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-s", script.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
        os.unlink(body_file.name)
    return list(map(int, next(l for l in out.splitlines() if l.startswith("WRK")).split()[1:]))


class Service:
    def __init__(self, jar, port, jvm_options, csv):
        self.base = f"http://127.0.0.1:{port}"
        self.folder = tempfile.mkdtemp(prefix="backprop-predict-")
        self.log = open(os.path.join(self.folder, "service.log"), "w")
        self.process = subprocess.Popen(
            ["java", "@src/main/jvm/backprop.jvm.options", *jvm_options, "-jar", jar, f"--server.port={port}",
             "--server.address=127.0.0.1", f"--spring.datasource.url=jdbc:h2:file:{self.folder}/backprop",
             "--backprop.limits.max-request-bytes=1000000000"],
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        self.csv = csv
        self.models = {}

    def ready(self):
        for _ in range(600):
            if self.process.poll() is not None:
                raise SystemExit(f"service exited; see {self.folder}/service.log")
            try:
                if call(self.base, "GET", "/actuator/health")["status"] == "UP":
                    break
            except OSError:
                pass
            time.sleep(1)
        dataset = call(self.base, "POST", "/datasets?name=t4", self.csv, "text/csv")
        request = {
            "name": "T4", "task": "classification", "data": {"datasetId": dataset["id"], "targetColumn": "y"},
            "network": {"hiddenLayers": [{"units": 256, "activation": "relu"}, {"units": 128, "activation": "relu"}],
                        "outputActivation": "softmax", "initializer": "xavier"},
            "training": {"loss": "categorical_crossentropy", "optimizer": "sgd", "learningRate": 0.05, "epochs": 1,
                         "batchSize": 128, "seed": 42, "scaling": "none"},
        }
        for precision in ("float64", "float32"):
            request["network"]["precision"] = precision
            job = call(self.base, "POST", "/jobs", request)
            while job["status"] in ("QUEUED", "RUNNING"):
                time.sleep(0.1)
                job = call(self.base, "GET", f"/jobs/{job['id']}")
            if job["status"] != "SUCCEEDED":
                raise SystemExit(f"{precision} job ended {job['status']}: {job.get('error')}")
            self.models[precision] = job["modelId"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def csv_and_bodies(data, rows):
    """The first ROWS rows of DATA/t4.csv for training, and each load's (model precision, body, rows a request)."""
    with open(os.path.join(data, "t4.csv"), "rb") as file:
        csv = b"".join(line for _, line in zip(range(rows + 1), file))
    first = [[float(v) for v in line.split(",")[:-1]] for line in csv.decode().splitlines()[1:65]]
    float32_rows = struct.pack(f"<{64 * len(first[0])}f", *(v for row in first for v in row))
    return csv, {"1f64": ("float64", {"instances": first[:1]}, 1), "1f32": ("float32", {"instances": first[:1]}, 1),
                 "64json": ("float64", {"instances": first}, 64), "64bin64": ("float64", float32_rows, 64),
                 "64bin32": ("float32", float32_rows, 64)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("jars", nargs="+")
    parser.add_argument("--ports", default="18701,18702")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--warm", type=int, default=15)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--loads", default=",".join(LOADS))
    parser.add_argument("--jvm-option", action="append", default=[])
    args = parser.parse_args()
    csv, bodies = csv_and_bodies(args.data, args.rows)
    ports = [int(p) for p in args.ports.split(",")]
    services = []
    try:
        for jar, port in zip(args.jars, ports):
            # JAR or JAR,-Dname=value,…: options for that jar's JVM alone (an A/B of a property on one jar)
            jar, *own_options = jar.split(",")
            services.append(Service(jar, port, args.jvm_option + own_options, csv))
        for service in services:
            service.ready()
        for load in args.loads.split(","):
            precision, body, count = bodies[load]
            for service in services:
                wrk(f"{service.base}/models/{service.models[precision]}/predict", body, args.warm)
            for round_ in range(args.rounds):
                order = list(enumerate(services)) if round_ % 2 == 0 else list(enumerate(services))[::-1]
                for index, service in order:
                    before = cpu_seconds(service.process.pid)
                    requests, micros, p50, p99, errors = wrk(
                        f"{service.base}/models/{service.models[precision]}/predict", body, args.seconds)
                    cpu = cpu_seconds(service.process.pid) - before
                    per_second = requests / (micros / 1e6)
                    print(json.dumps(dict(load=load, jar="AB"[index], round=round_ + 1, requests_per_s=round(per_second),
                                          rows_per_s=round(per_second * count), p50_ms=p50 / 1e3, p99_ms=p99 / 1e3,
                                          errors=errors, cpu_ms_per_request=round(1e3 * cpu / max(requests, 1), 3),
                                          load_average=os.getloadavg()[0])), flush=True)
    finally:
        for service in services:
            service.stop()


if __name__ == "__main__":
    main()
