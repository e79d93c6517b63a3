package dev.backprop.job;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ServiceFullException;
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
 * stores nothing.
 */
@Service
public class JobService {

    private final JobRepository jobs;
    private final JobQueue queue;
    private final JobRunner runner;
    private final JobEvents events;
    private final Clock clock;

    JobService(JobRepository jobs, JobQueue queue, JobRunner runner, JobEvents events, Clock clock, MeterRegistry meters) {
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
     * @throws ServiceFullException when the service is at capacity; nothing is stored
     */
    public Job submit(JobSpec spec, JobInput input) {
        Job job = Job.submit(spec, clock.instant());
        queue.admit(job, input);
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
            events.tellFollowers(id, JobEvent.status(job));
            return job;
        }
    }

    /** Forgets an ended job and its history; its model stays. */
    public void delete(UUID id) {
        Job job = get(id);
        job.requireEnded("be deleted");
        jobs.delete(id);
    }

    /**
     * Subscribes to a job's live events without delivering any yet (see {@link JobEvents#subscribe}); the
     * caller sends the job's current state and its stored history first, then starts the subscription.
     */
    public JobEvents.Subscription subscribe(UUID id, JobEvents.Follower follower) {
        get(id);
        return events.subscribe(id, follower);
    }
}
