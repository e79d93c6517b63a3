package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.RawHttp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The head of an event stream is written by one thread. The stream's first events are sent from a dispatcher
 * thread, and Spring Security's header writer adds its headers on the request thread as that thread leaves the
 * filter chain; when the dispatcher committed the response first, Tomcat serialized a header the other thread had
 * only half added (spring-security#15510). Seen from outside as a header line {@code ": "} or a missing
 * {@code Expires}: 1 and 3 of 3,000 requests on a jar of main, and once in the fuzz test's CI.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventStreamHeadEndToEndTest extends HttpEndToEndTest {

    private static final int REQUESTS = 3_000;
    private static final int CLIENTS = 16;
    /** The headers every answer carries once: Spring Security's, and the stream's own. */
    private static final List<String> ONCE = List.of("Content-Type", "Cache-Control", "Pragma", "Expires",
            "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy", "Referrer-Policy");

    /**
     * An ended job's stream is all history: its events are sent at once, racing the request thread on its way out.
     * Every head of thousands parses, and carries each header once.
     */
    @Test
    void everyHeadOfAnEndedJobsStreamIsWellFormedAndComplete() throws Exception {
        String id = accepted(Http.json(Map.of("task", "classification",
                "data", Map.of("columns", List.of("x1", "x2", "y"),
                        "rows", List.of(List.of(0, 0, 0), List.of(0, 1, 1), List.of(1, 0, 1), List.of(1, 1, 0)), "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "sigmoid"))),
                "training", Map.of("loss", "mse", "optimizer", "sgd", "epochs", 20, "seed", 42, "validationFraction", 0))));
        assertThat(awaitEnd(id).path("status").asString()).isEqualTo("SUCCEEDED");

        RawHttp raw = new RawHttp(port);
        List<String> malformed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> {
                while (next.getAndIncrement() < REQUESTS) {
                    try {
                        Http.Response response = raw.send("GET /jobs/" + id + "/events HTTP/1.1", Map.of(), null);
                        List<String> wrong = ONCE.stream()
                                .filter(name -> response.headers().allValues(name).size() != 1).toList();
                        if (response.status() != 200 || !wrong.isEmpty()) {
                            malformed.add(response.status() + ", not once: " + wrong + " in " + response.headers().map());
                        }
                    } catch (RuntimeException e) {
                        malformed.add(e.toString());
                    }
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        assertThat(malformed).as("malformed heads of %d", REQUESTS).isEmpty();
    }
}
