package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The BOLA matrix: two tenants, each trying the other's ids on every operation the OpenAPI document lists.
 * Every attempt is a 404 (never a 403: nothing says the object exists), and the object is unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
        "backprop.security.admin-key=" + SecuredService.ADMIN_KEY, "backprop.jobs.workers=2"})
class TenantIsolationEndToEndTest {

    /** The path parameters that name one tenant's object: ids, and the serving protocols' model names. */
    private static final List<String> OBJECT_PARAMETERS = List.of("{id}", "{model}", "{name}");


    @LocalServerPort
    int port;

    /**
     * One tenant's objects: a data set, a finished job with its model, a job that runs until cancelled, and a
     * finished search, whose trials the trial paths name.
     */
    record Objects(String key, String dataset, String job, String model, String running, String search) {
        Http.Response http(SecuredService service, String method, String url, String body) {
            return service.call(key, method, url, body);
        }

        String idFor(String path) {
            if (path.startsWith("/jobs/") && path.contains("/trials/")) {
                return search;
            }
            if (path.startsWith("/jobs/")) {
                return job;
            }
            if (path.startsWith("/datasets/")) {
                return dataset;
            }
            // the serving protocols name a model by id or name: its id here
            if (path.startsWith("/models/") || path.startsWith("/v2/models/")) {
                return model;
            }
            return null;
        }
    }

    @Test
    void everyOperationOnAnotherTenantsIdIs404AndChangesNothing() {
        SecuredService service = new SecuredService(port);
        // the document first: it is built on its first request, which the long jobs below would slow
        JsonNode paths = service.http.get("/v3/api-docs").json().get("paths");
        Objects a = objects(service, service.tenant("tenant-a", Map.of()));
        Objects b = objects(service, service.tenant("tenant-b", Map.of()));
        List<String> tried = new ArrayList<>();
        for (Objects[] pair : new Objects[][]{{a, b}, {b, a}}) {
            Objects owner = pair[0];
            Objects other = pair[1];
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                String parameter = OBJECT_PARAMETERS.stream().filter(path.getKey()::contains).findFirst().orElse(null);
                if (parameter == null || path.getKey().startsWith("/admin")) {
                    continue;
                }
                String id = owner.idFor(path.getKey());
                assertThat(id).as("an object kind for %s: add it to this matrix", path.getKey()).isNotNull();
                for (String method : List.of("get", "post", "put", "patch", "delete")) {
                    if (!path.getValue().has(method)) {
                        continue;
                    }
                    String url = path.getKey().replace(parameter, id).replace("{trial}", "0");
                    Http.Response response = other.http(service, method.toUpperCase(), url, bodyFor(url));
                    assertThat(response.status()).as("%s %s by the other tenant: %s", method, url, response.body()).isEqualTo(404);
                    // the serving protocols answer errors in their own formats (KServe {"error"}, MLflow {"error_code"})
                    if (url.startsWith("/v2/")) {
                        assertThat(response.json().has("error")).as(response.body()).isTrue();
                    } else if (url.endsWith("/invocations")) {
                        assertThat(response.json().has("error_code")).as(response.body()).isTrue();
                    } else {
                        assertThat(response.contentType()).startsWith("application/problem+json");
                    }
                    tried.add(method + " " + path.getKey());
                }
            }
            // No list shows another tenant's objects, and no job can train on another tenant's data set.
            assertThat(service.get(other.key, "/jobs?size=100").body()).doesNotContain(owner.job).doesNotContain(owner.running);
            assertThat(service.get(other.key, "/datasets?size=100").body()).doesNotContain(owner.dataset);
            assertThat(service.get(other.key, "/models?size=100").body()).doesNotContain(owner.model);
            Http.Response borrowed = service.call(other.key, "POST", "/jobs", "{\"task\": \"classification\", \"data\": {\"datasetId\": \""
                    + owner.dataset + "\", \"targetColumn\": \"y\"}}");
            assertThat(borrowed.status()).as(borrowed.body()).isIn(400, 404);
            // The same answer as for an id that never existed.
            assertThat(borrowed.body()).contains("no dataset " + owner.dataset);
        }
        assertThat(tried).contains("get /jobs/{id}", "get /jobs/{id}/events", "post /jobs/{id}/cancel", "delete /jobs/{id}",
                "get /datasets/{id}", "delete /datasets/{id}", "post /models/{id}/predict", "post /models/{id}/evaluate",
                "get /models/{id}/onnx", "get /models/{id}/download", "delete /models/{id}", "get /jobs/{id}/trials/{trial}/history");
        for (Objects owner : List.of(a, b)) {
            assertUnchanged(service, owner);
        }
    }

    private static Objects objects(SecuredService service, String tenant) {
        String key = service.key(tenant, tenant + "-member", "member");
        String dataset = service.uploadDataset(key, tenant + "-xor");
        String job = service.submit(key, SecuredService.XOR);
        String model = service.awaitStatus(key, job, "SUCCEEDED").get("modelId").asString();
        // the search before the long job: a search and its trials need the workers the long job would hold
        String search = service.submit(key, TrainingRequests.smallSearch());
        service.awaitStatus(key, search, "SUCCEEDED");
        String running = service.submit(key, TrainingRequests.longRunning(100_000));
        return new Objects(key, dataset, job, model, running, search);
    }

    private static String bodyFor(String url) {
        if (url.endsWith("/predict") || url.endsWith("/invocations")) {
            return "{\"instances\": [[0, 1]]}";
        }
        if (url.endsWith("/evaluate") || url.endsWith("/importance")) {
            return "{\"instances\": [[0, 1]], \"targets\": [1]}";
        }
        if (url.endsWith("/infer")) {
            return "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [0, 1]}]}";
        }
        return null;
    }

    private static void assertUnchanged(SecuredService service, Objects owner) {
        assertThat(service.get(owner.key, "/jobs/" + owner.job).json().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(service.get(owner.key, "/jobs/" + owner.running).json().get("status").asString()).isIn("QUEUED", "RUNNING");
        assertThat(service.get(owner.key, "/datasets/" + owner.dataset).status()).isEqualTo(200);
        // what the other tenant was refused, its owner reads
        Http.Response trial = service.get(owner.key, "/jobs/" + owner.search + "/trials/0/history");
        assertThat(trial.status()).as(trial.body()).isEqualTo(200);
        assertThat(trial.json().get("history").size()).isPositive();
        Http.Response predicted = service.call(owner.key, "POST", "/models/" + owner.model + "/predict", bodyFor("/predict"));
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        assertThat(service.call(owner.key, "POST", "/jobs/" + owner.running + "/cancel", null).status()).isEqualTo(200);
    }
}
