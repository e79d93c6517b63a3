package dev.backprop.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example of the OpenAPI document sent to the running service: each answer is one of the documented
 * 2xx statuses and validates against the documented schema, as does each documented answer example, and an
 * unknown id gets a 404 whose body validates against the documented problem schema.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiExamplesEndToEndTest extends HttpEndToEndTest {

    private static final java.util.Set<String> ADMIN_OPERATIONS = java.util.Set.of("createTenant", "listTenants", "getTenant", "createKey",
            "listKeys", "revokeKey");


    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JSON_TYPE = "application/json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private JsonNode docs;
    /** Compiled schemas by their text: compiling one reads all the document's components. */
    private final Map<String, Schema> schemas = new java.util.HashMap<>();
    /** Operation id to its method, path and operation. */
    private final Map<String, Object[]> operations = new LinkedHashMap<>();
    private final Set<String> exercised = new LinkedHashSet<>();
    private final Map<String, String> ids = new LinkedHashMap<>();

    @Test
    void everyExampleGetsADocumentedAnswerThatMatchesItsSchema() throws Exception {
        docs = JSON.readTree(http.get("/v3/api-docs").body());
        docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                operations.put(op.getValue().get("operationId").asString(), new Object[]{op.getKey().toUpperCase(), path.getKey(), op.getValue()})));

        JsonNode dataset = sendExamples("uploadDataset").get(JSON_TYPE);
        ids.put("/datasets/", dataset.get("id").asString());
        Map<String, JsonNode> jobs = sendExamples("submitJob");
        Object[] submit = operations.get("submitJob");
        String xor = ((JsonNode) submit[2]).get("requestBody").get("content").get(JSON_TYPE).get("examples").get("xor").get("value").toString();
        check("submitJob dry run", (JsonNode) submit[2], http.post("/jobs?dryRun=true", xor));
        ids.put("/jobs/", jobs.get("xor").get("id").asString());
        // The other examples are cancelled so that they do not hold the workers; a small one may already have ended,
        // which answers the documented 409.
        jobs.forEach((name, job) -> {
            if (!name.equals("xor")) {
                Http.Response cancelled = http.send("POST", "/jobs/" + job.get("id").asString() + "/cancel", null, null);
                assertThat(cancelled.status()).as(name + ": " + cancelled.body()).isIn(200, 409);
            }
        });
        // The cancel example itself, on a job sure to be queued or running when it arrives.
        ids.put("/jobs/", http.post("/jobs", TrainingRequests.longRunning(10_000)).json().get("id").asString());
        sendExamples("cancelJob");
        ids.put("/jobs/", jobs.get("xor").get("id").asString());
        ids.put("/models/", awaitJob(ids.get("/jobs/"), "SUCCEEDED").get("modelId").asString());
        for (String id : List.of("listDatasets", "getDataset", "listJobs", "getJob", "getJobMetrics", "streamJobEvents", "listModels",
                "getModel", "getModelByName", "downloadModel", "exportOnnx", "predict", "evaluate", "explainModel", "kserveLive", "kserveReady", "kserveModelMetadata", "kserveModelReady", "kserveInfer",
                "mlflowInvocations")) {
            sendExamples(id);
        }
        // a finished search, whose first trial the trial history reads
        String search = http.post("/jobs", TrainingRequests.smallSearch()).json().get("id").asString();
        awaitJob(search, "SUCCEEDED");
        ids.put("/jobs/", search);
        sendExamples("getTrialHistory");
        ids.put("/jobs/", jobs.get("xor").get("id").asString());
        ids.put("/models/", sendExamples("importModel").get(JSON_TYPE).get("id").asString());
        for (String id : List.of("deleteModel", "deleteJob", "deleteDataset")) {
            sendExamples(id);
        }
        // The admin surface is sent by AccessEndToEndTest, with keys: its first key turns keys on for the whole service,
        // which would end this test's keyless session. It documents no examples yet (OpenApiContractTest checks its schemas).
        assertThat(exercised).containsExactlyInAnyOrderElementsOf(operations.keySet().stream().filter(id -> !ADMIN_OPERATIONS.contains(id))
                .toList());
        List<String> faults = new ArrayList<>();
        operations.forEach((id, op) -> {
            if (!ADMIN_OPERATIONS.contains(id)) {
                faults.addAll(documentedExamplesFault(id, (JsonNode) op[2]));
            }
        });
        assertThat(faults).isEmpty();

        operations.forEach((id, op) -> {
            if (((String) op[1]).matches(".*\\{(id|name|model)}.*")) {
                unknownIdIsADocumentedProblem(id, (String) op[0], (String) op[1], (JsonNode) op[2]);
            }
        });
    }

    /** Sends each request example of an operation (or no body); returns each answer by example name. */
    private Map<String, JsonNode> sendExamples(String operationId) {
        Object[] op = operations.get(operationId);
        assertThat(op).as(operationId).isNotNull();
        exercised.add(operationId);
        String method = (String) op[0];
        String path = substitute((String) op[1]);
        JsonNode operation = (JsonNode) op[2];
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        JsonNode body = operation.path("requestBody").path("content");
        if (body.isMissingNode()) {
            answers.put("", check(operationId, operation, http.send(method, path, null, null)));
            return answers;
        }
        body.properties().forEach(media -> {
            Map<String, String> examples = new LinkedHashMap<>();
            if (media.getValue().has("example")) {
                JsonNode example = media.getValue().get("example");
                examples.put(media.getKey(), example.isString() ? example.asString() : example.toString());
            }
            media.getValue().path("examples").properties().forEach(e -> examples.put(e.getKey(), e.getValue().get("value").toString()));
            examples.forEach((name, example) -> answers.put(name, check(operationId + " " + name, operation,
                    http.send(method, path, media.getKey(), example))));
        });
        assertThat(answers).as(operationId + " has no request example").isNotEmpty();
        return answers;
    }

    private String substitute(String path) {
        String named = path.replace("{name}", "xor").replace("{trial}", "0");
        for (Map.Entry<String, String> id : ids.entrySet()) {
            if (named.startsWith(id.getKey())) {
                return named.replace("{id}", id.getValue()).replace("{model}", id.getValue());
            }
        }
        return named;
    }

    /** The answer is a documented 2xx, and its JSON validates against the documented schema; returns that JSON. */
    private JsonNode check(String what, JsonNode operation, Http.Response response) {
        assertThat(response.status()).as(what + ": " + response.body()).isBetween(200, 299);
        JsonNode documented = operation.get("responses").get(Integer.toString(response.status()));
        assertThat(documented).as(what + ": status " + response.status() + " is not documented").isNotNull();
        if (response.status() == 204) {
            return null;
        }
        String type = response.contentType().replaceAll(";.*", "");
        JsonNode media = documented.path("content").path(type);
        assertThat(media.isMissingNode()).as(what + ": " + type + " is not documented").isFalse();
        if (!type.endsWith("json")) {
            return null;
        }
        JsonNode answer = response.json();
        assertThat(errors(media.get("schema"), answer)).as(what + ": " + response.body()).isEmpty();
        try {
            Files.createDirectories(Path.of("target/openapi-answers"));
            Files.writeString(Path.of("target/openapi-answers", operation.get("operationId").asString() + "-" + response.status() + ".json"),
                    answer.toPrettyString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return answer;
    }

    private List<String> documentedExamplesFault(String id, JsonNode operation) {
        List<String> faults = new ArrayList<>();
        operation.get("responses").properties().forEach(response -> {
            JsonNode media = response.getValue().path("content").path(JSON_TYPE);
            if (!response.getKey().startsWith("2") || media.isMissingNode()) {
                return;
            }
            if (!media.has("example")) {
                faults.add(id + " " + response.getKey() + ": no example answer");
            } else {
                errors(media.get("schema"), media.get("example")).forEach(e -> faults.add(id + " example: " + e));
            }
        });
        JsonNode request = operation.path("requestBody").path("content").path(JSON_TYPE);
        if (!request.isMissingNode() && !request.has("example") && !request.has("examples")) {
            faults.add(id + ": no example request");
        }
        return faults;
    }

    private void unknownIdIsADocumentedProblem(String id, String method, String path, JsonNode operation) {
        JsonNode request = operation.path("requestBody").path("content");
        String type = request.isMissingNode() ? null : request.properties().iterator().next().getKey();
        String example = type == null ? null : request.get(type).has("example") ? request.get(type).get("example").toString() : "{}";
        Http.Response response = http.send(method, path.replace("{id}", UUID.randomUUID().toString()).replace("{model}", UUID.randomUUID().toString())
                .replace("{name}", "unknown-name").replace("{trial}", "0"), type, example);
        assertThat(response.status()).as(id + ": " + response.body()).isEqualTo(404);
        // A serving protocol answers its own error object as application/json; everything else a problem.
        JsonNode schema = operation.get("responses").path("404").path("content").path(response.contentType().replaceAll(";.*", ""))
                .path("schema");
        assertThat(schema.isMissingNode()).as(id + ": 404 not documented").isFalse();
        assertThat(errors(schema, response.json())).as(id + ": " + response.body()).isEmpty();
    }

    /** The messages of validating a value against a schema of the document, whose references point into it. */
    private List<String> errors(JsonNode schema, JsonNode value) {
        Schema compiled = schemas.computeIfAbsent(schema.toString(), key -> {
            ObjectNode rooted = ((ObjectNode) schema.deepCopy()).set("components", docs.get("components"));
            return REGISTRY.getSchema(rooted.toString());
        });
        return compiled.validate(value).stream().map(Error::toString).toList();
    }
}
