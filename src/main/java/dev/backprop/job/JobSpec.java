package dev.backprop.job;

/**
 * What a job is asked to do, as its type's resolver completed it. The job stores it, shows it and hands
 * it to its execution, but reads only these three facts from it: the rest belongs to the job type.
 */
public interface JobSpec {

    /** The kind of work, which picks the {@link JobExecution}. */
    JobType jobType();

    /** Epochs a training run is asked for: the denominator of its progress. */
    int epochsTotal();

    /** Trials a search runs; 0 for a training job. */
    int trialsTotal();
}
