#!/usr/bin/python3
"""Issue 13: grid, random, Bayesian and halving searches at equal budgets through the real service, over many
seeds: best CV score against trials and against seconds, and a paired test of Bayesian against random search.

For each seed s (1..10 by default) and each data set, the outer test fold (s - 1) mod 5 of
/work/shared/data/<set>_folds.csv is held out and the other four folds are uploaded once (POST /datasets). The
four searches of a seed run on the same rows, one after the other, in an order rotated by the seed (so that a
change of the machine's load over the run does not always fall on the same strategy), each with search.folds 3
(its score is the mean accuracy of 3-fold CV inside the training folds), refit, and the same seed:
  grid_search      the 20-point grid of search_compare.py (learningRate x units {32, 128} x {relu, tanh}, l2 1e-4)
  random_search    20 trials over search_compare.RANDOM_SPACE
  bayesian_search  20 trials over the same space (TreeParzenEstimator)
  halving          random_search over the same space with strategy halving, eta 3 and --halving-trials trials
Equal budgets: grid, random and Bayesian have 20 trials of at most 200 epochs (the service's default), a nominal
4,000 epochs per CV fold. Halving's 324 trials at eta 3 run rungs of 2, 7, 22, 67 and 200 epochs (200 / 3^k,
rounded as the service rounds) for 324, 108, 36, 12 and 4 trials: 3,800 nominal epochs, 95% of the others'.
(Early stopping ends most full trials before 200 epochs, and rung trials hardly ever, so the epochs actually
trained differ more; the table prints them and the seconds view is the fair one for time.)

Each search is followed over GET /jobs/{id}/events (Server-Sent Events): the client stamps every stored trial
when its event arrives, measured from the submit. "Best after i trials" is the best CV score among trials
0..i-1 in index order (a Bayesian search's index is its proposal order); for halving, i counts nominal epochs in
units of one full trial (200 epochs x its folds) in the order its trial runs were stored, and only trials that
trained the full 200 epochs count, as the service ranks them (a rung trial's score after 2 epochs does not
compare): its column is empty until its last rung. "Best by t seconds" is the best such score among the trials
stored t seconds after the submit.

Python 3 standard library only. Example (the service already running on 127.0.0.1:18797; check with `ss -ltnp` that the
listener is the service you started: one that finds its port taken exits, and the script then measures another):

    /usr/bin/python3 bench/search_strategies.py --base http://127.0.0.1:18797 --sets iris,wine,breast_cancer \
        --seeds 1,2,3,4,5,6,7,8,9,10 --json /tmp/bench-strategies/results.jsonl
    /usr/bin/python3 bench/search_strategies.py --from-json bench/search_strategies_results.jsonl
"""
import argparse
import json
import math
import os
import statistics
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backprop_client import Http, load  # noqa: E402
from search_compare import DATA, RANDOM_SPACE, Split, grid_space, iso, keep, mean  # noqa: E402

STRATEGIES = ("grid_search", "random_search", "bayesian_search", "halving")
EPOCHS = 200  # the service's default epochs of a trial, which every search here keeps
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED", "EARLY_STOPPED")


def halving_rungs(trials, eta, epochs=EPOCHS):
    """(trials, epochs) of each rung, as search.SuccessiveHalving and TrialRunner compute them."""
    last, power = 0, eta
    while power <= trials and power <= epochs:
        last, power = last + 1, power * eta
    return [(max(1, int(trials / eta ** r)), max(1, round(epochs * eta ** (r - last)))) for r in range(last + 1)]


class Follower(threading.Thread):
    """Reads a job's event stream until its terminal status, stamping each event with seconds since t0."""

    def __init__(self, base, job_id, t0, timeout):
        super().__init__(daemon=True)
        self.url, self.t0, self.timeout = f"{base}/jobs/{job_id}/events", t0, timeout
        self.events, self.error = [], None

    def run(self):
        try:
            request = urllib.request.Request(self.url, headers={"Accept": "text/event-stream"})
            with urllib.request.urlopen(request, timeout=self.timeout) as stream:
                kind, data = None, []
                for raw in stream:
                    line = raw.decode().rstrip("\r\n")
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif not line and data:
                        body = json.loads("\n".join(data))
                        self.events.append((time.monotonic() - self.t0, kind, body))
                        kind, data = None, []
                        if self.events[-1][1] == "status" and body.get("status") in TERMINAL:
                            return
        except Exception as e:  # noqa: BLE001 - reported with the search, which the caller then polls
            self.error = repr(e)


