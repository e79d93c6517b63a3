package dev.backprop.job;

/** Jobs for tests outside this package. */
public final class JobTestFixtures {

    private JobTestFixtures() {
    }

    /** A queued training job with a small resolved spec. */
    public static Job queuedJob() {
        return JobTest.newJob();
    }
}
