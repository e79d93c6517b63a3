package dev.backprop.training;

import dev.backprop.job.JobDocuments;
import dev.backprop.job.JobInput;
import dev.backprop.job.JobResult;
import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.StopReason;
import dev.backprop.job.JobSpec;
import dev.backprop.job.JobType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored forms of training jobs and searches: a search is a training request with a search block,
 * so every job type shares one spec document ({@link ResolvedTrainingJob}), one input ({@link TrainingData})
 * and one result ({@link TrainingOutcome}).
 */
@Component
class TrainingJobDocuments implements JobDocuments {

    private final JsonMapper json;

    TrainingJobDocuments(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String writeSpec(JobSpec spec) {
        return json.writeValueAsString(spec);
    }

    @Override
    public JobSpec readSpec(JobType type, String document) {
        return json.readValue(document, ResolvedTrainingJob.class);
    }

    @Override
    public String writeInput(JobInput input) {
        return json.writeValueAsString(input);
    }

    @Override
    public JobInput readInput(String document) {
        return json.readValue(document, TrainingData.class);
    }

    @Override
    public StoredResult writeResult(JobResult result) {
        TrainingOutcome outcome = (TrainingOutcome) result;
        return new StoredResult(outcome.stopReasonName(), outcome.bestEpoch(),
                outcome.metrics() == null ? null : json.writeValueAsString(outcome.metrics()));
    }

    @Override
    public JobResult readResult(StoredResult stored) {
        return new TrainingOutcome(StopReason.valueOf(stored.stopReason()), stored.bestEpoch(),
                stored.document() == null ? null : json.readValue(stored.document(), FinalMetrics.class));
    }
}
