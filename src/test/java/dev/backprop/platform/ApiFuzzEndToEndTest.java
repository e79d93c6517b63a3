package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.backprop.platform.OpenApiFuzzer.FuzzRequest;
import dev.backprop.support.Http;
import dev.backprop.support.RawHttp;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The service's own OpenAPI document, walked operation by operation with seeded, broken inputs
 * ({@link OpenApiFuzzer}) over real HTTP: no answer is a 5xx (but a documented 503 uploads-busy or
 * database-unavailable problem), and every 4xx is a problem (the serving protocols' own error formats on their
 * paths), with echoed values capped. A failure prints the request that reproduces it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
        "backprop.security.mode=keys", "backprop.security.admin-key=" + ApiFuzzEndToEndTest.ADMIN_KEY,
        // every submit and predict reaches validation instead of the token bucket
        "backprop.security.rate-limits.submits-per-minute=0", "backprop.security.rate-limits.predicts-per-minute=0",
        // a valid fuzzed job stays small: the fuzzer must not wait behind training on two shared cores
        "backprop.jobs.workers=1", "backprop.limits.max-row-epochs=20000"})
class ApiFuzzEndToEndTest {

    static final String ADMIN_KEY = "fuzz-admin-key-0123456789abcdef";
    private static final int REQUESTS = 5_000;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int CLIENTS = 4;
    /** Longest text a problem may hold in one field: a 200-character echo inside a sentence. */
    private static final int LONGEST_PROBLEM_TEXT = 1_000;

    @LocalServerPort
    int port;

    /** The run's seed: request {@code n} of a seed is always the same request. */
    long seed() {
        return 20261201L;
    }

