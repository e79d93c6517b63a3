package dev.backprop.job;

import dev.backprop.data.Table;
import dev.backprop.training.TrainingData;
import java.time.Instant;
import java.util.List;

/** Jobs for tests outside this package. */
public final class JobTestFixtures {

    private JobTestFixtures() {
    }

    /** A queued training job with a small resolved spec. */
    public static Job queuedJob() {
        return JobTest.newJob();
    }

    /** Two inline rows: a numeric feature {@code a} (1 and 2.5) and a string label {@code label} (cat, dog). */
    public static TrainingData inlineData() {
        return new TrainingData(new Table(List.of("a", "label"), List.of(List.of(1L, "cat"), List.of(2.5, "dog"))), "label", List.of("a"));
    }

    /** A queued job stored with {@link #inlineData()}. */
    public static Job storedJob(JobRepository jobs) {
        Job job = queuedJob();
        jobs.insert(job, inlineData());
        return job;
    }

    /** A queued job submitted at {@code createdAt}, stored with {@link #inlineData()}; the queue takes older ones first. */
    static Job storedJob(JobRepository jobs, Instant createdAt) {
        Job job = Job.submit(queuedJob().spec(), createdAt);
        jobs.insert(job, inlineData());
        return job;
    }
}
