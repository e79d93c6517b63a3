package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The learning-rate schedule of a training request. */
public enum ScheduleType implements WireName {
    CONSTANT, STEP, EXPONENTIAL, REDUCE_ON_PLATEAU;

    /** @throws IllegalArgumentException "unknown schedule 'x'; expected one of constant, step, exponential, reduce_on_plateau" */
    @JsonCreator
    public static ScheduleType parse(String name) {
        return WireName.parseOrUnknown(ScheduleType.class, name, "schedule");
    }
}
