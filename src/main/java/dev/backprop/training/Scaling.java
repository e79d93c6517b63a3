package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How numeric features are scaled, with training-split statistics. */
public enum Scaling implements WireName {
    STANDARDIZE, MINMAX, NONE;

    /** @throws IllegalArgumentException "must be standardize, minmax or none, was 'x'" */
    @JsonCreator
    public static Scaling parse(String name) {
        return WireName.parse(Scaling.class, name);
    }
}
