package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.data.Table;
import dev.backprop.dataset.DatasetService;
import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobTestFixtures;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a claimed job trains on: inline rows, or the rows of its stored data set; on H2, and on PostgreSQL in a subclass. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class TrainingInputsTest {

    @Autowired
    JobRepository jobs;

    @Autowired
    TrainingInputs inputs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DatasetService datasets;

    @Test
    void aJobOnAStoredDataSetKeepsOnlyTheReferenceAndReadsTheRowsWhenItRuns() {
        Table table = JobTestFixtures.inlineData().table();
        UUID datasetId = datasets.upload("pets", table).id();
        Job job = JobTestFixtures.queuedJob();
        jobs.insert(job, new TrainingData(table, "label", List.of("a"), datasetId));

        String stored = jdbc.sql("SELECT data FROM job WHERE id = :id").param("id", job.id()).query(String.class).single();
        assertThat(stored).contains(datasetId.toString()).doesNotContain("dog");
        TrainingData loaded = inputs.find(job.id());
        assertThat(loaded.table().rows()).hasSize(2);
        assertThat(loaded.table().rows().get(1)).containsExactly(2.5, "dog");
        assertThat(loaded.datasetId()).isEqualTo(datasetId);
        assertThat(loaded.featureColumns()).containsExactly("a");
    }

    @Test
    void aJobWhoseDataSetWasDeletedBeforeItRanSaysSo() {
        UUID gone = UUID.randomUUID();
        Job job = JobTestFixtures.queuedJob();
        jobs.insert(job, new TrainingData(JobTestFixtures.inlineData().table(), "label", List.of("a"), gone));
        assertThatThrownBy(() -> inputs.find(job.id())).isInstanceOf(JobDataMissingException.class)
                .hasMessageContaining(gone.toString()).hasMessageContaining("deleted");
    }
}
