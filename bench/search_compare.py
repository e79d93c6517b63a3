#!/usr/bin/python3
"""Issue 13: grid, random and bayesian search at equal budgets through the real service, and the issue's
reference timing against scikit-learn's RandomizedSearchCV.

For each data set (wine, breast_cancer, ...) and each outer test fold of /work/shared/data/<set>_folds.csv,
the four other folds are uploaded once (POST /datasets, text/csv). Then, for every seed, it submits a
grid_search, a random_search and a bayesian_search (POST /jobs) of the same budget over the same space,
with search.folds 3 (3-fold CV inside the training folds) and refit, waits for each, reads the trials
(GET /jobs/{id}/metrics: search.trials, bestScore) and scores the refit model on the held-out fold
(POST /models/{id}/evaluate). The best-so-far curve is the best CV score among trials 0..i, in trial index
order (a Bayesian search's index is its proposal order).

For seed 1 (the reference seed), right after Backprop's random search of a fold it runs scikit-learn's
RandomizedSearchCV(Pipeline(StandardScaler, MLPClassifier()), n_iter=budget, cv=3, random_state=seed) on
the same training folds over the same distributions and scores it on the same test fold, so both sides
run interleaved on the same machine in one run.

The space (Backprop key: distribution; scikit-learn parameter in brackets):
  learningRate       loguniform 1e-4..1e-1         (mlp__learning_rate_init, loguniform 1e-4..1e-1)
  hiddenLayers[0].units  {16, 32, 64, 128}         (mlp__hidden_layer_sizes, (16,) .. (128,))
  activation         {relu, tanh}                  (mlp__activation)
  l2                 loguniform 1e-6..1e-2         (mlp__alpha, loguniform 4e-4..4: the same penalty, see below)
Backprop's l2 adds l2*sum(w^2) to each mini-batch's mean loss; scikit-learn's alpha adds
(alpha/2)*sum(w^2)/batch rows, and MLPClassifier()'s batch is min(200, rows), so alpha = 400*l2 gives the
same penalty at 200-row batches (the inner training folds of breast_cancer have ~303 rows; wine's have
~95, where the same alpha is a 2x stronger penalty than Backprop's l2).
The grid (budget 20): learningRate {1e-4, 5.6e-4, 3.2e-3, 1.8e-2, 1e-1} x units {32, 128} x {relu, tanh},
l2 fixed at 1e-4 (the log-midpoint of its range).

Everything else is each side's default: Backprop's trial defaults (batch min(32, rows), up to 200 epochs,
early stopping on the trial's validation fold, refit for the best trial's best epoch count); scikit-learn's
MLPClassifier() (adam, batch min(200, rows), max_iter 200, stops on the training loss), n_jobs=None (one
core) unless --sklearn-jobs is given. Backprop's search runs trials on its workers (search.parallelism,
default: every worker).

Python 3 standard library for HTTP; scikit-learn (Debian's python3-sklearn) for the reference.
Example (the service already running on 127.0.0.1:18473):

    /usr/bin/python3 bench/search_compare.py --base http://127.0.0.1:18473 --sets wine,breast_cancer --folds 0,1,2,3,4 \
        --seeds 1,2 --trials 20 --json /tmp/bench-search/results.jsonl
"""
import argparse
import csv
import io
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backprop_client import Http, load  # noqa: E402

DATA = "/work/shared/data"
TARGETS = {"iris": "species", "wine": "label", "breast_cancer": "label", "friedman1": "y"}
# regression sets: scored by R² (search.metric r2, MLPRegressor, the evaluate answer's r2) where the others use accuracy
REGRESSION = {"friedman1"}
# strategy "auto" (type auto) runs after scikit-learn on each fold, with a budget of --auto-share of its wall time
STRATEGIES = ("grid_search", "random_search", "bayesian_search")

RANDOM_SPACE = {
    "learningRate": {"distribution": "loguniform", "min": 1e-4, "max": 1e-1},
    "hiddenLayers[0].units": [16, 32, 64, 128],
    "activation": ["relu", "tanh"],
    "l2": {"distribution": "loguniform", "min": 1e-6, "max": 1e-2},
}


