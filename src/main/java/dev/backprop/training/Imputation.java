package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How missing features are filled: the mean or median of a number (the most frequent category otherwise), or the rows dropped. */
public enum Imputation implements WireName {
    MEAN, MEDIAN, DROP;

    /** @throws IllegalArgumentException "must be mean, median or drop, was 'x'" */
    @JsonCreator
    public static Imputation parse(String name) {
        return WireName.parse(Imputation.class, name);
    }
}