def run_search(http, split, strategy, budget, seed, halving_trials, eta, max_wait):
    search = {"space": grid_space(budget) if strategy == "grid_search" else RANDOM_SPACE,
              "folds": 3, "seed": seed, "refit": True, "metric": split.metric}
    if strategy != "grid_search":
        search["maxTrials"] = halving_trials if strategy == "halving" else budget
    if strategy == "halving":
        search.update(strategy="halving", halvingEta=eta)
    request = {"name": f"{split.name}-{strategy}-outer{split.k}-seed{seed}",
               "data": {"datasetId": split.dataset_id, "targetColumn": split.target},
               "network": {"hiddenLayers": [{"units": 32, "activation": "relu"}]},
               "training": {"seed": seed},
               "type": "random_search" if strategy == "halving" else strategy, "search": search}
    load_avg = os.getloadavg()[0]
    t0 = time.monotonic()
    job = http.json("POST", "/jobs", request)
    follower = Follower(http.base, job["id"], t0, max_wait)
    follower.start()
    follower.join(max_wait)
    # the stream may end early (an error): the job's own status decides, polled within the same bound
    while job["status"] not in TERMINAL and time.monotonic() - t0 < max_wait:
        job = http.json("GET", f"/jobs/{job['id']}")
        if job["status"] not in TERMINAL:
            time.sleep(0.25)
    client = time.monotonic() - t0
    if job["status"] != "SUCCEEDED":
        http.json("POST", f"/jobs/{job['id']}/cancel") if job["status"] not in TERMINAL else None
        raise RuntimeError(f"job {job['id']} {job['status']} after {client:.0f}s: {json.dumps(job.get('error'))}")
    metrics = http.json("GET", f"/jobs/{job['id']}/metrics")
    s = metrics["search"]
    trials = sorted(s["trials"], key=lambda t: t["index"])
    full = {t["index"] for t in trials if t["status"] == "SUCCEEDED" and not t.get("stopReason")}
    # stored trial runs in the order they arrived: (seconds, index, score, nominal epochs, trained in full)
    runs, seen = [], {}
    rungs = halving_rungs(halving_trials, eta) if strategy == "halving" else None
    for t, kind, body in follower.events:
        if kind != "trial" or body.get("status") == "STARTED":
            continue
        rung = seen.get(body["index"], 0)
        seen[body["index"]] = rung + 1
        epochs = rungs[rung][1] if rungs else EPOCHS
        last = rungs is None or rung == len(rungs) - 1
        ok = body.get("status") == "SUCCEEDED" and body.get("score") is not None
        runs.append((t, body["index"], body.get("score") if ok else None, epochs, ok and last and body["index"] in full))
    if rungs is None:
        curve, best = [], -math.inf
        for t in trials:
            if t.get("score") is not None and t["index"] in full:
                best = max(best, t["score"])
            curve.append(best if best > -math.inf else None)
    else:
        # best after each full-trial equivalent of nominal epochs, in stored order
        curve, best, spent, i = [], -math.inf, 0, 0
        for c in range(1, budget + 1):
            while i < len(runs) and spent + runs[i][3] <= c * EPOCHS + 1e-9:
                spent += runs[i][3]
                if runs[i][4]:
                    best = max(best, runs[i][2])
                i += 1
            curve.append(best if best > -math.inf else None)
    evaluated = http.json("POST", f"/models/{job['modelId']}/evaluate", {"records": split.records()})
    problems = []
    expected = sum(n for n, _ in rungs) if rungs else budget
    if len(runs) != expected:
        problems.append(f"{len(runs)} trial events, expected {expected}")
    if follower.error:
        problems.append(f"event stream: {follower.error}")
    scored = [t["score"] for t in trials if t["index"] in full and t.get("score") is not None]
    if scored and s.get("bestScore") != max(scored):
        problems.append(f"bestScore {s.get('bestScore')} != best full trial {max(scored)}")
    return {"curve": curve, "timeline": [[round(t, 3), score] for t, _, score, _, f in runs if f],
            "bestScore": s.get("bestScore"), "bestParams": s.get("bestParams"), "test": evaluated.get(split.metric),
            "clientSeconds": client, "jobSeconds": iso(job["finishedAt"]) - iso(job["startedAt"]),
            "trialRuns": len(runs), "nominalEpochs": sum(r[3] for r in runs),
            "trainedEpochs": sum(t.get("epochs") or 0 for t in trials) if rungs is None else None,
            "trialFitSeconds": sum(t["fitMillis"] for t in trials) / 1000, "load": load_avg,
            "jobId": job["id"], "problems": problems}


