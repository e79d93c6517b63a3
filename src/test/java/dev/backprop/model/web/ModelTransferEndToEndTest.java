package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A model downloaded and uploaded again over real HTTP: a new id, the same answers; broken documents are 400s naming the fault. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelTransferEndToEndTest extends HttpEndToEndTest {

    private String model;
    private JsonNode downloaded;

    @BeforeEach
    void trainAndDownload() {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < 60; r++) {
            rows.add(new ArrayList<>(List.of(r % 3 == 0 ? "red" : r % 3 == 1 ? "green" : "blue", r * 0.25, r % 4 == 0 ? "yes" : "no")));
        }
        rows.get(5).set(1, null);
        Http.Response submitted = http.post("/jobs", Http.json(Map.of("name", "transfer",
                "data", Map.of("columns", List.of("colour", "x", "y"), "rows", rows, "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 3, "activation", "tanh"))),
                "training", Map.of("epochs", 10, "seed", 3))));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        model = job.get("modelId").asString();
        Http.Response download = http.get("/models/" + model + "/download");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("attachment", "model-" + model + ".json");
        downloaded = download.json();
    }

    @Test
    void aDownloadedModelImportedAgainHasANewIdAndPredictsIdentically() {
        assertThat(downloaded.get("formatVersion").asInt()).isEqualTo(3);
        assertThat(downloaded.get("parameters").size()).isEqualTo(4);
        assertThat(downloaded.get("provenance").get("seed").asLong()).isEqualTo(3);

        Http.Response imported = http.post("/models", downloaded.toString());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        String copy = imported.json().get("id").asString();
        assertThat(copy).isNotEqualTo(model);
        assertThat(imported.headers().firstValue("Location").orElse("")).endsWith("/models/" + copy);
        assertThat(imported.json().get("provenance")).isEqualTo(downloaded.get("provenance"));

        String rows = Http.json(Map.of("records", List.of(Map.of("colour", "red", "x", 1.5), Map.of("colour", "blue", "x", 12.0),
                new java.util.HashMap<>(Map.of("colour", "green")))));
        Http.Response original = http.post("/models/" + model + "/predict", rows);
        Http.Response again = http.post("/models/" + copy + "/predict", rows);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("predictions")).isEqualTo(original.json().get("predictions"));
        JsonNode redownloaded = http.get("/models/" + copy + "/download").json();
        assertThat(redownloaded.get("parameters")).isEqualTo(downloaded.get("parameters"));
        assertThat(redownloaded.get("pipeline")).isEqualTo(downloaded.get("pipeline"));
    }

    @Test
    void anUnknownFormatIsA400NamingTheFormatVersion() {
        ObjectNode document = (ObjectNode) downloaded.deepCopy();
        document.put("formatVersion", 9);
        assertFault(document, "formatVersion", "reads formats 1 to 3");
    }

    @Test
    void weightsOfTheWrongShapeAreA400NamingTheSlot() {
        ObjectNode document = (ObjectNode) downloaded.deepCopy();
        ((ArrayNode) document.get("parameters")).set(0, "AAAAAAAAAAA=");
        assertFault(document, "parameters[0]", "holds 1 values");
        ((ArrayNode) document.get("parameters")).remove(3);
        assertFault(document, "parameters", "needs 4 arrays");
    }

    @Test
    void anInputLayerNarrowerThanThePipelineAndAnUnknownActivationAreEachNamed() {
        ObjectNode document = (ObjectNode) downloaded.deepCopy();
        ObjectNode network = (ObjectNode) document.get("network");
        network.put("inputSize", network.get("inputSize").asInt() - 1);
        ((ObjectNode) network.get("hiddenLayers").get(0)).put("activation", "swish");
        Http.Response refused = assertFault(document, "network.inputSize", "the pipeline produces 4 inputs");
        assertThat(refused.json().get("errors").toString()).contains("network.hiddenLayers[0].activation", "swish");
    }

    @Test
    void aPipelineWithoutAStepPerFeatureIsA400() {
        ObjectNode document = (ObjectNode) downloaded.deepCopy();
        ((ArrayNode) document.get("pipeline")).remove(1);
        assertFault(document, "pipeline", "one step per feature (2)");
    }

    private Http.Response assertFault(JsonNode document, String field, String message) {
        Http.Response refused = http.post("/models", document.toString());
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        boolean named = false;
        for (JsonNode error : refused.json().get("errors")) {
            named |= error.get("field").asString().equals(field) && error.get("message").asString().contains(message);
        }
        assertThat(named).as(refused.body()).isTrue();
        return refused;
    }
}
