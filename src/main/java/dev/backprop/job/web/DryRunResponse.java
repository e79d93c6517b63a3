package dev.backprop.job.web;

import dev.backprop.training.DataSummary;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingJobSpec;

/**
 * {@code POST /jobs?dryRun=true}: the validated request with every default filled in; nothing is
 * stored or run.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record DryRunResponse(boolean valid, String task, boolean taskInferred, DataSummary data, long parameterCount,
                             TrainingJobSpec request, SearchSpec search, Integer trials) {

    static DryRunResponse of(ResolvedTrainingJob job) {
        return new DryRunResponse(true, job.task(), job.taskInferred(), job.data(), job.parameterCount(), job.spec(), job.search(),
                job.hasSearch() ? job.trials() : null);
    }
}
