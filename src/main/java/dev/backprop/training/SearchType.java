package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The kind of a hyperparameter search. */
public enum SearchType implements WireName {
    GRID_SEARCH, RANDOM_SEARCH, BAYESIAN_SEARCH;

    /** Whether the search draws points from distributions (random and Bayesian) rather than walking a grid. */
    public boolean samples() {
        return this != GRID_SEARCH;
    }

    /** @throws IllegalArgumentException "must be grid_search, random_search or bayesian_search, was 'x'" */
    @JsonCreator
    public static SearchType parse(String name) {
        return WireName.parse(SearchType.class, name);
    }
}
