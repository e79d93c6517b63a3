package dev.backprop.job;

import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.FailureEpisode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the training executor, the only threads that train. A scheduler thread claims from the
 * {@link JobQueue} as many jobs as workers are free, in one call, then units of running jobs (a search's
 * trials, from any replica) from the {@link WorkUnitSource}s for the workers still free, and renews the
 * leases of the jobs this replica runs. On shutdown, running jobs are abandoned, not failed: their leases
 * run out and the next runner to claim them starts them over.
 */
@Component
public class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobQueue queue;
    private final JobRepository jobs;
    private final Map<JobType, JobExecution> executions = new EnumMap<>(JobType.class);
    private final List<WorkUnitSource> unitSources;
    private final JobEvents events;
    private final Clock clock;
    private final BackpropProperties.Jobs settings;
    private final String owner = "runner-" + UUID.randomUUID();
    private final Semaphore freeWorkers;
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService scheduler;
    private volatile boolean active;
    private final FailureEpisode failedRenewals = new FailureEpisode(log, "Renewing the leases of this replica's jobs");
    private final FailureEpisode failedClaims = new FailureEpisode(log, "Claiming jobs");
    private final FailureEpisode failedUnitClaims = new FailureEpisode(log, "Claiming work units");

    JobRunner(JobQueue queue, JobRepository jobs, List<JobExecution> executions, List<WorkUnitSource> unitSources,
              JobEvents events, Clock clock, BackpropProperties properties) {
        this.queue = queue;
        this.unitSources = List.copyOf(unitSources);
        this.jobs = jobs;
        for (JobExecution execution : executions) {
            for (JobType type : execution.types()) {
                if (this.executions.put(type, execution) != null) {
                    throw new IllegalStateException("two executions run " + type + " jobs");
                }
            }
        }
        this.events = events;
        this.clock = clock;
        this.settings = properties.jobs();
        this.freeWorkers = new Semaphore(settings.effectiveWorkers());
    }

    @Override
    public void start() {
        int size = settings.effectiveWorkers();
        AtomicInteger counter = new AtomicInteger();
        // Work is admitted by the freeWorkers permits, so this queue stays (nearly) empty; it only bridges the moment
        // between a worker releasing its permit and its thread asking for the next task.
        workers = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "training-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "job-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        active = true;
        scheduler.scheduleWithFixedDelay(this::claimWhileFree, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::renewLeases, settings.heartbeatInterval().toMillis(),
                settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Job runner {} started with {} training workers", owner, size);
    }

    @Override
    public void stop() {
        if (!active) {
            return;
        }
        active = false;
        running.values().forEach(RunningJob::abandon);
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    @Override
    public boolean isAutoStartup() {
        return settings.runnerEnabled();
    }

    /** Looks for work at once, e.g. right after a submit. */
    public void wake() {
        if (active) {
            scheduler.execute(this::claimWhileFree);
        }
    }

    /** Stops a job this replica runs within one mini-batch; other replicas learn it at their next heartbeat. */
    void requestCancel(UUID id) {
        RunningJob job = running.get(id);
        if (job != null) {
            job.requestCancel();
        }
    }

    /** Training workers of this replica. */
    public int workerCount() {
        return settings.effectiveWorkers();
    }

    /** The name this replica's runner claims under: a job's and a unit's lease owner. */
    public String owner() {
        return owner;
    }

    private void claimWhileFree() {
        if (!active) {
            return;
        }
        // Every free worker's permit is taken for the claim, so that a search cannot borrow a worker that a
        // claimed job is about to need; those left unclaimed go back at once.
        int free = freeWorkers.drainPermits();
        if (free == 0) {
            return;
        }
        List<Job> claimed;
        try {
            claimed = queue.claim(owner, free, clock.instant());
            failedClaims.succeeded();
        } catch (RuntimeException e) {
            freeWorkers.release(free);
            failedClaims.failed(e);
            return;
        }
        // Jobs come first: a unit is a part of a job that already runs, a queued job has not started at all.
        int left = free - claimed.size();
        List<WorkUnitSource.Unit> units = left > 0 ? claimUnits(left) : List.of();
        freeWorkers.release(left - units.size());
        units.forEach(this::start);
        for (Job job : claimed) {
            try {
                start(job);
            } catch (RuntimeException e) {
                // an exception out of a scheduled task would end the polling for good
                running.remove(job.id());
                freeWorkers.release();
                log.warn("Job {} could not start; a runner takes it up again once its lease runs out", job.id(), e);
            }
        }
    }

    private List<WorkUnitSource.Unit> claimUnits(int wanted) {
        List<WorkUnitSource.Unit> units = new ArrayList<>();
        for (WorkUnitSource source : unitSources) {
            try {
                units.addAll(source.claim(owner, wanted - units.size(), clock.instant()));
                failedUnitClaims.succeeded();
            } catch (RuntimeException e) {
                failedUnitClaims.failed(e);
            }
        }
        return units;
    }

    /** Runs a claimed unit on a worker whose permit the claim holds; the unit keeps its own lease. */
    private void start(WorkUnitSource.Unit unit) {
        try {
            workers.execute(() -> {
                try {
                    unit.run(() -> !active);
                } catch (RuntimeException e) {
                    log.error("A work unit crashed its worker; its lease runs out and another runner takes it", e);
                } finally {
                    freeWorkers.release();
                    wake();
                }
            });
        } catch (RuntimeException e) {
            freeWorkers.release();
            log.warn("A work unit could not start; another runner takes it once its lease runs out", e);
        }
    }

    /** Runs a claimed job on a worker whose permit the claim holds. */
    private void start(Job job) {
        if (job.attempt() > 1) {
            log.info("Job {} taken up again after its lease ran out (attempt {})", job.id(), job.attempt());
        }
        RunningJob handle = new RunningJob(job, owner, jobs, events, this::runInParallel, this::wake);
        running.put(job.id(), handle);
        workers.execute(() -> {
            try {
                events.publish(job.id(), JobEvent.status(job));
                executionOf(job.type()).run(job, handle);
            } catch (RuntimeException e) {
                log.error("Job {} crashed its worker", job.id(), e);
            } finally {
                running.remove(job.id());
                events.forget(job.id());
                freeWorkers.release();
                wake();
            }
        });
    }

    private JobExecution executionOf(JobType type) {
        JobExecution execution = executions.get(type);
        if (execution == null) {
            throw new IllegalStateException("no execution runs " + type + " jobs");
        }
        return execution;
    }

    /**
     * Runs tasks on the calling worker plus up to {@code parallelism − 1} workers that are free now,
     * each taking the next task until none is left; returns when all have run.
     */
    private void runInParallel(List<Runnable> tasks, int parallelism) {
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                tasks.get(i).run();
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        for (int extra = 1; extra < Math.min(parallelism, tasks.size()) && active && freeWorkers.tryAcquire(); extra++) {
            helpers.add(workers.submit(() -> {
                try {
                    drain.run();
                } finally {
                    freeWorkers.release();
                }
            }));
        }
        drain.run();
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                log.error("A trial worker failed", e.getCause());
            }
        }
    }

    private void renewLeases() {
        List<RunningJob> holding = List.copyOf(running.values());
        if (holding.isEmpty()) {
            return;
        }
        Map<UUID, JobStatus> held;
        try {
            held = queue.renew(owner, holding.stream().map(RunningJob::id).toList(), clock.instant());
            failedRenewals.succeeded();
        } catch (RuntimeException e) {
            // the database is away: one line when the beats start failing, one when they get through again
            failedRenewals.failed(e);
            return;
        }
        for (RunningJob job : holding) {
            JobStatus status = held.get(job.id());
            if (status == null && running.get(job.id()) == job) {
                // a job that finished since the snapshot gave its lease up itself; only a job still running here was lost
                log.warn("Job {} is no longer held by this runner; abandoning it", job.id());
                job.abandon();
            } else if (status == JobStatus.CANCEL_REQUESTED) {
                job.requestCancel();
            }
        }
    }
}
