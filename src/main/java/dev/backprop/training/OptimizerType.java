package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The optimizer of a training request. */
public enum OptimizerType implements WireName {
    SGD, MOMENTUM, RMSPROP, ADAM;

    /** @throws IllegalArgumentException "unknown optimizer 'x'; expected one of sgd, momentum, rmsprop, adam" */
    @JsonCreator
    public static OptimizerType parse(String name) {
        return WireName.parseOrUnknown(OptimizerType.class, name, "optimizer");
    }
}
