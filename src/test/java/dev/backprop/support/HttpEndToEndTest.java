package dev.backprop.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Base of the end-to-end tests: a real HTTP client on the random port and polling for job states. */
public abstract class HttpEndToEndTest {

    @LocalServerPort
    protected int port;

    protected Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Submits a job that must be accepted (202); returns its id. */
    protected String submitAccepted(String body) {
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    /** Polls a job (Awaitility, never a fixed sleep) until it reaches one of {@code statuses}; returns it. */
    protected JsonNode awaitJob(String id, String... statuses) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            job[0] = http.get("/jobs/" + id).json();
            return List.of(statuses).contains(job[0].get("status").asString());
        });
        return job[0];
    }

    /** Polls a job until it has ended. */
    protected JsonNode awaitEnd(String id) {
        return awaitJob(id, "SUCCEEDED", "FAILED", "CANCELLED");
    }

    /** Submits a job, expecting it accepted; returns its id. */
    protected String accepted(String body) {
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    /** Expects each request body rejected with a 400 that names its field. */
    protected void assertRejectedNaming(Map<String, String> fieldOfBody) {
        fieldOfBody.forEach((body, field) -> {
            Http.Response response = http.post("/jobs", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            List<String> fields = new ArrayList<>();
            response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
            assertThat(fields).as(response.body()).contains(field);
        });
    }
}
