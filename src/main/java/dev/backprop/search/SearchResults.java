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
 * @param chosenBy    an auto search's: {@code rescored_mean} when its best trials were scored again on a second split
 *                    of the rows and the best mean over both splits' folds won, {@code first_ranking} when the budget
 *                    left no room for that and the first split's ranking chose, {@code rescored_one_standard_error}
 *                    when the best mean's standard error held a more regularised re-scored trial, which was kept
 *                    ({@link Rescore#oneStandardError}; then the best trial is not the first-ranked); absent for other
 *                    searches
 */
public record SearchResults(String metric, Direction mode, Integer folds, int trialsTotal, List<RankedTrial> trials,
                            Integer bestIndex, Map<String, Object> bestParams, Double bestScore, List<EpochRecord> bestHistory,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String chosenBy) {

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
     * @param rescored       true for an auto search's trial scored again on a second split: its {@code foldScores} are
     *                       both splits' (the first split's first), its {@code score} their mean, and it ranks before the
     *                       trials scored once; absent otherwise
     * @param firstScore     a re-scored trial's mean over the first split's folds alone (what the first ranking saw)
     */
    public record RankedTrial(int index, int rank, Map<String, Object> params, String status, Double score, Double scoreStd,
                              List<Double> foldScores, long fitMillis, String error, long seed, Double validationLoss,
                              Integer bestEpoch, Long parameterCount, Integer epochs,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String worker,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Boolean rescored,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Double firstScore) {
    }
}
