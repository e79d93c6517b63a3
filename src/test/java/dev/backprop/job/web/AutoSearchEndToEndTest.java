package dev.backprop.job.web;

import static dev.backprop.Tolerances.SEARCH_BUDGET_OVERRUN_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** {@code "type": "auto"} over real HTTP: from the data, the target and a time budget to a refitted model. */
@SpringBootTest(properties = "backprop.jobs.workers=2", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AutoSearchEndToEndTest extends HttpEndToEndTest {

    private String irisDataset() {
        Http.Response upload = http.post("/datasets?name=iris", "text/csv", SearchRefitEndToEndTest.resource("/datasets/iris.csv"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        return upload.json().get("id").asString();
    }

    private static String auto(String datasetId, Map<String, Object> search) {
        return Http.json(Map.of("type", "auto", "data", Map.of("datasetId", datasetId, "targetColumn", "species"), "search", search));
    }

    @Test
    void aDryRunShowsWhatAutoChoseAndARunStaysWithinItsBudgetRefitIncluded() {
        String dataset = irisDataset();
        int budget = 10;
        JsonNode dryRun = http.post("/jobs?dryRun=true", auto(dataset, Map.of("maxRuntimeSeconds", budget, "seed", 3))).json();
        JsonNode chosen = dryRun.get("search");
        assertThat(chosen.get("type").asString()).isEqualTo("auto");
        assertThat(chosen.get("space").get("hiddenLayers").size()).isGreaterThan(2);
        assertThat(chosen.get("space").get("learningRate").get("distribution").asString()).isEqualTo("loguniform");
        assertThat(chosen.get("space").get("l2").get("distribution").asString()).isEqualTo("loguniform");
        assertThat(chosen.get("medianStopping").asBoolean()).isTrue();
        assertThat(chosen.get("folds").asInt()).isEqualTo(3);
        assertThat(dryRun.get("defaults").get("search.space").asString()).contains("learningRate");
        assertThat(dryRun.get("defaults").get("search.firstTrial").asString()).contains("default network");

        String id = accepted(auto(dataset, Map.of("maxRuntimeSeconds", budget, "seed", 3)));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("type").asString()).isEqualTo("auto");
        System.out.println("AUTOJOB " + job + "\nAUTOMETRICS " + http.get("/jobs/" + id + "/metrics").body());
        double seconds = Duration.between(Instant.parse(job.get("startedAt").asString()),
                Instant.parse(job.get("finishedAt").asString())).toMillis() / 1000.0;
        assertThat(seconds).isLessThanOrEqualTo(budget + SEARCH_BUDGET_OVERRUN_SECONDS);

        JsonNode search = http.get("/jobs/" + id + "/metrics").json().get("search");
        assertThat(search.get("trials").size()).isBetween(1, job.get("trials").get("total").asInt());
        // the first trial is the default network, the others come from the space
        JsonNode first = null;
        for (JsonNode trial : search.get("trials")) {
            first = trial.get("index").asInt() == 0 ? trial : first;
        }
        assertThat(first).isNotNull();
        assertThat(first.get("params").get("hiddenLayers").get(0).get("units").asInt()).isEqualTo(100);
        assertThat(first.get("params").get("learningRate").asDouble()).isEqualTo(1e-3);
        JsonNode prediction = http.post("/models/" + job.get("modelId").asString() + "/predict", Http.json(Map.of("records",
                java.util.List.of(Map.of("sepal length (cm)", 6.9, "sepal width (cm)", 3.2, "petal length (cm)", 5.7,
                        "petal width (cm)", 2.3))))).json();
        assertThat(prediction.get("predictions").get(0).get("label").asString()).isEqualTo("virginica");
    }

    @Test
    void autoNeedsABudgetAndChoosesItsOwnSpace() {
        String dataset = irisDataset();
        assertRejectedNaming(Map.of(
                auto(dataset, Map.of("seed", 1)), "search.maxRuntimeSeconds",
                auto(dataset, Map.of("maxRuntimeSeconds", 5, "space", Map.of("learningRate", java.util.List.of(0.1)))), "search.space",
                auto(dataset, Map.of("maxRuntimeSeconds", 0)), "search.maxRuntimeSeconds"));
    }
}
