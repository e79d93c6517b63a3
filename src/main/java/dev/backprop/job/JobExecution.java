package dev.backprop.job;

import java.util.Set;

/**
 * Runs the claimed jobs of some types from their stored spec and input to a terminal transition. The
 * runner knows job types only through this interface: it claims a job, picks the execution of its type
 * and hands it the job's {@link RunningJob}.
 */
public interface JobExecution {

    /** The job types this execution runs; each type has exactly one execution. */
    Set<JobType> types();

    /**
     * Runs one claimed job on the calling training thread and ends it through {@link RunningJob#finish},
     * unless it was abandoned (shutdown, lost lease), in which case it returns without a transition.
     */
    void run(Job job, RunningJob run);
}