def grid_space(budget):
    if budget != 20:
        # a grid of the budget's size: learning rates x units {32, 128} x {relu, tanh}
        if budget % 4:
            raise SystemExit("--trials must be a multiple of 4 for the grid")
    n = budget // 4
    rates = [10 ** (-4 + 3 * i / (n - 1)) for i in range(n)] if n > 1 else [1e-2]
    return {"learningRate": [float(f"{r:.3g}") for r in rates], "hiddenLayers[0].units": [32, 128],
            "activation": ["relu", "tanh"], "l2": [1e-4]}


# ---------------------------------------------------------------- HTTP

def iso(text):
    import datetime
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# ---------------------------------------------------------------- data

def label(cell):
    try:
        v = float(cell)
        return int(v) if v.is_integer() else v
    except ValueError:
        return cell


class Split:
    def __init__(self, http, name, header, rows, folds, k):
        self.name, self.k = name, k
        self.target = TARGETS[name]
        self.regression = name in REGRESSION
        self.metric = "r2" if self.regression else "accuracy"
        t = header.index(self.target)
        self.header, self.t = header, t
        self.train = [r for r, f in zip(rows, folds) if f != k]
        self.test = [r for r, f in zip(rows, folds) if f == k]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header] + self.train)
        self.dataset_id = http.json("POST", f"/datasets?name={name}-outer{k}", buf.getvalue(), "text/csv")["id"]

    def xy(self, rows):
        X = [[float(c) for i, c in enumerate(r) if i != self.t] for r in rows]
        y = [float(r[self.t]) if self.regression else label(r[self.t]) for r in rows]
        return X, y

    def records(self):
        return [{h: (label(c) if i == self.t and not self.regression else float(c)) for i, (h, c) in enumerate(zip(self.header, r))} for r in self.test]


# ---------------------------------------------------------------- Backprop

