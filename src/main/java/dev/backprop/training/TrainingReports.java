package dev.backprop.training;

import dev.backprop.job.Job;
import dev.backprop.job.JobEvent;
import dev.backprop.job.JobType;
import dev.backprop.job.StoredEvents;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.Warning;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Reads what a job measured: its stored epoch history and outcome. */
@Component
public class TrainingReports implements StoredEvents {

    private final EpochHistory epochs;

    TrainingReports(EpochHistory epochs) {
        this.epochs = epochs;
    }

    private static FinalMetrics finalMetrics(Job job) {
        return job.result() instanceof TrainingOutcome outcome ? outcome.metrics() : null;
    }

    /** What the outcome of an ended job calls for attention (none while it runs). */
    public List<Warning> outcomeWarnings(Job job) {
        FinalMetrics finalMetrics = finalMetrics(job);
        return finalMetrics == null || finalMetrics.warnings() == null ? List.of() : finalMetrics.warnings();
    }

    /** The history and, once ended, the outcome of a training job or search. */
    public TrainingReport of(Job job) {
        FinalMetrics finalMetrics = finalMetrics(job);
        String metric = TrainingInputs.specOf(job).engineTask().headlineMetricName();
        return new TrainingReport(metric, epochs.findEpochs(job.id()), job.bestEpoch(), job.stopReason(), finalMetrics);
    }

    @Override
    public Set<JobType> types() {
        return Set.of(JobType.TRAINING);
    }

    /** A training job's stored epochs after {@code epoch}, in order, each as the event its id is (what a follower missed). */
    @Override
    public List<JobEvent> after(Job job, long epoch) {
        return epochs.findEpochsAfter(job.id(), epoch).stream().map(e -> new JobEvent("epoch", e.epoch(), e)).toList();
    }
}
