#!/usr/bin/env python3
"""Which refit rule, for the same chosen parameters: a paired check on the held-out outer folds.

For every (set, outer fold) of an earlier `search_compare.py --strategies auto` run (its jsonl), the auto search's
best parameters are trained again as plain jobs on the outer fold's training rows, by two rules, and scored on its
test rows; the run's own refit (its model, as recorded) is the third column:
  - one:      one network, every row, until the training loss settles (seed 1), as the random search refits;
  - ensemble: five such networks (seeds 1-5), the mean of their logits (classification) or values (regression):
              what the auto search's merged network predicts (NetworkEnsemble).
The parameters are fixed, so this isolates the refit rule from the search's noise. A check, not a tuner: the rule is
chosen on principle (bench/NOTES.md).

  python3 bench/refit_rule_check.py --base http://127.0.0.1:18612 --json bench/search_auto_batch_results.jsonl
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backprop_client import Http, load  # noqa: E402
from search_compare import DATA, Split  # noqa: E402

MEMBERS = 5


def train(http, split, params, seed, batch):
    request = {"data": {"datasetId": split.dataset_id, "targetColumn": split.target},
               "network": {"hiddenLayers": params["hiddenLayers"]},
               "training": {"seed": seed, "learningRate": params["learningRate"], "l2": params["l2"], "batchSize": batch,
                            "validationFraction": 0.0,
                            "earlyStopping": {"monitor": "loss", "patience": 10, "minDelta": 1e-4}}}
    job = http.json("POST", "/jobs", request)
    while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        time.sleep(0.05)
        job = http.json("GET", f"/jobs/{job['id']}")
    if job["status"] != "SUCCEEDED":
        raise RuntimeError(json.dumps(job.get("error")))
    return job["modelId"]


def score(split, outputs):
    """Accuracy of the mean log-probabilities' argmax, or R² of the mean value."""
    records = split.records()
    if split.regression:
        y = [r[split.target] for r in records]
        pred = [statistics.fmean(o[i] for o in outputs) for i in range(len(y))]
        mu = statistics.fmean(y)
        return 1 - sum((a - b) ** 2 for a, b in zip(y, pred)) / sum((a - mu) ** 2 for a in y)
    labels, rows = outputs[0][0], len(records)
    correct = 0
    for i in range(rows):
        logp = [statistics.fmean(math.log(max(o[1][i][c], 1e-300)) for o in outputs) for c in range(len(labels))]
        correct += labels[max(range(len(labels)), key=lambda c: logp[c])] == records[i][split.target]
    return correct / rows


def predict(http, split, model_id):
    records = [{k: v for k, v in r.items() if k != split.target} for r in split.records()]
    p = http.json("POST", f"/models/{model_id}/predict", {"records": records})
    if split.regression:
        return [row["value"] for row in p["predictions"]]
    return p["labels"], [row["probabilities"] for row in p["predictions"]]


def auto_runs(default_base, columns):
    """Prints a table's header of {@code columns}; the client and, per set and outer fold of a run's jsonl (--json),
    the set's name, the auto search's result and a function making its outer fold's Split (which uploads the fold's
    training rows)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default=default_base)
    parser.add_argument("--json", required=True)
    parser.add_argument("--sets", default="iris,breast_cancer,wine,friedman1")
    args = parser.parse_args()
    http = Http(args.base)
    runs = [json.loads(line) for line in open(args.json)]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))

    def each():
        for name in args.sets.split(","):
            header, data, fold_of = load(DATA, name)
            for r in sorted((r for r in runs if r["set"] == name and r["peer"] == "auto"), key=lambda r: r["fold"]):
                yield name, r, lambda r=r: Split(http, name, header, data, fold_of, r["fold"])
    return http, each()


def main():
    http, runs = auto_runs("http://127.0.0.1:18612", ["set", "fold", "run's own refit", "one network, every row",
                                                       "5 networks, mean"])
    table = {}
    for name, r, make_split in runs:
        split = make_split()
        batch = min(200, len(split.train))
        outs = [predict(http, split, train(http, split, r["bestParams"], seed, batch)) for seed in range(1, MEMBERS + 1)]
        row = (r["test"], score(split, outs[:1]), score(split, outs))
        table.setdefault(name, []).append(row)
        print(f"| {name} | {r['fold']} | {row[0]:.4f} | {row[1]:.4f} | {row[2]:.4f} |", flush=True)
    for name, rows in table.items():
        print(f"| {name} | mean | " + " | ".join(f"{statistics.fmean(x[i] for x in rows):.4f}" for i in range(3)) + " |")


if __name__ == "__main__":
    main()
