package dev.backprop.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's handle on a job it runs, given to the job's {@link JobExecution}: the attempt it
 * claimed, the reasons to stop early, progress hints, live events, parallel work on free training
 * threads, and the terminal transition. A cancel request ends the job as CANCELLED; a shutdown or a
 * lost lease abandons it untouched, so that the next runner whose claim succeeds takes it up again.
 */
public final class RunningJob {

    private static final Logger log = LoggerFactory.getLogger(RunningJob.class);
    private static final int MAX_FINISH_ATTEMPTS = 5;

    /** Runs tasks on the calling worker plus free workers, at most {@code parallelism} at once. */
    @FunctionalInterface
    interface ParallelWork {
        void runAll(List<Runnable> tasks, int parallelism);
    }

    private final UUID id;
    private final int attempt;
    private final String owner;
    private final JobRepository jobs;
    private final JobEvents events;
    private final ParallelWork parallelWork;
    private final Runnable wakeRunner;
    private volatile boolean cancelRequested;
    private volatile boolean abandoned;
    private final CountDownLatch givenUp = new CountDownLatch(1);

    RunningJob(Job job, String owner, JobRepository jobs, JobEvents events, ParallelWork parallelWork, Runnable wakeRunner) {
        this.id = job.id();
        this.attempt = job.attempt();
        this.owner = owner;
        this.jobs = jobs;
        this.events = events;
        this.parallelWork = parallelWork;
        this.wakeRunner = wakeRunner;
    }

    public UUID id() {
        return id;
    }

    public int attempt() {
        return attempt;
    }

    /** The runner that holds the job: its lease owner, and the owner of the work units this replica claims. */
    public String owner() {
        return owner;
    }

    /** Tells this replica's runner that the job has units of work for its free workers now, not at the next poll. */
    public void offerWork() {
        wakeRunner.run();
    }

    void requestCancel() {
        cancelRequested = true;
    }

    void abandon() {
        abandoned = true;
        givenUp.countDown();
    }

    /**
     * Waits up to {@code pause} before the execution tries a write again (the database is away), ending the wait as
     * soon as this replica gives the job up, so that a shutdown does not wait for it.
     *
     * @return true to try again, false once the job is abandoned
     */
    public boolean pauseBeforeRetry(Duration pause) {
        try {
            return !givenUp.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // only the runner's shutdownNow interrupts a worker: the job is given up, as at a shutdown, and the
            // worker returns at once, which is what the interrupt asks
            abandon();
            return false;
        }
    }

    /** True when this replica gave the job up (shutdown, lost lease): its outcome must not be written. */
    public boolean isAbandoned() {
        return abandoned;
    }

    /** Asked by the trainer between mini-batches. */
    public boolean shouldStop() {
        return cancelRequested || abandoned;
    }

    /** Records how many epochs have finished, a hint that needs no version check. */
    public void recordEpochs(int epochsCompleted) {
        jobs.updateProgress(id, owner, epochsCompleted);
    }

    /** Records a search's progress, a hint that needs no version check. */
    public void recordTrials(int done, int failed, Double bestScore) {
        jobs.updateSearchProgress(id, owner, done, failed, bestScore);
    }

    /** Records the phase an auto search is in and its units done of planned, a hint that needs no version check. */
    public void recordPhase(SearchPhase phase, int done, int total) {
        recordPhase(phase, done, total, null);
    }

    /** Records the phase with when it expects to end by its own estimate (null for none), a hint as the counts are. */
    public void recordPhase(SearchPhase phase, int done, int total, Instant endsAt) {
        jobs.updateSearchPhase(id, owner, phase, done, total, endsAt);
    }

    /** Tells live followers something happened (a trial). */
    public void publish(String name, Object payload) {
        events.publish(id, new JobEvent(name, payload));
    }

    /**
     * Tells live followers something happened that the job's stored history will hold under {@code eventId}
     * (an epoch), from which a follower that reconnects resumes.
     */
    public void publish(String name, long eventId, Object payload) {
        events.publish(id, new JobEvent(name, eventId, payload));
    }

    /**
     * Runs every task, at most {@code parallelism} at once (the calling worker plus any workers free now,
     * each taking the next task until none is left), and returns when all have run.
     */
    public void runInParallel(List<Runnable> tasks, int parallelism) {
        parallelWork.runAll(tasks, parallelism);
    }

    /**
     * Applies a terminal transition to the freshest stored job, unless another runner took it over.
     *
     * @return the job as stored after the transition, or empty when this runner did not store it
     */
    public Optional<Job> finish(Consumer<Job> transition) {
        for (int tries = 0; tries < MAX_FINISH_ATTEMPTS; tries++) {
            Job current = jobs.findById(id).orElse(null);
            if (current == null || !owner.equals(current.leaseOwner()) || current.attempt() != attempt) {
                log.info("Job {} is no longer held by this runner; dropping its outcome", id);
                return Optional.empty();
            }
            try {
                transition.accept(current);
                jobs.save(current);
                events.publish(id, JobEvent.status(current));
                return Optional.of(current);
            } catch (JobRepository.ConcurrentUpdateException e) {
                log.debug("Job {} changed while finishing; retrying", id);
            }
        }
        log.warn("Job {} could not be finished after {} attempts", id, MAX_FINISH_ATTEMPTS);
        return Optional.empty();
    }
}
