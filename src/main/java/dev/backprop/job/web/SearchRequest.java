package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.Map;

/** The search part of a {@code grid_search} or {@code random_search} job. */
@Schema(description = "A hyperparameter search over the base request")
public record SearchRequest(
        @Schema(description = "Parameter to a list of values; random_search also takes {\"distribution\": \"uniform|loguniform|"
                + "int_uniform\", \"min\": …, \"max\": …}. Keys: learningRate, batchSize, epochs, optimizer, momentum, l1, l2, "
                + "initializer, units, activation, dropout (all hidden layers), hiddenLayers[i].units, hiddenLayers[i].activation, "
                + "hiddenLayers[i].dropout, hiddenLayers (whole lists)",
                example = "{\"learningRate\": [0.001, 0.01, 0.1], \"hiddenLayers[0].units\": [4, 8, 16], \"activation\": [\"relu\", \"tanh\"]}")
        Map<String, Object> space,
        @Schema(description = "Validation metric that ranks trials (default accuracy, or r2 for regression)",
                allowableValues = {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "mse", "rmse", "mae", "r2"})
        String metric,
        @Schema(description = "min or max (default: the metric's direction)", allowableValues = {"min", "max"}) String mode,
        @Schema(description = "random_search: trials drawn (default 10); grid_search: a cap on the grid; auto: a cap "
                + "(default backprop.limits.max-trials: its budget ends it, or 50 trials trained in full in a row without a better score)") Integer maxTrials,
        @Schema(description = "Budget of the whole search in seconds, fractional allowed (at least 0.1); each trial gets at most "
                + "what remains; auto: required, its whole budget, refit included", example = "2.5", minimum = "0.1")
        BigDecimal maxRuntimeSeconds,
        @Schema(description = "Trials at once on every replica together: grid and random searches spread over the free "
                + "workers of every replica (default: every trial), the others run on one replica (default: its workers)") Integer parallelism,
        @Schema(description = "Seed from which each trial's seed derives (drawn when absent)") Long seed,
        @Schema(description = "k-fold cross-validation, stratified for classification; absent: the base request's holdout")
        Integer folds,
        @Schema(description = "Train the best parameters again on all rows as the search's model (default true)") Boolean refit,
        @Schema(description = "Failed trials in a row that stop the search (default 5)") Integer maxConsecutiveFailures,
        @Schema(description = "Median stopping rule (Google Vizier): stop a trial whose best validation value so far is worse "
                + "than the median of the completed trials' at the same epoch; the validation metric when it is the ranking "
                + "metric (accuracy, r2), else the validation loss. Stopped trials rank after completed ones (default false)")
        Boolean medianStopping,
        @Schema(description = "With medianStopping: epochs a trial trains before it may be stopped (default 5)")
        Integer medianStoppingMinEpochs,
        @Schema(description = "With medianStopping: completed trials needed before any is stopped (default 3)")
        Integer medianStoppingMinTrials,
        @Schema(description = "full (default): every trial trains its epochs; halving: successive halving, all trials start "
                + "with epochs/η^k, the best 1/η go on to η times the epochs until the full epochs (retrained from scratch); "
                + "hyperband: brackets of halving that start at different epochs (Li et al. 2018)",
                allowableValues = {"full", "halving", "hyperband"})
        String strategy,
        @Schema(description = "With strategy halving or hyperband: η, the factor by which each rung cuts the trials and grows the epochs "
                + "(default 3)") Integer halvingEta) {
}
