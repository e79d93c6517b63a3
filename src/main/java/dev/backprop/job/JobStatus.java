package dev.backprop.job;

/** Where a job is in its life: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}. */
public enum JobStatus {
    QUEUED, RUNNING, CANCEL_REQUESTED, SUCCEEDED, FAILED, CANCELLED;

    /** True for the three terminal states. */
    public boolean isEnded() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
