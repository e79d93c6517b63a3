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
import dev.backprop.platform.DatabaseOutages;
import dev.backprop.platform.FailureEpisode;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed training job from its stored spec and data to its end: prepares the data, trains,
 * records the history (batched, every {@code historyFlushInterval}, thinned by {@link HistoryThinning}), stores the
 * model, and moves the job to its terminal status. A database outage while it runs costs no work: the history waits
 * in memory and the model and status are written once the database answers again, as long as this replica still
 * holds the job's lease (beyond the lease another runner takes the job up, as after a crash).
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
    private final Duration retryInterval;
    private final HistoryRetention retention;
    private final RecentPreparations recentPreparations;
    private final Timer epochTimer;

    TrainingExecution(TrainingInputs inputs, EpochHistory epochs, JobSpecResolver resolver, RecentPreparations recentPreparations,
                      ModelService models, JsonMapper json, Clock clock, BackpropProperties properties, MeterRegistry meters,
                      HistoryRetention retention) {
        this.inputs = inputs;
        this.recentPreparations = recentPreparations;
        this.epochs = epochs;
        this.resolver = resolver;
        this.models = models;
        this.json = json;
        this.clock = clock;
        this.flushInterval = properties.jobs().historyFlushInterval();
        this.retryInterval = properties.history().retryInterval();
        this.retention = retention;
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
        History history = new History(handle, retention.thinning(job.epochsTotal()));
        TrainingResult result;
        Network network;
        TrainingPlan plan;
        TrainingData data;
        long claimed = System.nanoTime();
        double readSeconds;
        double preparationSeconds;
        double trainingSeconds;
        try {
            // read through an outage like every later write: a claim just before one must not fail the job
            Optional<TrainingData> read = persist(handle, () -> inputs.find(id));
            if (read.isEmpty()) {
                return;  // given up while the database was away; its lease runs out and another runner takes it
            }
            data = read.get();
            readSeconds = PhaseTimings.since(claimed);
            plan = resolver.plan(TrainingInputs.specOf(job), data, recentPreparations.of(data));
            network = Network.initialize(plan.network(), plan.random());
            preparationSeconds = PhaseTimings.since(claimed);
            long trainingStart = System.nanoTime();
            result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(),
                    handle::shouldStop, history);
            trainingSeconds = PhaseTimings.since(trainingStart);
        } catch (TrainingDivergedException | JobDataMissingException e) {
            if (history.finish(null)) {
                persist(handle, () -> handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, e.getMessage(), clock.instant())));
            }
            return;
        } catch (RuntimeException e) {
            log.error("Job {} failed unexpectedly", id, e);
            history.finishQuietly();
            // an outage now must not crash the worker too: the job would be trained again once its lease ran out
            persist(handle, () -> handle.finish(j -> j.fail(ProblemType.INTERNAL, "training failed unexpectedly; the error has been logged",
                    clock.instant())));
            return;
        }
        if (!history.finish(result) || handle.isAbandoned()) {
            log.info("Job {} abandoned (shutdown or lost lease); its lease will run out and another runner takes it up", id);
            return;
        }
        if (result.stopReason() == StopReason.CANCELLED) {
            persist(handle, () -> handle.finish(j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant())));
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
        TrainedModel model = new TrainedModel(modelId, id, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, metrics, provenance);
        AtomicBoolean triedBefore = new AtomicBoolean();
        Optional<Boolean> stored = persist(handle, () -> {
            try {
                models.store(model);
            } catch (DuplicateKeyException e) {
                if (!triedBefore.get()) {
                    throw e;
                }
                // an earlier try committed the model, and the database went away before it could say so
            } finally {
                triedBefore.set(true);
            }
            return Boolean.TRUE;
        });
        if (stored.isEmpty()) {
            return;
        }
        PhaseTimings timings = new PhaseTimings(readSeconds, preparationSeconds, trainingSeconds, evaluationSeconds,
                PhaseTimings.since(storeStart));
        log.info("Job {} took {} s to read its data, {} s to prepare (read included), {} s to train, {} s to evaluate, {} s to "
                + "store its model", id, timings.readSeconds(), timings.preparationSeconds(), timings.trainingSeconds(),
                timings.evaluationSeconds(), timings.storeSeconds());
        TrainingOutcome outcome = new TrainingOutcome(result.stopReason(), result.bestEpoch(), metrics, timings);
        // The trainer stopped asking for a cancel after its last epoch; one that landed since (while the last epochs
        // were written, in the issue) still wins, and the model stored for it must not outlive it.
        Optional<Job> ended = persist(handle, () -> handle.finish(j -> j.succeedUnlessCancelled(modelId, outcome,
                TrainingOutcome.cancelled(), clock.instant()))).flatMap(o -> o);
        if (ended.map(j -> !modelId.equals(j.modelId())).orElse(true)) {
            persist(handle, () -> {
                models.discard(modelId);
                return Boolean.TRUE;
            });
        }
    }

    /**
     * Runs a write of a job that has trained, trying again every {@code retryInterval} while the database is
     * unreachable, so that a short outage costs a wait rather than the run; empty once this replica gave the job up
     * (its lease was lost or the service stops), when the write is another runner's business.
     */
    private <T> Optional<T> persist(RunningJob handle, Supplier<T> write) {
        if (handle.isAbandoned()) {
            return Optional.empty();
        }
        return DatabaseOutages.retry(write, retryInterval, handle::pauseBeforeRetry,
                new FailureEpisode(log, "Writing the outcome of job " + handle.id() + " (retried every " + retryInterval + ")"));
    }

    /**
     * Buffers the epochs the thinning keeps and writes them in batches, so a fast run is not slowed by one insert per
     * epoch. While the database is unreachable the run keeps training and the buffer keeps the epochs (at most what
     * the run stores, {@link HistoryThinning#maxStored}), written when a retry gets through.
     */
    private final class History implements dev.backprop.nn.EpochListener {
        private final RunningJob handle;
        private final HistoryThinning thinning;
        private final List<EpochRecord> pending = new ArrayList<>();
        private Instant nextWrite = clock.instant().plus(flushInterval);
        private EpochRecord last;
        private int lastStored;
        private long lastElapsedMs;
        /** The last write failed without saying whether it committed: the next one replaces what it may have left. */
        private boolean uncertain;

        History(RunningJob handle, HistoryThinning thinning) {
            this.handle = handle;
            this.thinning = thinning;
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            EpochRecord record = EpochRecord.of(metrics);
            last = record;
            if (thinning.keeps(record.epoch())) {
                pending.add(record);
            }
            epochTimer.record(Duration.ofMillis(metrics.elapsedMillis() - lastElapsedMs));
            lastElapsedMs = metrics.elapsedMillis();
            handle.publish("epoch", record.epoch(), record);
            if (!clock.instant().isBefore(nextWrite)) {
                tryWrite();
            }
        }

        /** Writes the buffer; on an outage keeps it for the next try, {@code retryInterval} later. */
        private void tryWrite() {
            try {
                write(pending);
                nextWrite = clock.instant().plus(flushInterval);
            } catch (RuntimeException e) {
                if (!DatabaseOutages.isOutage(e)) {
                    throw e;
                }
                if (!uncertain) {
                    log.warn("Job {} keeps training while the database is unreachable ({}); its history waits in memory, retried every {}",
                            handle.id(), e.getMessage(), retryInterval);
                }
                uncertain = true;
                nextWrite = clock.instant().plus(retryInterval);
            }
        }

        private void write(List<EpochRecord> records) {
            if (uncertain) {
                epochs.rewriteEpochs(handle.id(), records);
            } else {
                epochs.appendEpochs(handle.id(), records);
            }
            uncertain = false;
            if (!records.isEmpty()) {
                lastStored = Math.max(lastStored, records.get(records.size() - 1).epoch());
            }
            records.clear();
            if (last != null) {
                handle.recordEpochs(last.epoch());
            }
        }

        /**
         * Writes what is left, with the last epoch and the best one (whose weights the model holds) when the thinning
         * passed them over, waiting for the database if it is away.
         *
         * @param result the run's result, or null when it failed
         * @return false when the job was given up while waiting
         */
        boolean finish(TrainingResult result) {
            if (last != null && last.epoch() > lastStored && (pending.isEmpty() || pending.get(pending.size() - 1) != last)) {
                pending.add(last);
            }
            if (persist(handle, () -> {
                write(pending);
                return Boolean.TRUE;
            }).isEmpty()) {
                return false;
            }
            if (result == null || result.bestEpoch() < 1 || result.bestEpoch() > result.history().size()
                    || thinning.keeps(result.bestEpoch()) || result.bestEpoch() == last.epoch()) {
                return true;
            }
            List<EpochRecord> best = new ArrayList<>(List.of(EpochRecord.of(result.history().get(result.bestEpoch() - 1))));
            // its own write: a rewrite after a failed try replaces only its own epoch, never the stored ones around it
            uncertain = true;
            return persist(handle, () -> {
                write(best);
                return Boolean.TRUE;
            }).isPresent();
        }

        void finishQuietly() {
            try {
                write(pending);
            } catch (RuntimeException e) {
                log.warn("Could not write the history of job {}", handle.id(), e);
            }
        }
    }
}
