package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Requests racing for a quota's last unit, on H2 (a subclass runs them on PostgreSQL): of {@link #RACERS} released
 * at once, exactly one is stored and the others get 429 naming the quota. Before {@link Quotas#admit} each counted
 * what was stored before any of them had stored: several data sets and several jobs got through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "backprop.security.quotas.datasets=1", "backprop.security.quotas.active-jobs=1", "backprop.jobs.runner-enabled=false"})
class QuotaRaceEndToEndTest extends HttpEndToEndTest {

    private static final int RACERS = 8;

    @Test
    void racingUploadsForTheLastDataSetStoreExactlyOne() throws Exception {
        List<Http.Response> answers = race(() -> http.post("/datasets?name=race", "text/csv", "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"));
        assertExactlyOneStored(answers, 201, "datasets");
        assertThat(http.get("/datasets").json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void racingSubmitsForTheLastActiveJobAdmitExactlyOne() throws Exception {
        String job = TrainingRequests.example("xor");
        List<Http.Response> answers = race(() -> http.post("/jobs", job));
        assertExactlyOneStored(answers, 202, "active-jobs");
        assertThat(http.get("/jobs").json().get("total").asLong()).isEqualTo(1);
    }

    private static void assertExactlyOneStored(List<Http.Response> answers, int stored, String quota) {
        assertThat(answers.stream().filter(a -> a.status() == stored).count()).as(answers.toString()).isEqualTo(1);
        for (Http.Response answer : answers.stream().filter(a -> a.status() != stored).toList()) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(429);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().get("quota").asString()).isEqualTo(quota);
            assertThat(answer.json().get("used").asLong()).isEqualTo(1);
        }
    }

    /** Sends {@link #RACERS} requests released together from their own threads; their answers. */
    private static List<Http.Response> race(Supplier<Http.Response> request) throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                answers.add(racers.submit(() -> {
                    ready.countDown();
                    go.await(10, TimeUnit.SECONDS);
                    return request.get();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Http.Response> got = new ArrayList<>();
            for (Future<Http.Response> answer : answers) {
                got.add(answer.get(60, TimeUnit.SECONDS));
            }
            return got;
        } finally {
            racers.shutdownNow();
        }
    }
}
