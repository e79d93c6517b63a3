package dev.backprop.job.web;

import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingInputs;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.training.DataSummary;
import dev.backprop.training.PhaseTimings;
import dev.backprop.training.TrainingOutcome;
import dev.backprop.job.Job;
import dev.backprop.job.JobStatus;
import dev.backprop.job.JobType;
import dev.backprop.job.SearchPhase;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.WireName;
import dev.backprop.platform.ProblemType;
import dev.backprop.search.SearchReports;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import dev.backprop.model.Warning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as clients see it: status, progress, times, outcome, and the request it runs with every
 * default filled in.
 *
 * @param progress a hint, in epochs for a training job and in trials for a search: never 1 before SUCCEEDED
 * @param error    why the job failed, as a problem object
 * @param defaults each setting the request left out, with the value chosen and why
 * @param warnings what the request, the data and (once ended) the outcome call for attention
 * @param timings  where an ended training job's time went (its preparation, training, evaluation), or absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResponse(UUID id, String type, String name, JobStatus status, String task, boolean taskInferred,
                          Progress progress, Instant createdAt, Instant startedAt, Instant finishedAt, int attempt,
                          UUID modelId, String stopReason, Integer bestEpoch, Problem error, DataSummary data,
                          long parameterCount, TrainingJobSpec request, Trials trials, SearchSpec search,
                          Map<String, String> defaults, List<Warning> warnings, PhaseTimings timings) {

    /**
     * A search's trials.
     *
     * @param total      the trials the search runs; for an auto search its {@code maxTrials}, a safety cap (its budget ends it)
     * @param bestScore  the best trial's score so far
     * @param etaSeconds as {@code progress.etaSeconds}
     * @param running    the trials running now on every replica, with their epochs, while a grid or random search runs
     */
    public record Trials(int total, int done, int failed, Double bestScore, Long etaSeconds,
                         @JsonInclude(JsonInclude.Include.NON_NULL) List<SearchReports.RunningTrial> running) {
    }

    /**
     * How far a job is, counted in what it runs: epochs for a training job, trials for a search (whose
     * refit, after the last trial, is not counted), seconds of its budget for an auto search (its budget, refit
     * included, is what ends it; its {@code maxTrials} is only a safety cap, and {@code trials.done} counts its trials).
     *
     * @param unit       {@code epochs}, {@code trials} or {@code seconds}: what {@code done} and {@code total} count
     * @param done       epochs or trials finished, or seconds since an auto search started (to its end once ended)
     * @param total      epochs asked for (early stopping or a time budget may end the run sooner), the
     *                   trials the search runs, or an auto search's {@code maxRuntimeSeconds}
     * @param fraction   done / total, below 1 until SUCCEEDED
     * @param etaSeconds estimated seconds left, while running once an epoch or trial has finished: from the
     *                   mean epoch time so far, or from the finished trials' mean fit time, the trials left
     *                   and the search's parallelism, within its time budget; for an auto search, while running, the
     *                   estimated seconds until its end, counting every phase still ahead (its trials, the re-scores of
     *                   its best trials, its refit's members), never more than the seconds left of its budget
     * @param phase      an auto search's phase ({@code trials}, {@code rescores}, {@code refit}) with its units done of
     *                   planned (trials, re-scores of a trial on a split, refit members); absent for other jobs
     * @param epoch      a training job's {@code done} under its earlier name, for existing clients; absent for a search
     * @param epochs     a training job's {@code total} under its earlier name; absent for a search
     */
    public record Progress(Unit unit, int done, int total, double fraction, Long etaSeconds,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer epoch,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer epochs,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Phase phase) {

        /**
         * Where an auto search is: its phase and the phase's units done of those planned so far (the re-scores' total
         * grows a round at a time; the trials' is the search's safety cap).
         */
        public record Phase(String name, int done, int total) {
        }

        /** What a job's progress counts. */
        public enum Unit implements WireName {
            EPOCHS, TRIALS, SECONDS
        }

        static Progress ofEpochs(int done, int total, double fraction, Long etaSeconds) {
            return new Progress(Unit.EPOCHS, done, total, fraction, etaSeconds, done, total, null);
        }

        static Progress ofTrials(int done, int total, double fraction, Long etaSeconds) {
            return new Progress(Unit.TRIALS, done, total, fraction, etaSeconds, null, null, null);
        }

        /**
         * An auto search's progress through its {@code budget}, from its start to {@code now} or its
         * end, with its phase and {@code phasesEtaSeconds}, the estimate of every phase still ahead (null: the budget left).
         */
        static Progress ofBudget(Job job, Duration budget, Instant now, Long phasesEtaSeconds) {
            Duration spent = job.startedAt() == null ? Duration.ZERO
                    : Duration.between(job.startedAt(), job.finishedAt() != null ? job.finishedAt() : now);
            long elapsed = Math.max(0, spent.toSeconds());
            // whole seconds on the wire (done, total, ETA), so a fractional budget's total is its seconds rounded up
            int budgetSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (budget.toMillis() + 999) / 1000));
            double fraction = job.status() == JobStatus.SUCCEEDED ? 1
                    : Math.min(0.99, Math.max(0, spent.toNanos()) / (double) budget.toNanos());
            Long eta = job.status() == JobStatus.RUNNING && job.startedAt() != null
                    ? Math.min(Math.max(0, Math.round(budget.minus(spent).toMillis() / 1000.0)),
                    phasesEtaSeconds == null ? Long.MAX_VALUE : phasesEtaSeconds) : null;
            Phase phase = job.startedAt() == null ? null : job.phase() == null || job.phase() == SearchPhase.TRIALS
                    ? new Phase("trials", job.trialsDone(), job.trialsTotal())
                    : new Phase(job.phase().name().toLowerCase(java.util.Locale.ROOT), job.phaseDone(), job.phaseTotal());
            return new Progress(Unit.SECONDS, (int) Math.min(Integer.MAX_VALUE, elapsed), budgetSeconds, fraction, eta, null, null,
                    phase);
        }
    }

    /** An RFC 9457 problem describing a failure. */
    public record Problem(URI type, String title, String detail) {
    }

    /**
     * @param searchEtaSeconds a running search's estimate of the seconds its trials still take, or null
     * @param runningTrials    a running search's trials running now, or null
     */
    static JobResponse of(Job job, Instant now, Long searchEtaSeconds, List<Warning> outcomeWarnings,
                          List<SearchReports.RunningTrial> runningTrials) {
        Trials trials = null;
        Progress progress;
        ResolvedTrainingJob spec = TrainingInputs.specOf(job);
        if (job.type().isSearch()) {
            Duration budget = spec.search() == null ? null : spec.search().budget();
            progress = job.type() == JobType.AUTO && budget != null ? Progress.ofBudget(job, budget, now, searchEtaSeconds)
                    : Progress.ofTrials(job.trialsDone(), job.trialsTotal(), job.progressFraction(), searchEtaSeconds);
            trials = new Trials(job.trialsTotal(), job.trialsDone(), job.trialsFailed(), job.bestScore(),
                    progress.unit() == Progress.Unit.SECONDS ? progress.etaSeconds() : searchEtaSeconds, runningTrials);
        } else {
            Long eta = null;
            if (job.status() == JobStatus.RUNNING && job.startedAt() != null && job.epochsCompleted() > 0) {
                double perEpoch = Duration.between(job.startedAt(), now).toMillis() / (double) job.epochsCompleted();
                eta = Math.round(perEpoch * (job.epochsTotal() - job.epochsCompleted()) / 1000);
            }
            progress = Progress.ofEpochs(job.epochsCompleted(), job.epochsTotal(), job.progressFraction(), eta);
        }
        Problem error = null;
        if (job.error() != null) {
            ProblemType type = job.error().type();
            error = new Problem(type.uri(), type.title(), job.error().detail());
        }
        return new JobResponse(job.id(), job.type().name().toLowerCase(java.util.Locale.ROOT), spec.spec().name(),
                job.status(), spec.task(), spec.taskInferred(), progress, job.createdAt(),
                job.startedAt(), job.finishedAt(), job.attempt(), job.modelId(), job.stopReason(), job.bestEpoch(), error,
                spec.data(), spec.parameterCount(), spec.spec(), trials, spec.search(), spec.defaults(),
                concat(spec.warnings(), outcomeWarnings),
                job.result() instanceof TrainingOutcome outcome ? outcome.timings() : null);
    }

    private static List<Warning> concat(List<Warning> first, List<Warning> second) {
        List<Warning> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
