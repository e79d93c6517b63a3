package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobTestFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The epoch history table, on H2; a subclass runs it on PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class EpochHistoryTest {

    @Autowired
    JobRepository jobs;

    @Autowired
    EpochHistory epochs;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theEpochHistoryIsAppendedInOrderAndDeletedWithTheJob() {
        Job job = JobTestFixtures.storedJob(jobs);
        epochs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, 0.6, 0.7, null, 0.1, 10),
                new EpochRecord(2, 0.4, null, 0.8, 0.9, 0.05, 20)));
        epochs.appendEpochs(job.id(), List.of(new EpochRecord(3, 0.3, 0.35, 0.85, 0.95, 0.05, 30)));
        List<EpochRecord> history = epochs.findEpochs(job.id());
        assertThat(history).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(history.get(0).validationMetric()).isNull();
        assertThat(history.get(1).validationLoss()).isNull();
        assertThat(history.get(2).elapsedMs()).isEqualTo(30);

        epochs.clearEpochs(job.id());
        assertThat(epochs.findEpochs(job.id())).isEmpty();
        epochs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, null, 0.7, null, 0.1, 10)));
        jobs.delete(job.id());
        assertThat(jobs.findById(job.id())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_epoch WHERE job_id = :id").param("id", job.id()).query(Long.class).single()).isZero();
    }

    @Test
    void aRewriteReplacesWhatAnUncertainWriteLeftAndTheStoredCountFollowsEveryWrite() {
        Job job = JobTestFixtures.storedJob(jobs);
        long before = epochs.serviceUsage(dev.backprop.security.Quota.HISTORY_EPOCHS);
        epochs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, null, 0.7, null, 0.1, 10),
                new EpochRecord(2, 0.4, null, 0.8, null, 0.1, 20)));
        // the database went away after committing epochs 3 and 4 and before saying so: the runner writes them again
        List<EpochRecord> again = List.of(new EpochRecord(3, 0.3, null, 0.8, null, 0.1, 30), new EpochRecord(4, 0.2, null, 0.9, null, 0.1, 40));
        epochs.appendEpochs(job.id(), again);
        epochs.rewriteEpochs(job.id(), again);
        epochs.rewriteEpochs(job.id(), List.of(new EpochRecord(9, 0.1, null, 0.9, null, 0.1, 90)));
        assertThat(epochs.findEpochs(job.id())).extracting(EpochRecord::epoch).containsExactly(1, 2, 3, 4, 9);
        assertThat(epochs.usage(dev.backprop.security.Quota.HISTORY_EPOCHS, "default")).isGreaterThanOrEqualTo(5);
        assertThat(epochs.serviceUsage(dev.backprop.security.Quota.HISTORY_EPOCHS) - before).isEqualTo(5);
        epochs.clearEpochs(job.id());
        assertThat(epochs.serviceUsage(dev.backprop.security.Quota.HISTORY_EPOCHS)).isEqualTo(before);
        epochs.appendEpochs(job.id(), List.of(new EpochRecord(1, 0.5, null, 0.7, null, 0.1, 10)));
        jobs.delete(job.id());
        assertThat(epochs.serviceUsage(dev.backprop.security.Quota.HISTORY_EPOCHS)).as("deleted with its job").isEqualTo(before);
    }
}
