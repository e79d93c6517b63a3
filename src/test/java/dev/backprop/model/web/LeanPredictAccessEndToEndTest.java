package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.RawHttp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The lean predict path ({@link LeanPredictFilter}) on a service that requires keys: a missing or wrong key is 401,
 * another tenant's model is 404, the per-key rate limit is 429 with {@code Retry-After}, a body over the limit is 413,
 * another site's origin is refused — each as problem+json, and none of them answered by the lean path, which would
 * have answered 200 had it run ahead of the filters that refuse them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
        "backprop.security.admin-key=" + LeanPredictAccessEndToEndTest.ADMIN_KEY,
        "backprop.security.rate-limits.predicts-per-minute=3", "backprop.limits.max-request-bytes=4096"})
class LeanPredictAccessEndToEndTest {

    static final String ADMIN_KEY = "lean-admin-key-0123456789abcdef";

    private static final byte[] ROW = "{\"instances\": [[0, 1]]}".getBytes();

    @LocalServerPort
    int port;

    @Autowired
    LeanPredictFilter lean;

    private Http.Response call(String key, String method, String path, String body) {
        Map<String, String> headers = new HashMap<>();
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return new Http(port).request(method, path, headers, body);
    }

    /** A predict as the lean path takes it (no Accept, JSON instances, a declared length), with extra headers. */
    private Http.Response predict(String key, String model, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        return new RawHttp(port).send("POST /models/" + model + "/predict HTTP/1.1", headers, body);
    }

    private String key(String tenant, String role) {
        Http.Response made = call(ADMIN_KEY, "POST", "/admin/tenants", Http.json(Map.of("id", tenant, "quotas", Map.of())));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        Http.Response key = call(ADMIN_KEY, "POST", "/admin/keys", Http.json(Map.of("tenant", tenant, "name", tenant, "role", role)));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return key.json().get("key").asString();
    }

    private String xorModel(String key) {
        Http.Response submitted = call(key, "POST", "/jobs", "{\"task\": \"classification\", \"data\": {\"columns\": [\"x1\", \"x2\", \"y\"], "
                + "\"rows\": [[0,0,0],[0,1,1],[1,0,1],[1,1,0]], \"targetColumn\": \"y\"}, "
                + "\"network\": {\"hiddenLayers\": [{\"units\": 4, \"activation\": \"tanh\"}]}, \"training\": {\"epochs\": 20, \"seed\": 1}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String job = submitted.json().get("id").asString();
        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            read[0] = call(key, "GET", "/jobs/" + job, null).json();
            return read[0].get("status").asString().equals("SUCCEEDED");
        });
        return read[0].get("modelId").asString();
    }

    private void assertProblem(Http.Response response, int status, String type, long answeredBefore) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).endsWith("/" + type);
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(lean.answered()).as("answered by the lean path").isEqualTo(answeredBefore);
    }

    @Test
    void keysTenantsAndRolesApplyBeforeTheLeanPath() {
        String owner = key("lean-owner", "member");
        String other = key("lean-other", "predict-only");
        String model = xorModel(owner);
        long before = lean.answered();
        String wrong = owner.substring(0, owner.length() - 2) + (owner.endsWith("AA") ? "BB" : "AA");
        for (String key : new String[]{null, wrong, "not-a-key"}) {
            Http.Response refused = predict(key, model, ROW, Map.of());
            assertProblem(refused, 401, "unauthorized", before);
        }
        assertProblem(predict(other, model, ROW, Map.of()), 404, "not-found", before);
        Http.Response answered = predict(owner, model, ROW, Map.of());
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        assertThat(lean.answered()).isEqualTo(before + 1);
        assertProblem(predict(owner, model, ROW, Map.of("Origin", "https://elsewhere.example")), 403, "cross-site-request",
                before + 1);
    }

    @Test
    void theBodyLimitAndTheRateLimitApplyToTheLeanPath() {
        String key = key("lean-limited", "member");
        String model = xorModel(key);
        long before = lean.answered();
        StringBuilder rows = new StringBuilder("{\"instances\": [[0, 1]");
        while (rows.length() <= 4096) {
            rows.append(", [0.25, 0.75]");
        }
        byte[] big = rows.append("]}").toString().getBytes();
        assertProblem(predict(key, model, big, Map.of()), 413, "payload-too-large", before);
        // the 413 took the first of the key's 3 predicts a minute
        for (int i = 0; i < 2; i++) {
            assertThat(predict(key, model, ROW, Map.of()).status()).isEqualTo(200);
        }
        assertThat(lean.answered()).isEqualTo(before + 2);
        Http.Response limited = predict(key, model, ROW, Map.of());
        assertProblem(limited, 429, "rate-limited", before + 2);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    }
}
