package dev.backprop.search;

import com.fasterxml.jackson.annotation.JsonInclude;
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
     *                       trials stopped early rank after those that trained further; failed trials come last
     * @param validationLoss the validation loss at the best epoch, mean over folds
     * @param bestEpoch      the epoch whose weights scored, mean over folds
     * @param parameterCount trainable weights and biases
     * @param epochs         epochs its (first fold's) run trained
     * @param stopReason     {@code median_stopping} or {@code halving} for a trial that trained less than its budget
     *                       (it ranks after those that trained further); absent otherwise
     * @param worker         the runner (replica) that ran it, for a grid or random search's trial; absent otherwise
     */
    public record RankedTrial(int index, int rank, Map<String, Object> params, String status, Double score, Double scoreStd,
                              List<Double> foldScores, long fitMillis, String error, long seed, Double validationLoss,
                              Integer bestEpoch, Long parameterCount, Integer epochs,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String worker) {
    }
}
