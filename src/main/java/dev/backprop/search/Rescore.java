package dev.backprop.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How an auto search spends the budget its refit leaves: the {@link #CANDIDATES} best trials of the first ranking are
 * scored again on a second, differently seeded k-fold split of the rows (repeated cross-validation), and the winner is
 * the best mean over all of their folds.
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
 * <p>Budget. Re-scores start in rank order while one of the trial's own measured time still ends before
 * {@link #SHARE} of the budget, which leaves the refit the rest. The winner is chosen by the re-scored means only when
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
    /** What the search's results say chose the winner. */
    static final String BY_RESCORED_MEAN = "rescored_mean";
    static final String BY_FIRST_RANKING = "first_ranking";

    private Rescore() {
    }

    /** The seed of the second split: a stream split from the search seed's, so the two splits differ and both are reproducible. */
    static SplittableRandom splitRandom(long searchSeed) {
        return new SplittableRandom(searchSeed).split();
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
     * The trial measured on both splits: {@code first}'s fold scores then {@code again}'s, their mean and population
     * standard deviation, the mean validation loss and best epoch of both, the time of both, as rung 1.
     */
    static TrialRecord combined(TrialRecord first, TrialRecord again) {
        List<Double> folds = new ArrayList<>(first.foldScores());
        folds.addAll(again.foldScores());
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double std = Math.sqrt(folds.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / folds.size());
        Double loss = first.validationLoss() == null || again.validationLoss() == null ? null
                : (first.validationLoss() + again.validationLoss()) / 2;
        Integer bestEpoch = first.bestEpoch() == null || again.bestEpoch() == null ? first.bestEpoch()
                : (int) Math.round((first.bestEpoch() + again.bestEpoch()) / 2.0);
        return new TrialRecord(first.index(), first.params(), first.status(), mean, std, folds, first.fitMillis() + again.fitMillis(),
                null, first.seed(), null, loss, first.parameterCount(), bestEpoch, 1, first.epochs(), null);
    }

    /** Whether {@code again} is a whole re-score: every fold of the second split, trained in full. */
    static boolean whole(TrialRecord again, int folds) {
        return again != null && again.succeeded() && !again.stoppedEarly() && again.foldScores() != null
                && again.foldScores().size() == folds;
    }
}
