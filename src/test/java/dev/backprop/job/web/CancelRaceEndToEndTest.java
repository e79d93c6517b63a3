package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The race of the reliability issue: XOR for 100,000 epochs, cancelled once the trainer has run its last epoch and
 * stopped asking for a cancel, while the run writes its history in one batch insert. An answer of CANCEL_REQUESTED must
 * end CANCELLED without a model; a job that finished first says so (409). The issue cancelled 0.2–1.0 s after the
 * submit, which on its machine was that moment every time; here the last epoch's event marks it, so the cancel lands
 * there however fast the machine is. Before the fix, 11 of 11 such runs ended SUCCEEDED (and 3 of 3 here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // one batch for the whole history: the insert the cancel landed in is as long as it gets
        properties = "backprop.jobs.history-flush-interval=1h")
class CancelRaceEndToEndTest extends HttpEndToEndTest {

    private static final int EPOCHS = 100_000;

    @RepeatedTest(3)
    void aCancelAnsweredCancelRequestedEndsCancelledEvenWhenItLandsAfterTheLastEpoch() throws Exception {
        String xor = TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": " + EPOCHS);
        assertThat(xor).contains("\"epochs\": " + EPOCHS);
        Http.Response submit = http.post("/jobs", xor);
        assertThat(submit.status()).as(submit.body()).isEqualTo(202);
        String id = submit.json().get("id").asString();
        long modelsBefore = http.get("/models").json().get("total").asLong();

        Http.Response cancel = cancelAfterTheLastEpoch(id);
        JsonNode ended = awaitEnd(id);

        if (cancel.status() == 409) {
            assertThat(ended.get("status").asString()).as("a 409 says the job had ended").isEqualTo("SUCCEEDED");
            return;
        }
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("CANCEL_REQUESTED");
        assertThat(ended.get("status").asString()).as("job %s after a 200 CANCEL_REQUESTED", id).isEqualTo("CANCELLED");
        assertThat(ended.get("stopReason").asString()).isEqualTo("CANCELLED");
        assertThat(ended.path("modelId").isNull() || ended.path("modelId").isMissingNode()).as("no model").isTrue();
        // The model stored before the cancel won is discarded right after the job's CANCELLED is written (two writes,
        // not one transaction), so a list read in between may still count it: it must be gone soon after.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.get("/models").json().get("total").asLong()).as("no orphan model was left").isEqualTo(modelsBefore));
    }

    /** Follows the job's events and cancels it as soon as the event of its last epoch arrives. */
    private Http.Response cancelAfterTheLastEpoch(String id) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest follow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events"))
                .timeout(Duration.ofSeconds(120)).build();
        try (Stream<String> lines = client.send(follow, HttpResponse.BodyHandlers.ofLines()).body()) {
            Iterator<String> events = lines.iterator();
            while (events.hasNext()) {
                String line = events.next();
                if (line.startsWith("data:") && line.contains("\"epoch\":" + EPOCHS + ",")) {
                    return http.post("/jobs/" + id + "/cancel", "application/json", "");
                }
            }
        }
        throw new AssertionError("the events of job " + id + " ended before its last epoch");
    }
}
