package dev.backprop.model.serving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * KServe v2 and MLflow scoring over real HTTP, with request bodies shaped as those protocols' documentation
 * shows them, on a named two-feature classifier and a regression with a categorical feature: each answer
 * equals Backprop's own predict, and errors come in the protocol's format.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServingProtocolsEndToEndTest extends HttpEndToEndTest {

    private String classifier;
    private String regression;

    private String train(Map<String, Object> request) {
        Http.Response submitted = http.post("/jobs", Http.json(request));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job.get("modelId").asString();
    }

    @BeforeEach
    void trainTwoModels() {
        classifier = train(Map.of("name", "serving-xor", "data", Map.of("columns", List.of("x1", "x2", "y"),
                        "rows", List.of(List.of(0, 0, "no"), List.of(0, 1, "yes"), List.of(1, 0, "yes"), List.of(1, 1, "no")), "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "tanh"))), "training", Map.of("epochs", 50, "seed", 2)));
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 30; r++) {
            rows.add(List.of(r % 2 == 0 ? "red" : "blue", r * 0.1, r * 0.2 + (r % 2)));
        }
        regression = train(Map.of("name", "serving-price", "task", "regression",
                "data", Map.of("columns", List.of("colour", "size", "price"), "rows", rows, "targetColumn", "price"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 3))), "training", Map.of("epochs", 20, "seed", 2)));
    }

    private JsonNode predict(String model, Object instances) {
        return http.post("/models/" + model + "/predict", Http.json(Map.of("instances", instances))).json().get("predictions");
    }

    @Test
    void kserveHealthMetadataAndReadinessAnswerAsTheProtocolDefines() {
        assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
        JsonNode metadata = http.get("/v2/models/serving-xor").json();
        assertThat(metadata.get("name").asString()).isEqualTo("serving-xor");
        assertThat(metadata.get("versions").get(0).asString()).isEqualTo(classifier);
        assertThat(metadata.get("inputs").get(0).toString()).isEqualTo("{\"name\":\"features\",\"datatype\":\"FP64\",\"shape\":[-1,2]}");
        assertThat(metadata.get("outputs").get(1).get("name").asString()).isEqualTo("probabilities");
        assertThat(http.get("/v2/models/serving-price").json().get("inputs").get(0).get("datatype").asString()).isEqualTo("BYTES");
        assertThat(http.get("/v2/models/serving-xor/ready").json().get("ready").asBoolean()).isTrue();
        Http.Response unknown = http.get("/v2/models/nobody/ready");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).contains("nobody");
    }

    @Test
    void kserveInferOnTypedTensorsEqualsPredict() {
        // The protocol documentation's request: one FP32 tensor, its data nested as its shape.
        String request = """
                {"id": "42", "inputs": [{"name": "input-0", "shape": [2, 2], "datatype": "FP32", "data": [[0.0, 1.0], [1.0, 1.0]]}]}""";
        Http.Response response = http.post("/v2/models/serving-xor/infer", request);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.get("model_name").asString()).isEqualTo("serving-xor");
        assertThat(answer.get("model_version").asString()).isEqualTo(classifier);
        assertThat(answer.get("id").asString()).isEqualTo("42");
        JsonNode expected = predict(classifier, List.of(List.of(0.0, 1.0), List.of(1.0, 1.0)));
        JsonNode label = answer.get("outputs").get(0);
        assertThat(label.get("name").asString()).isEqualTo("label");
        assertThat(label.get("datatype").asString()).isEqualTo("BYTES");
        assertThat(label.get("data").get(1).asString()).isEqualTo(expected.get(1).get("label").asString());
        JsonNode probabilities = answer.get("outputs").get(1);
        assertThat(probabilities.get("datatype").asString()).isEqualTo("FP32");
        assertThat(probabilities.get("shape").toString()).isEqualTo("[2,2]");
        assertThat((float) probabilities.get("data").get(3).asDouble())
                .isEqualTo((float) expected.get(1).get("probabilities").get(1).asDouble());

        String flat = """
                {"inputs": [{"name": "features", "shape": [1, 2], "datatype": "FP64", "data": [1.0, 1.0]}],
                 "outputs": [{"name": "probabilities"}]}""";
        JsonNode fp64 = http.post("/v2/models/" + classifier + "/infer", flat).json();
        assertThat(fp64.get("outputs")).hasSize(1);
        assertThat(fp64.get("outputs").get(0).get("datatype").asString()).isEqualTo("FP64");
        assertThat(fp64.get("outputs").get(0).get("data").get(1).asDouble()).isEqualTo(expected.get(1).get("probabilities").get(1).asDouble());
    }

    @Test
    void kservePerFeatureTensorsCarryACategoricalFeatureAndErrorsAreTheProtocolsObject() {
        String request = """
                {"inputs": [{"name": "colour", "shape": [2], "datatype": "BYTES", "data": ["red", "blue"]},
                            {"name": "size", "shape": [2, 1], "datatype": "FP64", "data": [[0.5], [1.5]]}]}""";
        JsonNode answer = http.post("/v2/models/serving-price/infer", request).json();
        JsonNode expected = predict(regression, List.of(List.of("red", 0.5), List.of("blue", 1.5)));
        assertThat(answer.get("outputs").get(0).get("name").asString()).isEqualTo("value");
        assertThat(answer.get("outputs").get(0).get("data").get(1).asDouble()).isEqualTo(expected.get(1).get("value").asDouble());

        Http.Response badShape = http.post("/v2/models/serving-xor/infer",
                "{\"inputs\": [{\"name\": \"features\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
        assertThat(badShape.status()).isEqualTo(400);
        assertThat(badShape.json().get("error").asString()).contains("shape");
        Http.Response badType = http.post("/v2/models/serving-xor/infer",
                "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 2], \"datatype\": \"FP16\", \"data\": [1, 2]}]}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("error").asString()).contains("FP16");
        Http.Response malformed = http.post("/v2/models/serving-xor/infer", "{\"inputs\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().has("error")).isTrue();
    }

    @Test
    void mlflowInvocationsTakeEachDocumentedInputFormatAndCsv() {
        JsonNode expected = predict(classifier, List.of(List.of(0, 1), List.of(1, 1)));
        List<String> labels = List.of(expected.get(0).get("label").asString(), expected.get(1).get("label").asString());
        // The bodies of MLflow's "Deploy MLflow Model as a Local Inference Server" documentation, in this model's columns.
        List<String> bodies = List.of(
                "{\"dataframe_split\": {\"columns\": [\"x1\", \"x2\"], \"data\": [[0, 1], [1, 1]]}}",
                "{\"dataframe_records\": [{\"x1\": 0, \"x2\": 1}, {\"x1\": 1, \"x2\": 1}]}",
                "{\"instances\": [[0, 1], [1, 1]]}",
                "{\"inputs\": [[0, 1], [1, 1]]}",
                "{\"inputs\": {\"x1\": [0, 1], \"x2\": [1, 1]}}");
        for (String body : bodies) {
            Http.Response response = http.post("/models/" + classifier + "/invocations", body);
            assertThat(response.status()).as(body + " " + response.body()).isEqualTo(200);
            assertThat(response.json().get("predictions").toString()).as(body).isEqualTo(Http.json(labels));
        }
        Http.Response csv = http.post("/models/serving-xor/invocations", "text/csv", "x1,x2\n0,1\n1,1\n");
        assertThat(csv.json().get("predictions").toString()).isEqualTo(Http.json(labels));
        JsonNode value = http.post("/models/" + regression + "/invocations",
                "{\"dataframe_records\": [{\"colour\": \"red\", \"size\": 0.5}]}").json().get("predictions");
        assertThat(value.get(0).asDouble()).isEqualTo(predict(regression, List.of(List.of("red", 0.5))).get(0).get("value").asDouble());
    }

    @Test
    void mlflowErrorsAreErrorCodeAndMessage() {
        Http.Response twoFormats = http.post("/models/" + classifier + "/invocations",
                "{\"instances\": [[0, 1]], \"inputs\": [[0, 1]]}");
        assertThat(twoFormats.status()).isEqualTo(400);
        assertThat(twoFormats.json().get("error_code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(twoFormats.json().get("message").asString()).contains("exactly one of");
        Http.Response ragged = http.post("/models/" + classifier + "/invocations", "{\"instances\": [[0, 1, 2]]}");
        assertThat(ragged.status()).isEqualTo(400);
        assertThat(ragged.json().get("message").asString()).contains("instances[0]");
        Http.Response unknown = http.post("/models/nobody/invocations", "{\"instances\": [[0, 1]]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error_code").asString()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Http.Response malformed = http.post("/models/" + classifier + "/invocations", "{");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error_code").asString()).isEqualTo("MALFORMED_REQUEST");
    }

    @Test
    void mlflowParamsAskForPredictProbaAndUnknownParamsAreRefused() {
        JsonNode expected = predict(classifier, List.of(List.of(0, 1), List.of(1, 1)));
        // MLflow's pyfunc convention: "params" beside the input, "predict_method" choosing predict_proba.
        Http.Response proba = http.post("/models/serving-xor/invocations", """
                {"dataframe_split": {"columns": ["x1", "x2"], "data": [[0, 1], [1, 1]]}, "params": {"predict_method": "predict_proba"}}""");
        assertThat(proba.status()).as(proba.body()).isEqualTo(200);
        assertThat(proba.json().get("predictions").toString())
                .isEqualTo("[" + expected.get(0).get("probabilities") + "," + expected.get(1).get("probabilities") + "]");
        Http.Response labels = http.post("/models/serving-xor/invocations",
                "{\"instances\": [[0, 1]], \"params\": {\"predict_method\": \"predict\"}}");
        assertThat(labels.json().get("predictions").get(0).asString()).isEqualTo(expected.get(0).get("label").asString());

        Http.Response unknown = http.post("/models/serving-xor/invocations", "{\"instances\": [[0, 1]], \"params\": {\"temperature\": 1}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error_code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(unknown.json().get("message").asString()).contains("params.temperature");
        Http.Response regression = http.post("/models/serving-price/invocations",
                "{\"dataframe_records\": [{\"colour\": \"red\", \"size\": 0.5}], \"params\": {\"predict_method\": \"predict_proba\"}}");
        assertThat(regression.status()).isEqualTo(400);
        assertThat(regression.json().get("message").asString()).contains("regression");
    }

    @Test
    void kserveParametersCarryAThresholdAndTheProtocolsOwnKeysWhileUnknownOnesAreTheProtocolsError() {
        String features = "\"inputs\": [{\"name\": \"features\", \"shape\": [2, 2], \"datatype\": \"FP64\", \"data\": [0, 1, 1, 1]}]";
        JsonNode expected = predict(classifier, List.of(List.of(0, 1), List.of(1, 1)));
        Http.Response lowered = http.post("/v2/models/serving-xor/infer", "{" + features + ", \"parameters\": {\"threshold\": 0.0,"
                + " \"binary_data_output\": false}, \"outputs\": [{\"name\": \"label\", \"parameters\": {\"binary_data\": false}}]}");
        assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
        assertThat(lowered.json().get("outputs").get(0).get("data").toString()).isEqualTo("[\"yes\",\"yes\"]");
        Http.Response raised = http.post("/v2/models/serving-xor/infer", "{" + features + ", \"parameters\": {\"threshold\": 1.0}}");
        assertThat(raised.json().get("outputs").get(0).get("data").toString()).isEqualTo("[\"no\",\"no\"]");
        assertThat(raised.json().get("outputs").get(1).get("data").get(1).asDouble())
                .isEqualTo(expected.get(0).get("probabilities").get(1).asDouble());
        Http.Response columns = http.post("/v2/models/serving-price/infer", """
                {"parameters": {"content_type": "pd"},
                 "inputs": [{"name": "colour", "shape": [1], "datatype": "BYTES", "data": ["red"], "parameters": {"content_type": "str"}},
                            {"name": "size", "shape": [1], "datatype": "FP64", "data": [0.5]}]}""");
        assertThat(columns.status()).as(columns.body()).isEqualTo(200);

        for (String parameters : List.of("{\"threshold\": 1.5}", "{\"threshold\": \"high\"}", "{\"temperature\": 1}",
                "{\"binary_data_output\": true}", "{\"threshold\": {\"value\": 0.5}}", "[0.5]")) {
            Http.Response refused = http.post("/v2/models/serving-xor/infer", "{" + features + ", \"parameters\": " + parameters + "}");
            assertThat(refused.status()).as(parameters).isEqualTo(400);
            assertThat(refused.json().get("error").asString()).as(parameters).contains("parameters");
        }
        Http.Response binary = http.post("/v2/models/serving-xor/infer", "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 2], "
                + "\"datatype\": \"FP64\", \"data\": [0, 1], \"parameters\": {\"binary_data_size\": 16}}]}");
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.json().get("error").asString()).contains("binary tensor data extension");
        Http.Response regression = http.post("/v2/models/serving-price/infer", """
                {"parameters": {"threshold": 0.5}, "inputs": [{"name": "colour", "shape": [1], "datatype": "BYTES", "data": ["red"]},
                            {"name": "size", "shape": [1], "datatype": "FP64", "data": [0.5]}]}""");
        assertThat(regression.status()).isEqualTo(400);
        assertThat(regression.json().get("error").asString()).contains("threshold");
    }
}
