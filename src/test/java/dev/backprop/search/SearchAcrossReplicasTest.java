package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.BackpropApplication;
import dev.backprop.job.JobRunner;
import dev.backprop.support.EmbeddedPostgresDatabases;
import dev.backprop.support.EventStream;
import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One search on two replicas (two applications on random ports) sharing one real PostgreSQL: both run its trials,
 * which score as on one replica; a trial left by a replica that died is run again by the other once its lease
 * runs out; a cancel made on either stops the trials on both.
 */
class SearchAcrossReplicasTest {

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    /**
     * While armed (only in {@link #twoReplicasRunOneSearchTogetherAndScoreItAsOneReplicaDoes}), each replica's trial
     * waits before it trains until both replicas have reached a trial, so both run trials by construction: without it,
     * a loaded machine once starved the second replica's 100 ms poll for as long as the first took to run all 12.
     * Bounded: after {@link #GATE_WAIT} a trial trains anyway (and the test's check can fail).
     */
    private static final class BothReplicasGate {
        private final java.util.Set<String> entered = new HashSet<>();
        private volatile boolean armed;

        TrialGate of(String replica) {
            return (jobId, index, stopping) -> {
                if (!armed) {
                    return;
                }
                long until = System.nanoTime() + GATE_WAIT.toNanos();
                synchronized (this) {
                    entered.add(replica);
                    notifyAll();
                    while (entered.size() < 2 && !stopping.getAsBoolean() && System.nanoTime() < until) {
                        try {
                            wait(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            };
        }

        synchronized void arm() {
            entered.clear();
            armed = true;
        }

        void disarm() {
            armed = false;
        }
    }

    private static final Duration GATE_WAIT = Duration.ofSeconds(60);
    private static final BothReplicasGate GATE = new BothReplicasGate();

    @BeforeAll
    static void startTwoReplicasOnOneDatabase() {
        String database = EmbeddedPostgresDatabases.newDatabaseUrl();
        first = replica(database, GATE.of("first"));
        second = replica(database, GATE.of("second"));
    }

    @AfterAll
    static void stopTheReplicas() {
        second.close();
        first.close();
    }

    /** One worker each, so that a replica runs one trial at a time and the other's share shows. */
    private static ConfigurableApplicationContext replica(String database, TrialGate gate) {
        return new SpringApplicationBuilder(BackpropApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("trialGate", gate))
                .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--backprop.jobs.workers=1",
                "--backprop.jobs.lease-duration=2s",
                "--backprop.jobs.heartbeat-interval=200ms",
                "--backprop.jobs.poll-interval=100ms");
    }

    /** Runs {@code work} with the second replica serving but not training: the first alone runs trials. */
    private static void withTheSecondRunnerStopped(Runnable work) {
        JobRunner runner = second.getBean(JobRunner.class);
        runner.stop();
        try {
            work.run();
        } finally {
            runner.start();
        }
    }

    private static Http http(ConfigurableApplicationContext replica) {
        return new Http(((WebServerApplicationContext) replica).getWebServer().getPort());
    }

    private static String owner(ConfigurableApplicationContext replica) {
        return replica.getBean(JobRunner.class).owner();
    }

    /**
     * A random search over rate, width and activation: {@code trials} of {@code epochs} each (batch of {@code batch}),
     * refitting the best only with early stopping (the refit is what the first test compares, not the others), every
     * trial at once on the two replicas.
     */
    private static String randomSearch(int trials, int epochs, int batch, boolean earlyStopping) {
        return randomSearch(trials, epochs, batch, earlyStopping, null);
    }

    /** The same search, {@code parallelism} trials at once on the two replicas together (null: the default). */
    private static String randomSearch(int trials, int epochs, int batch, boolean earlyStopping, Integer parallelism) {
        Map<String, Object> training = new java.util.HashMap<>(Map.of("optimizer", "sgd", "epochs", epochs, "batchSize", batch,
                "validationFraction", 0.25));
        if (!earlyStopping) {
            training.put("earlyStopping", Map.of("monitor", "loss", "patience", epochs + 1));
        }
        Map<String, Object> search = new java.util.HashMap<>(Map.of("space", Map.of(
                        "learningRate", Map.of("distribution", "loguniform", "min", 1e-3, "max", 0.3),
                        "hiddenLayers[0].units", Map.of("distribution", "int_uniform", "min", 2, "max", 16),
                        "activation", List.of("relu", "tanh")),
                "maxTrials", trials, "seed", 17, "refit", earlyStopping));
        if (parallelism != null) {
            search.put("parallelism", parallelism);
        }
        return Http.json(Map.of("type", "random_search", "data", TrainingRequests.syntheticData(120, 3),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "relu"))),
                "training", training, "search", search));
    }

