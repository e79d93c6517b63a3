package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With one worker and no queue, a second job while one runs gets 429 with Retry-After and stores nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"backprop.jobs.workers=1", "backprop.jobs.queue-capacity=0", "backprop.jobs.retry-after=7s"})
class FullServiceTest {

    @LocalServerPort
    int port;

    @Test
    void aFullServiceAnswers429AndStoresNothing() {
        Http http = new Http(port);
        Http.Response first = http.post("/jobs", TrainingRequests.longRunning(100_000));
        assertThat(first.status()).isEqualTo(202);
        String id = first.json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(http.get("/jobs/" + id).json().get("status").asString()));

        Http.Response second = http.post("/jobs", TrainingRequests.example("xor"));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(second.json().get("type").asString()).endsWith("/service-full");
        assertThat(http.get("/jobs").json().get("total").asLong()).isEqualTo(1);

        http.post("/jobs/" + id + "/cancel", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(http.get("/jobs/" + id).json().get("status").asString()));
        assertThat(http.post("/jobs", TrainingRequests.example("xor")).status()).isEqualTo(202);
    }
}
