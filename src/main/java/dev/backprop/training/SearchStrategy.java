package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How a search spends its epochs: every trial its full budget, or successive halving, where all trials
 * start with a small budget and only the best fraction trains further, or Hyperband's brackets of it. A strategy of its own rather
 * than a search type, because halving decides how long trials train, not which points they try: it
 * combines with grid, random and Bayesian spaces alike.
 */
public enum SearchStrategy implements WireName {
    FULL, HALVING,
    /** Brackets of successive halving that start at different budgets (Li et al. 2018). */
    HYPERBAND;

    /** @throws IllegalArgumentException "must be full, halving or hyperband, was 'x'" */
    @JsonCreator
    public static SearchStrategy parse(String name) {
        return WireName.parse(SearchStrategy.class, name);
    }
}
