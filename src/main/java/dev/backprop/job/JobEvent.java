package dev.backprop.job;

/**
 * Something that happened to a job, for live followers.
 *
 * @param name    {@code status}, or what the job type reports ({@code epoch}, {@code trial})
 * @param id      the event's place in the job's stored history (a training job's epoch), from which a
 *                follower resumes ({@code Last-Event-ID}); 0 for events that are not stored one by one
 * @param payload a {@link StatusChange}, or the job type's record of the epoch or trial
 */
public record JobEvent(String name, long id, Object payload) {

    /** An event without a place in the stored history. */
    public JobEvent(String name, Object payload) {
        this(name, 0, payload);
    }

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
