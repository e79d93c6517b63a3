package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Limits on what is stored, per tenant (the keyless default tenant's defaults) and for the whole service, and the
 * thinned history of a long run. At a limit the new thing is refused naming the limit, its value and its usage, and
 * nothing stored goes away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "backprop.security.quotas.datasets=2", "backprop.security.quotas.history-epochs=30000",
        "backprop.security.service-quotas.dataset-bytes=20000", "backprop.security.service-quotas.models=2"})
class RetentionEndToEndTest extends HttpEndToEndTest {

    private static final String SMALL_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

    /** The tutorial's 2-4-1 XOR for 100,000 epochs; early stopping on the loss that never fires, so that the best epoch is its own. */
    private static final String LONG_XOR = TrainingRequests.example("xor").replace("\"epochs\": 10000",
            "\"epochs\": 100000, \"earlyStopping\": {\"monitor\": \"loss\", \"patience\": 200000, \"minDelta\": 0.0001}");

    @Test
    void dataSetsPastATenantsCountOrTheServicesBytesAreRefusedNamingTheLimitAndNothingStoredIsLost() {
        String first = upload(SMALL_CSV).json().get("id").asString();
        StringBuilder big = new StringBuilder("a,b,y\n");
        // 4,000 rows: the decimals are stored as 4-byte integers (TableCodec), so the table still takes over 20,000 bytes
        for (int row = 0; row < 4_000; row++) {
            big.append(row * 0.5).append(',').append(row * 0.25).append(',').append(row % 2).append('\n');
        }
        Http.Response tooBig = upload(big.toString());
        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
        assertRefusal(tooBig, "/service-storage-quota-exceeded", "dataset-bytes", "service", 20_000);
        assertThat(tooBig.json().get("used").asLong()).isPositive().isLessThan(20_000);

        assertThat(upload(SMALL_CSV).status()).isEqualTo(201);
        Http.Response third = upload(SMALL_CSV);
        assertThat(third.status()).as(third.body()).isEqualTo(429);
        assertRefusal(third, "/quota-exceeded", "datasets", "tenant", 2);
        assertThat(third.json().get("used").asLong()).isEqualTo(2);
        assertThat(third.json().get("detail").asString()).contains("datasets").contains("2 used of 2");
        assertThat(http.get("/datasets").json().get("total").asLong()).as("nothing stored was deleted").isEqualTo(2);

        assertThat(http.delete("/datasets/" + first).status()).isEqualTo(204);
        assertThat(upload(SMALL_CSV).status()).as("room made by deleting").isEqualTo(201);
    }

    @Test
    void aLongRunStoresItsHistoryThinnedAndItsRoomIsCheckedBeforeTheNextIsAccepted() {
        String id = accepted(LONG_XOR);
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode metrics = http.get("/jobs/" + id + "/metrics").json();
        List<Integer> stored = new ArrayList<>();
        metrics.get("history").forEach(e -> stored.add(e.get("epoch").asInt()));
        int best = metrics.get("bestEpoch").asInt();
        List<Integer> expected = new ArrayList<>(IntStream.rangeClosed(1, 100_000)
                .filter(e -> e <= 10_000 || (e - 10_000) % 9 == 0 || e == best).boxed().toList());
        assertThat(stored).as("epochs 1-10,000, every 9th beyond, the last and the best (%d)", best).isEqualTo(expected);
        assertThat(stored).hasSizeBetween(20_000, 20_001).contains(best, 100_000);

        List<String> ids = http.get("/jobs/" + id + "/events", "Last-Event-ID", "99950").body().lines()
                .filter(l -> l.startsWith("id:")).toList();
        assertThat(ids).as("a resume reads the stored epochs after its id")
                .isEqualTo(expected.stream().filter(e -> e > 99_950).map(e -> "id:" + e).toList());

        Http.Response refused = http.post("/jobs", LONG_XOR);
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertRefusal(refused, "/quota-exceeded", "history-epochs", "tenant", 30_000);
        assertThat(refused.json().get("used").asLong()).isEqualTo(stored.size());
        assertThat(refused.json().get("detail").asString()).contains("this needs 20002").contains("delete ended jobs");
        assertThat(http.get("/jobs/" + id + "/metrics").json().get("history").size()).as("kept whole").isEqualTo(stored.size());

        assertThat(http.delete("/jobs/" + id).status()).isEqualTo(204);
        String next = accepted(LONG_XOR);
        assertThat(http.post("/jobs/" + next + "/cancel", "application/json", "").status()).isEqualTo(200);
        assertThat(awaitEnd(next).get("status").asString()).isEqualTo("CANCELLED");

        // the first job's model outlived its job: with one more the service holds its two
        assertThat(awaitEnd(accepted(TrainingRequests.example("xor").replace("\"epochs\": 10000", "\"epochs\": 20")))
                .get("status").asString()).isEqualTo("SUCCEEDED");
        Http.Response full = http.post("/jobs", TrainingRequests.example("xor"));
        assertThat(full.status()).as(full.body()).isEqualTo(429);
        assertRefusal(full, "/service-quota-exceeded", "models", "service", 2);
        assertThat(full.json().get("used").asLong()).isEqualTo(2);
        assertThat(full.headers().firstValue("Retry-After")).as("models do not go away by themselves").isEmpty();
    }

    private Http.Response upload(String csv) {
        return http.post("/datasets?name=retained", "text/csv", csv);
    }

    private static void assertRefusal(Http.Response refusal, String type, String quota, String scope, long limit) {
        assertThat(refusal.contentType()).startsWith("application/problem+json");
        JsonNode problem = refusal.json();
        assertThat(problem.get("type").asString()).endsWith(type);
        assertThat(problem.get("quota").asString()).isEqualTo(quota);
        assertThat(problem.get("scope").asString()).isEqualTo(scope);
        assertThat(problem.get("limit").asLong()).isEqualTo(limit);
        assertThat(problem.get("detail").asString()).contains(quota).contains(String.valueOf(limit));
    }
}
