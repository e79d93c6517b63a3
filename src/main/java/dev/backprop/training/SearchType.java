package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The kind of a hyperparameter search. */
public enum SearchType implements WireName {
    GRID_SEARCH, RANDOM_SEARCH, BAYESIAN_SEARCH,
    /** A Bayesian search whose space, strategy and budget split the service chooses from the data and a time budget. */
    AUTO;

    /** Whether the search draws points from distributions (random and Bayesian) rather than walking a grid. */
    public boolean samples() {
        return this != GRID_SEARCH;
    }

    /** Whether trials are proposed one after another from the scores so far (Bayesian and auto). */
    public boolean proposes() {
        return this == BAYESIAN_SEARCH || this == AUTO;
    }

    /** @throws IllegalArgumentException "must be grid_search, random_search, bayesian_search or auto, was 'x'" */
    @JsonCreator
    public static SearchType parse(String name) {
        return WireName.parse(SearchType.class, name);
    }
}
