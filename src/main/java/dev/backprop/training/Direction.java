package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Which way a watched quantity improves: early stopping's mode and a search's mode. */
public enum Direction implements WireName {
    MIN, MAX;

    /** @throws IllegalArgumentException "must be min or max, was 'x'" */
    @JsonCreator
    public static Direction parse(String name) {
        return WireName.parse(Direction.class, name);
    }
}