def backprop_search(http, split, strategy, budget, seed, parallelism, max_wait, runtime=None):
    """One search; strategy "auto" sends only the data, the target, a seed and runtime (maxRuntimeSeconds)."""
    search = {"space": grid_space(budget) if strategy == "grid_search" else RANDOM_SPACE,
              "folds": 3, "seed": seed, "refit": True, "metric": split.metric}
    if strategy != "grid_search":
        search["maxTrials"] = budget
    if parallelism:
        search["parallelism"] = parallelism
    request = {"name": f"{split.name}-{strategy}-outer{split.k}-seed{seed}",
               "data": {"datasetId": split.dataset_id, "targetColumn": split.target},
               "network": {"hiddenLayers": [{"units": 32, "activation": "relu"}]},
               "training": {"seed": seed},
               "type": strategy, "search": search}
    if strategy == "auto":
        request = {"name": request["name"], "data": request["data"], "type": "auto",
                   "search": {"maxRuntimeSeconds": runtime, "seed": seed}}
    t0 = time.monotonic()
    job = http.json("POST", "/jobs", request)
    delay = 0.05
    while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        elapsed = time.monotonic() - t0
        if elapsed > max_wait:
            http.json("POST", f"/jobs/{job['id']}/cancel")
            raise RuntimeError(f"job {job['id']} still {job['status']} after {max_wait}s; cancelled")
        if runtime is not None:
            # an auto search ends by its budget, or sooner but not before its trials' half of it: poll every 20 ms from
            # a tenth of a second before that half, so the client's wall time carries at most ~20 ms of polling on top
            # of the service's (a 1 s budget on iris would otherwise lose up to the 0.25 s step below); seldom before
            time.sleep(0.02 if elapsed > runtime * 0.5 - 0.1 else min(0.25, max(0.02, runtime * 0.5 - 0.1 - elapsed)))
        else:
            time.sleep(delay)
            delay = min(delay * 1.3, 0.25)
        job = http.json("GET", f"/jobs/{job['id']}")
    client = time.monotonic() - t0
    if job["status"] != "SUCCEEDED":
        raise RuntimeError(f"job {job['id']} {job['status']}: {json.dumps(job.get('error'))}")
    metrics = http.json("GET", f"/jobs/{job['id']}/metrics")
    s = metrics["search"]
    trials = sorted(s["trials"], key=lambda t: t["index"])
    curve, best = [], -math.inf
    for t in trials:
        if t.get("score") is not None:
            best = max(best, t["score"])
        curve.append(best if best > -math.inf else None)
    evaluated = http.json("POST", f"/models/{job['modelId']}/evaluate", {"records": split.records()})
    refit = (http.json("GET", f"/models/{job['modelId']}").get("provenance") or {}).get("refit")
    problems = []
    # a trial the median rule stopped is scored on its first fold and ranks below every full trial, so it is never the best
    scored = [t["score"] for t in trials if t.get("score") is not None and not t.get("stopReason")]
    # an auto search's re-scored trials (both splits' folds) rank before those scored once: the best is among them
    rescored = [t for t in trials if t.get("rescored")]
    if rescored:
        scored = [t["score"] for t in rescored]
    if len(trials) != budget and strategy != "auto":
        problems.append(f"{len(trials)} trials, budget {budget}")
    # the one-standard-error rule keeps a more regularised trial than the top one
    if scored and s.get("bestScore") != max(scored) and s.get("chosenBy") != "rescored_one_standard_error":
        problems.append(f"bestScore {s.get('bestScore')} != best trial score {max(scored)}")
    if sorted(t["index"] for t in trials) != list(range(len(trials))):
        problems.append("trial indices not 0..n-1")
    for t in trials:
        fs = t.get("foldScores")
        # a trial the median rule stopped is scored on its first fold alone; one the budget cut, on the folds it finished
        cut = t.get("stopReason") or strategy == "auto"
        if t.get("score") is not None and (not fs or (len(fs) != (6 if t.get("rescored") else 3) and not cut) or abs(statistics.fmean(fs) - t["score"]) > 1e-9):
            problems.append(f"trial {t['index']}: score {t['score']} vs foldScores {fs}")
    if strategy == "grid_search" and len({json.dumps(t["params"], sort_keys=True) for t in trials}) != len(trials):
        problems.append("grid trials repeat a point")
    # where the time goes: trials' own fit time (each trial = its 3 folds) vs the search's wall time
    wall = iso(job["finishedAt"]) - iso(job["startedAt"])
    fit = sum(t["fitMillis"] for t in trials) / 1000
    bestTrial = next((t for t in trials if t["index"] == s.get("bestIndex")), None)
    return {"curve": curve, "bestScore": s.get("bestScore"), "bestParams": s.get("bestParams"),
            "test": evaluated.get(split.metric), "clientSeconds": client, "jobSeconds": wall,
            "queuedSeconds": iso(job["startedAt"]) - iso(job["createdAt"]) if job.get("createdAt") else None,
            # the client's time outside the job's stored life (the POST's answer, polling, the last GET's answer)
            "clientOverheadSeconds": client - (iso(job["finishedAt"]) - iso(job["createdAt"])) if job.get("createdAt") else None,
            "trialFitSeconds": fit, "trials": len(trials), "failed": sum(1 for t in trials if t["status"] != "SUCCEEDED"),
            "bestEpochs": [t.get("bestEpoch") for t in trials], "bestTrialIndex": s.get("bestIndex"),
            "bestTrialFitSeconds": bestTrial["fitMillis"] / 1000 if bestTrial else None,
            "jobId": job["id"], "problems": problems, "warnings": [w.get("code") for w in job.get("warnings") or []],
            "runtime": runtime, "refit": refit, "stopReason": metrics.get("stopReason"),
            "chosenBy": s.get("chosenBy"), "rescored": len(rescored),
            # the trial the first split's ranking put first (what chose before re-scoring), by its first-split score
            "firstRankingIndex": max((t for t in trials if t.get("score") is not None and not t.get("stopReason")),
                                     key=lambda t: (t.get("firstScore", t["score"]), -t["index"]), default={}).get("index")}


