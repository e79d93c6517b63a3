package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The lean predict path ({@link LeanPredictFilter}) answers what the controller answers, byte for byte, for both body
 * types on float64 and float32 models, classifiers and regressions; every problem still comes from the controller with
 * the same status and body; and {@code http.server.requests} still counts its predicts under the controller's
 * pattern. The controller's answer is had by an {@code Accept} header the lean path leaves to Spring MVC, which answers
 * it with JSON as it does a request without one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LeanPredictEndToEndTest extends HttpEndToEndTest {

    /** Not one the lean path takes; the controller answers JSON for it, as for no Accept at all. */
    private static final Map<String, String> TO_THE_CONTROLLER = Map.of("Accept", "application/json, */*");

    @Autowired
    LeanPredictFilter lean;

    private static String classifier;
    private static String classifier32;
    private static String regression;
    private static String regression32;

    @BeforeEach
    void trainOnce() {
        if (classifier == null) {
            classifier = train("classification", "float64");
            classifier32 = train("classification", "float32");
            regression = train("regression", "float64");
            regression32 = train("regression", "float32");
        }
    }

    private String train(String task, String precision) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            double a = r / 10.0;
            double b = (r * 7 % 11) / 5.0;
            double c = Math.sin(r);
            rows.add(List.of(a, b, c, task.equals("regression") ? a + b * c : r % 3 == 0 ? "red" : a > b ? "green" : "blue"));
        }
        String job = http.post("/jobs", Http.json(Map.of("task", task,
                "data", Map.of("columns", List.of("a", "b", "c", "y"), "rows", rows, "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 5, "activation", "tanh")), "precision", precision),
                "training", Map.of("epochs", 20, "seed", 3, "validationFraction", 0)))).json().get("id").asString();
        JsonNode ended = awaitEnd(job);
        assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("SUCCEEDED");
        return ended.get("modelId").asString();
    }

    private Http.Response predict(String model, String contentType, byte[] body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", contentType);
        return new dev.backprop.support.RawHttp(port).send("POST /models/" + model + "/predict HTTP/1.1", all, body);
    }

    private static byte[] float32(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return bytes.array();
    }

    /**
     * Rows enough for a body over the limits filter's 64 KB, which it reads whole before this path takes it (the
     * 64-row predicts' way), with {@code last} as the last row's last value.
     */
    private static byte[] largeJson(String last) {
        StringBuilder json = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < 4_000; r++) {
            json.append(r == 0 ? "" : ",").append('[').append(r % 7 * 0.125).append(", ").append(-r % 5 * 1.5).append(", ")
                    .append(r == 3_999 ? last : String.valueOf(r % 3)).append(']');
        }
        return json.append("]}").toString().getBytes();
    }

    private static byte[] largeFloat32(int values) {
        float[] floats = new float[values];
        for (int i = 0; i < values; i++) {
            floats[i] = i % 11 * 0.25f - 1;
        }
        return float32(floats);
    }

    private static final List<byte[]> JSON_BODIES = List.of(
            "{\"instances\": [[0.5, 1.25, -0.3]]}".getBytes(),
            "{\"instances\":[[0.1,0.2,0.3],[1,2,3],[2.5e-1,1E1,-7]]}".getBytes(),
            "{ \"instances\" : [ [ 3.14159, 2.71828, 1.41421 ] , [0, 0, 0] ] }\n".getBytes(),
            largeJson("0.75"));

    private static final List<byte[]> FLOAT32_BODIES = List.of(float32(0.5f, 1.25f, -0.3f),
            float32(0.1f, 0.2f, 0.3f, 1, 2, 3, 0.25f, 10, -7), largeFloat32(3 * 6_000));

    @Test
    void theLeanPathAnswersByteForByteWhatTheControllerAnswers() {
        for (String model : List.of(classifier, classifier32, regression, regression32)) {
            for (String type : List.of("application/json", "application/octet-stream")) {
                for (byte[] body : type.equals("application/json") ? JSON_BODIES : FLOAT32_BODIES) {
                    long before = lean.answered();
                    Http.Response leanAnswer = predict(model, type, body, Map.of());
                    assertThat(lean.answered()).as("the lean path answered %s", type).isEqualTo(before + 1);
                    Http.Response controllerAnswer = predict(model, type, body, TO_THE_CONTROLLER);
                    assertThat(lean.answered()).as("the controller answered").isEqualTo(before + 1);
                    assertThat(leanAnswer.status()).as(leanAnswer.body()).isEqualTo(200);
                    assertThat(leanAnswer.body()).isEqualTo(controllerAnswer.body()).contains("\"modelId\":\"" + model + "\"");
                    assertThat(leanAnswer.contentType()).isEqualTo(controllerAnswer.contentType());
                    for (String header : List.of("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                            "Referrer-Policy", "Cache-Control")) {
                        assertThat(leanAnswer.headers().allValues(header)).as(header)
                                .isEqualTo(controllerAnswer.headers().allValues(header)).isNotEmpty();
                    }
                }
            }
        }
    }

    @Test
    void everyProblemIsTheControllersWithTheSameStatusAndBody() {
        String unknown = UUID.randomUUID().toString();
        List<Object[]> cases = List.of(
                new Object[]{unknown, "application/json", JSON_BODIES.get(0), 404},
                new Object[]{unknown, "application/octet-stream", FLOAT32_BODIES.get(0), 404},
                new Object[]{classifier, "application/json", "{\"instances\": [[1, 2]]}".getBytes(), 400},
                new Object[]{classifier, "application/json", "{\"instances\": [[1, 2, 3], [1, 2]]}".getBytes(), 400},
                new Object[]{classifier, "application/json", "{\"instances\": [[1, 2, 1e999]]}".getBytes(), 400},
                new Object[]{classifier, "application/json", "{\"instances\": []}".getBytes(), 400},
                new Object[]{classifier, "application/json", "{\"instances\": [[1, 2, 3]]".getBytes(), 400},
                new Object[]{classifier, "application/json", "null".getBytes(), 400},
                new Object[]{classifier, "application/json", new byte[0], 400},
                new Object[]{classifier32, "application/octet-stream", float32(1, 2), 400},
                new Object[]{classifier32, "application/octet-stream", new byte[0], 400},
                new Object[]{regression, "application/octet-stream", new byte[5], 400},
                // over 64 KB, so read whole by the limits filter and handed to this path: the controller still reads it all
                new Object[]{classifier, "application/json", largeJson("1e999"), 400},
                new Object[]{classifier32, "application/octet-stream", largeFloat32(3 * 6_000 + 1), 400});
        for (Object[] c : cases) {
            long before = lean.answered();
            Http.Response leanAnswer = predict((String) c[0], (String) c[1], (byte[]) c[2], Map.of());
            Http.Response controllerAnswer = predict((String) c[0], (String) c[1], (byte[]) c[2], TO_THE_CONTROLLER);
            String what = c[1] + " " + new String((byte[]) c[2], java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(leanAnswer.status()).as(what).isEqualTo(c[3]);
            assertThat(leanAnswer.contentType()).as(what).startsWith("application/problem+json");
            assertThat(leanAnswer.body()).as(what).isEqualTo(controllerAnswer.body());
            assertThat(lean.answered()).as(what).isEqualTo(before);
        }
    }

    @Test
    void itsPredictsAreCountedUnderTheControllersPattern() {
        List<String> metric = List.of("http_server_requests_seconds_count{", "method=\"POST\"", "status=\"200\"",
                "uri=\"/models/{id}/predict\"");
        long before = lean.answered();
        double counted = count(http.get("/actuator/prometheus").body(), metric);
        for (int i = 0; i < 3; i++) {
            assertThat(predict(classifier, "application/json", JSON_BODIES.get(0), Map.of()).status()).isEqualTo(200);
        }
        assertThat(lean.answered()).isEqualTo(before + 3);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> count(http.get("/actuator/prometheus").body(), metric) == counted + 3);
    }

    /** The value of the one line that starts with the first part and holds every other. */
    private static double count(String prometheus, List<String> metric) {
        return prometheus.lines().filter(line -> line.startsWith(metric.get(0)) && metric.stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
