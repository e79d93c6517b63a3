package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Predict and evaluate options over real HTTP: a threshold, CSV in and out, evaluation on a stored data set with
 * its curves, and permutation importance, on a model whose target depends on x only (noise is noise).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictOptionsEndToEndTest extends HttpEndToEndTest {

    private static String csv;

    private String dataset;
    private String model;

    static {
        StringBuilder text = new StringBuilder("id,x,noise,y\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int r = 0; r < 80; r++) {
            double x = r / 8.0;
            text.append(r).append(',').append(x).append(',').append(random.nextDouble()).append(',')
                    .append(x >= 5 ? "yes" : "no").append('\n');
        }
        csv = text.toString();
    }

    @BeforeEach
    void trainOnAStoredDataSet() {
        Http.Response uploaded = http.post("/datasets", "text/csv", csv);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        dataset = uploaded.json().get("id").asString();
        Http.Response submitted = http.post("/jobs", Http.json(Map.of(
                "data", Map.of("datasetId", dataset, "targetColumn", "y", "featureColumns", List.of("x", "noise")),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "tanh"))),
                "training", Map.of("epochs", 300, "seed", 5, "optimizer", "adam", "learningRate", 0.05, "validationFraction", 0))));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        model = job.get("modelId").asString();
    }

    private Http.Response send(String path, String contentType, String accept, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Http.Response(response.statusCode(), response.headers(), response.body());
    }

    @Test
    void aThresholdMovesATwoClassDecisionAndIsRefusedOutsideZeroToOne() {
        String rows = Http.json(Map.of("instances", List.of(List.of(4.0, 0.5), List.of(6.0, 0.5))));
        JsonNode low = http.post("/models/" + model + "/predict?threshold=0", rows).json().get("predictions");
        JsonNode high = http.post("/models/" + model + "/predict?threshold=1", rows).json().get("predictions");
        JsonNode usual = http.post("/models/" + model + "/predict", rows).json().get("predictions");
        assertThat(usual.get(0).get("label").asString()).isEqualTo("no");
        assertThat(usual.get(1).get("label").asString()).isEqualTo("yes");
        assertThat(low.get(0).get("label").asString()).isEqualTo("yes");
        assertThat(high.get(1).get("label").asString()).isEqualTo("no");
        assertThat(low.get(0).get("probabilities")).isEqualTo(usual.get(0).get("probabilities"));
        Http.Response outside = http.post("/models/" + model + "/predict?threshold=1.5", rows);
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.json().get("errors").get(0).get("field").asString()).isEqualTo("threshold");
    }

    @Test
    void csvRowsGetJsonOrCsvAnswersAsAsked() throws Exception {
        String rows = "noise,x,y\n0.5,4.0,no\n0.5,6.0,yes\n";
        Http.Response json = http.post("/models/" + model + "/predict", "text/csv", rows);
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        JsonNode predictions = json.json().get("predictions");
        assertThat(predictions.get(1).get("label").asString()).isEqualTo("yes");

        Http.Response table = send("/models/" + model + "/predict", "text/csv", "text/csv", rows);
        assertThat(table.status()).as(table.body()).isEqualTo(200);
        assertThat(table.contentType()).startsWith("text/csv");
        String[] lines = table.body().split("\n");
        assertThat(lines[0]).isEqualTo("label,probability_no,probability_yes");
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).startsWith("yes," + predictions.get(1).get("probabilities").get(0).asDouble());

        Http.Response fromJson = send("/models/" + model + "/predict", "application/json", "text/csv",
                Http.json(Map.of("instances", List.of(List.of(4.0, 0.5), List.of(6.0, 0.5)))));
        assertThat(fromJson.body()).isEqualTo(table.body());

        Http.Response missing = http.post("/models/" + model + "/predict", "text/csv", "x\n1\n");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("noise");
    }

    @Test
    void evaluationOnTheStoredDataSetEqualsEvaluationOnItsRowsAndCarriesCurves() {
        JsonNode stored = http.post("/models/" + model + "/evaluate", Http.json(Map.of("datasetId", dataset))).json();
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] cells = line.split(",");
            if (!cells[0].equals("id")) {
                records.add(Map.of("x", Double.parseDouble(cells[1]), "noise", Double.parseDouble(cells[2]), "y", cells[3]));
            }
        }
        JsonNode inline = http.post("/models/" + model + "/evaluate", Http.json(Map.of("records", records))).json();
        assertThat(stored.get("rows").asInt()).isEqualTo(80);
        assertThat(stored.get("accuracy")).isEqualTo(inline.get("accuracy"));
        assertThat(stored.get("rocAuc")).isEqualTo(inline.get("rocAuc"));
        JsonNode roc = stored.get("rocCurve");
        assertThat(roc.get(0).get("falsePositiveRate").asDouble()).isZero();
        assertThat(roc.get(roc.size() - 1).get("truePositiveRate").asDouble()).isEqualTo(1.0);
        JsonNode pr = stored.get("precisionRecallCurve");
        assertThat(pr.get(pr.size() - 1).get("recall").asDouble()).isZero();
        assertThat(http.post("/models/" + model + "/evaluate", Http.json(Map.of("datasetId", java.util.UUID.randomUUID()))).status())
                .isEqualTo(404);
    }

    @Test
    void evaluationOfAThreeClassModelCarriesEachClasssOneVsRestCurves() {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 60; r++) {
            rows.add(List.of(r / 6.0, r < 20 ? "low" : r < 40 ? "mid" : "high"));
        }
        Http.Response submitted = http.post("/jobs", Http.json(Map.of(
                "data", Map.of("columns", List.of("x", "y"), "rows", rows, "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "tanh"))),
                "training", Map.of("epochs", 100, "seed", 5, "optimizer", "adam", "learningRate", 0.05, "validationFraction", 0))));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        String multiclass = job.get("modelId").asString();

        List<Map<String, Object>> records = rows.stream().map(row -> Map.of("x", row.get(0), "y", row.get(1))).toList();
        Http.Response evaluated = http.post("/models/" + multiclass + "/evaluate", Http.json(Map.of("records", records)));
        assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
        JsonNode answer = evaluated.json();
        assertThat(answer.get("kind").asString()).isEqualTo("multiclass");
        assertThat(answer.has("rocCurve")).isFalse();
        JsonNode classes = answer.get("classCurves");
        assertThat(classes).hasSize(3);
        assertThat(classes.get(0).get("label").asString()).isEqualTo("high");
        for (JsonNode curves : classes) {
            JsonNode roc = curves.get("rocCurve");
            assertThat(roc.get(0).get("falsePositiveRate").asDouble()).isZero();
            assertThat(roc.get(roc.size() - 1).get("truePositiveRate").asDouble()).isEqualTo(1.0);
            JsonNode pr = curves.get("precisionRecallCurve");
            assertThat(pr.get(pr.size() - 1).get("recall").asDouble()).isZero();
        }
        // Only the rows of two classes: the third is on one side only and has no curve.
        Http.Response twoClasses = http.post("/models/" + multiclass + "/evaluate", Http.json(Map.of("records", records.subList(0, 40))));
        assertThat(twoClasses.json().get("classCurves")).extracting(c -> c.get("label").asString()).containsExactly("low", "mid");
    }

    @Test
    void permutationImportanceRanksTheFeatureTheTargetDependsOnAndRepeatsWithItsSeed() {
        String request = Http.json(Map.of("datasetId", dataset, "repeats", 4, "seed", 11));
        Http.Response response = http.post("/models/" + model + "/importance", request);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.get("metric").asString()).isEqualTo("accuracy");
        JsonNode x = answer.get("features").get(0);
        JsonNode noise = answer.get("features").get(1);
        assertThat(x.get("feature").asString()).isEqualTo("x");
        assertThat(x.get("importances")).hasSize(4);
        assertThat(x.get("importanceMean").asDouble()).isGreaterThan(0.2).isGreaterThan(noise.get("importanceMean").asDouble() + 0.1);
        assertThat(x.get("importanceStd").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(http.post("/models/" + model + "/importance", request).json()).isEqualTo(answer);
        Http.Response none = http.post("/models/" + model + "/importance", Http.json(Map.of("datasetId", dataset, "repeats", 0)));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("errors").get(0).get("field").asString()).isEqualTo("repeats");
    }
}
