package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.platform.BackpropVersion;
import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** A model says how it was made, over real HTTP, and still says so once its job is deleted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelProvenanceEndToEndTest extends HttpEndToEndTest {

    private JsonNode trained(String body) {
        Http.Response submitted = http.post("/jobs", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    @Test
    void aTrainedModelKeepsItsResolvedRequestSeedAndRowsAfterItsJobIsDeleted() {
        JsonNode job = trained(Http.json(Map.of("name", "provenance", "data", TrainingRequests.syntheticData(50, 4),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 3))),
                "training", Map.of("epochs", 5, "seed", 21, "validationFraction", 0.2))));
        String jobId = job.get("id").asString();
        assertThat(http.delete("/jobs/" + jobId).status()).isEqualTo(204);

        JsonNode model = http.get("/models/" + job.get("modelId").asString()).json();
        assertThat(model.get("formatVersion").asInt()).isEqualTo(3);
        assertThat(model.get("jobId").asString()).isEqualTo(jobId);
        JsonNode provenance = model.get("provenance");
        assertThat(provenance.get("jobType").asString()).isEqualTo("training");
        assertThat(provenance.has("bestTrialParams")).isFalse();
        assertThat(provenance.get("seed").asLong()).isEqualTo(21);
        assertThat(provenance.get("datasetId").isNull()).isTrue();
        assertThat(provenance.get("rows").asInt()).isEqualTo(50);
        assertThat(provenance.get("trainingRows").asInt()).isEqualTo(job.get("data").get("trainingRows").asInt()).isLessThan(50);
        assertThat(provenance.get("backpropVersion").asString()).isEqualTo(BackpropVersion.current()).isEqualTo("dev");
        // every default filled in: the request as the job stored and showed it
        assertThat(provenance.get("trainingSpec").get("training").get("optimizer").asString()).isEqualTo("adam");
        assertThat(provenance.get("trainingSpec")).isEqualTo(job.get("request"));
        assertThat(http.get("/models?size=100").json().get("items").toString()).contains("\"provenance\"");
    }

    @Test
    void aRefittedSearchModelNamesTheSearchAndTheBestTrialsParameters() {
        JsonNode job = trained(Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(60, 5),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 3))),
                "training", Map.of("optimizer", "sgd", "epochs", 5),
                "search", Map.of("space", Map.of("learningRate", List.of(0.05, 0.2)), "seed", 9, "refit", true))));
        JsonNode search = http.get("/jobs/" + job.get("id").asString() + "/metrics").json().get("search");

        JsonNode provenance = http.get("/models/" + job.get("modelId").asString()).json().get("provenance");
        assertThat(provenance.get("jobType").asString()).isEqualTo("grid_search");
        assertThat(provenance.get("bestTrialParams")).isEqualTo(search.get("bestParams"));
        assertThat(provenance.get("seed").asLong()).isEqualTo(9);
        // the refit's own request: the best parameters applied, every row trained on
        JsonNode training = provenance.get("trainingSpec").get("training");
        assertThat(training.get("learningRate").asDouble()).isEqualTo(search.get("bestParams").get("learningRate").asDouble());
        assertThat(training.get("validationFraction").asDouble()).isZero();
        assertThat(provenance.get("trainingRows").asInt()).isEqualTo(60);
        assertThat(provenance.get("rows").asInt()).isEqualTo(60);
    }
}
