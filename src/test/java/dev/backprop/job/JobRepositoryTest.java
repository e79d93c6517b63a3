package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.model.FinalMetrics;
import dev.backprop.model.Warning;
import dev.backprop.nn.StopReason;
import dev.backprop.platform.ProblemType;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingOutcome;
import dev.backprop.training.TrainingData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The job table, on H2; a subclass runs the same tests on PostgreSQL. The queue's statements are JobQueueTest's. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class JobRepositoryTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired
    JobRepository jobs;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aJobAndItsDataRoundTrip() {
        Job job = JobTestFixtures.storedJob(jobs);
        Job loaded = jobs.findById(job.id()).orElseThrow();
        assertThat(loaded.status()).isEqualTo(JobStatus.QUEUED);
        ResolvedTrainingJob spec = (ResolvedTrainingJob) job.spec();
        ResolvedTrainingJob loadedSpec = (ResolvedTrainingJob) loaded.spec();
        assertThat(loadedSpec.spec()).isEqualTo(spec.spec());
        // JSON keeps the labels' values, not their Java boxing (0L may come back as Integer 0)
        assertThat(loadedSpec.data().classes()).hasToString(spec.data().classes().toString());
        assertThat(loadedSpec.parameterCount()).isEqualTo(spec.parameterCount());
        assertThat(loaded.createdAt()).isEqualTo(job.createdAt());
        TrainingData data = (TrainingData) jobs.findInput(job.id());
        assertThat(data.table().columns()).containsExactly("a", "label");
        assertThat(data.table().rows().get(1)).containsExactly(2.5, "dog");
        assertThat(((Number) data.table().rows().get(0).get(0)).longValue()).isEqualTo(1L);
        assertThat(data.featureColumns()).containsExactly("a");
    }

    @Test
    void anEndedJobKeepsItsResultAndItsErrorAsTypes() {
        Instant now = Instant.now();
        Job succeeded = jobs.findById(JobTestFixtures.storedJob(jobs).id()).orElseThrow();
        succeeded.claim("runner-a", now, LEASE, 3);
        jobs.save(succeeded);
        TrainingOutcome outcome = new TrainingOutcome(StopReason.EARLY_STOPPED, 7, new FinalMetrics(null, null, null,
                List.of(new Warning(Warning.NOT_CONVERGED, "still falling"))));
        succeeded.succeed(UUID.randomUUID(), outcome, now);
        jobs.save(succeeded);
        Job read = jobs.findById(succeeded.id()).orElseThrow();
        assertThat(read.result()).isEqualTo(outcome);
        assertThat(read.stopReason()).isEqualTo("EARLY_STOPPED");
        assertThat(read.bestEpoch()).isEqualTo(7);

        Job failed = jobs.findById(JobTestFixtures.storedJob(jobs).id()).orElseThrow();
        failed.fail(ProblemType.TRAINING_FAILED, "diverged at epoch 3", now);
        jobs.save(failed);
        assertThat(jobs.findById(failed.id()).orElseThrow().error())
                .isEqualTo(new JobError(ProblemType.TRAINING_FAILED, "diverged at epoch 3"));
        assertThat(jobs.findById(failed.id()).orElseThrow().result()).isNull();
    }

    @Test
    void aStaleSaveLosesTheRace() {
        Job job = JobTestFixtures.storedJob(jobs);
        Job first = jobs.findById(job.id()).orElseThrow();
        Job second = jobs.findById(job.id()).orElseThrow();
        Instant now = Instant.now();
        assertThat(first.claim("runner-a", now, LEASE, 3)).isTrue();
        jobs.save(first);
        second.requestCancel(now);
        assertThatThrownBy(() -> jobs.save(second)).isInstanceOf(JobRepository.ConcurrentUpdateException.class);
        Job current = jobs.findById(job.id()).orElseThrow();
        assertThat(current.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(current.leaseOwner()).isEqualTo("runner-a");
    }

    @Test
    void pagesFilterByStatusNewestFirst() {
        Job older = JobTestFixtures.storedJob(jobs);
        Job newer = JobTestFixtures.storedJob(jobs);
        Job cancelled = jobs.findById(newer.id()).orElseThrow();
        cancelled.requestCancel(Instant.now());
        jobs.save(cancelled);
        assertThat(jobs.findPage(Set.of(JobStatus.CANCELLED), 0, 100)).extracting(Job::id).contains(newer.id()).doesNotContain(older.id());
        assertThat(jobs.count(Set.of(JobStatus.CANCELLED))).isGreaterThanOrEqualTo(1);
        assertThat(jobs.findPage(Set.of(), 0, 1)).hasSize(1);
    }

    @Test
    void pagesFilterByType() {
        Job training = JobTestFixtures.storedJob(jobs);
        String owner = dev.backprop.security.Caller.current().tenant();
        assertThat(jobs.findPage(owner, Set.of(), Set.of(JobType.TRAINING), 0, 100)).extracting(Job::id).contains(training.id());
        assertThat(jobs.findPage(owner, Set.of(), Set.of(JobType.GRID_SEARCH, JobType.AUTO), 0, 100)).extracting(Job::id)
                .doesNotContain(training.id());
        assertThat(jobs.count(owner, Set.of(JobStatus.QUEUED), Set.of(JobType.TRAINING))).isGreaterThanOrEqualTo(1);
        assertThat(jobs.count(owner, Set.of(), Set.of(JobType.GRID_SEARCH, JobType.AUTO)))
                .isEqualTo(jobs.findPage(owner, Set.of(), Set.of(JobType.GRID_SEARCH, JobType.AUTO), 0, 100).size());
    }
}
