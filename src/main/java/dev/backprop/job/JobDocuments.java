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
}
