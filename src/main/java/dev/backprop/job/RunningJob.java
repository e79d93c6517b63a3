package dev.backprop.job;

import java.util.UUID;

/**
 * This replica's handle on a job it runs: the attempt it claimed and the reasons to stop early. A
 * cancel request ends the job as CANCELLED; a shutdown or a lost lease abandons it untouched, so
 * that the next runner whose claim succeeds takes it up again.
 */
final class RunningJob {

    private final UUID id;
    private final int attempt;
    private volatile boolean cancelRequested;
    private volatile boolean abandoned;

    RunningJob(UUID id, int attempt) {
        this.id = id;
        this.attempt = attempt;
    }

    UUID id() {
        return id;
    }

    int attempt() {
        return attempt;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    void abandon() {
        abandoned = true;
    }

    boolean isAbandoned() {
        return abandoned;
    }

    /** Asked by the trainer between mini-batches. */
    boolean shouldStop() {
        return cancelRequested || abandoned;
    }
}
