package dev.backprop.job;

/**
 * Writes and reads the stored forms of job specs and inputs. The job types own those shapes, so their
 * module implements this; the job table only keeps the documents.
 */
public interface JobDocuments {

    String writeSpec(JobSpec spec);

    JobSpec readSpec(JobType type, String document);

    String writeInput(JobInput input);

    JobInput readInput(String document);

    /** A result as the job table keeps it: the stop reason and best epoch in columns of their own, the rest as a document. */
    record StoredResult(String stopReason, Integer bestEpoch, String document) {
    }

    StoredResult writeResult(JobResult result);

    /** The result of a stored row; never called for a row without one. */
    JobResult readResult(StoredResult stored);
}
