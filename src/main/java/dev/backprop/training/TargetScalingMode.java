package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Whether a regression target trains standardized (see {@link TargetScaling}) or in its own units. */
public enum TargetScalingMode implements WireName {
    STANDARDIZE, NONE;

    /** @throws IllegalArgumentException "must be standardize or none, was 'x'" */
    @JsonCreator
    public static TargetScalingMode parse(String name) {
        return WireName.parse(TargetScalingMode.class, name);
    }
}
