package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What prediction does with a category unseen in training: all zeros, or a 400. */
public enum UnknownCategories implements WireName {
    IGNORE, REJECT;

    /** @throws IllegalArgumentException "must be ignore or reject, was 'x'" */
    @JsonCreator
    public static UnknownCategories parse(String name) {
        return WireName.parse(UnknownCategories.class, name);
    }
}
