package dev.backprop.training;

import dev.backprop.job.Job;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.Warning;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Reads what a job measured: its stored epoch history and outcome. */
@Component
public class TrainingReports {

    private final EpochHistory epochs;
    private final JsonMapper json;

    TrainingReports(EpochHistory epochs, JsonMapper json) {
        this.epochs = epochs;
        this.json = json;
    }

    /** What the outcome of an ended job calls for attention (none while it runs). */
    public List<Warning> outcomeWarnings(Job job) {
        FinalMetrics finalMetrics = job.finalMetrics() == null ? null : json.readValue(job.finalMetrics(), FinalMetrics.class);
        return finalMetrics == null || finalMetrics.warnings() == null ? List.of() : finalMetrics.warnings();
    }

    /** The history and, once ended, the outcome of a training job or search. */
    public TrainingReport of(Job job) {
        FinalMetrics finalMetrics = job.finalMetrics() == null ? null : json.readValue(job.finalMetrics(), FinalMetrics.class);
        String metric = TrainingInputs.specOf(job).engineTask().headlineMetricName();
        return new TrainingReport(metric, epochs.findEpochs(job.id()), job.bestEpoch(), job.stopReason(), finalMetrics);
    }
}
