package dev.backprop.job;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ServiceFullException;
import dev.backprop.security.Audit;
import dev.backprop.security.Caller;
import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The use cases of training jobs: submit (or dry-run), read, list, cancel, delete and follow.
 * Admission is the queue's ({@link JobQueue#admit}): a 202 always means a stored job, and a full service
 * stores nothing. Every use case acts for the current caller's tenant: another tenant's job is a 404.
 */
@Service
public class JobService {

    private final JobRepository jobs;
    private final JobQueue queue;
    private final JobRunner runner;
    private final JobEvents events;
    private final Clock clock;
    private final Quotas quotas;
    private final Audit audit;
    private final List<StoredEvents> storedEvents;

    JobService(JobRepository jobs, JobQueue queue, JobRunner runner, JobEvents events, Clock clock, MeterRegistry meters,
               Quotas quotas, Audit audit, List<StoredEvents> storedEvents) {
        this.storedEvents = List.copyOf(storedEvents);
        this.quotas = quotas;
        this.audit = audit;
        this.jobs = jobs;
        this.queue = queue;
        this.runner = runner;
        this.events = events;
        this.clock = clock;
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("backprop.jobs", jobs, repository -> repository.countByStatus(status))
                    .description("Jobs by status").tag("status", status.name()).register(meters);
        }
    }

    /**
     * Stores a resolved job with its input, queued for the runner of any replica.
     *
     * @throws ServiceFullException when the service is at capacity, or the tenant at its job, search or model
     *                              quota; nothing is stored
     */
    public Job submit(JobSpec spec, JobInput input) {
        Job job = Job.submit(spec, clock.instant());
        // A job that succeeds stores a model: a tenant at its model quota would only train in vain.
        quotas.require(Quota.MODELS, 1);
        java.util.Map<Quota, Long> adding = new java.util.EnumMap<>(Quota.class);
        adding.put(Quota.ACTIVE_JOBS, 1L);
        if (job.type().isSearch()) {
            adding.put(Quota.CONCURRENT_SEARCHES, 1L);
        }
        // stored and counted in one transaction: of submits racing for a quota's last job, one is admitted
        quotas.admit(adding, () -> {
            queue.admit(job, input);
            return job;
        });
        audit.record("created", "job", job.id());
        runner.wake();
        return job;
    }

    public Job get(UUID id) {
        return jobs.findOwned(id, Caller.current().tenant()).orElseThrow(() -> ApiException.notFound("job", id));
    }

    /** A page of the tenant's jobs, newest first, optionally filtered by status and by type (empty: any). */
    public List<Job> list(Collection<JobStatus> statuses, Collection<JobType> types, int page, int size) {
        return jobs.findPage(Caller.current().tenant(), statuses, types, page, size);
    }

    public long count(Collection<JobStatus> statuses, Collection<JobType> types) {
        return jobs.count(Caller.current().tenant(), statuses, types);
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
            jobs.recordCancel(id, Caller.current().keyName());
            audit.record("cancelled", "job", id);
            runner.requestCancel(id);
            events.tellFollowers(id, JobEvent.status(job));
            return job;
        }
    }

    /** Forgets an ended job and its history; its model stays. */
    public void delete(UUID id) {
        Job job = get(id);
        job.requireEnded("be deleted");
        jobs.delete(id);
        audit.record("deleted", "job", id);
    }

    /**
     * Subscribes to a job's live events without delivering any yet (see {@link JobEvents#subscribe}); the
     * caller sends the job's current state and its stored history first, then starts the subscription.
     */
    public JobEvents.Subscription subscribe(UUID id, JobEvents.Follower follower) {
        get(id);
        return events.subscribe(id, follower);
    }

    /**
     * The events a follower of a job gets from the database: its stored events with ids after {@code afterId} (epochs,
     * trials), then its status.
     */
    public List<JobEvent> storedEvents(UUID id, long afterId) {
        Job job = get(id);
        List<JobEvent> stored = new java.util.ArrayList<>();
        storedEvents.stream().filter(s -> s.types().contains(job.type())).forEach(s -> stored.addAll(s.after(job, afterId)));
        stored.add(JobEvent.status(job));
        return stored;
    }
}
