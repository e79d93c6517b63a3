package dev.backprop.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How an auto search spends the budget its refit leaves: the {@link #CANDIDATES} best trials of the first ranking are
 * scored again on a second, differently seeded k-fold split of the rows, then on a third and more while the budget
 * allows, up to {@link #MAX_SPLITS} splits in all (repeated cross-validation), and the winner is the best mean over all
 * of their folds.
 *
 * <p>Why. A search ranks hundreds of trials on one split of a small data set, so the first-ranked trial is, in part,
 * the one whose folds happened to suit it: the winner's curse of model selection (Cawley &amp; Talbot, "On Over-fitting
 * in Model Selection and Subsequent Selection Bias in Performance Evaluation", JMLR 11, 2010). Its score is biased
 * upwards by the noise of the split it was chosen on; a fresh split is noise independent of that choice, so the mean
 * of both splits ranks the top few by less noise than the first alone (the variance of a k-fold estimate falls with
 * repeats: Kohavi 1995, Bouckaert &amp; Frank 2004). The few rather than all: the curse is among the trials near the top,
 * and each re-score costs a trial's time. This is successive halving with folds as the resource (Jamieson &amp;
 * Talwalkar 2016): the best fraction gets more measurement; so the re-scored trials are stored as rung 1 and rank
 * before the others (a score on twice the folds does not compare with one on the first fold set alone).
 *
 * <p>Repeats. The budget, not the data set's name, decides how many: a repeat costs the candidates' own measured
 * time, so a small data set, whose folds are few rows and whose scores move in steps of a row, gets many repeats in the
 * same share of its budget, and a large one, whose single split is already a low-variance estimate, gets one or none.
 * That is the advice for small samples: repeated k-fold rather than one split (Kohavi 1995; Bouckaert &amp; Frank 2004,
 * who recommend 10 repeats of 10 folds; Krstajic et al., "Cross-validation pitfalls when selecting and assessing
 * regression and classification models", J. Cheminformatics 6, 2014, who repeat cross-validation for selection for this
 * very noise), paid for by an auto search's idle time rather than by fewer trials. A repeat after the second runs only
 * when the whole round, every candidate still in, is expected to end before {@link #SHARE} of the budget (the last
 * round's measured time, one per worker), and counts only if every candidate finished it, so that every re-scored trial
 * is measured on the same splits and their means compare.
 *
 * <p>Budget. Re-scores start in rank order while one of the trial's own measured time still ends before
 * {@link #SHARE} of the budget, and are cut there (a run the load slowed past its estimate counts as not whole), which
 * leaves the refit the rest. The winner is chosen by the re-scored means only when
 * the first-ranked trial and at least one other were re-scored; otherwise nothing is stored and the first ranking stands
 * (a lower trial re-scored alone would win on a different footing).
 */
final class Rescore {

    /** Trials re-scored: the top five, as the deep ensemble's five members; each costs about one trial. */
    static final int CANDIDATES = 5;
    /**
     * The share of the budget by which re-scores must end (the trials end by {@link AutoSearch#TRIALS_SHARE}): the last
     * quarter is the refit's, which took 0.1–3 s against budgets of 4–159 s in the benchmark (bench/NOTES.md).
     */
    static final double SHARE = 0.75;
    /**
     * The most splits a re-scored trial is measured on, the first included: Bouckaert &amp; Frank's (2004) 10 repeats,
     * past which the estimate's variance falls little (the rest is the split's independent noise averaged out) and the
     * refit's share is worth more.
     */
    static final int MAX_SPLITS = 10;
    /** What the search's results say chose the winner. */
    static final String BY_RESCORED_MEAN = "rescored_mean";
    static final String BY_FIRST_RANKING = "first_ranking";
    static final String BY_ONE_STANDARD_ERROR = "rescored_one_standard_error";

    private Rescore() {
    }

    /**
     * The seed of re-score split {@code repeat} (1 for the second split, 2 for the third, …): the {@code repeat}-th stream
     * split from the search seed's, so every split differs from the first and from the others, and each is reproducible.
     */
    static SplittableRandom splitRandom(long searchSeed, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, was " + repeat);
        }
        SplittableRandom seeds = new SplittableRandom(searchSeed);
        SplittableRandom split = seeds.split();
        for (int r = 1; r < repeat; r++) {
            split = seeds.split();
        }
        return split;
    }

    /** The first ranking's best trials that trained every fold in full, best first: those re-scored. */
    static List<TrialRecord> candidates(List<TrialRecord> finished, int[] ranks) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            TrialRecord t = finished.get(i);
            if (t.succeeded() && !t.stoppedEarly() && t.rung() == 0 && t.foldScores() != null) {
                order.add(i);
            }
        }
        order.sort((a, b) -> ranks[a] != ranks[b] ? Integer.compare(ranks[a], ranks[b]) : Integer.compare(a, b));
        return order.stream().limit(CANDIDATES).map(finished::get).toList();
    }

    /**
     * The trial measured on every split: {@code first}'s fold scores then each of {@code again}'s in order, their mean
     * and population standard deviation, the mean validation loss and best epoch of all splits, the time of all, as
     * rung 1.
     */
    static TrialRecord combined(TrialRecord first, List<TrialRecord> again) {
        List<TrialRecord> splits = new ArrayList<>();
        splits.add(first);
        splits.addAll(again);
        List<Double> folds = new ArrayList<>();
        splits.forEach(split -> folds.addAll(split.foldScores()));
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double std = Math.sqrt(folds.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / folds.size());
        boolean losses = splits.stream().allMatch(split -> split.validationLoss() != null);
        Double loss = losses ? splits.stream().mapToDouble(TrialRecord::validationLoss).average().orElseThrow() : null;
        boolean bestEpochs = splits.stream().allMatch(split -> split.bestEpoch() != null);
        Integer bestEpoch = bestEpochs ? (int) Math.round(splits.stream().mapToInt(TrialRecord::bestEpoch).average().orElseThrow())
                : first.bestEpoch();
        long fitMillis = splits.stream().mapToLong(TrialRecord::fitMillis).sum();
        return new TrialRecord(first.index(), first.params(), first.status(), mean, std, folds, fitMillis,
                null, first.seed(), null, loss, first.parameterCount(), bestEpoch, 1, first.epochs(), null);
    }

    /**
     * The trial an auto search keeps, by the one-standard-error rule among its re-scored trials: of those whose mean is
     * within one standard error of the best mean (the best's population standard deviation over its fold scores, every
     * split's, divided by the root of their count), the one of the largest L2, the strongest regularisation; ties go to
     * the better rank. The index of the first-ranked trial when it was not re-scored.
     *
     * <p>Why (Breiman, Friedman, Olshen &amp; Stone, "Classification and Regression Trees", 1984; Hastie, Tibshirani &amp;
     * Friedman, "The Elements of Statistical Learning", 2009, §7.10): trials whose means differ by less than the
     * estimate's own noise are not told apart by it, and picking the top one among them is where the winner's curse
     * lives; the most regularised of them is the least likely to have fitted the folds' noise, as glmnet's
     * {@code lambda.1se}. It scales itself: on a small data set, whose folds move in steps of a row, the standard error
     * spans several trials; on a large one it shrinks towards the best trial alone. The count of fold scores over every
     * split treats the repeats as independent, which they are not quite (the same rows): so the band is narrower than
     * a k-fold one, and it narrows as the repeats add up, the conservative side.
     *
     * @param ranks each trial's rank ({@link TrialRanking#rankStandings}), 1 the best
     */
    static int oneStandardError(List<TrialRecord> trials, int[] ranks, boolean higherIsBetter) {
        int first = -1;
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] == 1) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            throw new IllegalStateException("no trial ranked first");
        }
        TrialRecord best = trials.get(first);
        if (best.rung() < 1 || best.foldScores() == null || best.foldScores().size() < 2 || best.score() == null) {
            return first;
        }
        double mean = best.score();
        double std = Math.sqrt(best.foldScores().stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / best.foldScores().size());
        double band = std / Math.sqrt(best.foldScores().size());
        int chosen = first;
        for (int i = 0; i < trials.size(); i++) {
            TrialRecord t = trials.get(i);
            if (t.rung() < 1 || !t.succeeded() || t.score() == null
                    || (higherIsBetter ? t.score() < mean - band : t.score() > mean + band)) {
                continue;
            }
            double l2 = l2(t);
            double chosenL2 = l2(trials.get(chosen));
            if (l2 > chosenL2 || l2 == chosenL2 && ranks[i] < ranks[chosen]) {
                chosen = i;
            }
        }
        return chosen;
    }

    private static double l2(TrialRecord trial) {
        return trial.params() != null && trial.params().get("l2") instanceof Number l2 ? l2.doubleValue() : 0;
    }

    /** Whether {@code again} is a whole re-score: every fold of the second split, trained in full. */
    static boolean whole(TrialRecord again, int folds) {
        return again != null && again.succeeded() && !again.stoppedEarly() && again.foldScores() != null
                && again.foldScores().size() == folds;
    }
}
