package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The kind of a hyperparameter search. */
public enum SearchType implements WireName {
    GRID_SEARCH, RANDOM_SEARCH;

    /** @throws IllegalArgumentException "must be grid_search or random_search, was 'x'" */
    @JsonCreator
    public static SearchType parse(String name) {
        return WireName.parse(SearchType.class, name);
    }
}
