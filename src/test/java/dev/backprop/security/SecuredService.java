package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A client of a service that requires keys: the admin key, tenants and keys made through /admin, and calls with a key. */
final class SecuredService {

    static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    static final String XOR = "{\"task\": \"classification\", \"data\": {\"columns\": [\"x1\", \"x2\", \"y\"], "
            + "\"rows\": [[0,0,0],[0,1,1],[1,0,1],[1,1,0]], \"targetColumn\": \"y\"}, "
            + "\"network\": {\"hiddenLayers\": [{\"units\": 4, \"activation\": \"tanh\"}]}, "
            + "\"training\": {\"optimizer\": \"sgd\", \"learningRate\": 0.1, \"epochs\": 20, \"seed\": 1}}";

    static final String XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

    final Http http;

    SecuredService(int port) {
        this.http = new Http(port);
    }

    Http.Response call(String key, String method, String path, String body) {
        Map<String, String> headers = new HashMap<>();
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return http.request(method, path, headers, body);
    }

    Http.Response get(String key, String path) {
        return call(key, "GET", path, null);
    }

    /** Makes a tenant (with quotas of its own, or none) and returns its id. */
    String tenant(String id, Map<String, Long> quotas) {
        Http.Response made = call(ADMIN_KEY, "POST", "/admin/tenants", Http.json(Map.of("id", id, "quotas", quotas)));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return id;
    }

    /** Makes a key and returns its text. */
    String key(String tenant, String name, String role) {
        Http.Response made = call(ADMIN_KEY, "POST", "/admin/keys", Http.json(Map.of("tenant", tenant, "name", name, "role", role)));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asString();
    }

    String submit(String key, String body) {
        Http.Response submitted = call(key, "POST", "/jobs", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        return submitted.json().get("id").asString();
    }

    JsonNode awaitStatus(String key, String job, String... statuses) {
        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            read[0] = get(key, "/jobs/" + job).json();
            return List.of(statuses).contains(read[0].get("status").asString());
        });
        return read[0];
    }

    String uploadDataset(String key, String name) {
        Http.Response uploaded = http.request("POST", "/datasets?name=" + name,
                Map.of("Authorization", "Bearer " + key, "Content-Type", "text/csv"), XOR_CSV);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("id").asString();
    }
}
