package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Searches that spend fewer epochs on poor trials, over real HTTP: the median stopping rule and successive halving. */
@SpringBootTest(properties = "backprop.jobs.workers=2", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SearchBudgetEndToEndTest extends HttpEndToEndTest {

    private static String search(String type, Map<String, Object> training, Map<String, Object> search) {
        return Http.json(Map.of("type", type, "data", TrainingRequests.syntheticData(120, 3),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu"))),
                "training", training, "search", search));
    }

    private static Map<String, Object> training(int epochs) {
        return Map.of("optimizer", "sgd", "epochs", epochs, "batchSize", 10, "learningRate", 0.05);
    }

    @Test
    void theMedianRuleStopsAHopelessTrialEarlyAndRanksItLast() {
        // One at a time and in index order (equal costs): the three good trials complete before the hopeless one starts.
        String id = accepted(search("grid_search", training(40), Map.of("space", Map.of("learningRate", List.of(0.1, 0.05, 0.08, 1e-6)),
                "parallelism", 1, "seed", 4, "medianStopping", true, "medianStoppingMinEpochs", 3, "refit", false)));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode trials = http.get("/jobs/" + id + "/metrics").json().get("search").get("trials");
        assertThat(trials).hasSize(4);
        JsonNode hopeless = null;
        int fewestOfTheOthers = Integer.MAX_VALUE;
        for (JsonNode trial : trials) {
            if (trial.get("params").get("learningRate").asDouble() == 1e-6) {
                hopeless = trial;
            } else {
                assertThat(trial.has("stopReason")).as(trial.toString()).isFalse();
                fewestOfTheOthers = Math.min(fewestOfTheOthers, trial.get("epochs").asInt());
            }
        }
        assertThat(hopeless).isNotNull();
        assertThat(hopeless.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(hopeless.get("stopReason").asString()).isEqualTo("median_stopping");
        assertThat(hopeless.get("epochs").asInt()).isBetween(3, fewestOfTheOthers - 1);
        assertThat(hopeless.get("score").isNumber()).isTrue();
        assertThat(hopeless.get("rank").asInt()).isEqualTo(4);
    }

    @Test
    void successiveHalvingTrainsOnlyTheBestThirdFurtherAndRanksTheFullRunFirst() {
        // 9 trials, η = 3, 27 epochs: 9 trials of 3 epochs, the best 3 of 9 epochs, the best of those all 27.
        Map<String, Object> training = new HashMap<>(training(27));
        training.put("earlyStopping", Map.of("monitor", "loss", "patience", 100));
        String body = search("random_search", training, Map.of("space", Map.of("learningRate",
                        Map.of("distribution", "loguniform", "min", 1e-4, "max", 0.3)), "maxTrials", 9, "seed", 8, "strategy", "halving"));
        String id = accepted(body);
        // progress counts trial runs, one per trial and rung: 9 + 3 + 1, so rung 0's 9 runs are not the end
        List<JsonNode> whileRunning = new ArrayList<>();
        JsonNode job = awaitEndWatching(id, whileRunning);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("trials").get("total").asInt()).isEqualTo(13);
        assertThat(job.get("trials").get("done").asInt()).isEqualTo(13);
        assertThat(whileRunning).allSatisfy(running -> {
            assertThat(running.get("trials").get("total").asInt()).isEqualTo(13);
            assertThat(running.get("trials").get("done").asInt()).isLessThanOrEqualTo(13);
        });
        JsonNode search = http.get("/jobs/" + id + "/metrics").json().get("search");
        JsonNode trials = search.get("trials");
        assertThat(trials).hasSize(9);
        Map<Integer, Integer> trialsByEpochs = new LinkedHashMap<>();
        for (JsonNode trial : trials) {
            assertThat(trial.get("status").asString()).isEqualTo("SUCCEEDED");
            trialsByEpochs.merge(trial.get("epochs").asInt(), 1, Integer::sum);
            assertThat(trial.has("stopReason")).isEqualTo(trial.get("epochs").asInt() < 27);
        }
        assertThat(trialsByEpochs).containsExactlyInAnyOrderEntriesOf(Map.of(27, 1, 9, 2, 3, 6));
        List<Integer> epochsByRank = new ArrayList<>();
        trials.forEach(t -> epochsByRank.add(t.get("epochs").asInt()));
        assertThat(epochsByRank).containsExactly(27, 9, 9, 3, 3, 3, 3, 3, 3);
        assertThat(trials.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(search.get("bestIndex").asInt()).isEqualTo(trials.get(0).get("index").asInt());
        assertThat(job.get("modelId").isString()).isTrue();
    }

    /** Polls a job until it ends, keeping what it read while the job ran. */
    private JsonNode awaitEndWatching(String id, List<JsonNode> whileRunning) {
        JsonNode[] job = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    job[0] = http.get("/jobs/" + id).json();
                    if (job[0].get("status").asString().equals("RUNNING")) {
                        whileRunning.add(job[0]);
                    }
                    return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job[0].get("status").asString());
                });
        return job[0];
    }

    @Test
    void hyperbandRunsBracketsThatStartAtDifferentEpochsAndRanksTheFullRunsFirst() {
        // 9 trials, 9 epochs, η = 3: brackets of 5 trials from 1 epoch, 3 from 3 epochs and 1 of all 9 (Hyperband.shares)
        Map<String, Object> training = new HashMap<>(training(9));
        training.put("earlyStopping", Map.of("monitor", "loss", "patience", 100));
        String id = accepted(search("random_search", training, Map.of("space", Map.of("learningRate",
                Map.of("distribution", "loguniform", "min", 1e-4, "max", 0.3)), "maxTrials", 9, "seed", 8, "strategy", "hyperband")));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("search").get("strategy").asString()).isEqualTo("hyperband");
        // runs: 5 + 1 + 1 in the first bracket, 3 + 1 in the second, 1 in the third
        assertThat(job.get("trials").get("total").asInt()).isEqualTo(12);
        assertThat(job.get("trials").get("done").asInt()).isEqualTo(12);
        JsonNode trials = http.get("/jobs/" + id + "/metrics").json().get("search").get("trials");
        assertThat(trials).hasSize(9);
        Map<Integer, Integer> trialsByEpochs = new LinkedHashMap<>();
        List<Integer> epochsByRank = new ArrayList<>();
        for (JsonNode trial : trials) {
            trialsByEpochs.merge(trial.get("epochs").asInt(), 1, Integer::sum);
            epochsByRank.add(trial.get("epochs").asInt());
            assertThat(trial.has("stopReason")).isEqualTo(trial.get("epochs").asInt() < 9);
        }
        assertThat(trialsByEpochs).containsExactlyInAnyOrderEntriesOf(Map.of(9, 3, 3, 2, 1, 4));
        assertThat(epochsByRank).containsExactly(9, 9, 9, 3, 3, 1, 1, 1, 1);
        assertThat(job.get("modelId").isString()).isTrue();
    }

    @Test
    void badBudgetSettingsAreRejectedNamingTheField() {
        Map<String, Object> space = Map.of("learningRate", List.of(0.01, 0.1));
        Map<String, Object> nine = Map.of("learningRate", List.of(0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09));
        Map<String, String> cases = Map.of(
                search("grid_search", training(10), Map.of("space", space, "medianStopping", true, "medianStoppingMinEpochs", 0)),
                "search.medianStoppingMinEpochs",
                search("grid_search", training(10), Map.of("space", space, "medianStopping", true, "medianStoppingMinTrials", 0)),
                "search.medianStoppingMinTrials",
                search("grid_search", training(10), Map.of("space", space, "medianStoppingMinEpochs", 4)), "search.medianStoppingMinEpochs",
                search("grid_search", training(10), Map.of("space", space, "strategy", "quartering")), "search.strategy",
                search("grid_search", training(10), Map.of("space", nine, "strategy", "halving", "halvingEta", 1)), "search.halvingEta",
                search("grid_search", training(10), Map.of("space", space, "strategy", "halving")), "search.strategy",
                search("grid_search", training(10), Map.of("space", space, "halvingEta", 3)), "search.halvingEta",
                search("grid_search", training(10), Map.of("space", nine, "strategy", "halving", "medianStopping", true)),
                "search.medianStopping");
        assertRejectedNaming(cases);
    }
}
