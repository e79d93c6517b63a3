package dev.backprop.training;

import dev.backprop.job.JobDocuments;
import dev.backprop.job.JobInput;
import dev.backprop.job.JobResult;
import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.StopReason;
import dev.backprop.job.JobSpec;
import dev.backprop.job.JobType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored forms of training jobs and searches: a search is a training request with a search block,
 * so every job type shares one spec document ({@link ResolvedTrainingJob}), one input ({@link TrainingData})
 * and one result ({@link TrainingOutcome}).
 */
@Component
class TrainingJobDocuments implements JobDocuments {

    /** The key of a training job's {@link PhaseTimings} in its stored metrics document. */
    private static final String TIMINGS = "timings";

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
        if (outcome.metrics() == null) {
            return new StoredResult(outcome.stopReasonName(), outcome.bestEpoch(), null);
        }
        // The timings ride in the metrics' document under their own key, so that the job table needs no column for them
        // and the documents stored before them read as they are.
        ObjectNode document = json.valueToTree(outcome.metrics());
        if (outcome.timings() != null) {
            document.set(TIMINGS, json.valueToTree(outcome.timings()));
        }
        return new StoredResult(outcome.stopReasonName(), outcome.bestEpoch(), json.writeValueAsString(document));
    }

    @Override
    public JobResult readResult(StoredResult stored) {
        StopReason stopReason = StopReason.valueOf(stored.stopReason());
        if (stored.document() == null) {
            return new TrainingOutcome(stopReason, stored.bestEpoch(), null, null);
        }
        ObjectNode document = (ObjectNode) json.readTree(stored.document());
        JsonNode timings = document.remove(TIMINGS);
        return new TrainingOutcome(stopReason, stored.bestEpoch(), json.treeToValue(document, FinalMetrics.class),
                timings == null ? null : json.treeToValue(timings, PhaseTimings.class));
    }
}
