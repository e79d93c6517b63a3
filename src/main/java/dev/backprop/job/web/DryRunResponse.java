package dev.backprop.job.web;

import java.util.List;
import java.util.Map;
import dev.backprop.model.Warning;
import dev.backprop.training.DataSummary;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingJobSpec;

/**
 * {@code POST /jobs?dryRun=true}: the validated request with every default filled in, each default with
 * the reason it was chosen, and the warnings the data call for; nothing is stored or run.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record DryRunResponse(boolean valid, String task, boolean taskInferred, DataSummary data, long parameterCount,
                             TrainingJobSpec request, SearchSpec search, Integer trials, Map<String, String> defaults,
                             List<Warning> warnings) {

    static DryRunResponse of(ResolvedTrainingJob job) {
        return new DryRunResponse(true, job.task(), job.taskInferred(), job.data(), job.parameterCount(), job.spec(), job.search(),
                job.hasSearch() ? job.trials() : null, job.defaults(), job.warnings());
    }
}