# ---------------------------------------------------------------- scikit-learn

def sklearn_search(split, budget, seed, n_jobs):
    import os
    import warnings
    os.environ.setdefault("PYTHONWARNINGS", "ignore")  # n_jobs > 1: the worker processes' ConvergenceWarnings
    from scipy.stats import loguniform
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import RandomizedSearchCV
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = split.xy(split.train)
    Xt, yt = split.xy(split.test)
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", (MLPRegressor if split.regression else MLPClassifier)(random_state=seed))])
    space = {"mlp__learning_rate_init": loguniform(1e-4, 1e-1),
             "mlp__hidden_layer_sizes": [(16,), (32,), (64,), (128,)],
             "mlp__activation": ["relu", "tanh"],
             "mlp__alpha": loguniform(400 * 1e-6, 400 * 1e-2)}
    search = RandomizedSearchCV(pipe, space, n_iter=budget, cv=3, random_state=seed, n_jobs=n_jobs)
    t0 = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    seconds = time.monotonic() - t0
    scores = list(search.cv_results_["mean_test_score"])
    curve, best = [], -math.inf
    for v in scores:
        best = max(best, v)
        curve.append(best)
    return {"curve": curve, "bestScore": search.best_score_, "test": search.score(Xt, yt), "clientSeconds": seconds,
            "bestParams": {k: (list(v) if isinstance(v, tuple) else v) for k, v in search.best_params_.items()},
            "fitSeconds": float(sum(search.cv_results_["mean_fit_time"]) * 3), "refitSeconds": search.refit_time_}


# ---------------------------------------------------------------- report

def full_training_check(http, results, sets, folds):
    """Diagnostic: the refit trains for the best trial's best epoch count (often a handful of epochs at high
    learning rates). Retrain each reference random search's best parameters as a plain job with the defaults
    (up to 200 epochs, early stopping on the training loss) and score the same test fold."""
    rows = []
    for name in sets:
        header, data, fold_of = load(DATA, name)
        for k in folds:
            r = next((r for r in results if r["set"] == name and r["fold"] == k and r["peer"] == "random_search"
                      and r["seed"] == 1), None)
            if not r:
                continue
            split = Split(http, name, header, data, fold_of, k)
            p = r["bestParams"]
            request = {"data": {"datasetId": split.dataset_id, "targetColumn": split.target},
                       "network": {"hiddenLayers": [{"units": p["hiddenLayers[0].units"], "activation": p["activation"]}]},
                       "training": {"seed": 1, "learningRate": p["learningRate"], "l2": p["l2"]}}
            job = http.json("POST", "/jobs", request)
            while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
                time.sleep(0.1)
                job = http.json("GET", f"/jobs/{job['id']}")
            acc = http.json("POST", f"/models/{job['modelId']}/evaluate", {"records": split.records()}).get("accuracy")
            refit_epochs = r["bestEpochs"][r["bestTrialIndex"]]
            rows.append((name, k, refit_epochs, r["test"], job["progress"]["epoch"], acc))
    print("| set | outer fold | refit epochs (best trial's) | refit test acc | full training epochs | full training test acc |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]:.4f} | {row[4]} | {row[5]:.4f} |")
    for name in sets:
        sel = [r for r in rows if r[0] == name]
        if sel:
            print(f"| {name} | mean | | {mean(r[3] for r in sel):.4f} | | {mean(r[5] for r in sel):.4f} |")


def keep(results, out, r, line):
    """Keeps one search's result: in the results, as its printed line, and in the jsonl as it goes (a run cut short
    keeps every search it ended)."""
    results.append(r)
    print(line, flush=True)
    if out:
        out.write(json.dumps(r) + "\n")
        out.flush()


def mean(xs):
    xs = [x for x in xs if x is not None]
    return statistics.fmean(xs) if xs else float("nan")


