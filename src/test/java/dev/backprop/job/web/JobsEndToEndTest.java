package dev.backprop.job.web;

import static dev.backprop.Tolerances.PREDICTION_NEAR_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.backprop.Tolerances;
import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The training service over real HTTP, on the default embedded database: submit, poll, metrics,
 * predict, cancel, budget, divergence, events, models and the bad-input table. A subclass runs the
 * same against PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsEndToEndTest extends HttpEndToEndTest {


    String submit(String body) {
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        String id = response.json().get("id").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/jobs/" + id);
        assertThat(response.json().get("status").asString()).isEqualTo("QUEUED");
        return id;
    }

    JsonNode awaitStatus(String id, String... statuses) {
        return awaitJob(id, statuses);
    }

    @Test
    void xorTrainsAndPredictsTheTruthTable() {
        String id = submit(TrainingRequests.example("xor"));
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("startedAt").asString()).isNotBlank();

        JsonNode metrics = http.get("/jobs/" + id + "/metrics").json();
        assertThat(metrics.get("history")).hasSize(10_000);
        assertThat(metrics.get("metric").asString()).isEqualTo("accuracy");
        assertThat(metrics.get("stopReason").asString()).isEqualTo("COMPLETED");
        assertThat(metrics.get("history").get(9_999).get("loss").asDouble())
                .isLessThan(metrics.get("history").get(0).get("loss").asDouble());
        assertThat(metrics.get("finalMetrics").get("training").get("accuracy").asDouble()).isEqualTo(1.0);
        // where the job's time went: the preparation holds the read, the training every epoch the history counts
        JsonNode timings = job.get("timings");
        assertThat(timings.get("readSeconds").asDouble()).as(job.toString()).isGreaterThanOrEqualTo(0);
        assertThat(timings.get("preparationSeconds").asDouble()).isGreaterThanOrEqualTo(timings.get("readSeconds").asDouble());
        assertThat(timings.get("trainingSeconds").asDouble()).isGreaterThanOrEqualTo(
                metrics.get("history").get(9_999).get("elapsedMs").asDouble() / 1e3 - Tolerances.TIMING_ROUNDING_SECONDS);
        assertThat(timings.get("evaluationSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(timings.get("storeSeconds").asDouble()).isGreaterThanOrEqualTo(0);

        String modelId = job.get("modelId").asString();
        JsonNode predictions = http.post("/models/" + modelId + "/predict", "{\"instances\": [[0,0],[0,1],[1,0],[1,1]]}").json();
        List<Integer> labels = new ArrayList<>();
        predictions.get("predictions").forEach(p -> labels.add(p.get("label").asInt()));
        assertThat(labels).containsExactly(0, 1, 1, 0);
        assertThat(predictions.get("labels").toString()).isEqualTo("[0,1]");

        JsonNode byRecord = http.post("/models/" + modelId + "/predict", "{\"records\": [{\"x2\": 1, \"x1\": 0}, {\"x2\": 1, \"x1\": 1}]}").json();
        assertThat(byRecord.get("predictions").get(0).get("label").asInt()).isEqualTo(1);
        assertThat(byRecord.get("predictions").get(1).get("label").asInt()).isEqualTo(0);
    }

    @Test
    void theTutorialsSyntheticExampleReachesNinetyPercentValidationAccuracy() {
        String id = submit(TrainingRequests.example("synthetic"));
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("data").get("validationRows").asInt()).isEqualTo(20);
        JsonNode validation = http.get("/jobs/" + id + "/metrics").json().get("finalMetrics").get("validation");
        assertThat(validation.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(validation.get("confusionMatrix").get("labels").toString()).isEqualTo("[0,1]");
    }

    @Test
    void aFloat32NetworkTrainsTheSyntheticExampleAndItsModelPredictsInFloat32() {
        String id = submit(Http.json(Map.of("data", TrainingRequests.syntheticData(400, 11),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 16), Map.of("units", 8)), "precision", "float32"),
                "training", Map.of("epochs", 60, "batchSize", 16, "learningRate", 0.01, "seed", 3, "scaling", "none",
                        "validationFraction", 0.2))));
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("request").get("network").get("precision").asString()).isEqualTo("float32");
        JsonNode validation = http.get("/jobs/" + id + "/metrics").json().get("finalMetrics").get("validation");
        assertThat(validation.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);

        String modelId = job.get("modelId").asString();
        assertThat(http.get("/models/" + modelId).json().get("network").get("precision").asString()).isEqualTo("float32");
        JsonNode predictions = http.post("/models/" + modelId + "/predict", "{\"instances\": [[2, 2, 0], [-2, -2, 0]]}").json();
        assertThat(predictions.get("predictions").get(0).get("label").asInt()).isEqualTo(1);
        assertThat(predictions.get("predictions").get(1).get("label").asInt()).isEqualTo(0);
        // without scaling, float32 values go to the float32 network as they are: the same answer as the JSON rows
        JsonNode fromBytes = http.post("/models/" + modelId + "/predict", "application/octet-stream",
                float32(new float[][]{{2, 2, 0}, {-2, -2, 0}})).json();
        assertThat(fromBytes.get("predictions")).isEqualTo(predictions.get("predictions"));
        // a value that is not finite leaves the one-pass path: NaN takes the training mean, as a null does in JSON, and
        // an infinity is named
        JsonNode imputed = http.post("/models/" + modelId + "/predict", "application/octet-stream",
                float32(new float[][]{{2, Float.NaN, 0}})).json();
        JsonNode withNull = http.post("/models/" + modelId + "/predict", "{\"instances\": [[2, null, 0]]}").json();
        assertThat(imputed.get("predictions")).isEqualTo(withNull.get("predictions"));
        Http.Response infinite = http.post("/models/" + modelId + "/predict", "application/octet-stream",
                float32(new float[][]{{2, 2, 0}, {Float.NEGATIVE_INFINITY, 0, 0}}));
        assertThat(infinite.status()).isEqualTo(400);
        assertThat(infinite.json().get("errors").findValuesAsString("field")).containsExactly("body[1][0]");
    }

    @Test
    void rowsSentAsFloat32BytesGetTheAnswersOfTheSameRowsSentAsJson() {
        String id = submit(Http.json(Map.of("data", TrainingRequests.syntheticData(200, 12),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8))),
                "training", Map.of("epochs", 20, "batchSize", 16, "learningRate", 0.01, "seed", 4, "imputation", "drop"))));
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        String predict = "/models/" + job.get("modelId").asString() + "/predict";
        float[][] rows = {{2, 2, 0}, {-2, -2, 0.5f}, {0.25f, -1.5f, 3}};

        JsonNode fromJson = http.post(predict, Http.json(Map.of("instances", rows))).json();
        Http.Response fromBytes = http.post(predict, "application/octet-stream", float32(rows));

        assertThat(fromBytes.status()).as(fromBytes.body()).isEqualTo(200);
        JsonNode answers = fromBytes.json().get("predictions");
        assertThat(answers).hasSize(3);
        for (int r = 0; r < rows.length; r++) {
            assertThat(answers.get(r).get("label")).isEqualTo(fromJson.get("predictions").get(r).get("label"));
            assertThat(answers.get(r).get("probabilities").get(1).asDouble())
                    .isEqualTo(fromJson.get("predictions").get(r).get("probabilities").get(1).asDouble());
        }

        Http.Response partialRow = http.post(predict, "application/octet-stream", java.util.Arrays.copyOf(float32(rows), 13));
        assertThat(partialRow.status()).isEqualTo(400);
        assertThat(partialRow.contentType()).startsWith("application/problem+json");
        assertThat(partialRow.json().get("errors").get(0).get("field").asString()).isEqualTo("body");
        assertThat(partialRow.json().get("errors").get(0).get("message").asString()).contains("13 bytes", "multiple of 12");

        Http.Response badValues = http.post(predict, "application/octet-stream",
                float32(new float[][]{{1, Float.NaN, 0}, {Float.POSITIVE_INFINITY, 0, 0}}));
        assertThat(badValues.status()).isEqualTo(400);
        assertThat(badValues.json().get("errors").findValuesAsString("field")).containsExactly("body[0][1]", "body[1][0]");
        assertThat(http.post(predict, "application/octet-stream", new byte[0]).status()).isEqualTo(400);
    }

    /** Rows as little-endian float32 bytes, as numpy's {@code X.astype('<f4').tobytes()} writes them. */
    private static byte[] float32(float[][] rows) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(rows.length * rows[0].length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float value : row) {
                bytes.putFloat(value);
            }
        }
        return bytes.array();
    }

    @Test
    void regressionWithFeatureArraysIsInferredAndPredictsValues() {
        SplittableRandom random = new SplittableRandom(5);
        List<List<Double>> features = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            features.add(List.of(a, b));
            targets.add(Math.sin(a) + 0.5 * b * b + 0.001);
        }
        String body = Http.json(Map.of("data", Map.of("features", features, "targets", targets),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 32, "activation", "tanh"), Map.of("units", 16, "activation", "tanh"))),
                "training", Map.of("optimizer", "adam", "learningRate", 0.01, "epochs", 300, "batchSize", 32, "seed", 13,
                        "validationFraction", 0.2)));
        String id = submit(body);
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("task").asString()).isEqualTo("regression");
        assertThat(job.get("taskInferred").asBoolean()).isTrue();
        JsonNode metrics = http.get("/jobs/" + id + "/metrics").json();
        assertThat(metrics.get("metric").asString()).isEqualTo("r2");
        assertThat(metrics.get("finalMetrics").get("validation").get("r2").asDouble()).isGreaterThan(0.95);
        JsonNode prediction = http.post("/models/" + job.get("modelId").asString() + "/predict", "{\"instances\": [[1.0, 1.0]]}").json();
        assertThat(prediction.get("predictions").get(0).get("value").asDouble())
                .isCloseTo(Math.sin(1) + 0.5, within(PREDICTION_NEAR_TARGET));
    }

    @Test
    void stringLabelsComeBackAsGivenAndEvaluateReportsTheFullMetricSet() {
        SplittableRandom random = new SplittableRandom(3);
        List<List<Object>> rows = new ArrayList<>();
        String[] names = {"setosa", "versicolor", "virginica"};
        double[][] centers = {{-2, 0}, {2, 0}, {0, 2.5}};
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            rows.add(List.of(centers[c][0] + 0.5 * random.nextGaussian(), centers[c][1] + 0.5 * random.nextGaussian(), names[c]));
        }
        String body = Http.json(Map.of("data", Map.of("columns", List.of("a", "b", "species"), "rows", rows, "targetColumn", "species"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "tanh"))),
                "training", Map.of("learningRate", 0.01, "epochs", 200, "batchSize", 16, "seed", 3)));
        String id = submit(body);
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("request").get("network").get("outputActivation").asString()).isEqualTo("softmax");
        assertThat(job.get("request").get("training").get("loss").asString()).isEqualTo("categorical_crossentropy");
        String modelId = job.get("modelId").asString();

        JsonNode prediction = http.post("/models/" + modelId + "/predict", "{\"records\": [{\"b\": 2.5, \"a\": 0}]}").json();
        assertThat(prediction.get("predictions").get(0).get("label").asString()).isEqualTo("virginica");
        assertThat(prediction.get("labels").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");

        JsonNode evaluation = http.post("/models/" + modelId + "/evaluate",
                "{\"records\": [{\"a\": -2, \"b\": 0, \"species\": \"setosa\"}, {\"a\": 2, \"b\": 0, \"species\": \"versicolor\"}, "
                        + "{\"a\": 0, \"b\": 2.5, \"species\": \"virginica\"}]}").json();
        assertThat(evaluation.get("kind").asString()).isEqualTo("multiclass");
        assertThat(evaluation.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(evaluation.get("perClass")).hasSize(3);
        assertThat(evaluation.get("confusionMatrix").get("labels").get(2).asString()).isEqualTo("virginica");

        JsonNode model = http.get("/models/" + modelId).json();
        assertThat(model.get("inputSchema").get("features").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(model.get("network").get("parameterCount").asLong()).isEqualTo(2 * 8 + 8 + 8 * 3 + 3);
        assertThat(model.get("network").get("precision").asString()).isEqualTo("float64");
        assertThat(model.get("pipeline")).hasSize(2);
        assertThat(model.get("pipeline").get(0).get("kind").asString()).isEqualTo("numeric");
        assertThat(http.get("/models?size=100").json().get("items").toString()).contains(modelId);

        assertThat(http.delete("/models/" + modelId).status()).isEqualTo(204);
        Http.Response gone = http.post("/models/" + modelId + "/predict", "{\"instances\": [[0, 0]]}");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("type").asString()).endsWith("/not-found");
    }

    @Test
    void dryRunFillsEveryDefaultAndStoresNothing() {
        long before = http.get("/jobs").json().get("total").asLong();
        Http.Response response = http.post("/jobs?dryRun=true",
                Http.json(Map.of("data", TrainingRequests.syntheticData(50, 2),
                        "network", Map.of("hiddenLayers", List.of(Map.of("units", 4))))));
        assertThat(response.status()).isEqualTo(200);
        JsonNode resolved = response.json();
        assertThat(resolved.get("task").asString()).isEqualTo("classification");
        assertThat(resolved.get("taskInferred").asBoolean()).isTrue();
        assertThat(resolved.get("parameterCount").asLong()).isEqualTo(3 * 4 + 4 + 4 + 1);
        JsonNode training = resolved.get("request").get("training");
        assertThat(training.get("optimizer").asString()).isEqualTo("adam");
        assertThat(training.get("learningRate").asDouble()).isEqualTo(0.001);
        assertThat(training.get("epochs").asInt()).isEqualTo(200);
        assertThat(training.get("batchSize").asInt()).isEqualTo(32);
        assertThat(training.get("loss").asString()).isEqualTo("binary_crossentropy");
        assertThat(training.get("validationFraction").asDouble()).isZero();
        assertThat(training.get("validationSplit").asString()).isEqualTo("stratified");
        assertThat(training.get("seed").isNumber()).isTrue();
        assertThat(training.get("earlyStopping").get("monitor").asString()).isEqualTo("loss");
        assertThat(training.get("earlyStopping").get("mode").asString()).isEqualTo("min");
        assertThat(resolved.get("request").get("network").get("hiddenLayers").get(0).get("activation").asString()).isEqualTo("relu");
        assertThat(resolved.get("request").get("network").get("precision").asString()).isEqualTo("float64");
        assertThat(resolved.get("request").get("network").get("initializer").asString()).isEqualTo("xavier");
        assertThat(resolved.get("data").get("validationRows").asInt()).isZero();
        // every chosen value says why, and the inferred task says how it was inferred
        assertThat(resolved.get("defaults").get("training.batchSize").asString()).startsWith("32: min(32, training rows)");
        assertThat(resolved.get("defaults").get("training.earlyStopping").asString()).startsWith("loss, patience 10");
        assertThat(resolved.get("warnings").get(0).get("code").asString()).isEqualTo("task-inferred");
        assertThat(http.get("/jobs").json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void aRunningJobIsCancelledWithinABatchThenCanBeDeleted() {
        String id = submit(TrainingRequests.longRunning(100_000));
        awaitStatus(id, "RUNNING");
        Http.Response cancel = http.post("/jobs/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isIn("CANCEL_REQUESTED", "CANCELLED");
        JsonNode job = awaitStatus(id, "CANCELLED", "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.has("modelId")).isFalse();
        assertThat(job.get("progress").get("fraction").asDouble()).isLessThan(1.0);

        Http.Response again = http.post("/jobs/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("type").asString()).endsWith("/job-state-conflict");

        assertThat(http.delete("/jobs/" + id).status()).isEqualTo(204);
        assertThat(http.get("/jobs/" + id).status()).isEqualTo(404);
    }

    @Test
    void deletingARunningJobIsAConflict() {
        String id = submit(TrainingRequests.longRunning(100_000));
        awaitStatus(id, "RUNNING");
        Http.Response delete = http.delete("/jobs/" + id);
        assertThat(delete.status()).isEqualTo(409);
        http.post("/jobs/" + id + "/cancel", "");
        awaitStatus(id, "CANCELLED");
    }

    @Test
    void theTimeBudgetEndsTheRunWithAModel() {
        String body = TrainingRequests.longRunning(100_000).replace("\"seed\":1", "\"seed\":1,\"maxRuntimeSeconds\":1");
        assertThat(body).contains("maxRuntimeSeconds");
        String id = submit(body);
        JsonNode job = awaitStatus(id, "SUCCEEDED", "FAILED", "CANCELLED");
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asString()).isEqualTo("TIME_LIMIT");
        assertThat(job.get("modelId").asString()).isNotBlank();
        assertThat(http.get("/jobs/" + id + "/metrics").json().get("history").size()).isLessThan(100_000);
    }

    @Test
    void divergenceFailsTheJobNamingEpochAndBatch() {
        String body = Http.json(Map.of("task", "regression",
                "data", Map.of("features", List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8)),
                        "targets", List.of(100, 300, 500, 700)),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 16, "activation", "relu"))),
                "training", Map.of("optimizer", "sgd", "learningRate", 1e4, "epochs", 50, "batchSize", 1, "scaling", "none",
                        "seed", 4)));
        String id = submit(body);
        JsonNode job = awaitStatus(id, "FAILED", "SUCCEEDED");
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("type").asString()).endsWith("/training-failed");
        assertThat(job.get("error").get("detail").asString()).containsPattern("epoch \\d+, batch \\d+");
    }

    @Test
    void eventsStreamEpochsAndEndWithTheTerminalStatus() throws Exception {
        String id = submit(TrainingRequests.longRunning(3_000));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        String lastData = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    events.add(line.substring(6).trim());
                } else if (line.startsWith("data:")) {
                    lastData = line.substring(5).trim();
                }
            }
        }
        assertThat(events).contains("epoch");
        assertThat(events.get(events.size() - 1)).isEqualTo("status");
        assertThat(lastData).contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void listsFilterByStatusAndPage() {
        String id = submit(TrainingRequests.example("xor"));
        awaitStatus(id, "SUCCEEDED");
        JsonNode page = http.get("/jobs?status=succeeded&size=100").json();
        assertThat(page.get("items").toString()).contains(id);
        page.get("items").forEach(j -> assertThat(j.get("status").asString()).isEqualTo("SUCCEEDED"));
        assertThat(http.get("/jobs?status=QUEUED&size=100").json().get("items").toString()).doesNotContain(id);
        assertThat(http.get("/jobs?status=bogus").status()).isEqualTo(400);
        assertThat(http.get("/jobs?size=0").status()).isEqualTo(400);
    }

    @Test
    void prometheusExposesJobsEpochsAndPredictLatency() {
        String id = submit(TrainingRequests.example("xor"));
        JsonNode job = awaitStatus(id, "SUCCEEDED");
        http.post("/models/" + job.get("modelId").asString() + "/predict", "{\"instances\": [[0, 1]]}");
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).contains("backprop_jobs{").contains("status=\"SUCCEEDED\"")
                .contains("backprop_training_epoch_seconds_count").contains("backprop_predict_seconds_count");
        JsonNode readiness = http.get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").get("db").get("status").asString()).isEqualTo("UP");
    }

    static Stream<Arguments> badInputs() {
        String rows = "\"columns\": [\"a\", \"y\"], \"rows\": [[1, 0], [2, 1], [3, 0], [4, 1]], \"targetColumn\": \"y\"";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"data\": ", "malformed-body", null),
                Arguments.of("NaN literal", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[NaN, 0]], \"targetColumn\": \"y\"}}", "malformed-body", null),
                Arguments.of("overflowing number", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[1e400, 0], [1, 1]], \"targetColumn\": \"y\"}}", "validation", "data.rows[0][0]"),
                Arguments.of("string feature", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[\"x\", 0], [1, 1]], \"targetColumn\": \"y\"}}", "validation", "data.rows[0][0]"),
                Arguments.of("null target", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[1, null], [1, 1]], \"targetColumn\": \"y\"}}", "validation", "data.rows[0][1]"),
                Arguments.of("number among categories", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[\"p\", 0], [\"q\", 1], [3, 1]], \"targetColumn\": \"y\"}}", "validation", "data.rows[2][0]"),
                Arguments.of("ragged row", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[1, 0], [1]], \"targetColumn\": \"y\"}}", "validation", "data.rows[1]"),
                Arguments.of("unknown target column", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[1, 0], [2, 1]], \"targetColumn\": \"z\"}}", "validation", "data.targetColumn"),
                Arguments.of("unknown feature column", "{\"data\": {" + rows + ", \"featureColumns\": [\"b\"]}}", "validation", "data.featureColumns[0]"),
                Arguments.of("unknown property", "{\"data\": {" + rows + "}, \"learningRate\": 0.1}", "validation", "learningRate"),
                Arguments.of("string for a number", "{\"data\": {" + rows + "}, \"training\": {\"epochs\": \"10\"}}", "validation", "training.epochs"),
                Arguments.of("fraction for an integer", "{\"data\": {" + rows + "}, \"training\": {\"epochs\": 2.5}}", "validation", "training.epochs"),
                Arguments.of("integer overflow", "{\"data\": {" + rows + "}, \"training\": {\"epochs\": 99999999999}}", "validation", "training.epochs"),
                Arguments.of("softmax with binary cross-entropy", "{\"data\": {" + rows + "}, \"network\": {\"outputActivation\": \"softmax\"}, \"training\": {\"loss\": \"binary_crossentropy\"}}", "validation", "training.loss"),
                Arguments.of("softmax in a hidden layer", "{\"data\": {" + rows + "}, \"network\": {\"hiddenLayers\": [{\"units\": 4, \"activation\": \"softmax\"}]}}", "validation", "network.hiddenLayers[0].activation"),
                Arguments.of("zero units", "{\"data\": {" + rows + "}, \"network\": {\"hiddenLayers\": [{\"units\": 0}]}}", "validation", "network.hiddenLayers[0].units"),
                Arguments.of("unknown activation", "{\"data\": {" + rows + "}, \"network\": {\"hiddenLayers\": [{\"units\": 2, \"activation\": \"swish\"}]}}", "validation", "network.hiddenLayers[0].activation"),
                Arguments.of("unknown precision", "{\"data\": {" + rows + "}, \"network\": {\"precision\": \"float16\"}}", "validation", "network.precision"),
                Arguments.of("negative learning rate", "{\"data\": {" + rows + "}, \"training\": {\"learningRate\": -1}}", "validation", "training.learningRate"),
                Arguments.of("epochs over the cap", "{\"data\": {" + rows + "}, \"training\": {\"epochs\": 100001}}", "validation", "training.epochs"),
                Arguments.of("units over the cap", "{\"data\": {" + rows + "}, \"network\": {\"hiddenLayers\": [{\"units\": 5000}]}}", "validation", "network.hiddenLayers[0].units"),
                Arguments.of("unknown task", "{\"task\": \"ranking\", \"data\": {" + rows + "}}", "validation", "task"),
                Arguments.of("one class", "{\"data\": {\"columns\": [\"a\", \"y\"], \"rows\": [[1, \"a\"], [2, \"a\"]], \"targetColumn\": \"y\"}}", "validation", "data.targetColumn"),
                Arguments.of("no data", "{}", "validation", "data"),
                Arguments.of("both data forms", "{\"data\": {" + rows + ", \"features\": [[1]], \"targets\": [1]}}", "validation", "data"),
                Arguments.of("val_loss without validation", "{\"data\": {" + rows + "}, \"training\": {\"validationFraction\": 0, \"earlyStopping\": {\"monitor\": \"val_loss\"}}}", "validation", "training.earlyStopping.monitor"),
                Arguments.of("unknown optimizer", "{\"data\": {" + rows + "}, \"training\": {\"optimizer\": \"adamw\"}}", "validation", "training.optimizer"),
                Arguments.of("unknown scaling", "{\"data\": {" + rows + "}, \"training\": {\"scaling\": \"robust\"}}", "validation", "training.scaling"),
                Arguments.of("unknown schedule", "{\"data\": {" + rows + "}, \"training\": {\"schedule\": {\"type\": \"cosine\"}}}", "validation", "training.schedule.type"),
                Arguments.of("unknown early-stopping mode", "{\"data\": {" + rows + "}, \"training\": {\"earlyStopping\": {\"mode\": \"up\"}}}", "validation", "training.earlyStopping.mode"),
                Arguments.of("unknown job type", "{\"type\": \"bayes_search\", \"data\": {" + rows + "}, \"search\": {\"space\": {\"l2\": [0.1]}}}", "validation", "type"),
                Arguments.of("settings of another optimizer", "{\"data\": {" + rows + "}, \"training\": {\"optimizer\": \"sgd\", \"beta1\": 0.9}}", "validation", "training.beta1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsAProblemNamingTheFieldAndStoresNothing(String name, String body, String type, String field) {
        long before = http.get("/jobs").json().get("total").asLong();
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("https://backprop.dev/problems/" + type);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank().doesNotContain("Exception").doesNotContain("dev.backprop");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
            assertThat(fields).contains(field);
        }
        assertThat(http.get("/jobs").json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeParsing() {
        String huge = "{\"data\": {\"columns\": [\"a\"], \"rows\": [" + "[1],".repeat(3_000_000) + "[1]]}}";
        Http.Response response = http.post("/jobs", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("type").asString()).endsWith("/payload-too-large");
    }

    @Test
    void predictRejectsBadRowsNamingThem() {
        String id = submit(TrainingRequests.example("xor"));
        String modelId = awaitStatus(id, "SUCCEEDED").get("modelId").asString();
        Map<String, String> cases = Map.of(
                "{\"instances\": [[0, 1], [1]]}", "instances[1]",
                "{\"instances\": [[0, \"x\"]]}", "instances[0][1]",
                "{\"instances\": [[0, 1e400]]}", "instances[0][1]",
                "{\"records\": [{\"x1\": 0, \"x2\": 1, \"x3\": 5}]}", "records[0].x3",
                "{\"records\": [{\"x1\": 0, \"x2\": \"a\"}]}", "records[0].x2",
                "{\"instances\": [[0, 1]], \"records\": [{\"x1\": 0, \"x2\": 1}]}", "body",
                "{\"instances\": []}", "instances");
        cases.forEach((body, field) -> {
            Http.Response response = http.post("/models/" + modelId + "/predict", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        });
        // Bodies of the byte scan's shape that are not JSON: the scan leaves them to Jackson, whose answers they keep
        // (the details were those of the service before the scan existed).
        Map<String, String> malformed = Map.of(
                "{\"instances\": [[0, 1],]}", "the body is not valid JSON at line 1, column 23",
                "{\"instances\": [[0, 01]]}", "the body is not valid JSON at line 1, column 21",
                "{\"instances\": [[0, 1]]} x", "the body is not valid JSON at line 1, column 25",
                "{\"instances\": [[0, 1.]]}", "the body is not valid JSON at line 1, column 22",
                "{\"instances\": [[0, +1]]}", "the body is not valid JSON at line 1, column 21",
                "{\"instances\": [[0, 1]", "the body is not valid JSON at line 1, column 22",
                "{\"instances\": [[0, 1e]]}", "the body is not valid JSON at line 1, column 22",
                "{\"instances\": [[0, 1]]}]", "the body is not valid JSON at line 1, column 24",
                "", "the request body is missing or unreadable");
        malformed.forEach((body, detail) -> {
            Http.Response response = http.post("/models/" + modelId + "/predict", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("type").asString()).as(body).isEqualTo("https://backprop.dev/problems/malformed-body");
            assertThat(response.json().get("detail").asString()).as(body).isEqualTo(detail);
        });
        // A JSON null (found by ApiFuzzEndToEndTest as a 500 once the body was read as bytes).
        Http.Response nothing = http.post("/models/" + modelId + "/predict", "application/json;;", "null");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.json().get("type").asString()).isEqualTo("https://backprop.dev/problems/malformed-body");
        assertThat(http.post("/models/" + modelId + "/predict", "{\"instances\": [[0, 1]], \"instances\": [[1, 1, 1]]}")
                .json().get("errors").get(0).get("field").asString()).isEqualTo("instances[0]");
        assertThat(http.post("/models/" + modelId + "/predict?threshold=2", "{\"instances\": [[0, 1]]}").json()
                .get("errors").get(0).get("field").asString()).isEqualTo("threshold");
        // The scanned instances and the records Jackson reads are the same rows, answered alike.
        String scanned = http.post("/models/" + modelId + "/predict", "{\"instances\": [[0, 1], [1, 1], [0.25, 1e-1]]}").body();
        String records = http.post("/models/" + modelId + "/predict", "{\"records\": [{\"x1\": 0, \"x2\": 1}, {\"x1\": 1, "
                + "\"x2\": 1}, {\"x2\": 0.1, \"x1\": 0.25}]}").body();
        assertThat(scanned).contains("\"predictions\"").isEqualTo(records);
        assertThat(http.post("/models/" + java.util.UUID.randomUUID() + "/predict", "{\"instances\": [[0, 1]]}").status()).isEqualTo(404);
        assertThat(http.get("/models/not-a-uuid").status()).isEqualTo(400);
        assertThat(http.get("/no-such-path").status()).isEqualTo(404);
        assertThat(http.post("/jobs", "text/plain", "hello").status()).isEqualTo(415);
    }
}
