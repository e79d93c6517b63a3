package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Slow clients against the request threads, as in the reliability issue: uploads that declare a 1 MB body and
 * send a few bytes, and 100,000-row predicts. Before the fix (4 request threads, bodies read on them without a
 * deadline) health did not answer while four such uploads were open; the first test failed then.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "backprop.limits.body-read-timeout=3s")
class SlowClientsEndToEndTest extends HttpEndToEndTest {

    @Test
    void healthStatusReadsAndCancelsAnswerWithinASecondDuringFourSlowUploadsAndFourLargePredicts() throws Exception {
        String modelId = awaitEnd(accepted(TrainingRequests.example("xor"))).get("modelId").asString();
        String queued = accepted(TrainingRequests.longRunning(100_000));
        String predict = predictBody(100_000);
        // the code paths measured below run once before, so that the measurement is not of the JIT's first compile
        http.get("/actuator/health");
        http.get("/jobs/" + queued);
        List<Socket> uploads = slowUploads(4);
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> predicts = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                predicts.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/models/" + modelId
                        + "/predict")).header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(predict)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int probe = 0; probe < 5; probe++) {
                assertAnswersWithinASecond("/actuator/health", () -> http.get("/actuator/health"));
                assertAnswersWithinASecond("GET /jobs/{id}", () -> http.get("/jobs/" + queued));
            }
            assertAnswersWithinASecond("cancel", () -> http.post("/jobs/" + queued + "/cancel", "application/json", ""));
            for (CompletableFuture<HttpResponse<String>> answer : predicts) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
            }
        } finally {
            for (Socket upload : uploads) {
                upload.close();
            }
        }
    }

    @Test
    void anUploadBeyondTheConcurrentOnesIsAnswered503AndASlowBody408() throws Exception {
        List<Socket> uploads = slowUploads(8);
        try {
            // the ninth large body, while eight are read
            Http.Response refused = http.post("/datasets?name=ninth", "text/csv", "a,b\n".repeat(20_000));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asString()).endsWith("/uploads-busy");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        } finally {
            for (Socket upload : uploads) {
                upload.close();
            }
        }
        // the slots are free again once those bodies are given up
        await().atMost(Duration.ofSeconds(20)).until(() ->
                http.post("/datasets?name=after", "text/csv", "a,b\n" + "1,2\n".repeat(20_000)).status() == 201);

        Instant opened = Instant.now();
        try (Socket slow = slowUploads(1).get(0)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Duration.between(opened, Instant.now()).toSeconds() >= 4);
            slow.getOutputStream().write("1,2\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            String answer = new String(readSome(slow.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("body-timeout");
        }
    }

    private static void assertAnswersWithinASecond(String what, java.util.function.Supplier<Http.Response> request) {
        Instant start = Instant.now();
        Http.Response response = request.get();
        Duration took = Duration.between(start, Instant.now());
        assertThat(response.status()).as(what + ": " + response.body()).isLessThan(300);
        assertThat(took).as(what).isLessThan(Duration.ofSeconds(1));
    }

    /** Uploads that declare a 1 MB CSV body and send its first line only. */
    private List<Socket> slowUploads(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /datasets?name=slow" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: 1000000\r\n\r\na,b\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(socket);
        }
        // each holds a request thread (and an upload slot) once Tomcat has read its headers
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(200)).until(() -> true);
        return sockets;
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int n = in.read(buffer);
        return java.util.Arrays.copyOf(buffer, Math.max(0, n));
    }

    private static String predictBody(int rows) {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < rows; r++) {
            body.append(r == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.4f,%.4f]", random.nextDouble(), random.nextDouble()));
        }
        return body.append("]}").toString();
    }
}
