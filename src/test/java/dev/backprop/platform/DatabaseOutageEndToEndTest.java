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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A PostgreSQL of its own, stopped and started again under the running service, as in the reliability issue. Before
 * the fix requests waited Hikari's 30 s and then got a 500 (type internal, CannotGetJdbcConnectionException); this
 * test failed then on the first request's time and status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
}
