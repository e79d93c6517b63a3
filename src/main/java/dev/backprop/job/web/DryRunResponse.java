package dev.backprop.job.web;

import dev.backprop.job.DataSummary;
import dev.backprop.job.ResolvedTrainingJob;
import dev.backprop.job.TrainingJobSpec;

/**
 * {@code POST /jobs?dryRun=true}: the validated request with every default filled in; nothing is
 * stored or run.
 */
public record DryRunResponse(boolean valid, String task, boolean taskInferred, DataSummary data, long parameterCount,
                             TrainingJobSpec request) {

    static DryRunResponse of(ResolvedTrainingJob job) {
        return new DryRunResponse(true, job.task(), job.taskInferred(), job.data(), job.parameterCount(), job.spec());
    }
}
