package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How validation rows are chosen: a seeded draw per class, a seeded draw, or the last rows in order. */
public enum ValidationSplit implements WireName {
    STRATIFIED, RANDOM, LAST;

    /** @throws IllegalArgumentException "must be stratified, random or last, was 'x'" */
    @JsonCreator
    public static ValidationSplit parse(String name) {
        return WireName.parse(ValidationSplit.class, name);
    }
}
