package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.BackpropApplication;
import dev.backprop.support.EmbeddedPostgresDatabases;
import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A replica that stops while training leaves its job RUNNING; a second application on the same
 * database takes it up once the lease runs out (attempt 2) and also runs the job that was still queued.
 */
class RestartRecoveryTest {

    private static ConfigurableApplicationContext start(String databaseUrl) {
        return new SpringApplicationBuilder(BackpropApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--backprop.jobs.workers=1",
                "--backprop.jobs.lease-duration=2s",
                "--backprop.jobs.heartbeat-interval=200ms",
                "--backprop.jobs.poll-interval=100ms");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aRestartedSearchResumesWithoutRepeatingFinishedTrials() {
        String database = EmbeddedPostgresDatabases.newDatabaseUrl();
        String id;
        java.util.Map<Integer, String> finishedBefore = new java.util.HashMap<>();
        try (ConfigurableApplicationContext first = start(database)) {
            Http http = new Http(port(first));
            id = http.post("/jobs", TrainingRequests.longSearch(1_500, 1)).json().get("id").asString();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get("/jobs/" + id).json().get("trials").get("done").asInt() >= 2);
            http.get("/jobs/" + id + "/metrics").json().get("search").get("trials")
                    .forEach(t -> finishedBefore.put(t.get("index").asInt(), t.toString()));
        }
        assertThat(finishedBefore).hasSizeGreaterThanOrEqualTo(2);

        try (ConfigurableApplicationContext second = start(database)) {
            Http http = new Http(port(second));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> http.get("/jobs/" + id).json().get("status").asString().equals("SUCCEEDED"));
            tools.jackson.databind.JsonNode trials = http.get("/jobs/" + id + "/metrics").json().get("search").get("trials");
            assertThat(trials).hasSize(6);
            assertThat(http.get("/jobs/" + id).json().get("attempt").asInt()).isEqualTo(2);
            // the trials finished before the restart are the same rows, not re-run ones (same fit time, score, seed)
            trials.forEach(t -> {
                String before = finishedBefore.get(t.get("index").asInt());
                if (before != null) {
                    tools.jackson.databind.JsonNode old = tools.jackson.databind.json.JsonMapper.builder().build().readTree(before);
                    assertThat(t.get("fitMillis")).isEqualTo(old.get("fitMillis"));
                    assertThat(t.get("score")).isEqualTo(old.get("score"));
                }
            });
        }
    }

    @Test
    void aSecondApplicationTakesUpTheRunningJobAndTheQueuedOne() {
        String database = EmbeddedPostgresDatabases.newDatabaseUrl();
        String runningId;
        String queuedId;
        try (ConfigurableApplicationContext first = start(database)) {
            Http http = new Http(port(first));
            runningId = http.post("/jobs", TrainingRequests.longRunning(3_000)).json().get("id").asString();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "RUNNING".equals(http.get("/jobs/" + runningId).json().get("status").asString()));
            queuedId = http.post("/jobs", TrainingRequests.example("xor")).json().get("id").asString();
            assertThat(http.get("/jobs/" + queuedId).json().get("status").asString()).isEqualTo("QUEUED");
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Http http = new Http(port(second));
            assertThat(http.get("/jobs/" + runningId).json().get("status").asString()).isEqualTo("RUNNING");
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> http.get("/jobs/" + runningId).json().get("status").asString().equals("SUCCEEDED"));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get("/jobs/" + queuedId).json().get("status").asString().equals("SUCCEEDED"));
            assertThat(http.get("/jobs/" + runningId).json().get("attempt").asInt()).isEqualTo(2);
            assertThat(http.get("/jobs/" + queuedId).json().get("attempt").asInt()).isEqualTo(1);
            assertThat(http.get("/jobs/" + runningId + "/metrics").json().get("history")).hasSize(3_000);
        }
    }
}
