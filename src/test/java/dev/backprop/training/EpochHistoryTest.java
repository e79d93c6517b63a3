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
}
