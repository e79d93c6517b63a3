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
