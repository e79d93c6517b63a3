package dev.backprop.training;

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
 * @param maxTrials              random search: trials drawn; grid search: a cap on the grid's size
 * @param maxRuntimeSeconds      budget of the whole search; each trial gets at most what remains
 * @param parallelism            trials at once, never more than the workers (default: the workers)
 * @param seed                   derives each trial's seed from its index (drawn when absent)
 * @param folds                  k-fold cross-validation (stratified for classification); absent means
 *                               the base request's holdout validation
 * @param refit                  train the best parameters once more on all rows as the search's model
 * @param maxConsecutiveFailures failed trials in a row that stop the search (default 5)
 */
public record SearchSpec(SearchType type, Map<String, Object> space, String metric, Direction mode, Integer maxTrials,
                         Integer maxRuntimeSeconds, Integer parallelism, Long seed, Integer folds, Boolean refit,
                         Integer maxConsecutiveFailures) {
}
