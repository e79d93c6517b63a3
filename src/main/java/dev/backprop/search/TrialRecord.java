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
 */
public record TrialRecord(int index, Map<String, Object> params, String status, Double score, Double scoreStd,
                          List<Double> foldScores, long fitMillis, String error, long seed, List<EpochRecord> history,
                          Double validationLoss, Long parameterCount, Integer bestEpoch) {

    /** What decides this trial's rank. */
    public TrialRanking.Standing standing() {
        return new TrialRanking.Standing(score, validationLoss, parameterCount);
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
