package dev.backprop.job.web;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Grid and random searches over real HTTP: ranking, cross-validation, failures, cancel, determinism. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "backprop.jobs.workers=2")
class SearchEndToEndTest extends HttpEndToEndTest {


    private String submit(String body) {
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    private static String withSearch(Map<String, Object> search) {
        return Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(120, 3),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu"))),
                "training", Map.of("optimizer", "sgd", "epochs", 40, "batchSize", 10, "learningRate", 0.05),
                "search", search));
    }

    @Test
    void theTutorialsGridRanksEighteenTrialsAndRefitsTheBest() {
        String id = submit(TrainingRequests.example("grid"));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("type").asString()).isEqualTo("grid_search");
        assertThat(job.get("trials").get("total").asInt()).isEqualTo(18);
        assertThat(job.get("trials").get("done").asInt()).isEqualTo(18);
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);

        JsonNode search = http.get("/jobs/" + id + "/metrics").json().get("search");
        assertThat(search.get("trials")).hasSize(18);
        assertThat(search.get("metric").asString()).isEqualTo("accuracy");
        JsonNode first = search.get("trials").get(0);
        assertThat(first.get("rank").asInt()).isEqualTo(1);
        assertThat(first.get("params").toString()).isEqualTo(search.get("bestParams").toString());
        assertThat(search.get("bestScore").asDouble()).isEqualTo(first.get("score").asDouble());
        double previous = Double.MAX_VALUE;
        assertThat(search.get("trials").findValues("scoreStd")).anyMatch(std -> std.asDouble() > 0);
        for (JsonNode trial : search.get("trials")) {
            assertThat(trial.get("score").asDouble()).isLessThanOrEqualTo(previous);
            previous = trial.get("score").asDouble();
            // one holdout of 20 rows: the bootstrap's spread of the accuracy, a few rows' worth
            assertThat(trial.get("scoreStd").asDouble()).isBetween(0.0, 0.2);
            assertThat(trial.get("fitMillis").asLong()).isPositive();
        }
        assertThat(search.get("bestHistory")).hasSize(500);

        String modelId = job.get("modelId").asString();
        JsonNode model = http.get("/models/" + modelId).json();
        assertThat(model.get("network").get("hiddenLayers").get(0).get("units").asInt())
                .isEqualTo(search.get("bestParams").get("hiddenLayers[0].units").asInt());
        assertThat(http.post("/models/" + modelId + "/predict", "{\"instances\": [[1, 1, 0]]}").status()).isEqualTo(200);

        // Equal scores are told apart by validation loss, and the refit model finds both classes.
        JsonNode trials = search.get("trials");
        long tiedAtTop = 0;
        for (JsonNode trial : trials) {
            tiedAtTop += trial.get("score").asDouble() == search.get("bestScore").asDouble() ? 1 : 0;
        }
        assertThat(tiedAtTop).isGreaterThan(1);
        assertThat(trials.get(1).get("rank").asInt()).isEqualTo(2);
        assertThat(trials.get(0).get("validationLoss").asDouble()).isLessThanOrEqualTo(trials.get(1).get("validationLoss").asDouble());
        JsonNode finalMetrics = http.get("/jobs/" + id + "/metrics").json().get("finalMetrics");
        assertThat(finalMetrics.get("training").get("recall").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(finalMetrics.get("baseline").get("training").get("accuracy").asDouble()).isBetween(0.5, 0.9);
        assertThat(finalMetrics.get("baseline").get("lift").asDouble()).isPositive();
        assertThat(finalMetrics.get("warnings").findValuesAsString("code")).contains("tied-trials");
        assertThat(model.get("metrics").get("baseline").get("metric").asString()).isEqualTo("accuracy");
        assertThat(job.get("warnings").findValuesAsString("code")).contains("tied-trials");
    }

    @Test
    void crossValidationReportsMeanAndSpreadPerTrial() {
        String id = submit(withSearch(Map.of("space", Map.of("learningRate", List.of(0.01, 0.1)), "folds", 4, "metric", "f1",
                "seed", 3, "refit", false)));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.has("modelId")).isFalse();
        JsonNode search = http.get("/jobs/" + id + "/metrics").json().get("search");
        assertThat(search.get("folds").asInt()).isEqualTo(4);
        for (JsonNode trial : search.get("trials")) {
            assertThat(trial.get("foldScores")).hasSize(4);
            double mean = 0;
            for (JsonNode fold : trial.get("foldScores")) {
                mean += fold.asDouble() / 4;
            }
            assertThat(trial.get("score").asDouble()).isCloseTo(mean, within(EXACT));
        }
    }

    @Test
    void randomSearchDrawsFromDistributionsAndFailingTrialsDoNotStopIt() {
        String body = withSearch(Map.of("space", Map.of("learningRate", Map.of("distribution", "loguniform", "min", 1e-3, "max", 0.5),
                        "units", List.of(2, 0)),
                "maxTrials", 6, "seed", 11, "maxConsecutiveFailures", 6)).replace("\"grid_search\"", "\"random_search\"");
        String id = submit(body);
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode search = http.get("/jobs/" + id + "/metrics").json().get("search");
        assertThat(search.get("trials")).hasSize(6);
        int failed = 0;
        for (JsonNode trial : search.get("trials")) {
            double lr = trial.get("params").get("learningRate").asDouble();
            assertThat(lr).isBetween(1e-3, 0.5);
            if (trial.get("status").asString().equals("FAILED")) {
                failed++;
                assertThat(trial.get("params").get("units").asInt()).isZero();
                assertThat(trial.get("error").asString()).contains("invalid combination").contains("units");
                assertThat(trial.get("rank").asInt()).isGreaterThan(6 - failed - 1);
            }
        }
        assertThat(failed).isPositive();
        assertThat(job.get("trials").get("failed").asInt()).isEqualTo(failed);
    }

    @Test
    void consecutiveFailuresStopTheSearch() {
        String id = submit(withSearch(Map.of("space", Map.of("units", List.of(0, 0, 0, 0, 0, 2)), "maxConsecutiveFailures", 2,
                "parallelism", 1)));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("detail").asString()).contains("2 trials failed in a row");
    }

    private static String bayesian(int parallelism) {
        return Http.json(Map.of("type", "bayesian_search", "data", TrainingRequests.syntheticData(120, 3),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu"))),
                "training", Map.of("optimizer", "sgd", "epochs", 30, "batchSize", 10, "validationFraction", 0.25),
                "search", Map.of("space", Map.of("learningRate", Map.of("distribution", "loguniform", "min", 1e-3, "max", 0.5),
                                "hiddenLayers[0].units", Map.of("distribution", "int_uniform", "min", 2, "max", 16),
                                "activation", List.of("relu", "tanh")),
                        "maxTrials", 8, "seed", 21, "parallelism", parallelism, "refit", false)));
    }

    @Test
    void aBayesianSearchProposesItsTrialsFromTheScoresSoFarAndRepeatsWithItsSeed() {
        String first = submit(bayesian(1));
        String second = submit(bayesian(1));
        JsonNode job = awaitEnd(first);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("type").asString()).isEqualTo("bayesian_search");
        awaitEnd(second);
        JsonNode trials = http.get("/jobs/" + first + "/metrics").json().get("search").get("trials");
        assertThat(trials).hasSize(8);
        for (JsonNode trial : trials) {
            double rate = trial.get("params").get("learningRate").asDouble();
            int units = trial.get("params").get("hiddenLayers[0].units").asInt();
            assertThat(rate).isBetween(1e-3, 0.5);
            assertThat(units).isBetween(2, 16);
            assertThat(trial.get("status").asString()).isEqualTo("SUCCEEDED");
        }
        assertThat(paramsByIndex(second)).isEqualTo(paramsByIndex(first));
    }

    @Test
    void parallelBayesianTrialsAreProposedApart() {
        String id = submit(bayesian(2));
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");
        Map<Integer, String> params = paramsByIndex(id);
        assertThat(params).hasSize(8);
        assertThat(new java.util.HashSet<>(params.values())).hasSize(8);
    }

    private Map<Integer, String> paramsByIndex(String id) {
        Map<Integer, String> params = new java.util.TreeMap<>();
        http.get("/jobs/" + id + "/metrics").json().get("search").get("trials")
                .forEach(t -> params.put(t.get("index").asInt(), t.get("params").toString()));
        return params;
    }

    @Test
    void trialScoresDoNotDependOnParallelism() {
        Map<String, Object> search = new HashMap<>(Map.of("space", Map.of("learningRate", List.of(0.01, 0.1), "activation",
                List.of("relu", "tanh")), "seed", 9, "refit", false));
        search.put("parallelism", 1);
        String sequential = submit(withSearch(search));
        search.put("parallelism", 2);
        String parallel = submit(withSearch(search));
        awaitEnd(sequential);
        awaitEnd(parallel);
        assertThat(scoresByIndex(parallel)).isEqualTo(scoresByIndex(sequential));
    }

    private Map<Integer, Double> scoresByIndex(String id) {
        Map<Integer, Double> scores = new HashMap<>();
        http.get("/jobs/" + id + "/metrics").json().get("search").get("trials")
                .forEach(t -> scores.put(t.get("index").asInt(), t.get("score").asDouble()));
        return scores;
    }

    @Test
    void cancellingAsearchStopsRunningTrialsAndDropsQueuedOnes() {
        String id = submit(TrainingRequests.longSearch(100_000, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(http.get("/jobs/" + id).json().get("status").asString()));
        assertThat(http.post("/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(http.get("/jobs/" + id + "/metrics").json().get("search").get("trials")).isEmpty();
    }

    @Test
    void badSearchesAreRejectedNamingTheField() {
        Map<String, String> cases = Map.of(
                withSearch(Map.of("space", Map.of("momentumz", List.of(0.9)))), "search.space.momentumz",
                withSearch(Map.of("space", Map.of("hiddenLayers[3].units", List.of(4)))), "search.space.hiddenLayers[3].units",
                withSearch(Map.of("space", Map.of("learningRate", List.of("fast")))), "search.space.learningRate[0]",
                withSearch(Map.of("space", Map.of("learningRate", List.of(0.1)), "metric", "r2")), "search.metric",
                withSearch(Map.of("space", Map.of("learningRate", List.of(0.1, 0.2)), "maxTrials", 1)), "search.space",
                withSearch(Map.of("space", Map.of("learningRate", Map.of("distribution", "uniform", "min", 0.1, "max", 0.2)))),
                "search.space.learningRate",
                withSearch(Map.of("space", Map.of("learningRate", List.of(0.1)), "folds", 1)), "search.folds",
                withSearch(Map.of("space", Map.of("optimizer", List.of("sgd", "adamw")))), "search.space.optimizer[1]",
                withSearch(Map.of("space", Map.of("learningRate", List.of(0.1)), "mode", "up")), "search.mode",
                Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(20, 3))), "search");
        assertRejectedNaming(cases);
    }

    @Test
    void eventsAnnounceEachTrialsStartAndEnd() throws Exception {
        String id = submit(TrainingRequests.longSearch(300, 1));
        java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events"))
                        .timeout(Duration.ofSeconds(120)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        List<String> trialData = new ArrayList<>();
        String lastEvent = null;
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    lastEvent = line.substring(6).trim();
                } else if (line.startsWith("data:") && "trial".equals(lastEvent)) {
                    trialData.add(line.substring(5).trim());
                }
            }
        }
        assertThat(lastEvent).isEqualTo("status");
        // a trial may have started before the stream opened; every later one is announced twice
        assertThat(trialData.stream().filter(d -> d.contains("\"status\":\"STARTED\"")).count()).isGreaterThanOrEqualTo(3);
        assertThat(trialData.stream().filter(d -> d.contains("\"status\":\"SUCCEEDED\"")).count()).isGreaterThanOrEqualTo(3);
        assertThat(trialData.get(trialData.size() - 1)).contains("\"score\":");
    }

    @Test
    void aDryRunShowsTheTrialCountAndSearchDefaults() {
        JsonNode dryRun = http.post("/jobs?dryRun=true", TrainingRequests.example("grid")).json();
        assertThat(dryRun.get("trials").asInt()).isEqualTo(18);
        assertThat(dryRun.get("search").get("mode").asString()).isEqualTo("max");
        assertThat(dryRun.get("search").get("refit").asBoolean()).isTrue();
        // a grid's trials spread over every replica's free workers: by default all of them may run at once
        assertThat(dryRun.get("search").get("parallelism").asInt()).isEqualTo(18);
        assertThat(dryRun.get("defaults").get("search.parallelism").asString()).contains("every replica");
    }

    @Test
    void aDryRunOfASearchOnItsOwnReplicaDefaultsItsParallelismToTheWorkers() {
        JsonNode dryRun = http.post("/jobs?dryRun=true", TrainingRequests.example("grid").replace("\"grid_search\"",
                "\"bayesian_search\"")).json();
        assertThat(dryRun.get("search").get("parallelism").asInt()).as(dryRun.toString()).isEqualTo(2);
        assertThat(dryRun.get("defaults").has("search.parallelism")).isFalse();
    }
}
