#!/usr/bin/env python3
"""What a trial costs at 32-row and 200-row mini-batches (issue 13, the auto mode's batch size).

On one outer fold's training rows of a set in /work/shared/data, a grid search of the default network (100 relu
units, adam) over learningRate {1e-3, 1e-2, 3e-2} x batchSize {32, 200}, 3-fold CV, parallelism 1 (one trial at a
time, so the fit times do not share the cores), refit off. Prints each trial's score, fit time (its 3 folds) and
epochs (fold 1's), from GET /jobs/{id}/metrics. Python 3 standard library; the service already running:

    /usr/bin/python3 bench/auto_batch_probe.py --base http://127.0.0.1:18611 --set friedman1 --fold 0
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backprop_client import Http, load  # noqa: E402
import search_compare as sc  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--set", default="friedman1")
    parser.add_argument("--fold", type=int, default=0)
    args = parser.parse_args()
    http = Http(args.base)
    split = sc.Split(http, args.set, *load(sc.DATA, args.set), args.fold)
    space = {"learningRate": [1e-3, 1e-2, 3e-2], "batchSize": [32, 200], "hiddenLayers[0].units": [100]}
    request = {"name": "batch-probe", "data": {"datasetId": split.dataset_id, "targetColumn": split.target},
               "network": {"hiddenLayers": [{"units": 100, "activation": "relu"}]}, "training": {"seed": 1},
               "type": "grid_search",
               "search": {"space": space, "folds": 3, "seed": 1, "refit": False, "metric": split.metric, "parallelism": 1}}
    job = http.json("POST", "/jobs", request)
    deadline = time.monotonic() + 1800
    while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = http.json("GET", f"/jobs/{job['id']}")
    metrics = http.json("GET", f"/jobs/{job['id']}/metrics")
    print("| learningRate | batchSize | CV score | fit s (3 folds) | epochs (fold 1) | best epoch | fit s / epochs |")
    print("|---|---|---|---|---|---|---|")
    for t in sorted(metrics["search"]["trials"], key=lambda t: (t["params"]["learningRate"], t["params"]["batchSize"])):
        fit = t["fitMillis"] / 1000
        print(f"| {t['params']['learningRate']:g} | {t['params']['batchSize']} | {t['score']:.4f} | {fit:.1f} | {t['epochs']} "
              f"| {t['bestEpoch']} | {fit / t['epochs']:.4f} |")


if __name__ == "__main__":
    main()