# ---------------------------------------------------------------- report

def se(xs):
    return statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")


def sign_test(wins, losses):
    """Two-sided exact sign test (ties dropped): the chance of a split at least this uneven under a fair coin."""
    n, k = wins + losses, min(wins, losses)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n) if n else 1.0


def best_by(run, t):
    scores = [score for at, score in run["timeline"] if at <= t]
    return max(scores) if scores else None


def paired(results, budget, mine, theirs, baseline=None):
    """Per set and pooled: best after budget of peer mine minus peer theirs (of baseline's results when given), by set and seed."""
    others = results if baseline is None else baseline
    rows = []
    for s in list(dict.fromkeys(r["set"] for r in results)) + ["all"]:
        pairs = []
        for r in results:
            if r["peer"] != mine or (s != "all" and r["set"] != s):
                continue
            o = next((x for x in others if x["peer"] == theirs and x["set"] == r["set"] and x["seed"] == r["seed"]), None)
            if o and r["curve"][budget - 1] is not None and o["curve"][budget - 1] is not None:
                pairs.append(r["curve"][budget - 1] - o["curve"][budget - 1])
        if not pairs:
            continue
        wins, ties = sum(d > 1e-12 for d in pairs), sum(abs(d) <= 1e-12 for d in pairs)
        losses = len(pairs) - wins - ties
        m = statistics.fmean(pairs)
        rows.append(f"| {s} | {len(pairs)} | {m:+.4f} ± {se(pairs):.4f} | {wins} / {ties} / {losses} | "
                    f"{sign_test(wins, losses):.3f} | {'yes' if m > 0 else 'no'} |")
    return rows


