package dev.backprop.job;

import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.Task;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ServiceFullException;
import dev.backprop.search.TrialRanking;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The use cases of training jobs: submit (or dry-run), read, list, cancel, delete and follow.
 * Admission control lives here: a 202 always means a stored job, and a full service stores nothing.
 */
@Service
public class JobService {

    private final JobRepository jobs;
    private final JobSpecResolver resolver;
    private final SearchResolver searches;
    private final JobRunner runner;
    private final JobEvents events;
    private final JsonMapper json;
    private final Clock clock;
    private final BackpropProperties.Jobs settings;
    private final Object admission = new Object();

    JobService(JobRepository jobs, JobSpecResolver resolver, SearchResolver searches, JobRunner runner, JobEvents events, JsonMapper json, Clock clock,
               BackpropProperties properties, MeterRegistry meters) {
        this.jobs = jobs;
        this.resolver = resolver;
        this.searches = searches;
        this.runner = runner;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.settings = properties.jobs();
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("backprop.jobs", jobs, repository -> repository.countByStatus(status))
                    .description("Jobs by status").tag("status", status.name()).register(meters);
        }
    }

    /** Validates a request (a search when {@code search} is given) and fills its defaults, storing and running nothing. */
    public ResolvedTrainingJob dryRun(TrainingJobSpec spec, SearchSpec search, TrainingData data) {
        return search == null ? resolver.resolve(spec, data) : searches.resolve(spec, search, data);
    }

    /**
     * Validates and stores a training job, queued for the runner.
     *
     * @throws ApiException         a 400 listing the fields at fault
     * @throws ServiceFullException when the service is at capacity; nothing is stored
     */
    public Job submit(TrainingJobSpec spec, SearchSpec search, TrainingData data) {
        ResolvedTrainingJob resolved = dryRun(spec, search, data);
        Job job;
        synchronized (admission) {
            long capacity = (long) runner.workerCount() + settings.queueCapacity();
            long active = jobs.countActive();
            if (active >= capacity) {
                throw new ServiceFullException("the service holds " + active + " queued and running jobs, its capacity; retry later",
                        settings.retryAfter());
            }
            job = Job.submit(resolved, clock.instant());
            jobs.insert(job, data);
        }
        runner.wake();
        return job;
    }

    public Job get(UUID id) {
        return jobs.findById(id).orElseThrow(() -> ApiException.notFound("job", id));
    }

    /** A page of jobs, newest first, optionally filtered by status. */
    public List<Job> list(Collection<JobStatus> statuses, int page, int size) {
        return jobs.findPage(statuses, page, size);
    }

    public long count(Collection<JobStatus> statuses) {
        return jobs.count(statuses);
    }

    /**
     * Cancels a job: a queued one at once, a running one within a mini-batch.
     *
     * @throws JobStateException (409) when the job has ended
     */
    public Job cancel(UUID id) {
        for (int attempt = 0; ; attempt++) {
            Job job = get(id);
            job.requestCancel(clock.instant());
            try {
                jobs.save(job);
            } catch (JobRepository.ConcurrentUpdateException e) {
                if (attempt < 5) {
                    continue;
                }
                throw e;
            }
            runner.requestCancel(id);
            events.publish(id, JobEvent.status(job));
            return job;
        }
    }

    /** Forgets an ended job and its history; its model stays. */
    public void delete(UUID id) {
        Job job = get(id);
        job.requireEnded("be deleted");
        jobs.delete(id);
    }

    /** The history and, once ended, the outcome of a job. */
    public JobMetrics metrics(UUID id) {
        Job job = get(id);
        List<EpochRecord> history = jobs.findEpochs(id);
        FinalMetrics finalMetrics = job.finalMetrics() == null ? null : json.readValue(job.finalMetrics(), FinalMetrics.class);
        String metric = Task.valueOf(job.spec().task().toUpperCase(Locale.ROOT)).headlineMetricName();
        return new JobMetrics(job, metric, history, job.bestEpoch(), job.stopReason(), finalMetrics,
                job.type().isSearch() ? searchResults(job) : null);
    }

    private SearchResults searchResults(Job job) {
        SearchSpec search = job.spec().search();
        List<TrialRecord> trials = jobs.findTrials(job.id(), true);
        int[] ranks = TrialRanking.rank(trials.stream().map(TrialRecord::score).toList(), "max".equals(search.mode()));
        List<SearchResults.RankedTrial> ranked = new java.util.ArrayList<>();
        TrialRecord best = null;
        for (int i = 0; i < trials.size(); i++) {
            TrialRecord t = trials.get(i);
            ranked.add(new SearchResults.RankedTrial(t.index(), ranks[i], t.params(), t.status(), t.score(), t.scoreStd(),
                    t.foldScores(), t.fitMillis(), t.error(), t.seed()));
            if (ranks[i] == 1 && t.succeeded() && best == null) {
                best = t;
            }
        }
        ranked.sort(java.util.Comparator.comparingInt(SearchResults.RankedTrial::rank).thenComparingInt(SearchResults.RankedTrial::index));
        return new SearchResults(search.metric(), search.mode(), search.folds(), job.trialsTotal(), ranked,
                best == null ? null : best.index(), best == null ? null : best.params(), best == null ? null : best.score(),
                best == null ? null : best.history());
    }

    /** Follows a job's live events; the caller reads the job first to send its current state. */
    public AutoCloseable follow(UUID id, java.util.function.Consumer<JobEvent> follower) {
        get(id);
        return events.follow(id, follower);
    }
}
