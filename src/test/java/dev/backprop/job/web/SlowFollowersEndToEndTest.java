package dev.backprop.job.web;

import static dev.backprop.Tolerances.NEVER_READING_FOLLOWERS_SLOWDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Followers of {@code GET /jobs/{id}/events} that never read, as in the reliability issue: a 2 KB receive buffer
 * over a raw socket and no read ever. Before the fix the events were written on the training thread, so progress
 * stopped once the socket was full, the job froze until Tomcat gave the write up and a cancel took 45 s; both tests
 * below failed then (the first timed out waiting for the job, the second's cancel took longer than a second).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowFollowersEndToEndTest extends HttpEndToEndTest {

    private static final int EPOCHS = 20_000;

    @Test
    void threeFollowersThatNeverReadLeaveTheJobsDurationAsItWas() throws IOException {
        String xor = TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": " + EPOCHS);
        Duration alone = duration(awaitEnd(accepted(xor)));

        String id = accepted(xor);
        List<Socket> followers = neverReadingFollowers(id, 3);
        try {
            JsonNode ended = awaitEnd(id);
            assertThat(ended.get("status").asString()).isEqualTo("SUCCEEDED");
            Duration followed = duration(ended);
            org.slf4j.LoggerFactory.getLogger(SlowFollowersEndToEndTest.class)
                    .info("{} epochs: {} alone, {} with three followers that never read", EPOCHS, alone, followed);
            assertThat(followed.toMillis()).as("%s alone, %s with followers that never read", alone, followed)
                    .isLessThan((long) (alone.toMillis() * NEVER_READING_FOLLOWERS_SLOWDOWN) + 1000);
        } finally {
            close(followers);
        }
    }

    @Test
    void aCancelAnswersWithinASecondWhileFollowersNeverRead() throws IOException {
        String id = accepted(TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": 100000"));
        List<Socket> followers = neverReadingFollowers(id, 3);
        try {
            // 20,000 epoch events are 4 MB for each follower, far more than its socket holds
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    http.get("/jobs/" + id).json().get("progress").get("epoch").asInt() > 20_000);
            Instant start = Instant.now();
            Http.Response cancel = http.post("/jobs/" + id + "/cancel", "application/json", "");
            Duration took = Duration.between(start, Instant.now());
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    "CANCELLED".equals(http.get("/jobs/" + id).json().get("status").asString()));
        } finally {
            close(followers);
        }
    }

    @Test
    void aFollowerResumesAfterItsLastEventIdFromTheStoredHistory() throws Exception {
        String id = accepted(TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": 30"));
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        List<String> resumed = eventLines(id, "20");
        assertThat(resumed.stream().filter(l -> l.startsWith("id:")).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(21, 30).mapToObj(e -> "id:" + e).toList());
        assertThat(resumed.get(resumed.size() - 1)).startsWith("data:").contains("\"status\":\"SUCCEEDED\"");

        List<String> late = eventLines(id, null);
        assertThat(late.stream().filter(l -> l.startsWith("id:")).count()).as("a late follower gets every epoch").isEqualTo(30);

        Http.Response bad = http.get("/jobs/" + id + "/events?x", "Last-Event-ID", "epoch-3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
    }

    /** The non-blank lines of an ended job's event stream. */
    private List<String> eventLines(String id, String lastEventId) {
        Http.Response response = lastEventId == null ? http.get("/jobs/" + id + "/events")
                : http.get("/jobs/" + id + "/events", "Last-Event-ID", lastEventId);
        assertThat(response.status()).isEqualTo(200);
        return response.body().lines().filter(l -> !l.isBlank()).toList();
    }

    private static Duration duration(JsonNode job) {
        return Duration.between(Instant.parse(job.get("startedAt").asString()), Instant.parse(job.get("finishedAt").asString()));
    }

    /** Opens followers of a job's events with a tiny receive buffer that never read a byte. */
    private List<Socket> neverReadingFollowers(String id, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(2048);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /jobs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(socket);
        }
        return sockets;
    }

    private static void close(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
