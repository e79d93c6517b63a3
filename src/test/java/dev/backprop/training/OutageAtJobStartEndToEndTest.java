package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * The database goes away in the moment between a job's claim and the read of its data: the read is tried again once it
 * is back, as every later write of the job is. Before, a training job ended FAILED ("training failed unexpectedly") on
 * that read and a search crashed its worker, to be run again from scratch once its lease ran out (attempt 2).
 *
 * <p>The outage is the one thing not real here: the first read of each job's data fails as Spring translates a lost
 * connection ({@link DataAccessResourceFailureException}); the next read is the real one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "backprop.history.retry-interval=100ms")
class OutageAtJobStartEndToEndTest extends HttpEndToEndTest {

    @MockitoSpyBean
    private TrainingInputs inputs;

    private final Set<UUID> failedOnce = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void theFirstReadOfEachJobsDataMeetsAnOutage() {
        doAnswer(invocation -> {
            if (failedOnce.add(invocation.getArgument(0))) {
                throw new DataAccessResourceFailureException("Unable to acquire JDBC Connection (simulated outage)");
            }
            return invocation.callRealMethod();
        }).when(inputs).find(any());
    }

    @Test
    void aTrainingJobWaitsForTheDatabaseAndTrainsOnce() {
        JsonNode job = awaitEnd(submitAccepted(TrainingRequests.example("xor")));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(failedOnce).hasSize(1);
    }

    @Test
    void aSearchWaitsForTheDatabaseAndRunsOnce() {
        JsonNode job = awaitEnd(submitAccepted(TrainingRequests.smallSearch()));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("trials").get("done").asInt()).isEqualTo(2);
    }
}
