package dev.backprop.job;

import dev.backprop.model.FinalMetrics;
import dev.backprop.model.MetricsReport;
import dev.backprop.model.ModelService;
import dev.backprop.model.TrainedModel;
import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Metrics;
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
import java.util.UUID;
import java.util.function.Consumer;
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
class TrainingExecution {

    private static final Logger log = LoggerFactory.getLogger(TrainingExecution.class);
    private static final int MAX_FINISH_ATTEMPTS = 5;

    private final JobRepository jobs;
    private final JobSpecResolver resolver;
    private final ModelService models;
    private final JobEvents events;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration flushInterval;
    private final Timer epochTimer;

    TrainingExecution(JobRepository jobs, JobSpecResolver resolver, ModelService models, JobEvents events, JsonMapper json,
                      Clock clock, BackpropProperties properties, MeterRegistry meters) {
        this.jobs = jobs;
        this.resolver = resolver;
        this.models = models;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.flushInterval = properties.jobs().historyFlushInterval();
        this.epochTimer = Timer.builder("backprop.training.epoch").description("Wall time of one training epoch").register(meters);
    }

    void run(Job job, RunningJob handle, String owner) {
        UUID id = job.id();
        events.publish(id, JobEvent.status(job));
        History history = new History(id, owner);
        TrainingResult result;
        Network network;
        TrainingPlan plan;
        try {
            plan = resolver.plan(job.spec(), jobs.findData(id));
            network = Network.initialize(plan.network(), plan.random());
            result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(),
                    handle::shouldStop, history);
            history.flush();
        } catch (TrainingDivergedException | JobDataMissingException e) {
            history.flush();
            finish(handle, owner, j -> j.fail(ProblemType.TRAINING_FAILED.slug(), e.getMessage(), clock.instant()));
            return;
        } catch (RuntimeException e) {
            log.error("Job {} failed unexpectedly", id, e);
            history.flushQuietly();
            finish(handle, owner, j -> j.fail(ProblemType.INTERNAL.slug(), "training failed unexpectedly; the error has been logged",
                    clock.instant()));
            return;
        }
        if (handle.isAbandoned()) {
            log.info("Job {} abandoned (shutdown or lost lease); its lease will run out and another runner takes it up", id);
            return;
        }
        if (result.stopReason() == StopReason.CANCELLED) {
            finish(handle, owner, j -> j.cancelled(clock.instant()));
            return;
        }
        FinalMetrics metrics = finalMetrics(network, plan);
        UUID modelId = UUID.randomUUID();
        models.store(new TrainedModel(modelId, id, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, metrics));
        String metricsJson = json.writeValueAsString(metrics);
        finish(handle, owner, j -> j.succeed(modelId, result.stopReason().name(), result.bestEpoch(), metricsJson, clock.instant()));
    }

    private FinalMetrics finalMetrics(Network network, TrainingPlan plan) {
        List<Object> labels = plan.labels() == null ? null : plan.labels().labels();
        MetricsReport training = report(network, plan.trainingData(), plan, labels);
        MetricsReport validation = plan.validation() == null ? null : report(network, plan.validation(), plan, labels);
        return new FinalMetrics(training, validation);
    }

    private static MetricsReport report(Network network, LabeledData data, TrainingPlan plan, List<Object> labels) {
        double[] outputs = network.predict(data.features(), data.rows());
        return MetricsReport.of(Metrics.evaluate(plan.task(), outputs, data.targets(), data.rows(), data.targetCount()), labels,
                data.rows());
    }

    /** Applies a terminal transition to the freshest stored job, unless another runner took it over. */
    void finish(RunningJob handle, String owner, Consumer<Job> transition) {
        for (int attempt = 0; attempt < MAX_FINISH_ATTEMPTS; attempt++) {
            Job current = jobs.findById(handle.id()).orElse(null);
            if (current == null || !owner.equals(current.leaseOwner()) || current.attempt() != handle.attempt()) {
                log.info("Job {} is no longer held by this runner; dropping its outcome", handle.id());
                return;
            }
            try {
                transition.accept(current);
                jobs.save(current);
                events.publish(current.id(), JobEvent.status(current));
                return;
            } catch (JobRepository.ConcurrentUpdateException e) {
                log.debug("Job {} changed while finishing; retrying", handle.id());
            }
        }
        log.warn("Job {} could not be finished after {} attempts", handle.id(), MAX_FINISH_ATTEMPTS);
    }

    /** Buffers epochs and writes them in batches, so a fast run is not slowed by one insert per epoch. */
    private final class History implements dev.backprop.nn.EpochListener {
        private final UUID id;
        private final String owner;
        private final List<EpochRecord> pending = new ArrayList<>();
        private Instant lastFlush = clock.instant();
        private long lastElapsedMs;
        private int epochs;

        History(UUID id, String owner) {
            this.id = id;
            this.owner = owner;
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            EpochRecord record = EpochRecord.of(metrics);
            pending.add(record);
            epochs = metrics.epoch();
            epochTimer.record(Duration.ofMillis(metrics.elapsedMillis() - lastElapsedMs));
            lastElapsedMs = metrics.elapsedMillis();
            events.publish(id, JobEvent.epoch(record));
            if (Duration.between(lastFlush, clock.instant()).compareTo(flushInterval) >= 0) {
                flush();
            }
        }

        void flush() {
            jobs.appendEpochs(id, pending);
            pending.clear();
            jobs.updateProgress(id, owner, epochs);
            lastFlush = clock.instant();
        }

        void flushQuietly() {
            try {
                flush();
            } catch (RuntimeException e) {
                log.warn("Could not write the history of job {}", id, e);
            }
        }
    }
}
