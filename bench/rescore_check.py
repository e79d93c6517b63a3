#!/usr/bin/env python3
"""Did re-scoring choose better? A paired check on the held-out outer folds of a re-scoring auto run.

For every (set, outer fold) of a `search_compare.py --strategies auto` run (its jsonl, the service's database still
holding the jobs) whose re-scored winner differs from the trial the first split ranked first, both trials'
parameters are trained again as the auto refit trains (five networks on every row until the training loss settles,
seeds 1-5, the mean of their logits or values: bench/refit_rule_check.py) and scored on the outer fold's test rows.
The refit is fixed, so only the choice differs. The first-ranked trial is read as the service ranked before
re-scoring: the best first-split score among trials trained in full, then the lower validation loss (of both splits
for a re-scored trial: the first split's alone is not stored), then the lower index. A check, not a tuner.

  python3 bench/rescore_check.py --base http://127.0.0.1:18812 --json bench/search_auto_rescore_results.jsonl
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refit_rule_check import MEMBERS, auto_runs, predict, score, train  # noqa: E402


def first_ranked(trials):
    full = [t for t in trials if t.get("status") == "SUCCEEDED" and not t.get("stopReason")]
    return min(full, key=lambda t: (-t.get("firstScore", t["score"]), t.get("validationLoss") or 0.0, t["index"]))


def main():
    http, runs = auto_runs("http://127.0.0.1:18812", ["set", "fold", "winner (re-scored)", "first-ranked",
                                                       "winner's 5 networks, test", "first-ranked's 5 networks, test"])
    table = {}
    for name, r, make_split in runs:
        search = http.json("GET", f"/jobs/{r['jobId']}/metrics")["search"]
        first = first_ranked(search["trials"])
        if first["index"] == search["bestIndex"]:
            continue
        split = make_split()
        batch = min(200, len(split.train))
        row = []
        for params in (search["bestParams"], first["params"]):
            outs = [predict(http, split, train(http, split, params, seed, batch)) for seed in range(1, MEMBERS + 1)]
            row.append(score(split, outs))
        table.setdefault(name, []).append(row)
        print(f"| {name} | {r['fold']} | {search['bestIndex']} | {first['index']} | {row[0]:.4f} | {row[1]:.4f} |", flush=True)
    for name, rows in table.items():
        print(f"| {name} | mean of {len(rows)} | | | {statistics.fmean(x[0] for x in rows):.4f} | "
              f"{statistics.fmean(x[1] for x in rows):.4f} |")


if __name__ == "__main__":
    main()
