package dev.backprop.job.web;

import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingInputs;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.training.DataSummary;
import dev.backprop.job.Job;
import dev.backprop.job.JobStatus;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.platform.ProblemType;
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
 * @param progress a hint: never 1 before SUCCEEDED
 * @param error    why the job failed, as a problem object
 * @param defaults each setting the request left out, with the value chosen and why
 * @param warnings what the request, the data and (once ended) the outcome call for attention
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResponse(UUID id, String type, String name, JobStatus status, String task, boolean taskInferred,
                          Progress progress, Instant createdAt, Instant startedAt, Instant finishedAt, int attempt,
                          UUID modelId, String stopReason, Integer bestEpoch, Problem error, DataSummary data,
                          long parameterCount, TrainingJobSpec request, Trials trials, SearchSpec search,
                          Map<String, String> defaults, List<Warning> warnings) {

    /**
     * A search's progress.
     *
     * @param bestScore the best trial's score so far
     */
    public record Trials(int total, int done, int failed, Double bestScore, Long etaSeconds) {
    }

    /**
     * @param epoch      epochs finished (trials, for a search)
     * @param epochs     epochs asked for (trials, for a search)
     * @param fraction   epoch / epochs, below 1 until SUCCEEDED
     * @param etaSeconds estimated seconds left, while running
     */
    public record Progress(int epoch, int epochs, double fraction, Long etaSeconds) {
    }

    /** An RFC 9457 problem describing a failure. */
    public record Problem(URI type, String title, String detail) {
    }

    static JobResponse of(Job job, Instant now, List<Warning> outcomeWarnings) {
        Long eta = null;
        Trials trials = null;
        if (job.type().isSearch()) {
            Long trialEta = null;
            if (job.status() == JobStatus.RUNNING && job.startedAt() != null && job.trialsDone() > 0) {
                double perTrial = Duration.between(job.startedAt(), now).toMillis() / (double) job.trialsDone();
                trialEta = Math.round(perTrial * (job.trialsTotal() - job.trialsDone()) / 1000);
            }
            trials = new Trials(job.trialsTotal(), job.trialsDone(), job.trialsFailed(), job.bestScore(), trialEta);
        } else if (job.status() == JobStatus.RUNNING && job.startedAt() != null && job.epochsCompleted() > 0) {
            double perEpoch = Duration.between(job.startedAt(), now).toMillis() / (double) job.epochsCompleted();
            eta = Math.round(perEpoch * (job.epochsTotal() - job.epochsCompleted()) / 1000);
        }
        Problem error = null;
        if (job.error() != null) {
            ProblemType type = job.error().type();
            error = new Problem(type.uri(), type.title(), job.error().detail());
        }
        Progress progress = job.type().isSearch() ? new Progress(job.trialsDone(), job.trialsTotal(), job.progressFraction(), null)
                : new Progress(job.epochsCompleted(), job.epochsTotal(), job.progressFraction(), eta);
        ResolvedTrainingJob spec = TrainingInputs.specOf(job);
        return new JobResponse(job.id(), job.type().name().toLowerCase(java.util.Locale.ROOT), spec.spec().name(),
                job.status(), spec.task(), spec.taskInferred(), progress, job.createdAt(),
                job.startedAt(), job.finishedAt(), job.attempt(), job.modelId(), job.stopReason(), job.bestEpoch(), error,
                spec.data(), spec.parameterCount(), spec.spec(), trials, spec.search(), spec.defaults(),
                concat(spec.warnings(), outcomeWarnings));
    }

    private static List<Warning> concat(List<Warning> first, List<Warning> second) {
        List<Warning> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
