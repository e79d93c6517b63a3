package dev.backprop.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The points of a Bayesian search, proposed one trial at a time by a {@link TreeParzenEstimator} from the
 * trials finished so far, with the running ones as constant liars. Trial {@code i}'s proposal draws from a
 * stream seeded by the search seed and {@code i}: at parallelism 1 the same seed gives the same trials;
 * with trials in parallel, which trials have finished when a proposal is made depends on timing, so the
 * sequence may differ between runs (the liar keeps parallel proposals apart either way). Failed trials
 * are left out of the model, as Optuna does. Shared by a search's trial threads.
 */
final class BayesianProposals {

    private final TreeParzenEstimator estimator;
    private final long searchSeed;
    private final List<TreeParzenEstimator.Observation> finished = new ArrayList<>();
    private final Map<Integer, Map<String, Object>> running = new HashMap<>();

    BayesianProposals(ParameterSpace space, boolean higherIsBetter, int trials, long searchSeed, List<TrialRecord> stored) {
        this.estimator = new TreeParzenEstimator(space, higherIsBetter, TreeParzenEstimator.startupTrialsFor(trials));
        this.searchSeed = searchSeed;
        stored.forEach(this::finish);
    }

    /** The point trial {@code index} trains, now marked running. */
    synchronized Map<String, Object> propose(int index) {
        SplittableRandom random = new SplittableRandom(TrialRunner.trialSeed(searchSeed, index));
        Map<String, Object> point = estimator.propose(List.copyOf(finished), List.copyOf(running.values()), random);
        running.put(index, point);
        return point;
    }

    /** Trial {@code index} trains {@code point}, chosen by the caller (an auto search's first trial), now marked running. */
    synchronized Map<String, Object> enqueue(int index, Map<String, Object> point) {
        running.put(index, point);
        return point;
    }

    /** Records a finished trial (a failed one only stops being a running point). */
    synchronized void finish(TrialRecord trial) {
        running.remove(trial.index());
        if (trial.succeeded() && trial.score() != null && Double.isFinite(trial.score())) {
            finished.add(new TreeParzenEstimator.Observation(trial.params(), trial.score(), trial.validationLoss()));
        }
    }

    /** Forgets a trial that was interrupted before it finished, so that it is not a liar for the rest. */
    synchronized void abandon(int index) {
        running.remove(index);
    }
}
