package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.job.JobEvent;
import dev.backprop.job.JobEvents;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobStatus;
import dev.backprop.job.RunningJob;
import dev.backprop.job.WorkUnitSource;
import dev.backprop.nn.Splits;
import dev.backprop.nn.Task;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.DatabaseOutages;
import dev.backprop.platform.FailureEpisode;
import dev.backprop.search.TrialQueue.ClaimedTrial;
import dev.backprop.training.Direction;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.PreparedFolds;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingInputs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A search's trials spread over every replica on the database, as units of the {@link TrialQueue}. The search's
 * job coordinates: it queues its unfinished trials, runs them on its own worker as any replica's free workers do
 * (claimed through this {@link WorkUnitSource}), counts the trials as they are stored, and returns once none is
 * left, so that the search ranks and refits as before.
 *
 * <p>Each trial keeps its own lease from its training thread: between mini-batches, once per heartbeat (at most a
 * second), one statement renews it and learns whether the search still runs, so a cancel made on any replica stops
 * every replica's trials within about a second, and a trial whose replica died is claimed again once its lease runs
 * out. Whoever runs a trial, it trains the same: its parameters are stored in its unit and its seed comes from the
 * search seed and its index ({@link TrialRunner#trialSeed}). {@code search.parallelism} caps a search's trials at
 * once on every replica together (the queue counts them as it claims). Grid and random searches spread; Bayesian searches, whose proposals depend on which trials
 * finished, and halving, whose rungs wait for each other, run on the search's replica.
 */
@Component
class TrialUnits implements WorkUnitSource {

    private static final Logger log = LoggerFactory.getLogger(TrialUnits.class);
    /** The searches whose data and setup a replica keeps between their trials. */
    private static final int SEARCHES_KEPT = 4;
    /** The longest a trial goes without renewing its lease and looking for a cancel. */
    private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(1);

    /** How a coordinated search's trials ended. */
    enum Outcome {
        /** Every trial ran, or none is left to start (time budget, failures in a row). */
        FINISHED,
        /** A cancel was requested on some replica. */
        CANCEL_REQUESTED,
        /** This replica no longer holds the search (shutdown, lost lease): another resumes it. */
        LOST
    }

    private final TrialQueue queue;
    private final TrialRepository trials;
    private final TrialRunner trialRunner;
    private final JobRepository jobs;
    private final TrainingInputs inputs;
    private final JobSpecResolver resolver;
    private final JobEvents events;
    private final Clock clock;
    private final long heartbeatNanos;
    private final long pollMillis;
    private final Map<UUID, SearchContext> contexts = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, SearchContext> eldest) {
            return size() > SEARCHES_KEPT;
        }
    };
    /** Notified when a trial ends on this replica, so that a waiting search counts it at once. */
    private final Object trialEnded = new Object();
    /** What a store waits on before it is tried again (nothing notifies it: the wait is the pause). */
    private final Object retryPause = new Object();
    private final Duration retryInterval;
    /** A test's hold on trials before they train ({@link TrialGate}); none in the application. */
    private final TrialGate gate;

    TrialUnits(TrialQueue queue, TrialRepository trials, TrialRunner trialRunner, JobRepository jobs, TrainingInputs inputs,
               JobSpecResolver resolver, JobEvents events, Clock clock, BackpropProperties properties,
               ObjectProvider<TrialGate> gates) {
        this.gate = gates.getIfAvailable(() -> TrialGate.NONE);
        this.queue = queue;
        this.trials = trials;
        this.trialRunner = trialRunner;
        this.jobs = jobs;
        this.inputs = inputs;
        this.resolver = resolver;
        this.events = events;
        this.clock = clock;
        Duration heartbeat = properties.jobs().heartbeatInterval();
        this.heartbeatNanos = (heartbeat.compareTo(MAX_HEARTBEAT) < 0 ? heartbeat : MAX_HEARTBEAT).toNanos();
        this.pollMillis = Math.max(1, properties.jobs().pollInterval().toMillis());
        this.retryInterval = properties.history().retryInterval();
    }

    /** Whether a search's trials are spread over the replicas (else they run on the search's own replica). */
    static boolean spreads(SearchSpec search) {
        // a search that proposes its trials (Bayesian, auto) draws each from the scores so far, on its own replica
        return !search.halving() && !search.type().proposes();
    }

    @Override
    public List<Unit> claim(String owner, int wanted, Instant now) {
        List<Unit> units = new ArrayList<>();
        while (units.size() < wanted) {
            Optional<ClaimedTrial> claimed = queue.claim(owner, now, null);
            if (claimed.isEmpty()) {
                break;
            }
            units.add(runnerStopping -> run(claimed.get(), runnerStopping));
        }
        return units;
    }

    /**
     * Runs a claimed search's unfinished trials in {@code order} with every replica, and returns once none is
     * left to run or wait for, with trials done, failures and the best score recorded in {@code progress} (and
     * through it on the job) as they are stored, wherever they ran; this replica's followers hear of every trial
     * through {@code feed} ({@link RemoteTrials}).
     */
    Outcome coordinate(Job job, RunningJob handle, List<Integer> order, IntFunction<Map<String, Object>> pointOf,
                       Instant deadline, SearchProgress progress, TrialFeed feed) {
        UUID id = job.id();
        SearchSpec search = TrainingInputs.specOf(job).search();
        queue.publish(id, order, pointOf, Math.max(1, search.parallelism()), deadline);
        handle.offerWork();
        RemoteTrials remote = new RemoteTrials(queue, feed, clock, handle, progress, pollMillis);
        FailureEpisode outage = new FailureEpisode(log, "Coordinating the trials of search " + id);
        while (true) {
            if (handle.isAbandoned()) {
                return Outcome.LOST;
            }
            try {
                Optional<Outcome> ended = coordinateOnce(id, search, handle, deadline, progress, remote);
                outage.succeeded();
                if (ended.isPresent()) {
                    return ended.get();
                }
            } catch (RuntimeException e) {
                if (!DatabaseOutages.isOutage(e)) {
                    throw e;
                }
                // the database is away: the trials running here train on and wait to be stored, and so does the search
                outage.failed(e);
                if (!handle.pauseBeforeRetry(retryInterval)) {
                    return Outcome.LOST;
                }
            }
        }
    }

    /** One look at the search's trials: claims and runs one here, or waits for one to end; the outcome once none is left. */
    private Optional<Outcome> coordinateOnce(UUID id, SearchSpec search, RunningJob handle, Instant deadline, SearchProgress progress,
                                             RemoteTrials remote) {
        Optional<JobStatus> status = queue.statusIfHeld(id, handle.owner(), handle.attempt());
        if (status.isEmpty()) {
            return Optional.of(Outcome.LOST);
        }
        if (handle.shouldStop() || status.get() != JobStatus.RUNNING) {
            // A cancel-requested search never runs a trial again (a claim ends it as CANCELLED). Its trials running
            // elsewhere drop their own units as they stop.
            queue.dropUnclaimed(id, clock.instant());
            return Optional.of(Outcome.CANCEL_REQUESTED);
        }
        remote.look();
        Instant now = clock.instant();
        if (progress.stopped() || (deadline != null && !now.isBefore(deadline))) {
            queue.dropUnclaimed(id, now);
        }
        giveUpExhausted(id, search);
        Optional<ClaimedTrial> mine = queue.claim(handle.owner(), now, id);
        if (mine.isPresent()) {
            run(mine.get(), () -> {
                remote.lookIfDue();
                return handle.shouldStop();
            });
            return Optional.empty();
        }
        if (queue.remaining(id) == 0) {
            remote.look();
            return Optional.of(Outcome.FINISHED);
        }
        return awaitATrialsEnd() ? Optional.empty() : Optional.of(Outcome.LOST);
    }

    /** Records as failed the trials whose runners all stopped while running them, so that the search can end. */
    private void giveUpExhausted(UUID id, SearchSpec search) {
        for (ClaimedTrial unit : queue.exhausted(id, clock.instant())) {
            String error = "the runner running this trial stopped " + unit.attempt() + " times (crash, kill or shutdown); "
                    + "it is not tried again";
            queue.giveUp(unit, new TrialRecord(unit.index(), unit.params(), "FAILED", null, null, null, 0, error,
                    TrialRunner.trialSeed(search.seed(), unit.index()), null, null, null, null));
        }
    }

    /** Waits for a trial of this replica to end, or a poll interval for one of another; false when interrupted. */
    private boolean awaitATrialsEnd() {
        synchronized (trialEnded) {
            try {
                trialEnded.wait(pollMillis);
                return true;
            } catch (InterruptedException e) {
                // only the runner's shutdown interrupts its workers, after it abandoned every job: the search is given up
                return false;
            }
        }
    }

    /** Runs one claimed trial on the calling training thread and stores it, unless it was stopped or its claim lost. */
    private void run(ClaimedTrial claim, BooleanSupplier stopping) {
        try {
            // the reads before training wait for a database that went away, as the store after it does: a unit that
            // failed here would be left to its lease, and run again
            SearchContext context = throughOutage("Reading the search", () -> contextOf(claim.jobId()), claim, stopping).orElse(null);
            if (context == null) {
                return;
            }
            if (claim.deadline() != null && !clock.instant().isBefore(claim.deadline())) {
                queue.release(claim);
                return;
            }
            gate.beforeTrial(claim.jobId(), claim.index(), stopping);
            Lease lease = new Lease(claim);
            events.tellFollowers(claim.jobId(), new JobEvent("trial", new SearchExecution.TrialEvent(claim.index(), "STARTED", claim.params(),
                    null, null)));
            MedianStopping median = context.resolved().search().stopsAtMedian() ? throughOutage("Reading the trials", () ->
                    context.median(trials.findTrials(claim.jobId(), true)), claim, stopping).orElse(null) : null;
            TrialRecord record = trialRunner.run(claim.index(), claim.params(), context.resolved(), context.data(), context.folds(),
                    context.metric(),
                    context.foldOfRow(), claim.deadline(), () -> stopping.getAsBoolean() || lease.lost(), lease::epoch,
                    new TrialRunner.Budget(0, 1, median));
            if (record == null && lease.lost()) {
                // the search stopped (or another runner holds the unit, and this is a no-op)
                queue.drop(claim);
            } else if (record == null) {
                queue.release(claim);
            } else if (!store(claim, record, stopping)) {
                log.info("Trial {} of search {} was taken over by another runner; dropping its outcome", claim.index(), claim.jobId());
            }
        } catch (RuntimeException e) {
            queue.release(claim);
            throw e;
        } finally {
            synchronized (trialEnded) {
                trialEnded.notifyAll();
            }
        }
    }

    /**
     * Stores a finished trial, waiting for a database that went away (every {@code backprop.history.retry-interval},
     * while {@code stopping} says no): the trial is not run again. A store retried after an unconfirmed commit finds
     * it stored ({@link TrialQueue#finish}).
     *
     * @return false when another runner took the trial over, or this one stopped before the database came back
     */
    private boolean store(ClaimedTrial claim, TrialRecord record, BooleanSupplier stopping) {
        return throughOutage("Storing", () -> queue.finish(claim, record), claim, stopping).orElse(false);
    }

    /** Runs {@code work} for a claimed trial, trying again while the database is away; empty once {@code stopping}. */
    private <T> Optional<T> throughOutage(String what, java.util.function.Supplier<T> work, ClaimedTrial claim, BooleanSupplier stopping) {
        return DatabaseOutages.retry(work, retryInterval, pause -> !stopping.getAsBoolean() && pause(pause),
                new FailureEpisode(log, what + " for trial " + claim.index() + " of search " + claim.jobId()));
    }

    /** Waits {@code pause} before a write is tried again; false when interrupted (the runner shuts down). */
    private boolean pause(Duration pause) {
        synchronized (retryPause) {
            try {
                retryPause.wait(Math.max(1, pause.toMillis()));
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private SearchContext contextOf(UUID jobId) {
        synchronized (contexts) {
            SearchContext kept = contexts.get(jobId);
            if (kept != null) {
                return kept;
            }
        }
        Job job = jobs.findById(jobId).orElseThrow(() -> new IllegalStateException("search " + jobId + " is gone"));
        SearchContext context = SearchContext.of(TrainingInputs.specOf(job), inputs.find(jobId), resolver);
        synchronized (contexts) {
            contexts.put(jobId, context);
        }
        return context;
    }

    /**
     * What every trial of one search shares, the same on every replica: the resolved request, the data, the
     * metric and the folds (drawn from the search seed); and, on this replica, the folds as encoded by its first trial.
     */
    record SearchContext(ResolvedTrainingJob resolved, TrainingData data, PreparedFolds folds, SearchMetric metric, int[] foldOfRow) {

        static SearchContext of(ResolvedTrainingJob resolved, TrainingData data, JobSpecResolver resolver) {
            SearchSpec search = resolved.search();
            int[] foldOfRow = search.folds() == null ? null : Splits.foldAssignment(resolver.encoded(resolved, data), search.folds(),
                    resolved.engineTask() == Task.CLASSIFICATION, new SplittableRandom(search.seed()));
            return new SearchContext(resolved, data, new PreparedFolds(), SearchMetric.named(search.metric()), foldOfRow);
        }

        /** The median stopping rule over the trials completed so far. */
        MedianStopping median(List<TrialRecord> stored) {
            SearchSpec search = resolved.search();
            // the rule compares the ranking metric per epoch when the history has it (the headline), else the validation loss
            boolean headline = metric.wireName().equals(resolved.engineTask() == Task.CLASSIFICATION ? "accuracy" : "r2");
            return new MedianStopping(search.medianStoppingMinEpochs(), search.medianStoppingMinTrials(), headline,
                    search.mode() == Direction.MAX, stored);
        }
    }

    /**
     * A claimed trial's lease, renewed from its training thread: asked between mini-batches whether the trial
     * must stop, it renews at most once per heartbeat and answers from the last renewal in between.
     */
    private final class Lease {
        private final ClaimedTrial claim;
        private final FailureEpisode failures;
        private volatile int epoch;
        private long nextBeat;
        private boolean lost;

        Lease(ClaimedTrial claim) {
            this.claim = claim;
            this.failures = new FailureEpisode(log, "Renewing the lease of trial " + claim.index() + " of search " + claim.jobId());
            this.nextBeat = System.nanoTime() + heartbeatNanos;
        }

        void epoch(int completed) {
            epoch = completed;
        }

        synchronized boolean lost() {
            long now = System.nanoTime();
            if (!lost && now - nextBeat >= 0) {
                nextBeat = now + heartbeatNanos;
                try {
                    lost = !queue.heartbeat(claim, epoch, clock.instant());
                    failures.succeeded();
                } catch (RuntimeException e) {
                    // the database is away: train on; if the lease runs out meanwhile, the finished trial is not stored twice
                    failures.failed(e);
                }
            }
            return lost;
        }
    }
}
