package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A PostgreSQL of its own, stopped and started again under the running service, as in the reliability issue. Before
 * the fix requests waited Hikari's 30 s and then got a 500 (type internal, CannotGetJdbcConnectionException); this
 * test failed then on the first request's time and status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"backprop.history.retry-interval=1s",
        // beats every half second, so that an outage fails many of them
        "backprop.jobs.heartbeat-interval=500ms"})
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageEndToEndTest extends HttpEndToEndTest {

    private static Path dataDirectory;
    private static int databasePort;
    private static EmbeddedPostgres database;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        dataDirectory = Files.createTempDirectory("backprop-outage");
        try (ServerSocket free = new ServerSocket(0)) {
            databasePort = free.getLocalPort();
        }
        database = start();
        registry.add("spring.datasource.url", () -> database.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }

    private static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(databasePort).start();
    }

    /** Stops the database until the service's readiness says so, then starts it again. */
    private void shortOutage() throws IOException {
        database.close();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/actuator/health/readiness").status() == 503);
        } finally {
            database = start();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        database.close();
    }

    @Test
    void anOutageIsAnswered503WithRetryAfterQuicklyAndTheServiceRecoversByItself() throws IOException {
        String modelId = awaitEnd(accepted(TrainingRequests.example("xor"))).get("modelId").asString();
        String predict = "/models/" + modelId + "/predict";
        assertThat(http.post(predict, "{\"instances\": [[0,1]]}").status()).isEqualTo(200);

        database.close();
        try {
            Instant start = Instant.now();
            Http.Response jobs = http.get("/jobs");
            Duration took = Duration.between(start, Instant.now());
            assertThat(jobs.status()).as(jobs.body()).isEqualTo(503);
            assertThat(took).as("an answer in seconds, not after Hikari's default 30 s").isLessThan(Duration.ofSeconds(10));
            assertThat(jobs.contentType()).startsWith("application/problem+json");
            assertThat(jobs.json().get("type").asString()).endsWith("/database-unavailable");
            assertThat(jobs.headers().firstValue("Retry-After")).isPresent();
            assertThat(jobs.body()).doesNotContain("Exception").doesNotContain("jdbc");

            Http.Response submit = http.post("/jobs", TrainingRequests.example("xor"));
            assertThat(submit.status()).as(submit.body()).isEqualTo(503);

            await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/actuator/health/readiness").status() == 503);

            Http.Response cached = http.post(predict, "{\"instances\": [[0,1]]}");
            assertThat(cached.status()).as("a cached model predicts without the database: " + cached.body()).isEqualTo(200);
        } finally {
            database = start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs").status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health/readiness").status() == 200);
        assertThat(awaitEnd(accepted(TrainingRequests.example("xor"))).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    /**
     * A job running while the database goes away keeps training, holds its history in memory and writes it, its model
     * and its status once the database is back, within its lease: it ends SUCCEEDED on its first attempt, with every
     * epoch the thinning keeps. Before the fix its next history write failed it, and it was trained again from scratch
     * once its lease ran out (attempt 2).
     */
    @Test
    void aJobRunningThroughAShortOutageKeepsTrainingAndEndsOnceWithItsWholeHistory() throws IOException {
        String request = TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": 60000");
        String id = accepted(request);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode job = http.get("/jobs/" + id).json();
            return "RUNNING".equals(job.get("status").asString()) && job.get("progress").get("epoch").asInt() > 0;
        });
        shortOutage();
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).as("trained once, not again from scratch").isEqualTo(1);
        List<Integer> stored = new ArrayList<>();
        http.get("/jobs/" + id + "/metrics").json().get("history").forEach(e -> stored.add(e.get("epoch").asInt()));
        // 60,000 epochs: 1 to 10,000, then every 5th
        assertThat(stored).isEqualTo(IntStream.rangeClosed(1, 60_000).filter(e -> e <= 10_000 || e % 5 == 0).boxed().toList());
        assertThat(http.post("/models/" + job.get("modelId").asString() + "/predict", "{\"instances\": [[0,1]]}").status())
                .isEqualTo(200);
    }

    /**
     * A grid search whose trials run while the database goes away: a trial that ends meanwhile waits to be stored, the
     * search waits to count it, and the search ends SUCCEEDED on its first attempt with every trial succeeded. (With one
     * attempt allowed, one trial of six was given up in two runs of three under load: a unit released or claimed
     * during the outage is not yet proof against it, see the issue note.) Before, the
     * first store during the outage lost the trial and the coordinating loop crashed the search, which then failed
     * once its lease ran out. The heartbeats that failed meanwhile logged one WARN each episode, without a stack trace,
     * and one INFO when they got through again; before, a WARN with a stack trace every beat.
     */
    @Test
    void aSearchSpanningAShortOutageEndsSucceededWithEveryTrialRunOnce(CapturedOutput output) throws IOException {
        String id = accepted(TrainingRequests.longSearch(150, 2));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                http.get("/jobs/" + id).json().path("trials").path("done").asInt() >= 1);
        shortOutage();
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("trials").get("done").asInt()).isEqualTo(6);
        List<String> statuses = new ArrayList<>();
        http.get("/jobs/" + id + "/metrics").json().get("search").get("trials").forEach(t -> statuses.add(t.get("status").asString()));
        assertThat(statuses).as("every trial stored, none given up").containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED",
                "SUCCEEDED", "SUCCEEDED");
        assertThat(http.get("/jobs/" + id + "/events").body().lines().filter(l -> l.startsWith("id:")).toList())
                .containsExactly("id:1", "id:2", "id:3", "id:4", "id:5", "id:6");

        List<String> renewals = output.getOut().lines().filter(l -> l.contains("Renewing the leases of this replica's jobs")
                && !l.contains("DEBUG")).toList();
        // at most one WARN: an episode begun in an earlier test's outage, with no job held since to renew, goes on here;
        // and a beat need not fall inside this outage at all (it lasts until readiness turns DOWN), but one that failed
        // here is followed by its INFO
        long warnings = renewals.stream().filter(l -> l.contains("WARN")).count();
        long recoveries = renewals.stream().filter(l -> l.contains("INFO") && l.contains("succeeds again")).count();
        assertThat(warnings).as(String.join("\n", renewals)).isLessThanOrEqualTo(1);
        assertThat(recoveries).as(String.join("\n", renewals)).isLessThanOrEqualTo(1).isGreaterThanOrEqualTo(warnings);
        assertThat(renewals).as("one line as the beats start failing and one as they get through, none per beat").hasSizeLessThanOrEqualTo(2);
        assertThat(output.getOut()).doesNotContain("Renewing the leases of 1 jobs failed");
    }
}
