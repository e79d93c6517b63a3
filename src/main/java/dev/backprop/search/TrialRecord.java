package dev.backprop.search;

import dev.backprop.training.EpochRecord;
import java.util.List;
import java.util.Map;

/**
 * One finished trial of a search.
 *
 * @param index      the trial's position in the search, from 0
 * @param params     the searched parameters of this trial
 * @param status     SUCCEEDED or FAILED
 * @param score      the ranking metric (mean across folds), or null when it failed
 * @param scoreStd   the standard deviation across folds (0 for holdout), or null
 * @param foldScores each fold's score, or null for holdout validation
 * @param fitMillis  wall time of the trial
 * @param error      why it failed, or null
 * @param seed       the trial's seed, derived from the search seed and the index
 * @param history    the per-epoch history of its (first fold's) run, when read with it
 * @param validationLoss the validation loss at the best epoch, mean over folds: breaks ties of score
 * @param parameterCount trainable weights and biases: breaks ties of score and validation loss (fewer wins)
 * @param bestEpoch      the epoch whose weights scored (early stopping's choice), mean over folds, rounded
 * @param rung           the successive-halving rung this record is of (0 without halving)
 * @param epochs         epochs its (first fold's) run trained, or null (failed, or stored before they were counted)
 * @param stopReason     why it trained less than its budget: {@link #MEDIAN_STOPPING} or {@link #HALVING}; null when
 *                       it trained its full budget (or early stopping ended it)
 */
public record TrialRecord(int index, Map<String, Object> params, String status, Double score, Double scoreStd,
                          List<Double> foldScores, long fitMillis, String error, long seed, List<EpochRecord> history,
                          Double validationLoss, Long parameterCount, Integer bestEpoch, int rung, Integer epochs,
                          String stopReason) {

    /** Stopped by the median stopping rule; its score is what it reached. */
    public static final String MEDIAN_STOPPING = "median_stopping";
    /** Trained a rung of successive halving below the last and was not (or not yet) promoted. */
    public static final String HALVING = "halving";

    /** A trial of a search without halving or median stopping. */
    public TrialRecord(int index, Map<String, Object> params, String status, Double score, Double scoreStd,
                       List<Double> foldScores, long fitMillis, String error, long seed, List<EpochRecord> history,
                       Double validationLoss, Long parameterCount, Integer bestEpoch) {
        this(index, params, status, score, scoreStd, foldScores, fitMillis, error, seed, history, validationLoss, parameterCount,
                bestEpoch, 0, null, null);
    }

    /**
     * What decides this trial's rank. Its stage says how far it trained: a trial stopped early ranks after
     * every trial that went further, whatever its score, because a score after fewer epochs does not compare
     * with one after all of them (and halving's rung 0 is not a contest with the last rung).
     */
    public TrialRanking.Standing standing() {
        return new TrialRanking.Standing(score, validationLoss, parameterCount, 2 * rung + (stopReason == null ? 1 : 0));
    }

    /** Whether it trained less than its budget (median stopping, or a rung of halving before the last). */
    public boolean stoppedEarly() {
        return stopReason != null;
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
