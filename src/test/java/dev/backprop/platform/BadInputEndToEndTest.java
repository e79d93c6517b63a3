package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.RawHttp;
import dev.backprop.support.TrainingRequests;
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

    @ParameterizedTest
    @ValueSource(strings = {"/jobs?page=%FF", "/datasets?page=%", "/models?tag=%zz", "/jobs?%zz=1", "/models?name=%C3"})
    void queryParametersThatAreNotPercentEncodedUtf8AreA400(String target) {
        JsonNode problem = problem(raw("GET " + target + " HTTP/1.1"), 400);
        assertThat(problem.get("detail").asString()).contains("query");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/models?tag=a%00b", "/models?name=a%00b", "/admin/keys?tenant=a%00b", "/jobs?status=%00"})
    void aNulCharacterInAQueryParameterIsA400NamingIt(String target) {
        JsonNode problem = problem(raw("GET " + target + " HTTP/1.1"), 400);
        assertThat(field(problem)).isEqualTo(target.substring(target.indexOf('?') + 1, target.indexOf('=')));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/models/", "/datasets/", "/jobs/", "/v2/models/", "/models/by-name/"})
    void aPathOfThousandsOfCharactersIsNotEchoedWhole(String prefix) {
        Http.Response response = raw("GET " + prefix + "x".repeat(3_000) + " HTTP/1.1");
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.body().length()).as(response.body()).isLessThan(2_000);
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
        return new RawHttp(port).send(requestLine);
    }
}
