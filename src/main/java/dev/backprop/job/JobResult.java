package dev.backprop.job;

/**
 * What a job's run ended with, as its job type records it (for a training run: why it stopped, the
 * epoch its weights come from, its final metrics). The job keeps it as a type and shows two facts of it;
 * the job table stores it through {@link JobDocuments}.
 */
public interface JobResult {

    /** Why the run ended, in the API's words: COMPLETED, EARLY_STOPPED, TIME_LIMIT or CANCELLED. */
    String stopReasonName();

    /** The epoch whose weights the model holds, or null (a search, a cancelled run). */
    Integer bestEpoch();
}