    @Test
    void noOperationAnswersAnyInputWithA5xxOrAnErrorThatIsNotAProblem() throws Exception {
        Http http = new Http(port);
        Map<String, String> keyed = Map.of("Authorization", "Bearer " + ADMIN_KEY);
        JsonNode document = http.request("GET", "/v3/api-docs", keyed, null).json();
        OpenApiFuzzer fuzzer = new OpenApiFuzzer(document, realIds(http, keyed), seed());

        RawHttp raw = new RawHttp(port);
        Map<String, List<String>> failures = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, Long> slowest = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> {
                for (int n = next.getAndIncrement(); n < REQUESTS && System.nanoTime() < deadline; n = next.getAndIncrement()) {
                    FuzzRequest request;
                    try {
                        request = fuzzer.request(n);
                    } catch (RuntimeException e) {
                        failures.computeIfAbsent("the fuzzer itself: " + e, k -> Collections.synchronizedList(new ArrayList<>())).add("#" + n);
                        continue;
                    }
                    Map<String, String> headers = new HashMap<>(keyed);
                    if (request.contentType() != null) {
                        headers.put("Content-Type", request.contentType());
                    }
                    String failure;
                    long start = System.nanoTime();
                    try {
                        Http.Response response = raw.send(request.method() + " " + request.target() + " HTTP/1.1", headers, request.body());
                        statuses.computeIfAbsent(request.operation().name() + " " + response.status(), k -> new AtomicInteger()).incrementAndGet();
                        failure = judge(request, response);
                    } catch (UncheckedIOException e) {
                        failure = "no answer: " + e.getCause().getMessage();
                    } catch (RuntimeException e) {
                        failure = "the test could not read the answer: " + e;
                    }
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    slowest.merge(request.operation().name(), took, Math::max);
                    sent.incrementAndGet();
                    if (failure != null) {
                        failures.computeIfAbsent(request.operation().name() + ": " + failure.split(": ")[0],
                                k -> Collections.synchronizedList(new ArrayList<>())).add(request.reproducer() + "\n    -> " + failure);
                    }
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(DEADLINE.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("fuzz: %d requests in %d ms (%.0f/s), %d operations, seed %d%n", sent.get(), millis,
                sent.get() * 1000.0 / millis, fuzzer.operations().size(), seed());
        new TreeMap<>(statuses).forEach((k, v) -> System.out.println("fuzz:   " + k + " x" + v));
        new TreeMap<>(slowest).forEach((k, v) -> System.out.println("fuzz:   slowest " + k + " " + v + " ms"));

        StringBuilder report = new StringBuilder();
        new TreeMap<>(failures).forEach((kind, examples) -> {
            report.append(kind).append(" (").append(examples.size()).append(" requests); shortest:\n  ");
            report.append(examples.stream().min((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow()).append('\n');
        });
        if (!failures.isEmpty()) {
            fail("failures by operation, each with its shortest reproducer (seed %d):%n%s", seed(), report);
        }
        // On a machine shared with other builds the deadline may come first; each operation is still called often.
        assertThat(sent.get() >= REQUESTS || System.nanoTime() >= deadline).as("%d requests sent", sent.get()).isTrue();
        for (OpenApiFuzzer.Operation operation : fuzzer.operations()) {
            int calls = statuses.entrySet().stream().filter(e -> e.getKey().startsWith(operation.name() + " "))
                    .mapToInt(e -> e.getValue().get()).sum();
            assertThat(calls).as("calls of %s", operation.name()).isGreaterThanOrEqualTo(10);
        }
    }

    /** Why an answer is wrong, or null. */
    private static String judge(FuzzRequest request, Http.Response response) {
        int status = response.status();
        String type = response.contentType();
        if (status >= 500) {
            boolean documented = status == 503 && type.startsWith("application/problem+json")
                    && (response.body().contains("/problems/uploads-busy") || response.body().contains("/problems/database-unavailable"));
            return documented ? null : status + " " + type + ": " + prefix(response.body());
        }
        if (status < 400) {
            return null;
        }
        if (request.method().equals("HEAD")) {
            return type.startsWith("application/problem+json") || type.startsWith("application/json") ? null : status + " to HEAD as " + type + ": (no body)";
        }
        String path = request.target().split("\\?")[0];
        JsonNode body;
        try {
            body = response.json();
        } catch (RuntimeException e) {
            return status + " " + type + " not JSON: " + prefix(response.body());
        }
        if (type.startsWith("application/problem+json")) {
            if (body.path("status").asInt() != status || !body.path("type").asString().startsWith("https://backprop.dev/problems/")) {
                return status + " problem without its status or type: " + prefix(response.body());
            }
            return longestText(body) > LONGEST_PROBLEM_TEXT ? status + " problem with a text over " + LONGEST_PROBLEM_TEXT + " characters: " + longestText(body) : null;
        }
        // the serving protocols answer errors in their own formats, checked by content
        if (path.startsWith("/v2/") && body.has("error")) {
            return null;
        }
        if (path.endsWith("/invocations") && body.has("error_code") && body.has("message")) {
            return null;
        }
        return status + " " + type + " not a problem: " + prefix(response.body());
    }

    private static int longestText(JsonNode node) {
        if (node.isString()) {
            return node.asString().length();
        }
        int longest = 0;
        for (JsonNode child : node) {
            longest = Math.max(longest, longestText(child));
        }
        return longest;
    }

    private static String prefix(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** A data set, a finished job with its model, a tenant and a key: what real ids in paths reach. */
    private static Map<String, String> realIds(Http http, Map<String, String> keyed) {
        Map<String, String> json = new HashMap<>(keyed);
        json.put("Content-Type", "application/json");
        Map<String, String> csv = new HashMap<>(keyed);
        csv.put("Content-Type", "text/csv");
        String dataset = http.request("POST", "/datasets?name=xor", csv, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n").json().get("id").asString();
        Http.Response submitted = http.request("POST", "/jobs", json, "{\"name\": \"xor\", \"task\": \"classification\", "
                + "\"data\": {\"datasetId\": \"" + dataset + "\", \"targetColumn\": \"y\"}, "
                + "\"network\": {\"hiddenLayers\": [{\"units\": 4, \"activation\": \"tanh\"}]}, \"training\": {\"epochs\": 20, \"seed\": 1}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String job = submitted.json().get("id").asString();
        JsonNode[] ended = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ended[0] = http.request("GET", "/jobs/" + job, keyed, null).json();
            return ended[0].get("status").asString().equals("SUCCEEDED");
        });
        String model = ended[0].get("modelId").asString();
        assertThat(http.request("POST", "/admin/tenants", json, "{\"id\": \"fuzz\"}").status()).isEqualTo(201);
        Http.Response key = http.request("POST", "/admin/keys", json, "{\"tenant\": \"fuzz\", \"name\": \"k\", \"role\": \"member\"}");
        Map<String, String> ids = new HashMap<>();
        ids.put("jobs/id", job);
        ids.put("datasets/id", dataset);
        ids.put("models/id", model);
        ids.put("models/name", "xor");
        ids.put("models/model", model);
        ids.put("v2/name", "xor");
        ids.put("admin/tenant", "fuzz");
        ids.put("admin/id", key.json().get("id").asString());
        return ids;
    }
}
