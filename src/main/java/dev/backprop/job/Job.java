package dev.backprop.job;

import dev.backprop.platform.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The job aggregate: a training request and its life, {@code QUEUED → RUNNING → SUCCEEDED | FAILED |
 * CANCELLED}, with {@code CANCEL_REQUESTED} while a running job winds down. Every transition checks
 * the current status and names it when it refuses. A running job holds a lease: whoever claimed it
 * renews it, and once it runs out another runner may claim the job again (attempt + 1).
 */
public final class Job {

    private final UUID id;
    private final JobType type;
    private final JobSpec spec;
    private final Instant createdAt;
    private final int epochsTotal;
    private JobStatus status;
    private Instant startedAt;
    private Instant finishedAt;
    private int attempt;
    private String leaseOwner;
    private Instant leaseExpiresAt;
    private int epochsCompleted;
    private UUID modelId;
    private JobResult result;
    private JobError error;
    private int trialsDone;
    private int trialsFailed;
    private Double bestScore;
    private SearchPhase phase;
    private int phaseDone;
    private int phaseTotal;
    private Instant phaseEndsAt;
    private long version;

    private Job(UUID id, JobType type, JobSpec spec, Instant createdAt, int epochsTotal) {
        this.id = id;
        this.type = type;
        this.spec = spec;
        this.createdAt = createdAt;
        this.epochsTotal = epochsTotal;
        this.status = JobStatus.QUEUED;
    }

    /** A new queued training job or search. */
    public static Job submit(JobSpec spec, Instant now) {
        return new Job(UUID.randomUUID(), spec.jobType(), spec, now, spec.epochsTotal());
    }

    /** The state of a stored job, for the repository. */
    static Job restore(UUID id, JobType type, JobSpec spec, Instant createdAt, int epochsTotal, JobStatus status,
                       Instant startedAt, Instant finishedAt, int attempt, String leaseOwner, Instant leaseExpiresAt,
                       int epochsCompleted, UUID modelId, JobResult result, JobError error, int trialsDone,
                       int trialsFailed, Double bestScore, SearchPhase phase, int phaseDone, int phaseTotal, Instant phaseEndsAt,
                       long version) {
        Job job = new Job(id, type, spec, createdAt, epochsTotal);
        job.status = status;
        job.startedAt = startedAt;
        job.finishedAt = finishedAt;
        job.attempt = attempt;
        job.leaseOwner = leaseOwner;
        job.leaseExpiresAt = leaseExpiresAt;
        job.epochsCompleted = epochsCompleted;
        job.modelId = modelId;
        job.result = result;
        job.error = error;
        job.trialsDone = trialsDone;
        job.trialsFailed = trialsFailed;
        job.bestScore = bestScore;
        job.phase = phase;
        job.phaseDone = phaseDone;
        job.phaseTotal = phaseTotal;
        job.phaseEndsAt = phaseEndsAt;
        job.version = version;
        return job;
    }

    /** Whether a runner may claim the job now: queued, or running with a lease that ran out. */
    public boolean isClaimable(Instant now) {
        return status == JobStatus.QUEUED || (isLeased() && leaseExpiresAt != null && leaseExpiresAt.isBefore(now));
    }

    private boolean isLeased() {
        return status == JobStatus.RUNNING || status == JobStatus.CANCEL_REQUESTED;
    }

    /**
     * Claims the job for {@code owner}. A job whose lease ran out is taken up again (attempt + 1) or,
     * after {@code maxAttempts}, failed; one whose cancel was requested is cancelled instead.
     * These are the rules of every claim: {@link JobQueue} applies them through this method, and where it
     * claims in one SQL statement (PostgreSQL), that statement repeats the running case, tested to agree.
     *
     * @return true when the caller now runs the job
     */
    public boolean claim(String owner, Instant now, Duration lease, int maxAttempts) {
        if (!isClaimable(now)) {
            throw new JobStateException("job " + id + " is " + status + " and cannot be claimed");
        }
        if (status == JobStatus.CANCEL_REQUESTED) {
            end(JobStatus.CANCELLED, now);
            return false;
        }
        if (attempt >= maxAttempts) {
            fail(ProblemType.JOB_INTERRUPTED, "the job was interrupted " + attempt + " times (the runner holding it stopped); giving up",
                    now);
            return false;
        }
        status = JobStatus.RUNNING;
        attempt++;
        leaseOwner = owner;
        trialsDone = 0;
        trialsFailed = 0;
        bestScore = null;
        phase = null;
        phaseDone = 0;
        phaseTotal = 0;
        phaseEndsAt = null;
        leaseExpiresAt = now.plus(lease);
        startedAt = now;
        epochsCompleted = 0;
        return true;
    }

    /**
     * Asks the job to stop: a queued job is cancelled at once, a running one winds down.
     *
     * @throws JobStateException when the job has ended
     */
    public void requestCancel(Instant now) {
        switch (status) {
            case QUEUED -> end(JobStatus.CANCELLED, now);
            case RUNNING -> status = JobStatus.CANCEL_REQUESTED;
            case CANCEL_REQUESTED -> {
                // asked twice: still winding down
            }
            default -> throw new JobStateException("job " + id + " has already ended as " + status + "; there is nothing to cancel");
        }
    }

