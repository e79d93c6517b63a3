package dev.backprop.search;

import dev.backprop.training.Direction;
import dev.backprop.training.EpochRecord;
import java.util.List;
import java.util.Map;

/**
 * A search's trials ranked by the metric, as scikit-learn's {@code cv_results_} and
 * {@code best_params_}: each trial's parameters, mean and standard deviation of the metric, rank,
 * fit time, status and error, then the best parameters, score and per-epoch history.
 *
 * @param bestHistory the best trial's per-epoch history (its first fold's, with cross-validation)
 */
public record SearchResults(String metric, Direction mode, Integer folds, int trialsTotal, List<RankedTrial> trials,
                            Integer bestIndex, Map<String, Object> bestParams, Double bestScore, List<EpochRecord> bestHistory) {

    /**
     * One trial.
     *
     * @param rank           1 for the best; equal scores are ranked by validation loss, then parameter count;
     *                       failed trials come last
     * @param validationLoss the validation loss at the best epoch, mean over folds
     * @param bestEpoch      the epoch whose weights scored, mean over folds
     * @param parameterCount trainable weights and biases
     */
    public record RankedTrial(int index, int rank, Map<String, Object> params, String status, Double score, Double scoreStd,
                              List<Double> foldScores, long fitMillis, String error, long seed, Double validationLoss,
                              Integer bestEpoch, Long parameterCount) {
    }
}
