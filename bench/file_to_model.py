#!/usr/bin/python3
"""The user's path on T4: from the CSV file to a trained model, Backprop's service against pandas + PyTorch and
pandas + scikit-learn, in one run (issue 16).

Usage: /usr/bin/python3 bench/file_to_model.py DATA_DIR JAR   (DATA_DIR holds t4.csv; prints JSON lines)

1. Ingest: the service in a JVM with -Xmx1g takes the 412 MB file as one text/csv upload (streamed from the disk);
   pd.read_csv reads the same file. Both as MB/s of the file's size.
2. File -> model, per precision: the service (default heap; H2 in a temporary folder) uploads the file, then each
   T4 job (the network, split and hyperparameters of TASKS.md, initializer torch_default) runs from submit to SUCCEEDED;
   a row is the upload plus that job. The peers read the file with pandas, convert it and train the same network
   (PyTorch 1 thread, its default init; scikit-learn 1 thread, float64): a row is the one read + its own conversion
   and training. The
   service's preparation is submit -> first epoch: from just before the submit to the job's claim (startedAt), plus
   the preparation its timings report from there (GET /jobs/{id}: read, split, pipeline fit, encoding).
3. The first job on a data set, per precision: the float64 job above is the first on its upload, the float32 one the
   second (it trains on the rows the first prepared: training.RecentPreparations). So a float32 job that is the first
   on its data set is measured too: another fresh service, one upload, the float32 job alone
   (task first-job-preparation); report.py checks the preparation target on the first job at each precision.
Stops every service it started, by its PID, whatever happens.
"""
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_t4 import TRAIN_ROWS, sklearn_peer, torch_peer  # noqa: E402


# PyTorch's own initialization (uniform in ±1/√fan_in for weights and biases), as the PyTorch peer starts from: at the
# same epochs, xavier reached 0.776 validation accuracy against PyTorch's 0.831, torch_default 0.831 (BENCHMARKS.md).
INITIALIZER = "torch_default"


def parse_instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def emit(**figures):
    print(json.dumps(figures), flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, content_type="application/json", length=None):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = {"Content-Type": content_type} if data is not None else {}
    if length is not None:
        headers["Content-Length"] = str(length)
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=1200) as response:
        return json.loads(response.read())


