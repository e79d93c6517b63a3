package dev.backprop.job.web;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Progress over real HTTP counts what a job runs: a training job's epochs, a search's trials. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "backprop.jobs.workers=2")
class JobProgressEndToEndTest extends HttpEndToEndTest {

    @Test
    void aRunningSearchCountsTrialsWithAnEtaFromTheirTimes() {
        String id = submitAccepted(TrainingRequests.longSearch(300, 1));
        JsonNode[] running = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = http.get("/jobs/" + id).json();
            int done = job.get("trials").get("done").asInt();
            running[0] = job;
            return "RUNNING".equals(job.get("status").asString()) && done >= 1 && done < job.get("trials").get("total").asInt();
        });
        JsonNode job = running[0];
        JsonNode progress = job.get("progress");
        assertThat(progress.get("unit").asString()).isEqualTo("trials");
        assertThat(progress.get("total").asInt()).isEqualTo(6).isEqualTo(job.get("trials").get("total").asInt());
        int done = progress.get("done").asInt();
        assertThat(done).isEqualTo(job.get("trials").get("done").asInt());
        assertThat(progress.get("fraction").asDouble()).isCloseTo(done / 6.0, within(EXACT));
        assertThat(progress.has("epoch")).as(progress.toString()).isFalse();
        assertThat(progress.has("epochs")).isFalse();
        assertThat(progress.get("etaSeconds").isNumber()).as(progress.toString()).isTrue();
        assertThat(progress.get("etaSeconds").asLong()).isNotNegative().isEqualTo(job.get("trials").get("etaSeconds").asLong());
        // parallelism 1: the next trial runs while the ETA is read, with its epochs of 300
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode trialsNow = http.get("/jobs/" + id).json().get("trials").get("running");
            assertThat(trialsNow).as(String.valueOf(trialsNow)).hasSize(1);
            // the epoch is stored with the trial's lease, about once a second: 0 until the first renewal
            assertThat(trialsNow.get(0).get("epoch").asInt()).isBetween(0, 300);
            assertThat(trialsNow.get(0).get("epochs").asInt()).isEqualTo(300);
            assertThat(trialsNow.get(0).get("worker").asString()).startsWith("runner-");
        });

        assertThat(http.post("/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aSearchOfAFractionalBudgetCountsTrialsWithAnEtaWithinWhatIsLeftOfIt() {
        // the grid search above with a budget of 20.5 s, which a whole-second field refused
        String body = TrainingRequests.longSearch(300, 1).replace("\"seed\":5", "\"seed\":5,\"maxRuntimeSeconds\":20.5");
        assertThat(body).contains("20.5");
        String id = submitAccepted(body);
        JsonNode[] running = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = http.get("/jobs/" + id).json();
            running[0] = job;
            return "RUNNING".equals(job.get("status").asString()) && job.get("trials").get("done").asInt() >= 1
                    || job.get("finishedAt") != null;
        });
        JsonNode job = running[0];
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("RUNNING");
        assertThat(job.get("search").get("maxRuntimeSeconds").asString()).isEqualTo("20.5");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("unit").asString()).isEqualTo("trials");
        assertThat(progress.get("total").asInt()).isEqualTo(6);
        assertThat(progress.get("done").asInt()).isBetween(1, 5);
        // the trials' estimate, never more than the budget left (20.5 s less the time since the start, rounded)
        assertThat(progress.get("etaSeconds").isNumber()).as(progress.toString()).isTrue();
        assertThat(progress.get("etaSeconds").asLong()).isBetween(0L, 20L).isEqualTo(job.get("trials").get("etaSeconds").asLong());
        assertThat(http.post("/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void anEndedSearchShowsAllItsTrialsAndItsBestTrialsHistoryInPlaceOfItsOwn() {
        String id = submitAccepted(Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(120, 3),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu"))),
                "training", Map.of("optimizer", "sgd", "epochs", 25, "batchSize", 10),
                "search", Map.of("space", Map.of("learningRate", List.of(0.01, 0.1)), "seed", 4))));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("unit").asString()).isEqualTo("trials");
        assertThat(progress.get("done").asInt()).isEqualTo(2);
        assertThat(progress.get("total").asInt()).isEqualTo(2);
        assertThat(progress.get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(progress.get("etaSeconds").isNull()).isTrue();
        assertThat(progress.has("epoch")).isFalse();

        JsonNode metrics = http.get("/jobs/" + id + "/metrics").json();
        assertThat(metrics.has("history")).as(metrics.toString()).isFalse();
        assertThat(metrics.get("metric").asString()).isEqualTo("accuracy");
        JsonNode bestHistory = metrics.get("search").get("bestHistory");
        assertThat(bestHistory).isNotEmpty().hasSizeLessThanOrEqualTo(25);
        assertThat(bestHistory.get(0).get("epoch").asInt()).isEqualTo(1);
    }

    @Test
    void aTrainingJobCountsEpochsUnderBothNames() {
        String id = submitAccepted(Http.json(Map.of("data", TrainingRequests.syntheticData(40, 2),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 3))), "training", Map.of("epochs", 30, "seed", 2))));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("unit").asString()).isEqualTo("epochs");
        assertThat(progress.get("done").asInt()).isEqualTo(30).isEqualTo(progress.get("epoch").asInt());
        assertThat(progress.get("total").asInt()).isEqualTo(30).isEqualTo(progress.get("epochs").asInt());
        assertThat(progress.get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(job.has("trials")).isFalse();
        assertThat(http.get("/jobs/" + id + "/metrics").json().get("history")).hasSize(30);
    }
}