    private static String submit(Http http, String body) {
        Http.Response response = http.post("/jobs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    private static JsonNode awaitStatus(Http http, String id, String status) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals((job[0] = http.get("/jobs/" + id).json()).get("status").asString()));
        return job[0];
    }

    /** Who ran each stored trial, read from the trial rows. */
    private static Map<Integer, String> workers(String id) {
        Map<Integer, String> workers = new TreeMap<>();
        first.getBean(JdbcClient.class).sql("SELECT trial_index, worker FROM search_trial WHERE job_id = :id")
                .param("id", UUID.fromString(id))
                .query(rs -> {
                    workers.put(rs.getInt("trial_index"), rs.getString("worker"));
                });
        return workers;
    }

    /** Each trial's report but its fit time and runner (all that differs from run to run), by index. */
    private static Map<Integer, String> trialsByIndex(JsonNode search) {
        Map<Integer, String> trials = new TreeMap<>();
        for (JsonNode trial : search.get("trials")) {
            ((ObjectNode) trial).remove(List.of("fitMillis", "worker"));
            trials.put(trial.get("index").asInt(), trial.toString());
        }
        return trials;
    }

    /** A history's epochs without their wall times. */
    private static String withoutTimes(JsonNode history) {
        assertThat(history).isNotEmpty();
        history.forEach(epoch -> ((ObjectNode) epoch).remove("elapsedMs"));
        return history.toString();
    }

    @Test
    void twoReplicasRunOneSearchTogetherAndScoreItAsOneReplicaDoes() {
        Http http = http(first);
        GATE.arm();
        String together;
        try {
            together = submit(http, randomSearch(12, 150, 10, true));
            assertThat(awaitStatus(http, together, "SUCCEEDED").get("trials").get("done").asInt()).isEqualTo(12);
        } finally {
            GATE.disarm();
        }
        Map<Integer, String> ranBy = workers(together);
        assertThat(ranBy).hasSize(12);
        assertThat(new HashSet<>(ranBy.values())).as("runners of the trials").containsExactlyInAnyOrder(owner(first), owner(second));
        JsonNode spread = http.get("/jobs/" + together + "/metrics").json();
        spread.get("search").get("trials").forEach(t -> assertThat(t.get("worker").asString()).isEqualTo(ranBy.get(t.get("index").asInt())));

        String[] alone = new String[1];
        withTheSecondRunnerStopped(() -> {
            alone[0] = submit(http, randomSearch(12, 150, 10, true));
            awaitStatus(http, alone[0], "SUCCEEDED");
        });
        assertThat(new HashSet<>(workers(alone[0]).values())).containsExactly(owner(first));
        JsonNode single = http.get("/jobs/" + alone[0] + "/metrics").json();

        assertThat(trialsByIndex(spread.get("search"))).isEqualTo(trialsByIndex(single.get("search")));
        for (String field : List.of("bestIndex", "bestParams", "bestScore")) {
            assertThat(spread.get("search").get(field)).as(field).isEqualTo(single.get("search").get(field));
        }
        assertThat(withoutTimes(spread.get("search").get("bestHistory"))).isEqualTo(withoutTimes(single.get("search").get("bestHistory")));
        assertThat(spread.get("finalMetrics").get("training")).isEqualTo(single.get("finalMetrics").get("training"));
    }

    @Test
    void aTrialWhoseReplicaDiedIsRunAgainByTheOtherOnceItsLeaseRunsOut() {
        Http http = http(first);
        TrialQueue queue = first.getBean(TrialQueue.class);
        TrialQueue.ClaimedTrial[] left = new TrialQueue.ClaimedTrial[1];
        String[] id = new String[1];
        withTheSecondRunnerStopped(() -> {
            // trials long enough (seconds, on an idle machine too) for this test to take the second unit while the first runs
            id[0] = submit(http, randomSearch(2, 1_500, 1, false));
            awaitStatus(http, id[0], "RUNNING");
            // A replica that dies leaves this behind: a unit it claimed, whose lease it stops renewing.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
                Optional<TrialQueue.ClaimedTrial> claimed = queue.claim("runner-killed", Instant.now(), UUID.fromString(id[0]));
                claimed.ifPresent(c -> left[0] = c);
                return claimed.isPresent();
            });
            assertThat(awaitStatus(http, id[0], "SUCCEEDED").get("trials").get("done").asInt()).isEqualTo(2);
        });
        assertThat(workers(id[0])).containsEntry(left[0].index(), owner(first)).doesNotContainValue("runner-killed");
        // the dead replica's claim is spent: had it come back, its outcome would not be stored
        assertThat(queue.finish(left[0], new TrialRecord(left[0].index(), left[0].params(), "FAILED", null, null, null, 0,
                "late", 0, null, null, null, null))).isFalse();
    }

    @Test
    void aCancelOnEitherReplicaStopsTheTrialsRunningOnBoth() {
        String id = submit(http(first), randomSearch(6, 100_000, 1, false));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> new HashSet<>(
                jdbc.sql("SELECT lease_owner FROM trial_unit WHERE job_id = :id AND status = 'RUNNING'").param("id", UUID.fromString(id))
                        .query(String.class).list()).equals(new HashSet<>(List.of(owner(first), owner(second)))));

        // the search's progress shows the trials of both replicas, read on either
        JsonNode running = http(second).get("/jobs/" + id).json().get("trials").get("running");
        assertThat(running.findValuesAsString("worker")).containsExactlyInAnyOrder(owner(first), owner(second));

        assertThat(http(second).post("/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        long cancelled = System.nanoTime();
        awaitStatus(http(first), id, "CANCELLED");
        // each running trial drops its own unit as it stops, so no unit left means both stopped
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM trial_unit WHERE job_id = :id").param("id", UUID.fromString(id)).query(Integer.class).single() == 0);
        System.out.printf("a cancel stopped the trials of both replicas within %d ms%n", (System.nanoTime() - cancelled) / 1_000_000);
        assertThat(http(first).get("/jobs/" + id + "/metrics").json().get("search").get("trials")).isEmpty();
    }

    @Test
    void aSearchsParallelismCapsItsTrialsOnBothReplicasTogether() {
        String id = submit(http(first), randomSearch(3, 300, 1, false, 1));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        int[] most = new int[1];
        // each replica has a free worker throughout, so without the shared cap both would run a trial most of the time
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            most[0] = Math.max(most[0], jdbc.sql("SELECT COUNT(*) FROM trial_unit WHERE job_id = :id AND status = 'RUNNING' "
                    + "AND lease_expires_at >= :now").param("id", UUID.fromString(id)).param("now", dev.backprop.platform.SqlColumns.timestamp(Instant.now()))
                    .query(Integer.class).single());
            return "SUCCEEDED".equals(http(first).get("/jobs/" + id).json().get("status").asString());
        });
        assertThat(most[0]).as("trials running at once on the two replicas").isEqualTo(1);
        assertThat(awaitStatus(http(first), id, "SUCCEEDED").get("trials").get("done").asInt()).isEqualTo(3);
    }

    /**
     * A follower served by the replica that does not coordinate the search reads the stored trials from the database
     * (JobEvents polls them while the search runs elsewhere): it hears every trial, wherever it ran, once and in the
     * order stored, then the final state. Before the polling it heard only the trials its own replica started, and
     * the stream never ended (this test timed out).
     */
    @Test
    void aFollowerOnTheReplicaThatDoesNotCoordinateHearsEveryTrialOnceInOrderAndTheEnd() throws Exception {
        String id = submit(http(first), randomSearch(6, 300, 1, false));
        awaitStatus(http(first), id, "RUNNING");
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        String coordinator = jdbc.sql("SELECT lease_owner FROM job WHERE id = :id").param("id", UUID.fromString(id))
                .query(String.class).single();
        ConfigurableApplicationContext other = owner(first).equals(coordinator) ? second : first;
        java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> stream = java.net.http.HttpClient.newHttpClient()
                .sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + ((WebServerApplicationContext) other).getWebServer().getPort() + "/jobs/" + id + "/events")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        List<EventStream.Event> events = EventStream.parse(stream.get(120, java.util.concurrent.TimeUnit.SECONDS).body());

        assertThat(EventStream.ids(events, "trial")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        List<Integer> storedOrder = jdbc.sql("SELECT trial_index FROM search_trial WHERE job_id = :id ORDER BY completion_sequence")
                .param("id", UUID.fromString(id)).query(Integer.class).list();
        assertThat(events.stream().filter(e -> e.id() > 0).map(e -> e.data().get("index").asInt()).toList()).isEqualTo(storedOrder);
        assertThat(new HashSet<>(workers(id).values())).as("runners of the trials").containsExactlyInAnyOrder(owner(first), owner(second));
        EventStream.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("status");
        assertThat(last.data().get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theSearchsFollowersHearOfTheTrialsTheOtherReplicaRuns() throws Exception {
        String id = submit(http(first), randomSearch(4, 1_000, 1, false));
        awaitStatus(http(first), id, "RUNNING");
        String coordinator = first.getBean(JdbcClient.class).sql("SELECT lease_owner FROM job WHERE id = :id")
                .param("id", UUID.fromString(id)).query(String.class).single();
        ConfigurableApplicationContext followed = owner(first).equals(coordinator) ? first : second;
        // the coordinator keeps the trial events it published, so a follower that connects after the first trials hears of them
        List<JsonNode> trialEvents = new java.util.ArrayList<>();
        String lastEvent = null;
        java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                + ((WebServerApplicationContext) followed).getWebServer().getPort() + "/jobs/" + id + "/events"))
                        .timeout(Duration.ofSeconds(120)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("event:")) {
                    lastEvent = line.substring(6).trim();
                } else if (line.startsWith("data:") && "trial".equals(lastEvent)) {
                    trialEvents.add(followed.getBean(tools.jackson.databind.json.JsonMapper.class).readTree(line.substring(5).trim()));
                }
            }
        }
        assertThat(lastEvent).isEqualTo("status");
        Map<Integer, String> ranBy = workers(id);
        List<Integer> remote = ranBy.entrySet().stream().filter(e -> !e.getValue().equals(coordinator)).map(Map.Entry::getKey).toList();
        assertThat(remote).as("trials the other replica ran").isNotEmpty();
        List<List<String>> statusesOfRemote = new java.util.ArrayList<>();
        for (int index : remote) {
            List<String> statuses = trialEvents.stream().filter(e -> e.get("index").asInt() == index).map(e -> e.get("status").asString())
                    .toList();
            assertThat(statuses).as("trial %d's events on the coordinator", index).isIn(List.of("SUCCEEDED"), List.of("STARTED", "SUCCEEDED"));
            statusesOfRemote.add(statuses);
        }
        // a trial shorter than a poll interval may end before the coordinator looks; these trials are seconds long
        assertThat(statusesOfRemote).as("the other replica's trials announced as they started").anyMatch(st -> st.contains("STARTED"));
    }
}
