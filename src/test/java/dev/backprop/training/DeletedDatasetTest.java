package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobStatus;
import dev.backprop.platform.ProblemType;
import dev.backprop.job.JobTestFixtures;
import dev.backprop.data.Table;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A job refers to its data set rather than copying it. Deleting a data set is refused while a queued or
 * running job uses it, but a delete can still race a submit: the job then fails saying so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DeletedDatasetTest {

    @Autowired
    JobRepository jobs;

    @Test
    void aJobWhoseDataSetVanishedBeforeItRanFailsSayingSo() {
        UUID gone = UUID.randomUUID();
        Job job = JobTestFixtures.queuedJob();
        Table table = new Table(List.of("a", "y"), List.of(List.of(1L, 0L), List.of(2L, 1L)));
        jobs.insert(job, new TrainingData(table, "y", List.of("a"), gone));

        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.findById(job.id()).orElseThrow().status().isEnded());
        Job ended = jobs.findById(job.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ended.error().type()).isEqualTo(ProblemType.TRAINING_FAILED);
        assertThat(ended.error().detail()).contains(gone.toString()).contains("deleted before the job ran");
    }
}
