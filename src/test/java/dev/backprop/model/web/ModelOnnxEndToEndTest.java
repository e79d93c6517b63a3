package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.backprop.Tolerances;
import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The ONNX export over real HTTP, run by onnxruntime: on 1,000 rows with gaps, the graph answers what /predict
 * answers, for a softmax classifier, a sigmoid classifier and a regression, scaled and not, in float64, and for a
 * float32 model with a categorical feature in float32. {@code OnnxParityTest} runs the whole matrix in-process.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelOnnxEndToEndTest extends HttpEndToEndTest {

    private static final int ROWS = 1000;

    @Test
    void aSoftmaxClassifierWithStandardizedImputedFeaturesAnswersAsPredictDoes() throws Exception {
        String model = trained(data(300, 1, row -> row[1] > 8 ? "a" : row[2] > -2 ? "b" : "c", 0.1),
                Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "relu"), Map.of("units", 6, "activation", "tanh"))),
                Map.of("scaling", "standardize", "imputation", "mean"));
        assertParity(model, "classification", 3);
    }

    @Test
    void aSigmoidClassifierWithMinmaxScalingLeakyReluAndEluAnswersAsPredictDoes() throws Exception {
        String model = trained(data(300, 2, row -> row[0] * row[1] > 0 ? "yes" : "no", 0.1),
                Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "leaky_relu"), Map.of("units", 5, "activation", "elu")),
                        "outputActivation", "sigmoid"),
                Map.of("scaling", "minmax", "imputation", "median", "loss", "binary_crossentropy"));
        assertParity(model, "classification", 2);
    }

    @Test
    void aRegressionWithoutScalingAnswersValuesInTheTargetsUnits() throws Exception {
        String model = trained(data(300, 3, row -> 40 * row[0] - 25 * row[1] + 300, 0.1),
                Map.of("hiddenLayers", List.of(Map.of("units", 6, "activation", "sigmoid"))),
                Map.of("scaling", "none", "imputation", "mean"));
        assertParity(model, "regression", 1);
    }

    @Test
    void aRegressionOnCompleteRowsWithStandardizationAnswersAsPredictDoes() throws Exception {
        String model = trained(data(300, 4, row -> row[0] - 2 * row[2], 0),
                Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu"))), Map.of("scaling", "standardize"));
        assertParity(model, "regression", 1);
    }

    @Test
    void aFloat32ModelWithACategoricalFeatureExportsAFloat32GraphWithAStringInputThatAnswersAsPredictDoes() throws Exception {
        List<String> colours = List.of("red", "green", "blue");
        SplittableRandom random = new SplittableRandom(5);
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            String colour = colours.get(random.nextInt(3));
            double x = random.nextGaussian();
            rows.add(Arrays.asList(random.nextDouble() < 0.1 ? null : colour, x, colour.equals("red") || x > 1 ? "warm" : "cold"));
        }
        String model = trained(Map.of("columns", List.of("colour", "x", "y"), "rows", rows, "targetColumn", "y"),
                Map.of("hiddenLayers", List.of(Map.of("units", 6, "activation", "relu")), "precision", "float32"),
                Map.of("scaling", "standardize"));

        List<List<Object>> instances = new ArrayList<>();
        float[][] numbers = new float[ROWS][1];
        String[] texts = new String[ROWS];
        for (int r = 0; r < ROWS; r++) {
            String colour = r % 100 == 0 ? "purple" : r % 10 == 1 ? null : colours.get(random.nextInt(3));
            double x = random.nextGaussian();
            instances.add(Arrays.asList(colour, x));
            numbers[r][0] = (float) x;
            texts[r] = colour == null ? "" : colour;
        }
        Http.Response predicted = http.post("/models/" + model + "/predict", Http.json(Map.of("instances", instances)));
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        JsonNode predictions = predicted.json().get("predictions");

        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(onnx(model, ""), new OrtSession.SessionOptions());
             OnnxTensor features = OnnxTensor.createTensor(environment, numbers);
             OnnxTensor colour = OnnxTensor.createTensor(environment, texts);
             OrtSession.Result result = session.run(Map.of("features", features, "colour", colour))) {
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            String[] labels = (String[]) result.get("label").orElseThrow().getValue();
            for (int r = 0; r < ROWS; r++) {
                JsonNode row = predictions.get(r);
                for (int c = 0; c < 2; c++) {
                    assertThat((double) probabilities[r][c]).as("row %d class %d", r, c)
                            .isCloseTo(row.get("probabilities").get(c).asDouble(), within(Tolerances.ONNX_PARITY_FLOAT32));
                }
                assertThat(labels[r]).as("row %d", r).isEqualTo(row.get("label").asString());
            }
        }
        try (OrtSession session = environment.createSession(onnx(model, "?precision=float64"), new OrtSession.SessionOptions())) {
            assertThat(session.getInputInfo().get("features").getInfo().toString()).contains("DOUBLE");
        }
        Http.Response refused = http.get("/models/" + model + "/onnx?precision=float16");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains("precision", "float16");
        assertThat(http.get("/models/00000000-0000-0000-0000-000000000000/onnx").status()).isEqualTo(404);
    }

    private byte[] onnx(String model, String query) throws Exception {
        HttpResponse<byte[]> exported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/models/" + model + "/onnx" + query)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        return exported.body();
    }

    /** Predicts the same fresh rows (a tenth of the cells missing) by /predict and by onnxruntime. */
    private void assertParity(String model, String task, int classes) throws Exception {
        double[][] features = features(ROWS, 99, 0.1);
        List<List<Object>> instances = new ArrayList<>();
        for (double[] row : features) {
            List<Object> cells = new ArrayList<>();
            for (double value : row) {
                cells.add(Double.isNaN(value) ? null : value);
            }
            instances.add(cells);
        }
        Http.Response predicted = http.post("/models/" + model + "/predict", Http.json(Map.of("instances", instances)));
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        JsonNode predictions = predicted.json().get("predictions");

        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        double largest = 0;
        try (OrtSession session = environment.createSession(onnx(model, ""), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment, features);
             OrtSession.Result result = session.run(Map.of("features", input))) {
            if (task.equals("regression")) {
                double[][] values = (double[][]) result.get("value").orElseThrow().getValue();
                for (int r = 0; r < ROWS; r++) {
                    double expected = predictions.get(r).get("value").asDouble();
                    assertThat(values[r][0]).as("row %d", r).isCloseTo(expected, within(Tolerances.ONNX_PARITY));
                    largest = Math.max(largest, Math.abs(values[r][0] - expected));
                }
            } else {
                double[][] probabilities = (double[][]) result.get("probabilities").orElseThrow().getValue();
                String[] labels = (String[]) result.get("label").orElseThrow().getValue();
                for (int r = 0; r < ROWS; r++) {
                    JsonNode row = predictions.get(r);
                    assertThat(probabilities[r]).hasSize(classes);
                    for (int c = 0; c < classes; c++) {
                        double expected = row.get("probabilities").get(c).asDouble();
                        assertThat(probabilities[r][c]).as("row %d class %d", r, c).isCloseTo(expected, within(Tolerances.ONNX_PARITY));
                        largest = Math.max(largest, Math.abs(probabilities[r][c] - expected));
                    }
                    assertThat(labels[r]).as("row %d", r).isEqualTo(row.get("label").asString());
                }
            }
        }
        System.out.printf("ONNX parity of a %s model (%d classes): largest difference %.3g over %d rows%n", task, classes, largest, ROWS);
    }

    private String trained(Map<String, Object> data, Map<String, Object> network, Map<String, Object> options) {
        Map<String, Object> training = new HashMap<>(Map.of("epochs", 30, "seed", 7, "validationFraction", 0.2));
        training.putAll(options);
        Http.Response submitted = http.post("/jobs", Http.json(Map.of("name", "onnx", "data", data, "network", network,
                "training", training)));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job.get("modelId").asString();
    }

    /** {@code rows × 3} standard-normal features, a fraction of them missing, and a target computed from complete values. */
    static Map<String, Object> data(int rows, long seed, java.util.function.Function<double[], Object> target, double missing) {
        double[][] complete = features(rows, seed, 0);
        double[][] gappy = features(rows, seed, missing);
        List<List<Object>> data = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Object> row = new ArrayList<>();
            for (double value : gappy[r]) {
                row.add(Double.isNaN(value) ? null : value);
            }
            row.add(target.apply(complete[r]));
            data.add(row);
        }
        return Map.of("columns", List.of("x0", "x1", "x2", "y"), "rows", data, "targetColumn", "y");
    }

    /** Standard-normal features scaled per column (so that scaling matters), NaN for a missing cell. */
    static double[][] features(int rows, long seed, double missing) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] spread = {1, 10, 0.5};
        double[] offset = {0, 5, -2};
        double[][] features = new double[rows][3];
        for (double[] row : features) {
            for (int f = 0; f < 3; f++) {
                double value = offset[f] + spread[f] * random.nextGaussian();
                row[f] = random.nextDouble() < missing ? Double.NaN : value;
            }
        }
        return Arrays.copyOf(features, rows);
    }
}