class Service:
    def __init__(self, jar, heap=None, jvm_options=(), port=None):
        # a port of the caller's when several engineers share the machine, else any free one
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = tempfile.mkdtemp(prefix="backprop-ingest-")
        self.log = open(os.path.join(self.folder, "service.log"), "w")
        jvm = ["java", "@src/main/jvm/backprop.jvm.options"] + ([f"-Xmx{heap}"] if heap else []) + list(jvm_options)
        self.process = subprocess.Popen(
            jvm + ["-jar", jar, f"--server.port={self.port}", "--server.address=127.0.0.1",
                   f"--spring.datasource.url=jdbc:h2:file:{self.folder}/backprop", "--backprop.limits.max-request-bytes=1000000000"],
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        # Up to 10 minutes: on the shared 2-core machine at load 50 the service took 194 s to start.
        for _ in range(600):
            try:
                if call(self.base, "GET", "/actuator/health")["status"] == "UP":
                    return
            except OSError:
                time.sleep(1)
        self.stop()
        raise SystemExit("the service did not start; see " + self.log.name)

    def upload(self, path):
        size = os.path.getsize(path)
        start = time.perf_counter()
        with open(path, "rb") as body:
            dataset = call(self.base, "POST", "/datasets?name=t4", body, "text/csv", length=size)
        return dataset, time.perf_counter() - start

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def service_rows(data_dir, jar):
    csv = os.path.join(data_dir, "t4.csv")
    megabytes = os.path.getsize(csv) / 1e6
    small = Service(jar, heap="1g")
    try:
        _, upload_s = small.upload(csv)
        emit(task="ingest", peer="backprop-service", heap="1g", seconds=upload_s, mb_per_s=megabytes / upload_s)
    finally:
        small.stop()
    service = Service(jar)
    try:
        dataset, upload_s = service.upload(csv)
        for precision in ("float64", "float32"):
            emit(**t4_job(service, dataset, precision, upload_s), first_on_dataset=precision == "float64")
    finally:
        service.stop()
    # The float32 job as the first on its data set: it prepares its own rows, where the one above reuses the float64 job's.
    first = Service(jar)
    try:
        dataset, upload_s = first.upload(csv)
        emit(**dict(t4_job(first, dataset, "float32", upload_s), task="first-job-preparation"), first_on_dataset=True)
    finally:
        first.stop()


def t4_job(service, dataset, precision, upload_s):
    """Submits the T4 job on t4.csv, stored by an upload of upload_s seconds, at one precision and follows it to
    SUCCEEDED; its figures as a dict."""
    request = {
        "name": "T4", "task": "classification",
        "data": {"datasetId": dataset["id"], "targetColumn": "y"},
        "network": {"hiddenLayers": [{"units": 256, "activation": "relu"}, {"units": 128, "activation": "relu"}],
                    "outputActivation": "softmax", "initializer": INITIALIZER, "precision": precision},
        "training": {"loss": "categorical_crossentropy", "optimizer": "sgd", "learningRate": 0.05, "epochs": 3,
                     "batchSize": 128, "seed": 42, "validationFraction": 1 / 7, "validationSplit": "last",
                     "scaling": "none"},
    }
    submitted_at = time.time()
    start = time.perf_counter()
    job = call(service.base, "POST", "/jobs", request)
    submit_s = time.perf_counter() - start
    while job["status"] in ("QUEUED", "RUNNING"):
        time.sleep(0.05)
        job = call(service.base, "GET", f"/jobs/{job['id']}")
    job_s = time.perf_counter() - start
    if job["status"] != "SUCCEEDED":
        raise SystemExit(f"T4 {precision} job ended {job['status']}: {job.get('error')}")
    history = call(service.base, "GET", f"/jobs/{job['id']}/metrics")["history"]
    training_s = history[-1]["elapsedMs"] / 1e3
    # Preparation as the target counts it, submit -> first epoch, read on one clock (the service runs on this machine):
    # from just before the submit to the job's claim (startedAt) plus its own preparation from there (its timings: the
    # read, the split, the pipeline fit, the encoding, the network's initialization). The parts are kept too; their old
    # sum (submit answer + queue wait + preparation) counted twice the time the answer and the wait overlap: the job
    # is stored, and claimed, while its answer is on its way.
    timings = job["timings"]
    queued_s = (parse_instant(job["startedAt"]) - parse_instant(job["createdAt"])).total_seconds()
    first_epoch_at = parse_instant(job["startedAt"]).timestamp() + timings["preparationSeconds"]
    return dict(task="file-to-model", peer="backprop-service", precision=precision, upload_s=upload_s, job_s=job_s,
                training_s=training_s, submit_s=submit_s, queued_s=queued_s, timings=timings,
                preparation_s=first_epoch_at - submitted_at,
                summed_preparation_s=submit_s + queued_s + timings["preparationSeconds"],
                after_training_s=timings["evaluationSeconds"] + timings["storeSeconds"], seconds=upload_s + job_s,
                val_accuracy=history[-1]["validationMetric"], initializer=INITIALIZER)


def peer_rows(data_dir):
    import pandas as pd
    import torch
    from threadpoolctl import threadpool_limits
    csv = os.path.join(data_dir, "t4.csv")
    megabytes = os.path.getsize(csv) / 1e6
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        # One read for the three rows: each row counts that read, its own conversion and its own training.
        start = time.perf_counter()
        frame = pd.read_csv(csv)
        read_s = time.perf_counter() - start
        emit(task="ingest", peer="pandas", seconds=read_s, mb_per_s=megabytes / read_s)
        for peer, precision, dtype in (("pandas+pytorch", "float64", np.float64), ("pandas+pytorch", "float32", np.float32),
                                       ("pandas+sklearn", "float64", np.float64)):
            start = time.perf_counter()
            x = frame.drop(columns="y").to_numpy(dtype=dtype)
            y = frame["y"].to_numpy()
            train = torch_peer if peer == "pandas+pytorch" else sklearn_peer
            training_s, accuracy, _ = train(x[:TRAIN_ROWS], y[:TRAIN_ROWS], x[TRAIN_ROWS:], y[TRAIN_ROWS:], 128, 3, dtype)
            seconds = read_s + time.perf_counter() - start
            emit(task="file-to-model", peer=peer, precision=precision, read_s=read_s, training_s=training_s, seconds=seconds,
                 preparation_s=seconds - read_s - training_s, val_accuracy=accuracy,
                 initializer="pytorch default" if peer == "pandas+pytorch" else "glorot uniform")


def main():
    data_dir, jar = sys.argv[1], sys.argv[2]
    if "--peers-only" not in sys.argv:
        service_rows(data_dir, jar)
    if "--service-only" not in sys.argv:
        peer_rows(data_dir)


if __name__ == "__main__":
    main()