def report(results, budget, checkpoints):
    out = []
    w = out.append
    sets = list(dict.fromkeys(r["set"] for r in results))
    sk_peers = sorted({r["peer"] for r in results if r["peer"].startswith("sklearn")})
    peers = [p for p in ("grid_search", "random_search", "bayesian_search") if any(r["peer"] == p for r in results)] + sk_peers
    w("Best CV score so far (mean of 3 inner folds) after each number of trials, mean over outer folds x seeds; "
      "held-out test-fold accuracy of the refit model; wall time per search (client: submit to SUCCEEDED).\n")
    w("| set | search | runs | " + " | ".join(f"best after {c}" for c in checkpoints) +
      " | test accuracy (mean) | test accuracy (min) | wall s/search | trial fit s (sum) |")
    w("|---|---|---|" + "---|" * len(checkpoints) + "---|---|---|---|")
    for s in sets:
        for p in peers:
            rs = [r for r in results if r["set"] == s and r["peer"] == p]
            if not rs:
                continue
            cells = [f"{mean(r['curve'][c - 1] for r in rs if len(r['curve']) >= c):.4f}" for c in checkpoints]
            w(f"| {s} | {p}{' (seed 1)' if p.startswith('sklearn') else ''} | {len(rs)} | " + " | ".join(cells) +
              f" | {mean(r['test'] for r in rs):.4f} | {min(r['test'] for r in rs):.4f} | {mean(r['clientSeconds'] for r in rs):.2f} | "
              f"{mean(r.get('trialFitSeconds') for r in rs):.2f} |")
    w("")
    w("Reference (issue 13): random search of the same budget, 3-fold CV, seed 1, on the same outer test folds, "
      "interleaved in one run.\n")
    w("| set | scikit-learn | outer folds | Backprop wall s (sum) | scikit-learn wall s (sum) | ratio Backprop / sklearn | "
      "Backprop test acc | sklearn test acc | target ≤ 0.5× at ≥ accuracy |")
    w("|---|---|---|---|---|---|---|---|---|")
    for s, skp in ((s, p) for s in sets for p in sk_peers):
        bp = {r["fold"]: r for r in results if r["set"] == s and r["peer"] == "random_search" and r["seed"] == 1}
        sk = {r["fold"]: r for r in results if r["set"] == s and r["peer"] == skp}
        common = sorted(set(bp) & set(sk))
        if not common:
            continue
        tb = sum(bp[k]["clientSeconds"] for k in common)
        ts = sum(sk[k]["clientSeconds"] for k in common)
        ab = mean(bp[k]["test"] for k in common)
        as_ = mean(sk[k]["test"] for k in common)
        met = tb <= 0.5 * ts and ab >= as_
        w(f"| {s} | {'n_jobs=None (1 core)' if skp == 'sklearn_random' else 'n_jobs=' + skp.rsplit('jobs', 1)[1]} | {len(common)} | {tb:.1f} | {ts:.1f} | {tb / ts:.2f}× | {ab:.4f} | {as_:.4f} | "
          f"{'met' if met else 'not met'} ({'time ' + ('ok' if tb <= 0.5 * ts else 'over') + ', accuracy ' + ('ok' if ab >= as_ else 'lower')}) |")
    w("")
    w("Where Backprop's search time goes (mean per search): job wall (startedAt → finishedAt) against the trials' "
      "summed fitMillis (each trial's 3 folds; trials run in parallel on the workers) and the refit.\n")
    w("| set | search | client s | job wall s | queued s | Σ trial fit s | Σ fit / wall | mean best epoch of trials |")
    w("|---|---|---|---|---|---|---|---|")
    for s in sets:
        for p in ("grid_search", "random_search", "bayesian_search"):
            rs = [r for r in results if r["set"] == s and r["peer"] == p]
            if not rs:
                continue
            ep = mean(e for r in rs for e in r["bestEpochs"])
            w(f"| {s} | {p} | {mean(r['clientSeconds'] for r in rs):.2f} | {mean(r['jobSeconds'] for r in rs):.2f} | "
              f"{mean(r['queuedSeconds'] for r in rs):.2f} | {mean(r['trialFitSeconds'] for r in rs):.2f} | "
              f"{mean(r['trialFitSeconds'] / r['jobSeconds'] for r in rs):.2f} | {ep:.0f} |")
    auto_rows = [(s, skp) for s in sets for skp in sk_peers if any(r["set"] == s and r["peer"] == "auto" for r in results)]
    if auto_rows:
        w("")
        w("Auto (issue 13): `\"type\": \"auto\"` with only the data, the target, a seed and maxRuntimeSeconds = "
          "--auto-share × the wall time scikit-learn's RandomizedSearchCV (same budget of trials, 3-fold CV) took on the "
          "same outer fold just before; test accuracy (R² for regression sets) of the refit model on the held-out fold.\n")
        w("| set | build | outer folds × seeds | auto budget s (sum) | auto wall s (sum) | scikit-learn wall s (sum) | "
          "ratio auto / sklearn | auto trials (mean) | auto test acc | sklearn test acc | target ≤ 0.5× at ≥ accuracy |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for s, skp, ap in [(s, skp, ap) for s, skp in auto_rows for ap in ("auto", "auto_b")]:
            # keyed by outer fold and seed: a run of several seeds compares each fold and seed with its own sklearn run
            au = {(r["fold"], r["seed"]): r for r in results if r["set"] == s and r["peer"] == ap}
            sk = {(r["fold"], r["seed"]): r for r in results if r["set"] == s and r["peer"] == skp}
            common = sorted(set(au) & set(sk))
            if not common:
                continue
            ta = sum(au[k]["clientSeconds"] for k in common)
            ts = sum(sk[k]["clientSeconds"] for k in common)
            aa = mean(au[k]["test"] for k in common)
            as_ = mean(sk[k]["test"] for k in common)
            met = ta <= 0.5 * ts and aa >= as_
            w(f"| {s} | {ap} | {len(common)} | {sum(au[k]['runtime'] for k in common):.1f} | {ta:.1f} | {ts:.1f} | {ta / ts:.2f}× | "
              f"{mean(au[k]['trials'] for k in common):.1f} | {aa:.4f} | {as_:.4f} | "
              f"{'met' if met else 'not met'} ({'time ' + ('ok' if ta <= 0.5 * ts else 'over') + ', accuracy ' + ('ok' if aa >= as_ else 'lower')}) |")
    if auto_rows:
        w("")
        w("Auto per outer fold (stop: why the trials ended; refit: rule, rows held out, epochs run, epoch kept, what it stopped on):")
        w("")
        rescoring = any(r.get("chosenBy") for r in results)
        w("| set | fold | budget s | auto wall s | sklearn wall s | trials | stop | refit | "
          + ("chosen by (re-scored; winner / first-ranked) | " if rescoring else "") + "auto test | sklearn test |")
        w("|---|---|---|---|---|---|---|---|---|---|" + ("---|" if rescoring else ""))
        for s, skp in auto_rows:
            au = {(r["fold"], r["seed"]): r for r in results if r["set"] == s and r["peer"] == "auto"}
            sk = {(r["fold"], r["seed"]): r for r in results if r["set"] == s and r["peer"] == skp}
            for k in sorted(set(au) & set(sk)):
                f = (au[k].get("refit") or {})
                refit = f"{f.get('rule')} {f.get('holdoutRows')} rows, {f.get('epochs')} ep, kept {f.get('bestEpoch')}" if f else "–"
                if f and f.get("monitor"):
                    refit += f" on {f['monitor']}" + (f" (ties: {f['tiesBrokenBy']})" if f.get("tiesBrokenBy") else "")
                if f and f.get("ensemble"):
                    e = f["ensemble"]
                    configs = "" if not e.get("trials") else f" of trials {'/'.join(str(t) for t in e['trials'])}"
                    refit = (f"{f.get('rule')} on every row, {e['members']} seeds merged{configs}, ep "
                             + "/".join(str(x) for x in e["epochs"]) + f" on {f.get('monitor')}")
                chosen = (f"{au[k].get('chosenBy')} ({au[k].get('rescored')}; trial {au[k].get('bestTrialIndex')} / "
                          f"{au[k].get('firstRankingIndex')}) | ") if rescoring else ""
                w(f"| {s} | {k[0]} (seed {k[1]}) | {au[k]['runtime']} | {au[k]['clientSeconds']:.1f} | {sk[k]['clientSeconds']:.1f} | "
                  f"{au[k]['trials']} | {au[k].get('stopReason') or '–'} | {refit} | {chosen}{au[k]['test']:.4f} | {sk[k]['test']:.4f} |")
    bad = [(r["set"], r["fold"], r["seed"], r["peer"], r["problems"]) for r in results if r.get("problems")]
    w("")
    w(f"Consistency checks on {sum(1 for r in results if 'problems' in r)} Backprop searches (trial count = budget, "
      f"bestScore = best trial score, fold scores average to the score, grid points distinct): "
      + ("all passed" if not bad else f"{len(bad)} failed: {bad}"))
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:18473")
    parser.add_argument("--sets", default="wine,breast_cancer")
    parser.add_argument("--folds", default="0,1,2,3,4", help="outer test folds")
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--parallelism", type=int, default=0, help="search.parallelism (0: the service's default, every worker)")
    parser.add_argument("--sklearn-jobs", default="1",
                        help="comma-separated RandomizedSearchCV n_jobs values, each run as its own peer (1 = n_jobs=None, "
                             "the default: one core; 2 = both cores, as Backprop's workers)")
    parser.add_argument("--no-sklearn", action="store_true")
    parser.add_argument("--warmup", type=int, default=2, help="untimed random searches on iris first (JIT warm-up)")
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--json", help="append every search's result to this JSON-lines file")
    parser.add_argument("--full-training-check", action="store_true",
                        help="with --from-json: retrain each seed-1 random search's best parameters as a plain job")
    parser.add_argument("--from-json", help="only print the tables of an earlier run's JSON-lines file")
    parser.add_argument("--auto-share", type=float, default=0.45,
                        help="strategy auto: maxRuntimeSeconds = this share of scikit-learn's wall time on the same fold "
                             "(the auto search runs right after it; the target is at most 0.5x)")
    parser.add_argument("--whole-seconds", action="store_true",
                        help="strategy auto: the budget in whole seconds, at least 1 (the rule before fractional budgets, "
                             "for builds that take only whole seconds)")
    parser.add_argument("--paired-base",
                        help="strategy auto: a second service (another build) run on every fold with the same budget, "
                             "A and B alternating which goes first per fold; its results are peer auto_b")
    args = parser.parse_args()
    checkpoints = sorted({c for c in (1, 5, 10, 15, args.trials) if c <= args.trials})
    if args.from_json and args.full_training_check:
        full_training_check(Http(args.base, timeout=300, retries=30), [json.loads(l) for l in open(args.from_json) if l.strip()],
                            args.sets.split(","), [int(f) for f in args.folds.split(",")])
        return
    if args.from_json:
        print(report([json.loads(l) for l in open(args.from_json) if l.strip()], args.trials, checkpoints))
        return
    sk_jobs = [None if j == "1" else int(j) for j in args.sklearn_jobs.split(",")]
    http = Http(args.base, timeout=300, retries=30)
    http_b = Http(args.paired_base, timeout=300, retries=30) if args.paired_base else None
    splits_b = {}
    out = open(args.json, "a") if args.json else None
    results = []
    if args.warmup:
        header, rows, folds = load(DATA, "iris")
        split = Split(http, "iris", header, rows, folds, 0)
        for i in range(args.warmup):
            r = backprop_search(http, split, "random_search", args.trials, 1000 + i, args.parallelism, args.max_wait)
            print(f"# warm-up search {i + 1}: {r['clientSeconds']:.2f}s", flush=True)
            if http_b:
                split_b = Split(http_b, "iris", header, rows, folds, 0)
                r = backprop_search(http_b, split_b, "random_search", args.trials, 1000 + i, args.parallelism, args.max_wait)
                print(f"# warm-up search {i + 1} (paired base): {r['clientSeconds']:.2f}s", flush=True)
        if not args.no_sklearn:
            for j in sk_jobs:
                sklearn_search(split, 2, 1, j)
    t_start = time.monotonic()
    # Seed-major order: every data set and outer fold gets seed 1 (with the scikit-learn reference) before
    # any gets seed 2, so a run cut short still holds whole seeds.
    splits = {}
    for seed in (int(s) for s in args.seeds.split(",")):
        for name in args.sets.split(","):
            for k in (int(f) for f in args.folds.split(",")):
                if (name, k) not in splits:
                    splits[(name, k)] = Split(http, name, *load(DATA, name), k)
                split = splits[(name, k)]
                sk_seconds = None
                for strategy in args.strategies.split(","):
                    if strategy == "auto":
                        if sk_seconds is None:
                            r = sklearn_search(split, args.trials, seed, sk_jobs[0])
                            r.update(set=name, fold=k, seed=seed, peer="sklearn_random" if sk_jobs[0] is None
                                     else f"sklearn_random_jobs{sk_jobs[0]}")
                            sk_seconds = r["clientSeconds"]
                            keep(results, out, r, f"  {name} outer {k} seed {seed} {r['peer']:15s} cv {r['bestScore']:.4f} "
                                 f"test {r['test']:.4f} {r['clientSeconds']:6.2f}s")
                    # a fractional budget (the service takes 0.1 s and more, to the millisecond here)
                    runtime = (max(1, int(args.auto_share * sk_seconds)) if args.whole_seconds
                               else max(0.1, round(args.auto_share * sk_seconds, 3))) if strategy == "auto" else None
                    sides = [(http, split, strategy)]
                    if strategy == "auto" and http_b:
                        if (name, k) not in splits_b:
                            splits_b[(name, k)] = Split(http_b, name, *load(DATA, name), k)
                        # paired: the same budget on both builds, each going first on every other fold
                        sides.append((http_b, splits_b[(name, k)], "auto_b"))
                        if len(splits_b) % 2 == 0:
                            sides.reverse()
                    for side_http, side_split, peer in sides:
                        try:
                            r = backprop_search(side_http, side_split, strategy, args.trials, seed, args.parallelism,
                                                args.max_wait, runtime)
                        except RuntimeError as e:
                            print(f"  {name} outer {k} seed {seed} {peer}: ERROR {e}", flush=True)
                            continue
                        r.update(set=name, fold=k, seed=seed, peer=peer)
                        keep(results, out, r, f"  {name} outer {k} seed {seed} {peer:15s} cv {r['bestScore']:.4f} test {r['test']:.4f} "
                             f"{r['clientSeconds']:6.2f}s (job {r['jobSeconds']:.2f}s, trial fits {r['trialFitSeconds']:.2f}s) "
                             f"best {r['bestParams']}{' PROBLEMS ' + str(r['problems']) if r['problems'] else ''}")
                    if strategy == "random_search" and seed == 1 and not args.no_sklearn:
                        for j in sk_jobs:
                            r = sklearn_search(split, args.trials, seed, j)
                            sk_seconds = r["clientSeconds"] if j == sk_jobs[0] else sk_seconds
                            peer = "sklearn_random" if j is None else f"sklearn_random_jobs{j}"
                            r.update(set=name, fold=k, seed=seed, peer=peer)
                            keep(results, out, r, f"  {name} outer {k} seed {seed} {peer:15s} cv {r['bestScore']:.4f} "
                                 f"test {r['test']:.4f} {r['clientSeconds']:6.2f}s best {r['bestParams']}")
    print(f"\n# {time.monotonic() - t_start:.0f}s in all\n")
    print(report(results, args.trials, checkpoints))
    if http.server_errors:
        print("\nserver errors (5xx):")
        for e in http.server_errors:
            print("  ", e)
    else:
        print("\nno 5xx answers")


if __name__ == "__main__":
    main()
