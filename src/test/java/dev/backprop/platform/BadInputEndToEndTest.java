package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Inputs a fuzzer found answered with a 500 or a body that is not a problem: each is a 4xx
 * {@code application/problem+json} naming what is wrong, over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputEndToEndTest extends HttpEndToEndTest {

    private static final String CSV = "x,y\n1,2\n3,4\n";

    private static JsonNode problem(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("https://backprop.dev/problems/");
        return problem;
    }

    private static String field(JsonNode problem) {
        return problem.get("errors").get(0).get("field").asString();
    }

    private Http.Response multipart(String contentType, String body) {
        return http.post("/datasets", contentType, body);
    }

    private static String filePart(String boundary, String filename) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + CSV.replace("\n", "\r\n");
    }

    @Test
    void aDatasetNameOverTwoHundredCharactersIsA400NamingName() {
        JsonNode query = problem(http.post("/datasets?name=" + "n".repeat(201), "text/csv", CSV), 400);
        assertThat(field(query)).isEqualTo("name");
        String boundary = "b0undary";
        JsonNode filename = problem(multipart("multipart/form-data; boundary=" + boundary,
                filePart(boundary, "f".repeat(197) + ".csv") + "\r\n--" + boundary + "--\r\n"), 400);
        assertThat(field(filename)).isEqualTo("name");
        assertThat(http.post("/datasets?name=" + "n".repeat(200), "text/csv", CSV).status()).isEqualTo(201);
    }

    @Test
    void multipartWithoutAClosingBoundaryOrWithoutABoundaryIsA400() {
        String boundary = "b0undary";
        problem(multipart("multipart/form-data; boundary=" + boundary, filePart(boundary, "x.csv")), 400);
        problem(multipart("multipart/form-data", filePart(boundary, "x.csv") + "\r\n--" + boundary + "--\r\n"), 400);
    }

    @Test
    void aNullColumnNameIsA400NamingTheColumn() {
        JsonNode dataset = problem(http.post("/datasets", "{\"columns\": [\"a\", null], \"rows\": [[1, 2]]}"), 400);
        assertThat(field(dataset)).endsWith("columns[1]");
        JsonNode job = problem(http.post("/jobs", "{\"data\": {\"columns\": [\"a\", null], \"rows\": [[1, 2], [2, 3]], "
                + "\"targetColumn\": \"a\"}}"), 400);
        assertThat(field(job)).isEqualTo("data.columns[1]");
    }

    @Test
    void aNullInASearchedListIsA400NamingTheValue() {
        String body = Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(20, 1),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "tanh"))),
                "training", Map.of("epochs", 2))).replaceFirst("}$", ", \"search\": {\"space\": {\"learningRate\": [null]}}}");
        JsonNode problem = problem(http.post("/jobs", body), 400);
        assertThat(problem.get("errors").toString()).contains("\"field\":\"search.space.learningRate[0]\"");
    }

    @Test
    void aNulCharacterInStoredTextIsA400() {
        assertThat(field(problem(http.post("/datasets?name=a%00b", "text/csv", CSV), 400))).isEqualTo("name");
        problem(http.post("/datasets?name=nul", "text/csv", "x,y\n1,a\u0000b\n3,c\n"), 400);
        problem(http.post("/datasets?name=nul", "text/csv", "x,y\u0000z\n1,2\n"), 400);
        problem(http.post("/datasets", "{\"name\": \"a\\u0000b\", \"columns\": [\"a\"], \"rows\": [[1]]}"), 400);
        problem(http.post("/datasets", "{\"columns\": [\"a\"], \"rows\": [[\"x\\u0000y\"]]}"), 400);
    }

    @Test
    void theErrorPathItselfIsAProblem() {
        problem(http.get("/error"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/datasets/%2F", "/datasets/a%5Cb", "/datasets/%00", "/datasets/%zz", "/datasets/%", "/%E0%A4%A"})
    void malformedPathsAreProblems(String path) {
        Http.Response response = raw("GET " + path + " HTTP/1.1");
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
        assertSecurityHeaders(response);
    }

    @Test
    void traceIsAProblem() {
        Http.Response response = raw("TRACE /datasets HTTP/1.1");
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        assertSecurityHeaders(response);
    }

    /** What every answer carries, down to those Tomcat makes before any filter runs (the security issue). */
    private static void assertSecurityHeaders(Http.Response response) {
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(response.headers().toString()).contains("nosniff");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).as(response.headers().toString()).contains("no-store");
        assertThat(response.headers().firstValue("X-Frame-Options")).as(response.headers().toString()).contains("DENY");
    }

    @Test
    void echoedValuesAreCapped() {
        String huge = "9".repeat(5_000) + "x";
        Http.Response page = http.get("/datasets?page=" + huge);
        problem(page, 400);
        assertThat(page.body().length()).isLessThan(2_000);
        String body = Http.json(Map.of("type", "grid_search", "data", TrainingRequests.syntheticData(20, 1),
                "training", Map.of("epochs", 2), "search", Map.of("space", Map.of("learningRate", List.of(huge)))));
        Http.Response search = http.post("/jobs", body);
        problem(search, 400);
        assertThat(search.body().length()).isLessThan(2_000);
    }

    /** A request line sent as is: Java's client refuses some of these paths. */
    private Http.Response raw(String requestLine) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.computeIfAbsent(head[i].substring(0, colon), k -> new java.util.ArrayList<>()).add(head[i].substring(colon + 1).strip());
            }
            String body = text.substring(end + 4);
            if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
                body = unchunk(body);
            }
            return new Http.Response(status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int line = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, line).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, line + 2, line + 2 + size);
            at = line + 2 + size + 2;
        }
    }
}
