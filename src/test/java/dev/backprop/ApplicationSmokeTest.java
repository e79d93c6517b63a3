package dev.backprop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The service starts on its embedded defaults and answers health, API docs and Swagger UI over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationSmokeTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWithLivenessAndReadiness() throws Exception {
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void swaggerUiAndOpenApiDocumentAnswer() throws Exception {
        HttpResponse<String> ui = get("/swagger-ui.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        HttpResponse<String> docs = get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("\"openapi\"");
    }

    @Test
    void theOpenApiDocumentCarriesTheTutorialExamplesAndASummaryPerOperation() throws Exception {
        tools.jackson.databind.JsonNode docs = tools.jackson.databind.json.JsonMapper.builder().build().readTree(get("/v3/api-docs").body());
        tools.jackson.databind.JsonNode examples = docs.get("paths").get("/jobs").get("post").get("requestBody").get("content")
                .get("application/json").get("examples");
        assertThat(examples.get("xor").get("value").get("network").get("hiddenLayers").get(0).get("units").asInt()).isEqualTo(4);
        assertThat(examples.get("synthetic").get("value").get("data").get("rows")).hasSize(100);
        docs.get("paths").forEach(path -> path.forEach(operation ->
                assertThat(operation.get("summary")).as(operation.toString()).isNotNull()));
    }

    @Test
    void tomcatGetsTwoRequestThreadsPerCorePlusTheWaitingOnesWhenNobodyChoseANumber(
            @org.springframework.beans.factory.annotation.Autowired org.springframework.boot.web.server.context.WebServerApplicationContext context) {
        org.apache.catalina.connector.Connector connector =
                ((org.springframework.boot.tomcat.TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(((org.apache.coyote.AbstractProtocol<?>) connector.getProtocolHandler()).getMaxThreads())
                .isEqualTo(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()) + 16);
    }

    @Test
    void infoNamesTheService() throws Exception {
        assertThat(get("/actuator/info").body()).contains("Backprop");
    }
}
