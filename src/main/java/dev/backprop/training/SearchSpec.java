package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * A hyperparameter search over a base training request. As submitted, absent settings are null;
 * the resolver fills them.
 *
 * @param type                   {@code grid_search} or {@code random_search}
 * @param space                  parameter key to a list of values, or (random search) to a distribution
 *                               {@code {"distribution": "loguniform", "min": 1e-4, "max": 0.1}}
 * @param metric                 the validation metric that ranks trials (default accuracy or r2)
 * @param mode                   min or max (default: the metric's direction)
 * @param maxTrials              random search: trials drawn; grid search: a cap on the grid's size; auto: a safety cap
 * @param maxRuntimeSeconds      budget of the whole search in seconds, fractional allowed (at least {@link #MIN_RUNTIME_SECONDS});
 *                               each trial gets at most what remains. A {@link BigDecimal}, so that the number is kept as sent:
 *                               a stored {@code 120} writes back as {@code 120}, and {@code 0.9} is not 0.899…
 * @param parallelism            trials at once on every replica together (default: every trial for a grid or random search,
 *                               whose trials spread over the replicas; the workers for the others, which run on one)
 * @param seed                   derives each trial's seed from its index (drawn when absent)
 * @param folds                  k-fold cross-validation (stratified for classification); absent means
 *                               the base request's holdout validation
 * @param refit                  train the best parameters once more on all rows as the search's model
 * @param maxConsecutiveFailures failed trials in a row that stop the search (default 5)
 * @param medianStopping         stop a trial whose best-so-far validation value is worse than the median of
 *                               the completed trials' at the same epoch (null: off); the fields below are
 *                               null unless used, and left out of the stored document, so that documents of
 *                               older jobs and of searches without them read and write as before
 * @param medianStoppingMinEpochs epochs a trial trains before the rule may stop it (default 5)
 * @param medianStoppingMinTrials completed trials the median needs (default 3)
 * @param strategy               {@code halving} for successive halving, {@code hyperband} for its brackets (null: every
 *                               trial trains its full epochs)
 * @param halvingEta             successive halving's η: a third (default 3) of a rung's trials go on to η times the epochs
 */
public record SearchSpec(SearchType type, Map<String, Object> space, String metric, Direction mode, Integer maxTrials,
                         BigDecimal maxRuntimeSeconds, Integer parallelism, Long seed, Integer folds, Boolean refit,
                         Integer maxConsecutiveFailures,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Boolean medianStopping,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer medianStoppingMinEpochs,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer medianStoppingMinTrials,
                         @JsonInclude(JsonInclude.Include.NON_NULL) SearchStrategy strategy,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer halvingEta) {

    /**
     * The least budget a search takes, in seconds: a tenth of a second, about one of the smallest trials (iris's 80-row
     * folds, a few dozen epochs in one batch each) plus the job's own start. Below it a budget would only end searches
     * that had no trial; a whole second, the floor before, was half of scikit-learn's time on iris on a fast machine.
     */
    public static final BigDecimal MIN_RUNTIME_SECONDS = new BigDecimal("0.1");
    /** The most, in seconds: the whole-second field's limit before it took fractions (about 68 years). */
    public static final BigDecimal MAX_RUNTIME_SECONDS = BigDecimal.valueOf(Integer.MAX_VALUE);

    /** The budget as a duration, to the nanosecond; null without one. */
    public Duration budget() {
        return maxRuntimeSeconds == null ? null
                : Duration.ofNanos(maxRuntimeSeconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** Whether trials run in rungs of successive halving (alone, or in Hyperband's brackets). */
    public boolean halving() {
        return strategy == SearchStrategy.HALVING || strategy == SearchStrategy.HYPERBAND;
    }

    /** Whether the median stopping rule is on. */
    public boolean stopsAtMedian() {
        return Boolean.TRUE.equals(medianStopping);
    }
}
