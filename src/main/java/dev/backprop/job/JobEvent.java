package dev.backprop.job;

/**
 * Something that happened to a job, for live followers.
 *
 * @param name    {@code epoch} or {@code status}
 * @param payload an {@link EpochRecord} or a {@link StatusChange}
 */
public record JobEvent(String name, Object payload) {

    /** A job entered a status. */
    public record StatusChange(JobStatus status, String stopReason, String error) {
    }

    static JobEvent epoch(EpochRecord epoch) {
        return new JobEvent("epoch", epoch);
    }

    static JobEvent status(Job job) {
        return new JobEvent("status", new StatusChange(job.status(), job.stopReason(), job.errorDetail()));
    }

    /** True for the status event that ends a job's stream. */
    public boolean isTerminal() {
        return payload instanceof StatusChange change && change.status().isEnded();
    }
}
