package dev.backprop.training;

import dev.backprop.job.Job;
import dev.backprop.job.JobExecution;
import dev.backprop.job.JobType;
import dev.backprop.job.RunningJob;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelProvenance;
import dev.backprop.model.ModelService;
import dev.backprop.model.TrainedModel;
import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingDivergedException;
import dev.backprop.nn.TrainingResult;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed training job from its stored spec and data to its end: prepares the data, trains,
 * records the history (batched, every {@code historyFlushInterval}), stores the model, and moves the
 * job to its terminal status.
 */
@Component
class TrainingExecution implements JobExecution {

    private static final Logger log = LoggerFactory.getLogger(TrainingExecution.class);

    private final TrainingInputs inputs;
    private final EpochHistory epochs;
    private final JobSpecResolver resolver;
    private final ModelService models;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration flushInterval;
    private final Timer epochTimer;

    TrainingExecution(TrainingInputs inputs, EpochHistory epochs, JobSpecResolver resolver, ModelService models, JsonMapper json,
                      Clock clock, BackpropProperties properties, MeterRegistry meters) {
        this.inputs = inputs;
        this.epochs = epochs;
        this.resolver = resolver;
        this.models = models;
        this.json = json;
        this.clock = clock;
        this.flushInterval = properties.jobs().historyFlushInterval();
        this.epochTimer = Timer.builder("backprop.training.epoch").description("Wall time of one training epoch").register(meters);
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.TRAINING);
    }

    @Override
    public void run(Job job, RunningJob handle) {
        UUID id = job.id();
        if (job.attempt() > 1) {
            epochs.clearEpochs(id);  // an attempt that starts over writes its history anew
        }
        History history = new History(handle);
        TrainingResult result;
        Network network;
        TrainingPlan plan;
        TrainingData data;
        long claimed = System.nanoTime();
        double readSeconds;
        double preparationSeconds;
        double trainingSeconds;
        try {
            data = inputs.find(id);
            readSeconds = PhaseTimings.since(claimed);
            plan = resolver.plan(TrainingInputs.specOf(job), data);
            network = Network.initialize(plan.network(), plan.random());
            preparationSeconds = PhaseTimings.since(claimed);
            long trainingStart = System.nanoTime();
            result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(),
                    handle::shouldStop, history);
            trainingSeconds = PhaseTimings.since(trainingStart);
            history.flush();
        } catch (TrainingDivergedException | JobDataMissingException e) {
            history.flush();
            handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, e.getMessage(), clock.instant()));
            return;
        } catch (RuntimeException e) {
            log.error("Job {} failed unexpectedly", id, e);
            history.flushQuietly();
            handle.finish(j -> j.fail(ProblemType.INTERNAL, "training failed unexpectedly; the error has been logged",
                    clock.instant()));
            return;
        }
        if (handle.isAbandoned()) {
            log.info("Job {} abandoned (shutdown or lost lease); its lease will run out and another runner takes it up", id);
            return;
        }
        if (result.stopReason() == StopReason.CANCELLED) {
            handle.finish(j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
            return;
        }
        long evaluationStart = System.nanoTime();
        plan.restoreTargetUnitsInPlace(network);
        FinalMetrics metrics = ModelEvaluation.evaluate(network, plan, result);
        double evaluationSeconds = PhaseTimings.since(evaluationStart);
        long storeStart = System.nanoTime();
        UUID modelId = UUID.randomUUID();
        TrainingJobSpec spec = TrainingInputs.specOf(job).spec();
        ModelProvenance provenance = ModelProvenance.ofThisVersion("training", null, json.valueToTree(spec),
                spec.training().seed(), data.datasetId(), plan.trainingData().rows(), data.table().rowCount());
        models.store(new TrainedModel(modelId, id, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, metrics, provenance));
        PhaseTimings timings = new PhaseTimings(readSeconds, preparationSeconds, trainingSeconds, evaluationSeconds,
                PhaseTimings.since(storeStart));
        log.info("Job {} took {} s to read its data, {} s to prepare (read included), {} s to train, {} s to evaluate, {} s to "
                + "store its model", id, timings.readSeconds(), timings.preparationSeconds(), timings.trainingSeconds(),
                timings.evaluationSeconds(), timings.storeSeconds());
        TrainingOutcome outcome = new TrainingOutcome(result.stopReason(), result.bestEpoch(), metrics, timings);
        // The trainer stopped asking for a cancel after its last epoch; one that landed since (while the last epochs
        // were written, in the issue) still wins, and the model stored for it must not outlive it.
        Optional<Job> ended = handle.finish(j -> j.succeedUnlessCancelled(modelId, outcome, TrainingOutcome.cancelled(),
                clock.instant()));
        if (ended.map(j -> !modelId.equals(j.modelId())).orElse(true)) {
            models.discard(modelId);
        }
    }

    /** Buffers epochs and writes them in batches, so a fast run is not slowed by one insert per epoch. */
    private final class History implements dev.backprop.nn.EpochListener {
        private final RunningJob handle;
        private final List<EpochRecord> pending = new ArrayList<>();
        private Instant lastFlush = clock.instant();
        private long lastElapsedMs;
        private int epochsDone;

        History(RunningJob handle) {
            this.handle = handle;
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            EpochRecord record = EpochRecord.of(metrics);
            pending.add(record);
            epochsDone = metrics.epoch();
            epochTimer.record(Duration.ofMillis(metrics.elapsedMillis() - lastElapsedMs));
            lastElapsedMs = metrics.elapsedMillis();
            handle.publish("epoch", record.epoch(), record);
            if (Duration.between(lastFlush, clock.instant()).compareTo(flushInterval) >= 0) {
                flush();
            }
        }

        void flush() {
            TrainingExecution.this.epochs.appendEpochs(handle.id(), pending);
            pending.clear();
            handle.recordEpochs(epochsDone);
            lastFlush = clock.instant();
        }

        void flushQuietly() {
            try {
                flush();
            } catch (RuntimeException e) {
                log.warn("Could not write the history of job {}", handle.id(), e);
            }
        }
    }
}
