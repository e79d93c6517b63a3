package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.EventStream;
import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A search's trial events carry ids, their place in the order the trials were stored, so that a follower that
 * reconnects with {@code Last-Event-ID} gets the trials it missed from the database. Before the completion sequence
 * (V21) trial events had no id and a follower's replay held no trial: both tests failed on the ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SearchEventsEndToEndTest extends HttpEndToEndTest {

    private static final int TRIALS = 10;

    /** A grid search of {@link #TRIALS} short trials, two at a time (seconds in all). */
    private static String search() {
        List<Double> rates = LongStream.rangeClosed(1, TRIALS).mapToObj(i -> i * 0.01).toList();
        return Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(80, 4),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 6, "activation", "tanh"))),
                "training", Map.of("optimizer", "sgd", "epochs", 60, "batchSize", 4, "seed", 1, "validationFraction", 0.25,
                        "earlyStopping", Map.of("monitor", "loss", "patience", 61)),
                "search", Map.of("space", Map.of("learningRate", rates), "parallelism", 2, "seed", 3)));
    }

    private List<EventStream.Event> follow(String id, String lastEventId) {
        Http.Response response = lastEventId == null ? http.get("/jobs/" + id + "/events")
                : http.get("/jobs/" + id + "/events", "Last-Event-ID", lastEventId);
        assertThat(response.status()).isEqualTo(200);
        return EventStream.parse(response.body());
    }

    private static List<Long> oneToTrials() {
        return LongStream.rangeClosed(1, TRIALS).boxed().toList();
    }

    /**
     * Followers that connect while trials are being stored, so that trials complete while their replay reads the
     * stored ones: each hears every finished trial exactly once, in the order stored, and the stream ends SUCCEEDED.
     */
    @Test
    void everyFollowerHearsEveryTrialOnceInTheOrderStoredWhateverWhenItConnects() throws Exception {
        String id = accepted(search());
        ExecutorService followers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<EventStream.Event>>> streams = new ArrayList<>();
            for (int done : new int[]{0, 2, 4, 6}) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() ->
                        http.get("/jobs/" + id).json().path("trials").path("done").asInt() >= done);
                streams.add(followers.submit(() -> follow(id, null)));
            }
            for (Future<List<EventStream.Event>> stream : streams) {
                List<EventStream.Event> events = stream.get(120, TimeUnit.SECONDS);
                assertThat(EventStream.ids(events, "trial")).as("trial ids of one follower").isEqualTo(oneToTrials());
                assertThat(events.get(events.size() - 1).data().get("status").asString()).isEqualTo("SUCCEEDED");
                // a finished trial's event says which trial, the same in the replay as live
                assertThat(events.stream().filter(e -> e.id() > 0).map(e -> e.data().get("index").asInt()).distinct().count())
                        .isEqualTo(TRIALS);
            }
        } finally {
            followers.shutdownNow();
        }
    }

    @Test
    void aFollowerResumesASearchAfterItsLastEventIdFromTheStoredTrials() {
        String id = accepted(search());
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        List<EventStream.Event> all = follow(id, null);
        assertThat(EventStream.ids(all, "trial")).isEqualTo(oneToTrials());
        assertThat(all.get(all.size() - 1).name()).isEqualTo("status");

        List<EventStream.Event> resumed = follow(id, "7");
        assertThat(EventStream.ids(resumed, "trial")).containsExactly(8L, 9L, 10L);
        assertThat(resumed).extracting(EventStream.Event::name).containsExactly("trial", "trial", "trial", "status");
        // the same trials as the whole stream's last three
        assertThat(resumed.subList(0, 3)).isEqualTo(all.subList(TRIALS - 3, TRIALS));
    }
}
