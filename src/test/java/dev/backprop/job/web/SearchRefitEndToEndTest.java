package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** The model a search refits on every row, over real HTTP: trained until its training loss settles. */
@SpringBootTest(properties = "backprop.jobs.workers=2", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SearchRefitEndToEndTest extends HttpEndToEndTest {

    static String resource(String path) {
        try (InputStream in = SearchRefitEndToEndTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aHighLearningRatesRefitTrainsUntilItsTrainingLossSettlesNotForTheTrialsFewEpochs() {
        Http.Response upload = http.post("/datasets?name=breast-cancer", "text/csv", resource("/datasets/breast_cancer.csv"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        // At a high learning rate the validation loss bottoms out within a few epochs while the training loss still falls.
        String id = accepted(Http.json(Map.of("type", "grid_search",
                "data", Map.of("datasetId", upload.json().get("id").asString(), "targetColumn", "label"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 32, "activation", "relu"))),
                "search", Map.of("space", Map.of("learningRate", List.of(0.05)), "folds", 3, "seed", 1, "refit", true))));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode metrics = http.get("/jobs/" + id + "/metrics").json();
        JsonNode trial = metrics.get("search").get("trials").get(0);
        // the defect: the refit trained for the trial's best epoch count (2 here) and its loss was still falling
        assertThat(trial.get("bestEpoch").asInt()).isLessThan(10);
        assertThat(metrics.get("finalMetrics").get("warnings").findValuesAsString("code")).doesNotContain("not-converged");
        JsonNode training = http.get("/models/" + job.get("modelId").asString()).json().get("provenance").get("trainingSpec")
                .get("training");
        assertThat(training.get("earlyStopping").get("monitor").asString()).isEqualTo("loss");
        assertThat(training.get("epochs").asInt()).isEqualTo(200);
    }
}
