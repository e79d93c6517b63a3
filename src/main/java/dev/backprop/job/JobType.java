package dev.backprop.job;

/** What a job does. */
public enum JobType {
    /** Train one network. */
    TRAINING
}
