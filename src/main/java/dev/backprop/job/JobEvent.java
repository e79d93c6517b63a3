package dev.backprop.job;

/**
 * Something that happened to a job, for live followers.
 *
 * @param name    {@code status}, or what the job type reports ({@code epoch}, {@code trial})
 * @param payload a {@link StatusChange}, or the job type's record of the epoch or trial
 */
public record JobEvent(String name, Object payload) {

    /** A job entered a status. */
    public record StatusChange(JobStatus status, String stopReason, String error) {
    }

    public static JobEvent status(Job job) {
        return new JobEvent("status", new StatusChange(job.status(), job.stopReason(), job.error() == null ? null : job.error().detail()));
    }

    /** True for the status event that ends a job's stream. */
    public boolean isTerminal() {
        return payload instanceof StatusChange change && change.status().isEnded();
    }
}
