package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.data.Table;
import dev.backprop.dataset.DatasetService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The job table, its queue queries and the epoch history, on H2; a subclass runs them on PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class JobRepositoryTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired
    JobRepository jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DatasetService datasets;

    private static TrainingData data() {
        return new TrainingData(new Table(List.of("a", "label"), List.of(List.of(1L, "cat"), List.of(2.5, "dog"))), "label", List.of("a"));
    }

    private Job stored() {
        Job job = JobTest.newJob();
        jobs.insert(job, data());
        return job;
    }

    @Test
    void aJobAndItsDataRoundTrip() {
        Job job = stored();
        Job loaded = jobs.findById(job.id()).orElseThrow();
        assertThat(loaded.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(loaded.spec().spec()).isEqualTo(job.spec().spec());
        // JSON keeps the labels' values, not their Java boxing (0L may come back as Integer 0)
        assertThat(loaded.spec().data().classes()).hasToString(job.spec().data().classes().toString());
        assertThat(loaded.spec().parameterCount()).isEqualTo(job.spec().parameterCount());
        assertThat(loaded.createdAt()).isEqualTo(job.createdAt());
        TrainingData data = jobs.findData(job.id());
        assertThat(data.table().columns()).containsExactly("a", "label");
        assertThat(data.table().rows().get(1)).containsExactly(2.5, "dog");
        assertThat(((Number) data.table().rows().get(0).get(0)).longValue()).isEqualTo(1L);
        assertThat(data.featureColumns()).containsExactly("a");
    }

    @Test
    void aDataSetIsStoredAsColumnsAndOneStoredBeforeAsJsonTextIsStillRead() {
        Table table = data().table();
        UUID current = datasets.upload("pets", table).id();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id AND content IS NULL AND column_data IS NOT NULL")
                .param("id", current).query(Long.class).single()).isEqualTo(1L);
        Table back = datasets.table(current);
        assertThat(back.rows().get(1)).containsExactly(2.5, "dog");
        // column a mixes 1 and 2.5, so its cells are stored as JSON, where 1L may come back as Integer 1
        assertThat(((Number) back.rows().get(0).get(0)).longValue()).isEqualTo(1L);
        assertThat(back.rows().get(0).get(1)).isEqualTo("cat");

        UUID legacy = UUID.randomUUID();
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, content) "
                        + "VALUES (:id, 'old', CURRENT_TIMESTAMP, 2, 2, '[]', :content)")
                .param("id", legacy).param("content", "{\"columns\":[\"a\",\"label\"],\"rows\":[[1,\"cat\"],[2.5,\"dog\"]]}")
                .update();
        Table old = datasets.table(legacy);
        assertThat(old.columns()).containsExactly("a", "label");
        assertThat(old.rows().get(1)).containsExactly(2.5, "dog");
    }

    @Test
    void aJobOnAStoredDataSetKeepsOnlyTheReferenceAndReadsTheRowsWhenItRuns() {
        Table table = data().table();
        UUID datasetId = datasets.upload("pets", table).id();
        Job job = JobTest.newJob();
        jobs.insert(job, new TrainingData(table, "label", List.of("a"), datasetId));

        String stored = jdbc.sql("SELECT data FROM job WHERE id = :id").param("id", job.id()).query(String.class).single();
        assertThat(stored).contains(datasetId.toString()).doesNotContain("dog");
        TrainingData loaded = jobs.findData(job.id());
        assertThat(loaded.table().rows()).hasSize(2);
        assertThat(loaded.table().rows().get(1)).containsExactly(2.5, "dog");
        assertThat(loaded.datasetId()).isEqualTo(datasetId);
        assertThat(loaded.featureColumns()).containsExactly("a");
    }

    @Test
    void aJobWhoseDataSetWasDeletedBeforeItRanSaysSo() {
        UUID gone = UUID.randomUUID();
        Job job = JobTest.newJob();
        jobs.insert(job, new TrainingData(data().table(), "label", List.of("a"), gone));
        assertThatThrownBy(() -> jobs.findData(job.id())).isInstanceOf(JobDataMissingException.class)
                .hasMessageContaining(gone.toString()).hasMessageContaining("deleted");
    }

    @Test
    void aStaleSaveLosesTheRace() {
        Job job = stored();
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
    void claimableJobsAreQueuedOnesAndThoseWhoseLeaseRanOut() {
        Instant now = Instant.now();
        Job queued = stored();
        Job running = stored();
        Job expired = stored();
        Job claimed = jobs.findById(running.id()).orElseThrow();
        claimed.claim("runner-a", now, LEASE, 3);
        jobs.save(claimed);
        Job stale = jobs.findById(expired.id()).orElseThrow();
        stale.claim("runner-b", now.minus(Duration.ofMinutes(5)), LEASE, 3);
        jobs.save(stale);

        List<UUID> claimable = jobs.findClaimable(now, 100);
        assertThat(claimable).contains(queued.id(), expired.id()).doesNotContain(running.id());
        assertThat(jobs.countActive()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void onlyTheHolderRenewsTheLeaseAndLearnsOfCancelRequests() {
        Job job = stored();
        Job claimed = jobs.findById(job.id()).orElseThrow();
        Instant now = Instant.now();
        claimed.claim("runner-a", now, LEASE, 3);
        jobs.save(claimed);

        assertThat(jobs.renewLease(job.id(), "runner-a", now.plus(Duration.ofMinutes(1)))).isEqualTo(JobStatus.RUNNING);
        assertThat(jobs.findById(job.id()).orElseThrow().leaseExpiresAt()).isAfter(now.plus(LEASE));
        assertThat(jobs.renewLease(job.id(), "runner-b", now.plus(Duration.ofMinutes(1)))).isNull();

        Job cancelling = jobs.findById(job.id()).orElseThrow();
        cancelling.requestCancel(now);
        jobs.save(cancelling);
        assertThat(jobs.renewLease(job.id(), "runner-a", now.plus(Duration.ofMinutes(1)))).isEqualTo(JobStatus.CANCEL_REQUESTED);
    }

    @Test
    void theEpochHistoryIsAppendedInOrderAndDeletedWithTheJob() {
        Job job = stored();
        jobs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, 0.6, 0.7, null, 0.1, 10),
                new EpochRecord(2, 0.4, null, 0.8, 0.9, 0.05, 20)));
        jobs.appendEpochs(job.id(), List.of(new EpochRecord(3, 0.3, 0.35, 0.85, 0.95, 0.05, 30)));
        List<EpochRecord> history = jobs.findEpochs(job.id());
        assertThat(history).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(history.get(0).validationMetric()).isNull();
        assertThat(history.get(1).validationLoss()).isNull();
        assertThat(history.get(2).elapsedMs()).isEqualTo(30);

        jobs.clearEpochs(job.id());
        assertThat(jobs.findEpochs(job.id())).isEmpty();
        jobs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, null, 0.7, null, 0.1, 10)));
        jobs.delete(job.id());
        assertThat(jobs.findById(job.id())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_epoch WHERE job_id = :id").param("id", job.id()).query(Long.class).single()).isZero();
    }

    @Test
    void trialsRoundTripWithTheirHistory() {
        Job job = stored();
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.5, null, 0.75, null, 0.1, 12),
                new EpochRecord(2, 0.25, 0.3, 1.0, 0.95, 0.05, 30));
        jobs.insertTrial(job.id(), new TrialRecord(0, java.util.Map.of("learningRate", 0.1, "activation", "tanh"), "SUCCEEDED", 0.95,
                0.01, List.of(0.94, 0.96), 42, null, 7, history));
        jobs.insertTrial(job.id(), new TrialRecord(1, java.util.Map.of("learningRate", 1.0, "activation", "relu"), "FAILED", null,
                null, null, 3, "diverged", 8, null));
        List<TrialRecord> trials = jobs.findTrials(job.id(), true);
        assertThat(trials).hasSize(2);
        assertThat(trials.get(0).history()).isEqualTo(history);
        assertThat(trials.get(0).foldScores()).containsExactly(0.94, 0.96);
        assertThat(trials.get(0).params()).containsEntry("activation", "tanh");
        assertThat(trials.get(1).error()).isEqualTo("diverged");
        assertThat(jobs.findTrials(job.id(), false).get(0).history()).isNull();
    }

    @Test
    void pagesFilterByStatusNewestFirst() {
        Job older = stored();
        Job newer = stored();
        Job cancelled = jobs.findById(newer.id()).orElseThrow();
        cancelled.requestCancel(Instant.now());
        jobs.save(cancelled);
        assertThat(jobs.findPage(Set.of(JobStatus.CANCELLED), 0, 100)).extracting(Job::id).contains(newer.id()).doesNotContain(older.id());
        assertThat(jobs.count(Set.of(JobStatus.CANCELLED))).isGreaterThanOrEqualTo(1);
        assertThat(jobs.findPage(Set.of(), 0, 1)).hasSize(1);
    }
}
