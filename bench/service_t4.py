#!/usr/bin/python3
"""Backprop's service end to end on T4, and wrk on its predict endpoint (T6 over HTTP).

Usage: /usr/bin/python3 bench/service_t4.py DATA_DIR JAR   (DATA_DIR holds t4.csv and t4_y.u8; prints JSON lines)

Starts the jar on a free port of 127.0.0.1 with an H2 database in a temporary folder, uploads t4.csv as a data
set, submits the T4 job (the same network, data split, initializer and hyperparameters as the in-process run)
in float64 and then in float32, waits for SUCCEEDED each time, then runs wrk (2 threads, 32 connections, 30 s)
with single-row and 64-row predict requests (JSON, and 64 rows as a little-endian float32 body) on the trained
models, after 15 s of each load for the JIT. Stops the service it started, by its PID, whatever happens.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

WRK_SECONDS = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": content_type} if data is not None else {})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def emit(**figures):
    print(json.dumps(figures), flush=True)


def wrk(base, path, body, label, rows, seconds=WRK_SECONDS, report=True):
    """wrk with one request body: JSON (a dict) or little-endian float32 rows (bytes, sent as application/octet-stream)."""
    binary = isinstance(body, bytes)
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as body_file:
        body_file.write(body if binary else json.dumps(body).encode())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        content_type = "application/octet-stream" if binary else "application/json"
        script.write(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "{content_type}"\n'
                     f'local file = io.open("{body_file.name}", "rb")\nwrk.body = file:read("*all")\nfile:close()\n'
                     "done = function(summary, latency, requests)\n"
                     "  local e = summary.errors\n"
                     '  io.write(string.format("WRK %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,'
                     " latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))\n"
                     "end\n")
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-s", script.name, base + path],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    os.unlink(body_file.name)
    if not report:
        return
    requests, micros, p50, p99, *errors = map(int, next(l for l in out.splitlines() if l.startswith("WRK")).split()[1:])
    per_second = requests / (micros / 1e6)
    emit(task="T6-http", peer="backprop-service", request=label, requests_per_s=per_second, rows_per_s=per_second * rows,
         p50_ms=p50 / 1e3, p99_ms=p99 / 1e3, errors=sum(errors),
         # wrk's own kinds: sockets that failed to connect, read or write, answers with a status of 400 or more, and
         # requests without an answer within wrk's 2 s timeout; a total alone does not say whose fault an error is
         error_kinds=dict(zip(("connect", "read", "write", "status", "timeout"), errors)))


def main():
    data_dir, jar = sys.argv[1], sys.argv[2]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    db_dir = tempfile.mkdtemp(prefix="backprop-bench-")
    log = open(os.path.join(db_dir, "service.log"), "w")
    service = subprocess.Popen(
        ["java", "@src/main/jvm/backprop.jvm.options", "-jar", jar, f"--server.port={port}", "--server.address=127.0.0.1",
         f"--spring.datasource.url=jdbc:h2:file:{db_dir}/backprop", "--backprop.limits.max-request-bytes=1000000000"],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    try:
        for _ in range(600):  # a loaded machine (load average 30 on 2 cores) took over two minutes to start it
            try:
                if call(base, "GET", "/actuator/health")["status"] == "UP":
                    break
            except OSError:
                pass
            time.sleep(1)
        csv = open(os.path.join(data_dir, "t4.csv"), "rb").read()
        start = time.perf_counter()
        dataset = call(base, "POST", "/datasets?name=t4", csv, "text/csv")
        upload_s = time.perf_counter() - start
        request = {
            "name": "T4", "task": "classification",
            "data": {"datasetId": dataset["id"], "targetColumn": "y"},
            "network": {"hiddenLayers": [{"units": 256, "activation": "relu"}, {"units": 128, "activation": "relu"}],
                        "outputActivation": "softmax", "initializer": "xavier"},
            "training": {"loss": "categorical_crossentropy", "optimizer": "sgd", "learningRate": 0.05, "epochs": 3,
                         "batchSize": 128, "seed": 42, "validationFraction": 1 / 7, "validationSplit": "last",
                         "scaling": "none"},
        }
        models = {}
        for precision in ("float64", "float32"):
            request["network"]["precision"] = precision
            start = time.perf_counter()
            job = call(base, "POST", "/jobs", request)
            while job["status"] in ("QUEUED", "RUNNING"):
                time.sleep(0.05)
                job = call(base, "GET", f"/jobs/{job['id']}")
            wall_s = time.perf_counter() - start
            if job["status"] != "SUCCEEDED":
                raise SystemExit(f"T4 {precision} job ended {job['status']}: {job.get('error')}")
            history = call(base, "GET", f"/jobs/{job['id']}/metrics")
            last = history["history"][-1]
            training_s = last["elapsedMs"] / 1e3
            train_rows = job["data"]["trainingRows"]
            emit(task="T4-service", peer="backprop-service", precision=precision, upload_s=upload_s, submit_to_succeeded_s=wall_s,
                 training_s=training_s, samples_per_s=3 * train_rows / training_s,
                 end_to_end_samples_per_s=3 * train_rows / wall_s, training_rows=train_rows, val_accuracy=last["validationMetric"])
            models[precision] = job["modelId"]

        rows = [[float(v) for v in line.split(",")[:-1]] for line in csv[:2_000_000].decode().splitlines()[1:65]]
        float32_rows = struct.pack(f"<{64 * len(rows[0])}f", *(v for row in rows[:64] for v in row))
        loads = []
        for precision, model in models.items():
            path = f"/models/{model}/predict"
            loads.append((path, {"instances": rows[:1]}, f"1 row, {precision} model", 1))
            if precision == "float64":
                loads.append((path, {"instances": rows[:64]}, f"64 rows, {precision} model", 64))
            loads.append((path, float32_rows, f"64 rows as a float32 body, {precision} model", 64))
        # 15 s of each load first, discarded: the JIT compiles Tomcat's, Spring's, Jackson's and our paths for about a
        # minute, and a C2 compiler thread busy on one of the two cores halves what wrk sees (bench/NOTES.md).
        for path, body, label, count in loads:
            wrk(base, path, body, label, count, seconds=15, report=False)
        for path, body, label, count in loads:
            wrk(base, path, body, label, count)
    finally:
        service.terminate()
        service.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
