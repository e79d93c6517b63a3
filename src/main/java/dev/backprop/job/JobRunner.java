package dev.backprop.job;

import dev.backprop.platform.BackpropProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Owns the training executor, the only threads that train. The job table is the queue: a scheduler
 * thread claims queued jobs (and jobs whose lease ran out) while a worker is free, and renews the
 * leases of the jobs this replica runs. On shutdown, running jobs are abandoned, not failed: their
 * leases run out and the next runner to claim them starts them over.
 */
@Component
public class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int CLAIM_BATCH = 8;

    private final JobRepository jobs;
    private final Map<JobType, JobExecution> executions = new EnumMap<>(JobType.class);
    private final JobEvents events;
    private final Clock clock;
    private final BackpropProperties.Jobs settings;
    private final String owner = "runner-" + UUID.randomUUID();
    private final Semaphore freeWorkers;
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService scheduler;
    private volatile boolean active;

    JobRunner(JobRepository jobs, List<JobExecution> executions, JobEvents events, Clock clock, BackpropProperties properties) {
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

    private void claimWhileFree() {
        try {
            while (active && freeWorkers.tryAcquire()) {
                Optional<Job> claimed = claimOne();
                if (claimed.isEmpty()) {
                    freeWorkers.release();
                    return;
                }
                Job job = claimed.get();
                RunningJob handle = new RunningJob(job, owner, jobs, events, this::runInParallel);
                running.put(job.id(), handle);
                workers.execute(() -> {
                    try {
                        events.publish(job.id(), JobEvent.status(job));
                        executionOf(job.type()).run(job, handle);
                    } catch (RuntimeException e) {
                        log.error("Job {} crashed its worker", job.id(), e);
                    } finally {
                        running.remove(job.id());
                        freeWorkers.release();
                        wake();
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Claiming jobs failed; retrying at the next poll", e);
        }
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

    private Optional<Job> claimOne() {
        Instant now = clock.instant();
        for (UUID id : jobs.findClaimable(now, CLAIM_BATCH)) {
            Job job = jobs.findById(id).orElse(null);
            if (job == null || !job.isClaimable(now)) {
                continue;
            }
            boolean runs = job.claim(owner, now, settings.leaseDuration(), settings.maxAttempts());
            try {
                jobs.save(job);
            } catch (JobRepository.ConcurrentUpdateException e) {
                continue;
            }
            if (runs) {
                if (job.attempt() > 1) {
                    log.info("Job {} taken up again after its lease ran out (attempt {})", id, job.attempt());
                }
                return Optional.of(job);
            }
            events.publish(id, JobEvent.status(job));
        }
        return Optional.empty();
    }

    private void renewLeases() {
        Instant until = clock.instant().plus(settings.leaseDuration());
        for (RunningJob job : running.values()) {
            try {
                JobStatus status = jobs.renewLease(job.id(), owner, until);
                if (status == null) {
                    log.warn("Job {} is no longer held by this runner; abandoning it", job.id());
                    job.abandon();
                } else if (status == JobStatus.CANCEL_REQUESTED) {
                    job.requestCancel();
                }
            } catch (RuntimeException e) {
                log.warn("Renewing the lease of job {} failed; retrying at the next heartbeat", job.id(), e);
            }
        }
    }
}