    /** The run finished (every epoch, early stopping or the time budget), with its model when it made one. */
    public void succeed(UUID trainedModelId, JobResult outcome, Instant now) {
        requireRunning("succeed");
        modelId = trainedModelId;
        result = outcome;
        end(JobStatus.SUCCEEDED, now);
    }

    /**
     * The run finished, unless a cancel was requested meanwhile: a cancel answered CANCEL_REQUESTED wins over an
     * outcome that arrives later (the last epochs still being written, the model being stored), and the job ends
     * CANCELLED with {@code cancelledOutcome} and no model. The caller then drops the model it stored.
     */
    public void succeedUnlessCancelled(UUID trainedModelId, JobResult outcome, JobResult cancelledOutcome, Instant now) {
        if (status == JobStatus.CANCEL_REQUESTED) {
            cancelled(cancelledOutcome, now);
        } else {
            succeed(trainedModelId, outcome, now);
        }
    }

    /** The run stopped on a cancel request; {@code outcome} says so in the job type's terms. */
    public void cancelled(JobResult outcome, Instant now) {
        requireRunning("be cancelled");
        result = outcome;
        end(JobStatus.CANCELLED, now);
    }

    /** The run failed: the kind of problem and the reason. */
    public void fail(ProblemType type, String detail, Instant now) {
        if (status.isEnded()) {
            throw new JobStateException("job " + id + " has already ended as " + status);
        }
        error = new JobError(type, detail);
        end(JobStatus.FAILED, now);
    }

    /** Records how many epochs have finished, a progress hint. */
    public void progress(int completed) {
        epochsCompleted = completed;
    }

    /** Throws unless the job has ended, for deletion. */
    public void requireEnded(String action) {
        if (!status.isEnded()) {
            throw new JobStateException("job " + id + " is " + status + "; only an ended job can " + action);
        }
    }

    private void requireRunning(String action) {
        if (!isLeased()) {
            throw new JobStateException("job " + id + " is " + status + " and cannot " + action);
        }
    }

    private void end(JobStatus terminal, Instant now) {
        status = terminal;
        finishedAt = now;
        leaseOwner = null;
        leaseExpiresAt = null;
    }

    /** Records a search's progress, a hint. */
    public void searchProgress(int done, int failed, Double best) {
        trialsDone = done;
        trialsFailed = failed;
        bestScore = best;
    }

    /** The phase a running auto search is in, or null (another job, or one that has not reported one). */
    public SearchPhase phase() {
        return phase;
    }

    /** Units of {@link #phase()} done: re-scores or refit members. */
    public int phaseDone() {
        return phaseDone;
    }

    /** Units of {@link #phase()} planned so far (the re-scores' grows a round at a time). */
    public int phaseTotal() {
        return phaseTotal;
    }

    /** When the search's phase expects to end by its own estimate; null when the phase gives none. */
    public Instant phaseEndsAt() {
        return phaseEndsAt;
    }

    /** Fraction done (epochs, or trials of a search), a hint that never reads 1 before SUCCEEDED. */
    public double progressFraction() {
        if (status == JobStatus.SUCCEEDED) {
            return 1;
        }
        if (type.isSearch()) {
            return trialsTotal() == 0 ? 0 : Math.min(0.99, (double) trialsDone / trialsTotal());
        }
        return epochsTotal == 0 ? 0 : Math.min(0.99, (double) epochsCompleted / epochsTotal);
    }

    /** Trials a search runs; 0 for a training job. */
    public int trialsTotal() {
        return spec.trialsTotal();
    }

    public int trialsDone() {
        return trialsDone;
    }

    public int trialsFailed() {
        return trialsFailed;
    }

    /** The best trial score so far, or null. */
    public Double bestScore() {
        return bestScore;
    }

    public UUID id() {
        return id;
    }

    public JobType type() {
        return type;
    }

    public JobSpec spec() {
        return spec;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public int epochsTotal() {
        return epochsTotal;
    }

    public JobStatus status() {
        return status;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public int attempt() {
        return attempt;
    }

    public String leaseOwner() {
        return leaseOwner;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public int epochsCompleted() {
        return epochsCompleted;
    }

    public UUID modelId() {
        return modelId;
    }

    /** What the run ended with, once it ended with one (not a queued job's cancel, not a failure). */
    public JobResult result() {
        return result;
    }

    /** Why the job failed, or null. */
    public JobError error() {
        return error;
    }

    /** Why the run ended, in the API's words, or null. */
    public String stopReason() {
        return result == null ? null : result.stopReasonName();
    }

    /** The epoch whose weights the model holds, or null. */
    public Integer bestEpoch() {
        return result == null ? null : result.bestEpoch();
    }

    long version() {
        return version;
    }

    /** The repository stored this state: the stored version moved on, and so does this copy's. */
    void saved() {
        version++;
    }
}