def report(results, budget, baseline=None):
    out = []
    w = out.append
    sets = list(dict.fromkeys(r["set"] for r in results))
    peers = [p for p in STRATEGIES if any(r["peer"] == p for r in results)]
    checkpoints = sorted({c for c in (1, 5, 10, 15, budget) if c <= budget})
    w("Best CV accuracy so far (mean of 3 inner folds), mean ± standard error over seeds (halving: after that many "
      "full trials' worth of nominal epochs, counting only trials trained in full); test-fold accuracy of the refit "
      "model; wall time per search (client: submit to SUCCEEDED); epochs per CV fold.\n")
    w("| set | search | seeds | " + " | ".join(f"best after {c}" for c in checkpoints) +
      " | test acc (mean) | wall s (median) | trial runs | nominal epochs | trained epochs |")
    w("|---|---|---|" + "---|" * len(checkpoints) + "---|---|---|---|---|")
    for s in sets:
        for p in peers:
            rs = [r for r in results if r["set"] == s and r["peer"] == p]
            if not rs:
                continue
            cells = []
            for c in checkpoints:
                xs = [r["curve"][c - 1] for r in rs if len(r["curve"]) >= c and r["curve"][c - 1] is not None]
                cells.append(f"{statistics.fmean(xs):.4f} ± {se(xs):.4f}" + (f" ({len(xs)})" if len(xs) < len(rs) else "")
                             if xs else "–")
            trained = [r["trainedEpochs"] for r in rs if r.get("trainedEpochs") is not None]
            w(f"| {s} | {p} | {len(rs)} | " + " | ".join(cells) + f" | {mean(r['test'] for r in rs):.4f} | "
              f"{statistics.median(r['clientSeconds'] for r in rs):.1f} | {mean(r['trialRuns'] for r in rs):.0f} | "
              f"{mean(r['nominalEpochs'] for r in rs):.0f} | {f'{statistics.fmean(trained):.0f}' if trained else '–'} |")
    w("")
    w("Best CV accuracy by elapsed seconds: T is the slowest strategy's median wall time on the set; each cell is the "
      "mean ± standard error over seeds of the best score among trials stored by that time (in brackets: seeds with a "
      "finished full trial by then, when not all).\n")
    shares = (0.25, 0.5, 0.75, 1.0)
    w("| set | T s | search | " + " | ".join(f"at {int(100 * f)}% T" for f in shares) + " |")
    w("|---|---|---|" + "---|" * len(shares))
    for s in sets:
        medians = {p: statistics.median(r["clientSeconds"] for r in results if r["set"] == s and r["peer"] == p)
                   for p in peers if any(r["set"] == s and r["peer"] == p for r in results)}
        T = max(medians.values())
        for p in medians:
            rs = [r for r in results if r["set"] == s and r["peer"] == p]
            cells = []
            for f in shares:
                xs = [b for b in (best_by(r, f * T) for r in rs) if b is not None]
                cells.append(f"{statistics.fmean(xs):.4f} ± {se(xs):.4f}" + (f" ({len(xs)}/{len(rs)})" if len(xs) < len(rs) else "")
                             if xs else f"– (0/{len(rs)})")
            w(f"| {s} | {T:.1f} | {p} | " + " | ".join(cells) + " |")
    w("")
    w(f"Bayesian against random search after {budget} trials, paired by set and seed (same rows, same seed): "
      "difference of best CV accuracy, Bayesian − random.\n")
    w("| set | pairs | mean difference ± SE | Bayesian better / tied / worse | sign test p (two-sided) | Bayesian > random on average |")
    w("|---|---|---|---|---|---|")
    out.extend(paired(results, budget, "bayesian_search", "random_search"))
    if baseline:
        w("")
        w(f"Bayesian search of this run against the Bayesian search of --baseline after {budget} trials, paired by set "
          "and seed: difference of best CV accuracy, this run − baseline.\n")
        w("| set | pairs | mean difference ± SE | this run better / tied / worse | sign test p (two-sided) | better on average |")
        w("|---|---|---|---|---|---|")
        out.extend(paired(results, budget, "bayesian_search", "bayesian_search", baseline))
    loads = [r["load"] for r in results if r.get("load") is not None]
    bad = [(r["set"], r["seed"], r["peer"], r["problems"]) for r in results if r.get("problems")]
    w("")
    if loads:
        w(f"Load average (1 min) at the searches' submits: {min(loads):.1f}–{max(loads):.1f}, median {statistics.median(loads):.1f}.")
    w(f"Checks on {len(results)} searches (one stored-trial event per trial run, bestScore = best full trial): "
      + ("all passed." if not bad else f"{len(bad)} failed: {bad}"))
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:18797")
    parser.add_argument("--sets", default="iris,wine,breast_cancer")
    parser.add_argument("--seeds", default="1,2,3,4,5,6,7,8,9,10")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--halving-trials", type=int, default=324)
    parser.add_argument("--halving-eta", type=int, default=3)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--json", help="append every search's result to this JSON-lines file")
    parser.add_argument("--from-json", help="only print the tables of an earlier run's JSON-lines file")
    parser.add_argument("--baseline", help="with --from-json: another run's JSON-lines file whose Bayesian searches "
                        "the Bayesian searches are compared with, paired by set and seed")
    args = parser.parse_args()
    if args.from_json:
        baseline = [json.loads(l) for l in open(args.baseline) if l.strip()] if args.baseline else None
        print(report([json.loads(l) for l in open(args.from_json) if l.strip()], args.trials, baseline))
        return
    http = Http(args.base, timeout=300, retries=30)
    out = open(args.json, "a") if args.json else None
    results, splits = [], {}
    strategies = args.strategies.split(",")
    t_start = time.monotonic()
    # seed-major, so that a run cut short still holds whole seeds of every set
    for seed in (int(s) for s in args.seeds.split(",")):
        for name in args.sets.split(","):
            k = (seed - 1) % 5
            if (name, k) not in splits:
                splits[(name, k)] = Split(http, name, *load(DATA, name), k)
            split = splits[(name, k)]
            shift = seed % len(strategies)
            for strategy in strategies[shift:] + strategies[:shift]:
                try:
                    r = run_search(http, split, strategy, args.trials, seed, args.halving_trials, args.halving_eta, args.max_wait)
                except RuntimeError as e:
                    print(f"  {name} outer {k} seed {seed} {strategy}: ERROR {e}", flush=True)
                    continue
                r.update(set=name, fold=k, seed=seed, peer=strategy)
                keep(results, out, r, f"  {name} outer {k} seed {seed} {strategy:15s} cv {r['bestScore']:.4f} test {r['test']:.4f} "
                     f"{r['clientSeconds']:6.2f}s runs {r['trialRuns']} load {r['load']:.1f}"
                     f"{' PROBLEMS ' + str(r['problems']) if r['problems'] else ''}")
    print(f"\n# {time.monotonic() - t_start:.0f}s in all\n")
    print(report(results, args.trials))
    print("\nserver errors (5xx): " + (str(http.server_errors) if http.server_errors else "none"))


if __name__ == "__main__":
    main()
